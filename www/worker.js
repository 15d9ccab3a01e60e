// Hosts one wasm Trainer off the main thread (twin mode runs two of these workers).
//
// The worker owns its loop. It works in slices of a few milliseconds — training
// mini-batches, or a slice of an "exact" pass (the question's RMSE over every example,
// kinks, dead units…, made in Rust in one pass) — and between slices it reads the page's
// messages, so Pause is answered within one slice whatever the network. Training is held
// while an exact pass runs, so the pass sees one set of weights.
//
// To the page it posts:
//   ready    { info }   the run's static facts (axes, target, floor, …), once per start
//   snapshot { state, settled, live, exact, trainingMs, wasmBytes }
//            state: 'running' | 'stepping' | 'paused' | 'finished' | 'diverged' — what the
//            worker is doing after every message it has read so far; settled: no work left
//            (not training, no exact pass under way); exact: the figures of an exact pass
//            completed since the previous snapshot, or null.
//   error    { message } a run could not start (the worker stays usable)
//   crash    { message } a panic inside wasm: this worker must be replaced
//   failed   { message } the wasm module could not be loaded at all
// A snapshot is posted when the page asked for a frame, when the state changed (the
// acknowledgement of pause, resume and step), and when an exact pass completed.

import init, { Trainer, panic_on_purpose, wasm_memory_bytes } from '../pkg/squares_playground.js';

/** A slice of work between two looks at the message queue. */
const SLICE_MS = 12;
/** Exact passes while training: at least this far apart, and at most this share of the time. */
const EXACT_MIN_INTERVAL_MS = 200;
const EXACT_SHARE = 0.1;

/** Everything this worker knows, in one place. */
const run = {
  trainer: null,
  /** 'running' | 'stepping' | 'paused' | 'finished' | 'diverged' */
  state: 'paused',
  /** The page is ready for the next snapshot. */
  frameWanted: false,
  /** The page must hear about a change of state even if it asked for no frame. */
  mustReport: false,
  /** Mini-batches per step() call and multiply-adds per advance_exact() call, adapted so
   * that each call takes a few milliseconds. */
  batches: 1,
  exactWork: 100_000,
  exact: { pending: false, completed: false, startedAt: 0, cost: 0, doneAt: -Infinity },
  /** Time spent in training calls: with the step count, the pace of this run. */
  trainingMs: 0,
  tickQueued: false,
  /** The message of the last Rust panic (the wasm panic hook calls onWasmPanic). */
  panicMessage: '',
};

self.onWasmPanic = (message) => { run.panicMessage = message; };

/**
 * The next slice is queued as a message on a channel of our own, not a timer: nested
 * zero-delay timers are clamped to 4 ms, a third of a slice spent idle.
 */
const nextTick = new MessageChannel();
nextTick.port1.onmessage = () => {
  run.tickQueued = false;
  guarded(tick);
};

const loaded = init().then(() => true, (error) => {
  self.postMessage({ type: 'failed', message: String(error?.message ?? error) });
  return false;
});

self.onmessage = async ({ data }) => {
  if (await loaded) guarded(() => handle(data));
};

/**
 * Runs `work`, reporting what it throws. A wasm trap (a panic aborts into one) leaves this
 * module instance unusable, so the page is told to replace the worker: a `crash`. Anything
 * else (a rejected experiment) is an `error` the same worker survives.
 */
function guarded(work) {
  try {
    work();
  } catch (error) {
    run.state = 'paused';
    run.exact.pending = false;
    const crashed = error instanceof WebAssembly.RuntimeError;
    const message = (crashed && run.panicMessage) || String(error?.message ?? error);
    self.postMessage({ type: crashed ? 'crash' : 'error', message });
  }
}

