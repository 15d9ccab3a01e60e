// Shows training on the page: the two charts (drawn by the wasm plotters code) and the
// numbers around them. Reads snapshots; owns no training state.

import { draw_fit_chart, draw_loss_chart } from '../pkg/squares_playground.js';

const $ = (id) => document.getElementById(id);
const TARGET_LABELS = { square: 'target y = x²', sum: 'target y = x₁ + … + xₙ', product: 'target y = x₁·x₂ (on x₁ = x₂)' };

/** 74535.2 -> "74,535". */
export const formatNumber = (v) =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : String(v);

/** y = a·x + b in the user's units, signs written out. */
export function lineEquation([a, b]) {
  const sign = b < 0 ? '−' : '+';
  return `y = ${a.toPrecision(6)}·x ${sign} ${formatNumber(Math.abs(b))}`;
}

/** Canvas pixels follow the element's size and the screen's pixel ratio (sharp on HiDPI). */
function fitCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
}

const allFinite = (array) => array.every(Number.isFinite);

export class View {
  constructor() {
    this.info = null;        // from the worker's 'ready'
    this.task = 'square';
    this.lastCurve = new Float64Array(0);
    this.lastSnapshot = null;
  }

  /** A new run: static parts of the charts and the floor. */
  start(info, task, layerCount) {
    this.info = info;
    this.task = task;
    this.layerCount = layerCount;
    this.lastCurve = new Float64Array(0);
    this.lastSnapshot = null;
    $('epochs-total').textContent = String(info.epochs);
    $('epoch').textContent = '0';
    $('rmse').textContent = '–';
    $('floor').textContent = formatNumber(info.floorRmse);
    $('report').textContent = 'Training…';
    this.message('');
  }

  message(text) {
    $('message').textContent = text;
    $('message').hidden = !text;
  }

  /** Numbers and text of a snapshot; the charts are drawn by `draw()` on the next frame. */
  update(s) {
    if (!this.info) return;
    this.lastSnapshot = s;
    // A diverged network's curve is NaN or astronomic: keep showing the last finite one.
    if (allFinite(s.curve)) this.lastCurve = s.curve;
    $('epoch').textContent = String(s.epoch);
    $('progress').value = this.info.epochs ? s.epoch / this.info.epochs : 0;
    const live = s.rmse ?? s.rmseHistory[s.rmseHistory.length - 1];
    $('rmse').textContent = live === undefined ? '–' : formatNumber(live);
    $('rmse').classList.toggle('below', live < this.info.floorRmse);
    if (s.report) $('report').textContent = s.report;
    this.showCollapse(s);
    if (s.status === 'diverged') {
      this.message(`Training diverged in epoch ${s.divergedEpoch}: the loss became NaN or infinite. ` +
        'The chart keeps the last finite curve. Try a smaller learning rate.');
    }
  }

  showCollapse(s) {
    const box = $('collapse');
    if (s.collapseLine.length === 2) {
      const gap = Number.isFinite(s.collapseGap) ? ` Largest gap between the network and this line: ${s.collapseGap.toExponential(1)}.` : '';
      box.textContent = `This ${this.layerCount + 1}-layer network = one unit: ${lineEquation(s.collapseLine)}. ` +
        `No activation, so it can never beat the best straight line.${gap}`;
      box.className = 'collapse linear';
    } else {
      box.textContent = `Not a straight line: after merging consecutive linear layers, ${s.effectiveDepth} layers remain, ` +
        'and the non-linear ones let it bend.';
      box.className = 'collapse bent';
    }
    box.hidden = false;
  }

  /** Redraws both charts from the last snapshot. */
  draw() {
    if (!this.info || !this.lastSnapshot) return;
    const fit = $('fit-chart');
    const loss = $('loss-chart');
    fitCanvas(fit);
    fitCanvas(loss);
    const s = this.lastSnapshot;
    draw_fit_chart(fit, TARGET_LABELS[this.task], this.info.xMax, this.info.yMax, this.info.target,
      this.info.points, this.lastCurve, this.info.floorLine, s.collapseLine);
    draw_loss_chart(loss, s.rmseHistory, this.info.floorRmse);
  }
}
