// The guided tour: the question and its answer retold in steps, each loading its own
// experiment, quoting the live numbers, and pointing at what to look at on the chart.
// A step is a link (`tour=3`), so a teacher can send step 3.

import { formatNumber } from './view.js';

/** A number from a run, or "…" while it is not known yet. */
const n = (v) => (Number.isFinite(v) ? formatNumber(v) : '…');
const rmseOf = (run) => run?.exact?.rmse;

/**
 * @typedef {object} Step
 * @property {string} title
 * @property {string} preset   the experiment: a preset's name
 * @property {string} [extra]  link fields added to the preset's
 * @property {(runs: object[], info: object, sweep: object | null) => string} text   two or three sentences
 * @property {(runs: object[], info: object) => {x: number, y: number, label: string} | null} mark
 */

/** @type {Step[]} */
export const STEPS = [
  {
    title: 'A sum works',
    preset: 'question-sum',
    text: ([net]) => 'The question starts with a network that adds two numbers: six Dense layers, no activations. ' +
      `A sum is linear, so one straight map is exact: RMSE ${n(rmseOf(net))} after ${n(net?.live?.epoch)} epochs.`,
    mark: ([net], info) => atCurve(net, info, 0.7, 'the network lies on the target'),
  },
  {
    title: 'A square does not',
    preset: 'question-square',
    text: ([net], info) => `The same six layers on y = x²: RMSE ${n(rmseOf(net))} (the question got 75,777, one draw). ` +
      `The best straight line through this sample has RMSE ${n(info?.floorRmse)}, and no run of this network ends below it.`,
    mark: (runs, info) => atLine(info?.floorLine, info, 0.22, 'the best straight line: the floor'),
  },
  {
    title: 'Why: the layers collapse',
    preset: 'question-square',
    text: ([net]) => 'Without activations each layer computes x·W + b, and maps of that form compose into one of the ' +
      `same form. So the whole network is one unit: ${net?.live?.collapseEquation || 'y = a·x + b'} — the purple ` +
      'line. Training moves it; nothing bends it.',
    mark: ([net], info) => atLine(net?.live?.collapseLine, info, 0.55, 'six layers = this one line'),
  },
  {
    title: 'Relu bends',
    preset: 'twins',
    text: ([relu, linear], info) => `Same data, same batches: the relu network ends at RMSE ${n(rmseOf(relu))}, its linear ` +
      `twin at ${n(rmseOf(linear))} against a floor of ${n(info?.floorRmse)}. Each relu unit adds a kink (the ticks on ` +
      `the x axis): ${n(relu?.exact?.pieces)} straight pieces follow the parabola.`,
    mark: ([relu], info) => atKink(relu, info, 'kinks: where a relu unit switches on'),
  },
  {
    title: "The question's scaling slows relu down",
    preset: 'squeezed-inputs',
    text: ([net]) => "The answer's fix keeps the question's scaling, x ÷ 1,000,000: every input lands in (0, 0.001], " +
      'where a relu unit hardly switches. The same network as in step 4 sits on a plateau for over a hundred epochs: ' +
      `RMSE ${n(rmseOf(net))} after ${n(net?.live?.epoch)} epochs.`,
    mark: ([net], info) => atCurve(net, info, 0.08, 'all the data sit at x ≤ 0.001 to the network'),
  },
  {
    title: 'Dead relus',
    preset: 'dead-relus',
    text: ([net]) => `With a learning rate of 0.1, ${n(net?.exact?.deadUnits)} of ${n(net?.info?.reluUnits)} relu units ` +
      'die: they are off for every example, pass no gradient, and never come back. ' +
      `What is left draws ${n(net?.exact?.pieces)} straight pieces.`,
    mark: ([net], info) => atCurve(net, info, 0.5, 'few units left, few pieces'),
  },
  {
    title: 'Outside the data, all bets are off',
    preset: 'small-relu',
    extra: 'extent=2',
    text: ([net]) => `Over the data's range (x up to 1,000) this relu network is close: RMSE ${n(net?.exact?.rmseInside)} ` +
      'on an even grid. ' +
      `Beyond it (shaded) it has seen nothing and goes on straight: RMSE ${n(net?.exact?.rmseOutside)}. ` +
      'A network fits the data; it does not learn the rule "square it".',
    mark: (runs, info) => (info ? { x: info.xMax * 1.5, y: (info.xMax * 1.5) ** 2, label: 'no training data here' } : null),
  },
  {
    title: 'A seed is one draw',
    preset: 'squeezed-inputs',
    extra: 'seeds=20',
    text: (runs, info, sweep) => 'The network of step 5, trained once per seed, 20 seeds: ' +
      `${sweep?.seedsDone ? sweep.report.sentences().join(' ') : '…'}` +
      `${sweep && !sweep.finished ? ` (${sweep.seedsDone} of 20 so far)` : ''} ` +
      'One run is one draw — the question\'s 75,777 was one too: judge a recipe over many seeds.',
    mark: () => null,
  },
];

/** A point on a run's curve at a share of the data's x range. */
function atCurve(run, info, share, label) {
  const curve = run?.curve;
  if (!info || !curve?.length) return null;
  const want = info.xMax * share;
  let best = 0;
  for (let i = 0; i < curve.length; i += 2) if (Math.abs(curve[i] - want) < Math.abs(curve[best] - want)) best = i;
  return { x: curve[best], y: curve[best + 1], label };
}

/** A point on a line y = a·x + b at a share of the data's x range. */
function atLine(line, info, share, label) {
  if (!info || line?.length !== 2) return null;
  const x = info.xMax * share;
  return { x, y: line[0] * x + line[1], label };
}

/** The first kink inside the data, on the x axis. */
function atKink(run, info, label) {
  const kink = [...(run?.exact?.breakpoints ?? [])].find((x) => x > 0.05 * (info?.xMax ?? 0));
  return kink === undefined || !info ? null : { x: kink, y: NaN, label };
}

/**
 * Draws the step's annotation on the fit chart's overlay: a ring at the point and its label
 * in a box, joined by a line. A point with y NaN sits on the x axis.
 */
export function drawMark(mark) {
  return (ctx, map, dpr) => {
    const px = map.x(mark.x);
    const py = Number.isFinite(mark.y) ? Math.min(map.bottom, Math.max(map.top, map.y(mark.y))) : map.bottom;
    if (!(px >= map.left && px <= map.right)) return;
    ctx.font = `${Math.round(15 * dpr)}px sans-serif`;
    const width = ctx.measureText(mark.label).width + 16 * dpr;
    const height = 26 * dpr;
    const left = Math.min(Math.max(map.left + 8 * dpr, px - width / 2), map.right - width - 8 * dpr);
    const top = py - map.top > 90 * dpr ? py - 70 * dpr : py + 44 * dpr;
    ctx.strokeStyle = '#1d4ed8';
    ctx.lineWidth = 3 * dpr;
    ctx.beginPath();
    ctx.arc(px, py, 11 * dpr, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(px, py + (top < py ? -11 : 11) * dpr);
    ctx.lineTo(left + width / 2, top < py ? top + height : top);
    ctx.stroke();
    ctx.fillStyle = '#1d4ed8';
    ctx.fillRect(left, top, width, height);
    ctx.fillStyle = '#fff';
    ctx.textBaseline = 'middle';
    ctx.fillText(mark.label, left + 8 * dpr, top + height / 2);
  };
}
