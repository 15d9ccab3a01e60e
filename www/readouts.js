// Readouts: hover, touch or focus a chart and step with the arrow keys; a cursor line and a
// box give the values at that x (snapped to the points the chart drew, so the numbers are
// exactly the network's, not an interpolation).

import { frameOf, setLayer } from './overlay.js';
import { formatNumber } from './view.js';

/**
 * @typedef {object} Reading
 * @property {number} x            the snapped x, in data units
 * @property {string} title        e.g. "x = 500" or "epoch 40"
 * @property {Array<[string, number]>} rows   label, value
 * @property {Array<[number, number, string]>} points   data x, y and colour to mark
 */

/**
 * Makes a chart read out its values.
 * @param {string} chartId
 * @param {string} readoutId  the element that shows the values (the chart's aria-describedby)
 * @param {{ at: (x: number) => Reading | null, step: (x: number, delta: number) => number }} source
 */
export function attachReadout(chartId, readoutId, source) {
  const canvas = document.getElementById(chartId);
  const box = document.getElementById(readoutId);
  let current = null; // the data x shown, or null

  const show = (x) => {
    const map = frameOf(chartId);
    const reading = map && Number.isFinite(x) ? source.at(x) : null;
    if (!reading) return hide();
    current = reading.x;
    box.textContent = [reading.title, ...reading.rows.map(([label, v]) => `${label}: ${formatNumber(v)}`)].join('\n');
    box.dataset.x = String(reading.x);
    box.dataset.values = JSON.stringify(Object.fromEntries(reading.rows));
    box.hidden = false;
    const ratio = canvas.width / canvas.clientWidth || 1;
    const px = map.x(reading.x) / ratio;
    const room = canvas.clientWidth - px;
    box.style.left = room > box.offsetWidth + 24 ? `${px + 12}px` : `${Math.max(0, px - box.offsetWidth - 12)}px`;
    box.style.top = `${map.top / ratio + 8}px`;
    setLayer(chartId, 'readout', (ctx, m, dpr) => {
      const cx = m.x(reading.x);
      ctx.strokeStyle = 'rgba(40, 40, 40, 0.55)';
      ctx.lineWidth = Math.max(1, dpr);
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(cx, m.top);
      ctx.lineTo(cx, m.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      for (const [x, y, colour] of reading.points) {
        const cy = m.y(y);
        if (!(cy >= m.top && cy <= m.bottom)) continue;
        ctx.fillStyle = colour;
        ctx.beginPath();
        ctx.arc(m.x(x), cy, 4 * dpr, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
    return undefined;
  };
  const hide = () => {
    current = null;
    box.hidden = true;
    setLayer(chartId, 'readout', null);
  };
  const fromPointer = (event) => {
    const map = frameOf(chartId);
    if (!map) return NaN;
    const rect = canvas.getBoundingClientRect();
    const ratio = canvas.width / rect.width || 1;
    return map.dataX((event.clientX - rect.left) * ratio);
  };

  canvas.addEventListener('pointermove', (event) => show(fromPointer(event)));
  canvas.addEventListener('pointerdown', (event) => show(fromPointer(event)));
  canvas.addEventListener('pointerleave', (event) => { if (event.pointerType === 'mouse') hide(); });
  canvas.addEventListener('focus', () => {
    const map = frameOf(chartId);
    if (map) show(current ?? (map.x0 + map.x1) / 2);
  });
  canvas.addEventListener('blur', hide);
  canvas.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, PageDown: -10, PageUp: 10, Home: -Infinity, End: Infinity };
    if (!(event.key in moves) || current === null) return;
    event.preventDefault();
    show(source.step(current, (event.shiftKey ? 10 : 1) * moves[event.key]));
  });
  return {
    /** The data changed under the readout (a new snapshot): show the same x anew. */
    refresh: () => { if (current !== null) show(current); },
  };
}

/**
 * A source over points on one shared x grid (interleaved `[x, y, …]` arrays): the nearest
 * grid point, and stepping from point to point.
 * @param {() => { xs: Float64Array | number[], read: (i: number) => Reading | null } | null} grid
 */
export function gridSource(grid) {
  const nearest = (xs, x) => {
    let best = 0;
    for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
    return best;
  };
  return {
    at: (x) => {
      const g = grid();
      return g && g.xs.length ? g.read(nearest(g.xs, x)) : null;
    },
    step: (x, delta) => {
      const g = grid();
      if (!g || !g.xs.length) return x;
      const i = Math.min(g.xs.length - 1, Math.max(0, nearest(g.xs, x) + delta));
      return g.xs[i];
    },
  };
}

/**
 * The page's three readouts, over what charts.js last drew.
 * @param {{ info: object, runs: Array<{label: string, curve: Float64Array, live: object, exactHistory: number[][]}> }} drawn
 * @param {{ target: string, runs: string[], floor: string }} colours
 * @returns {() => void}  call after every redraw
 */
export function attachChartReadouts(drawn, colours) {
  const curveAt = (curve, i) => curve[2 * i + 1];
  const fitGrid = () => {
    const { info, runs } = drawn;
    if (!info) return null;
    const xs = info.target.filter((_, k) => k % 2 === 0);
    return {
      xs,
      read: (i) => {
        const x = xs[i];
        const target = curveAt(info.target, i);
        const rows = [['target', target]];
        const points = [[x, target, colours.target]];
        runs.forEach((run, r) => {
          const y = curveAt(run.curve, i);
          if (!Number.isFinite(y)) return;
          rows.push([run.label, y], [`residual (${run.label})`, target - y]);
          points.push([x, y, colours.runs[r]]);
        });
        return { x, title: `x = ${formatNumber(x)}`, rows, points };
      },
    };
  };
  const residualGrid = () => {
    const grid = fitGrid();
    if (!grid) return null;
    const [slope, intercept] = drawn.info.floorLine;
    return {
      xs: grid.xs,
      read: (i) => {
        const x = grid.xs[i];
        const target = curveAt(drawn.info.target, i);
        const floor = target - (slope * x + intercept);
        const rows = [['left by the best straight line', floor]];
        const points = [[x, floor, colours.floor]];
        drawn.runs.forEach((run, r) => {
          const left = target - curveAt(run.curve, i);
          if (!Number.isFinite(left)) return;
          rows.push([`left by the ${run.label}`, left]);
          points.push([x, left, colours.runs[r]]);
        });
        return { x, title: `x = ${formatNumber(x)}`, rows, points };
      },
    };
  };
  const lossGrid = () => {
    const { runs } = drawn;
    const epochs = Math.max(0, ...runs.map((r) => r.live.rmseHistory.length));
    if (!epochs) return null;
    const xs = Array.from({ length: epochs }, (_, i) => i + 1);
    return {
      xs,
      read: (i) => {
        const epoch = xs[i];
        const rows = [];
        const points = [];
        runs.forEach((run, r) => {
          const loss = run.live.rmseHistory[epoch - 1];
          if (Number.isFinite(loss)) {
            rows.push([`${run.label}: training loss as RMSE`, loss]);
            points.push([epoch, loss, colours.runs[r]]);
          }
          const test = run.live.testHistory[epoch - 1];
          if (Number.isFinite(test)) rows.push([`${run.label}: test loss as RMSE`, test]);
          const exact = run.exactHistory.find(([e]) => e === epoch);
          if (exact) rows.push([`${run.label}: exact RMSE`, exact[1]]);
        });
        return { x: epoch, title: `epoch ${epoch}`, rows, points };
      },
    };
  };
  /** Two inputs: run r's surface (its prediction, or what is left of the target). */
  const surfaceGrid = (r, residual) => () => {
    const { info, runs } = drawn;
    const surface = info?.surface;
    const run = runs[r];
    if (!surface || !run?.surface) return null;
    const h = (surface.hi - surface.lo) / surface.n;
    return {
      ...surface,
      cell: (i, j) => {
        const k = j * surface.n + i;
        const [x1, x2] = [surface.lo + (i + 0.5) * h, surface.lo + (j + 0.5) * h];
        const rows = [['target', surface.target[k]], [run.label, run.surface.prediction[k]]];
        rows.push([`left by the ${run.label}`, run.surface.residual[k]]);
        if (residual) rows.reverse();
        return { title: `x₁ = ${formatNumber(x1)}, x₂ = ${formatNumber(x2)}`, rows };
      },
    };
  };
  const readouts = [
    attachSurfaceReadout('surface-chart', 'surface-readout', surfaceGrid(0, false)),
    attachSurfaceReadout('surface-residual-chart', 'surface-residual-readout', surfaceGrid(0, true)),
    attachSurfaceReadout('twin-surface-chart', 'twin-surface-readout', surfaceGrid(1, false)),
    attachSurfaceReadout('twin-surface-residual-chart', 'twin-surface-residual-readout', surfaceGrid(1, true)),
    attachReadout('fit-chart', 'fit-readout', gridSource(fitGrid)),
    attachReadout('residual-chart', 'residual-readout', gridSource(residualGrid)),
    attachReadout('loss-chart', 'loss-readout', gridSource(lossGrid)),
  ];
  return () => readouts.forEach((r) => r.refresh());
}

/**
 * A heatmap's readout: the cell under the pointer (or moved to with the arrow keys), its
 * (x₁, x₂) and values. `cell(i, j)` gives a reading for column i, row j of the n × n grid.
 * @param {string} chartId
 * @param {string} readoutId
 * @param {() => { lo: number, hi: number, n: number, cell: (i: number, j: number) => Reading } | null} grid
 */
export function attachSurfaceReadout(chartId, readoutId, grid) {
  const canvas = document.getElementById(chartId);
  const box = document.getElementById(readoutId);
  let current = null; // [i, j]
  const show = ([i, j]) => {
    const g = grid();
    const map = frameOf(chartId);
    if (!g || !map) return;
    current = [Math.min(g.n - 1, Math.max(0, i)), Math.min(g.n - 1, Math.max(0, j))];
    const reading = g.cell(...current);
    box.textContent = [reading.title, ...reading.rows.map(([label, v]) => `${label}: ${formatNumber(v)}`)].join('\n');
    box.dataset.values = JSON.stringify(Object.fromEntries(reading.rows));
    box.hidden = false;
    const ratio = canvas.width / canvas.clientWidth || 1;
    const h = (g.hi - g.lo) / g.n;
    const [x, y] = [g.lo + (current[0] + 0.5) * h, g.lo + (current[1] + 0.5) * h];
    box.style.left = `${Math.max(0, map.x(x) / ratio - box.offsetWidth / 2)}px`;
    box.style.top = `${Math.max(0, map.y(y) / ratio - box.offsetHeight - 14)}px`;
    setLayer(chartId, 'readout', (ctx, m, dpr) => {
      const [x0, x1, y0, y1] = [m.x(x - h / 2), m.x(x + h / 2), m.y(y - h / 2), m.y(y + h / 2)];
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 3 * dpr;
      ctx.strokeRect(x0, y1, x1 - x0, y0 - y1);
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 1.5 * dpr;
      ctx.strokeRect(x0, y1, x1 - x0, y0 - y1);
    });
  };
  const hide = () => {
    current = null;
    box.hidden = true;
    setLayer(chartId, 'readout', null);
  };
  const cellAt = (event) => {
    const g = grid();
    const map = frameOf(chartId);
    if (!g || !map) return null;
    const rect = canvas.getBoundingClientRect();
    const ratio = canvas.width / rect.width || 1;
    const [x, y] = [map.dataX((event.clientX - rect.left) * ratio), map.dataY((event.clientY - rect.top) * ratio)];
    if (x < g.lo || x > g.hi || y < g.lo || y > g.hi) return null;
    const h = (g.hi - g.lo) / g.n;
    return [Math.floor((x - g.lo) / h), Math.floor((y - g.lo) / h)];
  };
  const onPointer = (event) => {
    const cell = cellAt(event);
    if (cell) show(cell);
    else if (event.pointerType === 'mouse') hide();
  };
  canvas.addEventListener('pointermove', onPointer);
  canvas.addEventListener('pointerdown', onPointer);
  canvas.addEventListener('pointerleave', (event) => { if (event.pointerType === 'mouse') hide(); });
  canvas.addEventListener('focus', () => {
    const g = grid();
    if (g) show(current ?? [Math.floor(g.n / 2), Math.floor(g.n / 2)]);
  });
  canvas.addEventListener('blur', hide);
  canvas.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (!(event.key in moves) || !current) return;
    event.preventDefault();
    const [di, dj] = moves[event.key];
    show([current[0] + di, current[1] + dj]);
  });
  return { refresh: () => { if (current) show(current); } };
}