function handle(message) {
  switch (message.type) {
    case 'start': // a new run from its seed; trains unless paused
      start(message.query, message.paused);
      break;
    case 'pause':
      if (run.state === 'running' || run.state === 'stepping') changeState('paused');
      break;
    case 'resume':
      if (run.state === 'paused') changeState('running');
      break;
    case 'step-epoch':
      if (run.state === 'paused') changeState('stepping');
      break;
    case 'frame':
      run.frameWanted = true;
      break;
    case 'panic': // only the crash-recovery test sends this
      panic_on_purpose();
      break;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
  schedule();
}

function start(query, paused) {
  run.trainer?.free();
  run.trainer = null;
  run.trainer = new Trainer(query);
  run.batches = 1;
  run.trainingMs = 0;
  run.exact.doneAt = -Infinity;
  self.postMessage({ type: 'ready', info: run.trainer.info() });
  run.state = paused ? 'paused' : 'running';
  run.frameWanted = true; // the first curve at once
  run.mustReport = true;
  report();
  beginExact();
}

/** A new state, acknowledged to the page; stopping takes an exact pass of the weights. */
function changeState(state) {
  run.state = state;
  run.mustReport = true;
  if (state !== 'running' && state !== 'stepping' && !run.exact.pending) beginExact();
}

function beginExact() {
  run.trainer.begin_exact();
  run.exact.pending = true;
  run.exact.startedAt = performance.now();
}

const training = () => run.state === 'running' || run.state === 'stepping';
const busy = () => run.trainer !== null && (run.exact.pending || training());

function schedule() {
  if (busy() && !run.tickQueued) {
    run.tickQueued = true;
    nextTick.port2.postMessage(null);
  } else if (!busy()) {
    report();
  }
}

/** One slice: the exact pass if one is under way, else training; then report. */
function tick() {
  if (!run.trainer) return;
  const start = performance.now();
  while (performance.now() - start < SLICE_MS && busy()) {
    if (run.exact.pending) advanceExact();
    else train();
  }
  report();
  schedule();
}

function advanceExact() {
  const t0 = performance.now();
  const done = run.trainer.advance_exact(run.exactWork);
  run.exactWork = adapt(run.exactWork, performance.now() - t0, 1e3, 1e12);
  if (done) {
    run.exact.pending = false;
    run.exact.completed = true;
    run.exact.doneAt = performance.now();
    run.exact.cost = run.exact.doneAt - run.exact.startedAt;
  }
}

function train() {
  const t0 = performance.now();
  const epoch = run.trainer.epoch();
  const status = run.state === 'stepping' ? run.trainer.step_in_epoch(run.batches) : run.trainer.step(run.batches);
  const took = performance.now() - t0;
  run.trainingMs += took;
  run.batches = adapt(run.batches, took, 1, 1 << 16);
  if (status !== 'running') {
    changeState(status); // 'finished' or 'diverged'
  } else if (run.state === 'stepping' && run.trainer.epoch() > epoch) {
    changeState('paused');
  } else if (exactDue()) {
    beginExact();
  }
}

/** Exact passes while training: often for small networks, rarely for costly ones. */
function exactDue() {
  const interval = Math.max(EXACT_MIN_INTERVAL_MS, run.exact.cost / EXACT_SHARE);
  return performance.now() - run.exact.doneAt > interval;
}

/** Doubles or halves a per-call amount of work so that one call takes 2–6 ms. */
function adapt(amount, tookMs, min, max) {
  if (tookMs < 2) return Math.min(amount * 2, max);
  if (tookMs > 6) return Math.max(Math.floor(amount / 2), min);
  return amount;
}

/** Posts a snapshot when the page wants a frame, must hear of a change, or an exact pass completed. */
function report() {
  if (!run.trainer || !(run.frameWanted || run.mustReport || run.exact.completed)) return;
  const live = run.trainer.live();
  const exact = run.exact.completed ? run.trainer.exact() : null;
  const snapshot = {
    type: 'snapshot',
    state: run.state,
    settled: !busy(),
    live,
    exact,
    trainingMs: run.trainingMs,
    wasmBytes: wasm_memory_bytes(),
  };
  run.frameWanted = false;
  run.mustReport = false;
  run.exact.completed = false;
  const transfer = [live.curve.buffer, live.rmseHistory.buffer];
  if (exact) transfer.push(exact.units.buffer, exact.breakpoints.buffer);
  self.postMessage(snapshot, transfer);
}
