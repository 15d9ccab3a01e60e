// The sweep on the page: its progress, its chart (one dot per seed, read out under the
// pointer or the arrow keys; a click or Enter opens that seed), and its summary in words.

import { frameOf, setFrame, setLayer } from './overlay.js';
import { formatNumber, update } from './view.js';

const $ = (id) => document.getElementById(id);
const OUTCOME_LABELS = ['bends below the floor', 'a straight line', 'curved, not below the floor', 'a constant', 'diverged'];

/** The sweep's seeds drawn so far: [{ seed, rmse, floor, outcome, twinRmse, twinOutcome }]. */
let dots = [];
let selected = -1;

function readPoints(report) {
  const flat = report.points();
  dots = [];
  for (let i = 0; i < flat.length; i += 6) {
    const [seed, rmse, floor, outcome, twinRmse, twinOutcome] = flat.subarray(i, i + 6);
    dots.push({ seed, rmse, floor, outcome, twinRmse, twinOutcome });
  }
}

const workers = (sweep) => `${sweep.workerCount} worker${sweep.workerCount === 1 ? '' : 's'}`;

/** Shows a sweep's state: title, progress, chart and words. */
export function showSweep(sweep, scale) {
  $('sweep-box').hidden = false;
  const seeds = sweep.seeds;
  update($('sweep-title'), 'textContent', `Seeds ${seeds[0]} to ${seeds[seeds.length - 1]}` +
    (sweep.twinned ? ', each with its twin' : ''));
  const status = sweep.error ? `stopped: ${sweep.error}`
    : sweep.finished ? `all ${seeds.length} seeds done in ${(sweep.elapsedMs / 1000).toFixed(1)} s on ${workers(sweep)}`
      : `${sweep.seedsDone} of ${seeds.length} seeds done${sweep.paused ? ', paused' : ''}, on ${workers(sweep)}`;
  update($('sweep-progress'), 'textContent', status);
  update($('sweep-pause'), 'textContent', sweep.paused ? 'Resume' : 'Pause');
  update($('sweep-pause'), 'disabled', sweep.finished || Boolean(sweep.error));
  update($('sweep-cancel'), 'disabled', sweep.finished || Boolean(sweep.error));
  document.body.dataset.sweep = sweep.finished ? 'done' : 'running';
  document.body.dataset.sweepDots = String(sweep.seedsDone);
  readPoints(sweep.report);
  const canvas = $('sweep-chart');
  const ratio = window.devicePixelRatio || 1;
  const [width, height] = [Math.round(canvas.clientWidth * ratio), Math.round(canvas.clientHeight * ratio)];
  if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
  setFrame('sweep-chart', sweep.report.draw(canvas, seeds.length, scale));
  const words = sweep.report.sentences();
  const list = $('sweep-words');
  if (words.join('\n') !== [...list.children].map((li) => li.textContent).join('\n')) {
    list.replaceChildren(...words.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
  }
  if (selected >= 0) select(selected);
}

export function hideSweep() {
  $('sweep-box').hidden = true;
  delete document.body.dataset.sweep;
  dots = [];
  selected = -1;
}

/** Reads out dot `i`: its seed, RMSE, floor and outcome, and marks it. */
function select(i) {
  const box = $('sweep-readout');
  const map = frameOf('sweep-chart');
  if (!map || !dots.length) return;
  selected = Math.max(0, Math.min(dots.length - 1, i));
  const d = dots[selected];
  const lines = [`seed ${d.seed}: ${OUTCOME_LABELS[d.outcome]}`, `final RMSE: ${formatNumber(d.rmse)}`,
    `floor: ${formatNumber(d.floor)} (× ${(d.rmse / d.floor).toFixed(3)})`];
  if (Number.isFinite(d.twinRmse)) lines.push(`twin: ${formatNumber(d.twinRmse)}, ${OUTCOME_LABELS[d.twinOutcome]}`);
  lines.push('click or Enter: open this seed');
  box.textContent = lines.join('\n');
  box.dataset.seed = String(d.seed);
  box.dataset.rmse = String(d.rmse);
  box.hidden = false;
  const canvas = $('sweep-chart');
  const ratio = canvas.width / canvas.clientWidth || 1;
  box.style.left = `${Math.min(canvas.clientWidth - box.offsetWidth, Math.max(0, map.x(selected) / ratio + 12))}px`;
  box.style.top = `${map.top / ratio + 8}px`;
  setLayer('sweep-chart', 'readout', (ctx, m, dpr) => {
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.arc(m.x(selected), m.y(d.rmse), 12 * dpr, 0, 2 * Math.PI);
    ctx.stroke();
  });
}

/** The page-pixel centre of dot `i` (tests click it; the pointer picks the nearest). */
export function dotCentre(i) {
  const map = frameOf('sweep-chart');
  const canvas = $('sweep-chart');
  const rect = canvas.getBoundingClientRect();
  const ratio = canvas.width / rect.width || 1;
  return [rect.left + map.x(i) / ratio, rect.top + map.y(dots[i].rmse) / ratio];
}

/**
 * Wires the chart: the pointer or the arrow keys pick a dot; a click or Enter opens its seed.
 * @param {(seed: number) => void} open
 */
export function attachSweepChart(open) {
  const canvas = $('sweep-chart');
  const nearest = (event) => {
    const map = frameOf('sweep-chart');
    if (!map || !dots.length) return -1;
    const rect = canvas.getBoundingClientRect();
    const x = map.dataX((event.clientX - rect.left) * (canvas.width / rect.width));
    return Math.max(0, Math.min(dots.length - 1, Math.round(x)));
  };
  canvas.addEventListener('pointermove', (event) => { const i = nearest(event); if (i >= 0) select(i); });
  canvas.addEventListener('click', (event) => { const i = nearest(event); if (i >= 0) open(dots[i].seed); });
  canvas.addEventListener('focus', () => select(Math.max(0, selected)));
  canvas.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      select(selected + (event.key === 'ArrowLeft' ? -1 : 1));
    } else if (event.key === 'Enter' && selected >= 0) {
      open(dots[selected].seed);
    }
  });
}
