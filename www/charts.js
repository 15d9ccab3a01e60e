// Draws the charts with the wasm plotters code, from the runs' latest snapshots.

import { draw_fit_chart, draw_loss_chart, draw_residual_chart, draw_units_chart } from '../pkg/squares_playground.js';

const TARGET_LABELS = { square: 'target y = x²', sum: 'target y = x₁ + … + xₙ', product: 'target y = x₁·x₂ (on x₁ = x₂)' };
const EMPTY = new Float64Array(0);
const EMPTY32 = new Float32Array(0);
/** The residual chart is secondary: redrawn at most this often while training (ms). */
const RESIDUAL_EVERY = 250;
let residualDrawnAt = -Infinity;

/** Canvas pixels follow the element's size and the screen's pixel ratio (sharp on HiDPI). */
function fitCanvas(canvas, cssHeight) {
  if (cssHeight && canvas.style.height !== `${cssHeight}px`) canvas.style.height = `${cssHeight}px`;
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
}

/**
 * @param {object} info  the main run's static facts (target, points, floor, axes)
 * @param {string} task
 * @param {import('./run.js').Run[]} runs  main, then twin; each with `live` and maybe `exact`
 */
export function drawCharts(info, task, runs) {
  const [main, twin] = runs;
  // The collapsed line belongs to whichever run is all-linear; kinks to a run that bends.
  const linear = runs.find((r) => r.live.collapseLine.length === 2);
  const bent = runs.find((r) => r.exact?.breakpoints.length > 0);
  const fit = document.getElementById('fit-chart');
  fitCanvas(fit);
  draw_fit_chart(fit, TARGET_LABELS[task], info.xAxis, info.xMax, info.yMax, info.target, info.points,
    main.label, main.curve, twin?.label ?? '', twin?.curve ?? EMPTY, info.floorLine,
    linear?.live.collapseLine ?? EMPTY, bent?.exact.breakpoints ?? EMPTY);

  const loss = document.getElementById('loss-chart');
  fitCanvas(loss);
  draw_loss_chart(loss, main.label, main.live.rmseHistory, Float64Array.from(main.exactHistory.flat()),
    twin?.label ?? '', twin?.live.rmseHistory ?? EMPTY32, Float64Array.from(twin?.exactHistory.flat() ?? []),
    info.floorRmse);

  const residual = document.getElementById('residual-chart');
  const stopped = runs.every((r) => r.settled);
  const due = stopped || performance.now() - residualDrawnAt > RESIDUAL_EVERY;
  if (due && residual.offsetParent !== null) {
    residualDrawnAt = performance.now();
    fitCanvas(residual);
    draw_residual_chart(residual, info.xAxis, info.xMax, info.target, main.label, main.curve,
      twin?.label ?? '', twin?.curve ?? EMPTY, info.floorLine);
  }
}

/** Thumbnails of the hidden units of one run (drawn when its exact data arrives). */
export function drawUnits(info, units) {
  const box = document.getElementById('units');
  const shown = Array.from(info.thumbnailWidths, (width, layer) => ({ width, layer })).filter((l) => l.width > 0);
  if (box.children.length !== shown.length * 2) {
    box.replaceChildren(...shown.flatMap(({ width, layer }) => {
      const title = document.createElement('h3');
      title.textContent = `Layer ${layer + 1}: ${width} units`;
      const canvas = document.createElement('canvas');
      canvas.dataset.units = String(width);
      canvas.setAttribute('aria-label', `Outputs of the ${width} units of hidden layer ${layer + 1}`);
      return [title, canvas];
    }));
  }
  if (!shown.length) {
    box.textContent = 'Layers wider than 64 units are not shown.';
    return;
  }
  let offset = 0;
  const points = units.length / Math.max(1, shown.reduce((sum, l) => sum + l.width, 0));
  for (const canvas of box.querySelectorAll('canvas')) {
    const width = Number(canvas.dataset.units);
    const rows = Math.ceil(width / 16);
    fitCanvas(canvas, rows * 56);
    const values = units.subarray(offset, offset + points * width);
    offset += points * width;
    draw_units_chart(canvas, 0, info.xAxis, width, values);
  }
}
