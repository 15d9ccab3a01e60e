// Draws the charts with the wasm plotters code, from the runs' latest snapshots (or, while
// replaying, from recorded ones), and keeps what was drawn for the readouts.

import { loadEngine } from './engine.js';
import { setFrame } from './overlay.js';
import { update } from './view.js';

// main.js's wasm instance (www/engine.js); if it failed to load, main.js says so on the page.
const {
  draw_fit_chart, draw_loss_chart, draw_residual_chart, draw_residual_surface_chart, draw_surface_chart, draw_units_chart,
} = (await loadEngine().catch(() => ({ wasm: {} }))).wasm;

/** The charts' colours (src/plot.rs), for the readouts' markers. */
export const COLOURS = { target: '#282828', runs: ['#e6550d', '#009688'], floor: '#1f5ab4' };
const EMPTY = new Float64Array(0);
const EMPTY32 = new Float32Array(0);
/** The residual chart is secondary: redrawn at most this often while training (ms). */
const RESIDUAL_EVERY = 250;
let residualDrawnAt = -Infinity;

/**
 * What the charts show right now, for readouts: the fit chart's grid, target and curves,
 * and the loss chart's histories.
 */
export const drawn = { info: null, runs: [] };

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
 * The fit chart takes what the first screen has left below where it starts (at least
 * MIN_FIT_HEIGHT), so at 1024×768 or on a phone the chart and the numbers above it are
 * seen without scrolling.
 */
const MIN_FIT_HEIGHT = 240;
function fitToViewport(canvas, info) {
  if (info.surface) {
    // Two inputs: the heatmaps come first; the curve along a slice has a height of its own.
    if (canvas.style.height !== '420px') canvas.style.height = '420px';
    return;
  }
  const top = canvas.getBoundingClientRect().top + window.scrollY;
  const height = Math.round(Math.min(1000, Math.max(MIN_FIT_HEIGHT, window.innerHeight - top - 12)));
  if (canvas.style.height !== `${height}px`) canvas.style.height = `${height}px`;
}

/**
 * @param {object} info  the main run's static facts (target, points, floor, axes)
 * @param {string} task
 * @param {Array<{label: string, curve: Float64Array, live: object, exact: object|null,
 *   exactHistory: number[][], settled: boolean}>} runs  main, then twin: what to draw
 * @param {number} scale  1, or larger in presentation mode
 */
export function drawCharts(info, runs, scale) {
  const [main, twin] = runs;
  drawn.info = info;
  drawn.runs = runs;
  // The collapsed line belongs to whichever run is all-linear; kinks to a run that bends.
  const linear = runs.find((r) => r.live.collapseLine.length === 2);
  const bent = runs.find((r) => r.exact?.breakpoints.length > 0);
  const fit = document.getElementById('fit-chart');
  update(fit, 'ariaLabel', `${targetAlong(info)}: the target, the training data and the networks' predictions; ` +
    'arrow keys move a readout along x');
  fitToViewport(fit, info);
  fitCanvas(fit);
  setFrame('fit-chart', draw_fit_chart(fit, `target ${targetAlong(info)}`, info.xAxis, info.xMax, info.yMax,
    info.target, info.points, main.label, main.curve, twin?.label ?? '', twin?.curve ?? EMPTY, info.floorLine,
    info.floorName, linear?.live.collapseLine ?? EMPTY, bent?.exact.breakpoints ?? EMPTY, scale));

  const loss = document.getElementById('loss-chart');
  if (worthDrawing(loss, runs)) {
    fitCanvas(loss);
    setFrame('loss-chart', draw_loss_chart(loss, main.label, main.live.rmseHistory,
      Float64Array.from(main.exactHistory.flat()), main.live.testHistory, twin?.label ?? '',
      twin?.live.rmseHistory ?? EMPTY32, Float64Array.from(twin?.exactHistory.flat() ?? []),
      twin?.live.testHistory ?? EMPTY32, info.floorRmse, info.floorName, scale));
  }

  const residual = document.getElementById('residual-chart');
  const due = runs.every((r) => r.settled) || performance.now() - residualDrawnAt > RESIDUAL_EVERY;
  if (due && worthDrawing(residual, runs)) {
    residualDrawnAt = performance.now();
    fitCanvas(residual);
    setFrame('residual-chart', draw_residual_chart(residual, info.xAxis, info.xMax, info.target, main.label,
      main.curve, twin?.label ?? '', twin?.curve ?? EMPTY, info.floorLine, info.floorName, scale));
  }
  if (info.surface) drawSurfaces(info, runs, scale);
}

/**
 * Whether a secondary chart is drawn in this frame: not while it is hidden, nor while runs
 * train and it is out of view. The page is redrawn up to 30 times a second, and every
 * canvas drawn in a frame is copied to the compositor, seen or not; when a run trains on
 * every core, that time comes out of training (the question's run on two cores, traced,
 * with the loss and residual charts below the fold: the page's main thread 694–736 ms per
 * 5 s before, 517–622 after).
 * A chart is drawn again in the first frame after it scrolls into view, and when the runs stop.
 */
function worthDrawing(element, runs) {
  // Inside a closed <details> an element keeps its layout box (Chromium hides it with
  // content-visibility), so offsetParent alone does not tell; it is the fallback.
  if (!(element.checkVisibility?.() ?? element.offsetParent !== null)) return false;
  if (runs.every((r) => r.settled)) return true;
  const { top, bottom } = element.getBoundingClientRect();
  return bottom >= 0 && top <= window.innerHeight;
}

/** The target's label, and for several inputs the line the curve runs along. */
function targetAlong(info) {
  if (info.inputs < 2) return info.targetLabel;
  return `${info.targetLabel} (${Number.isFinite(info.sliceX2) ? `x₂ = ${info.sliceX2}` : 'on x₁ = x₂'})`;
}

/** Two inputs: each run's prediction over the square, and what is left of the target. */
function drawSurfaces(info, runs, scale) {
  const { lo, hi, n, target, points } = info.surface;
  runs.forEach((run, i) => {
    if (!run.surface) return;
    const prefix = i === 0 ? '' : 'twin-';
    const prediction = document.getElementById(`${prefix}surface-chart`);
    const residual = document.getElementById(`${prefix}surface-residual-chart`);
    for (const canvas of [prediction, residual]) fitCanvas(canvas);
    setFrame(prediction.id, draw_surface_chart(prediction, `prediction of the ${run.label}`, lo, hi, n,
      run.surface.prediction, target, info.xMax, points, run.surface.kinks, scale));
    setFrame(residual.id, draw_residual_surface_chart(residual, `target − prediction of the ${run.label}`, lo, hi, n,
      run.surface.residual, info.xMax, scale));
  });
}

/**
 * Thumbnails of the hidden units of one run (drawn when its exact data arrives, if they
 * are worth drawing now). Returns whether they were drawn.
 */
export function drawUnits(info, units, scale, runs) {
  const box = document.getElementById('units');
  if (!worthDrawing(box, runs)) return false;
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
    return true;
  }
  let offset = 0;
  const points = units.length / Math.max(1, shown.reduce((sum, l) => sum + l.width, 0));
  for (const canvas of box.querySelectorAll('canvas')) {
    const width = Number(canvas.dataset.units);
    const rows = Math.ceil(width / 16);
    fitCanvas(canvas, rows * 56);
    const values = units.subarray(offset, offset + points * width);
    offset += points * width;
    draw_units_chart(canvas, 0, info.xAxis, width, values, scale);
  }
  return true;
}
