// Hosts one wasm Trainer off the main thread (twin mode runs two of these workers).
//
// The worker owns its loop. It works in slices of a few milliseconds — training
// mini-batches, or a slice of an "exact" pass (the question's RMSE over every example,
// kinks, dead units…, made in Rust in one pass) — and between slices it reads the page's
// messages, so Pause is answered within one slice whatever the network. Training is held
// while an exact pass runs, so the pass sees one set of weights.
//
// To the page it posts:
//   ready    { info, spareACore }   the run's static facts (axes, target, floor, …), once
//            per start; and on several threads, where the flag lies that the page raises
//            to spare a core while it draws (parallel.js), else null
//   view     { info }   the same facts after the page chose another slice (two inputs)
//   snapshot { state, settled, live, exact, frames, surface, trainingMs, exactProgress, wasmBytes }
//            state: 'running' | 'stepping' | 'paused' | 'finished' | 'diverged' — what the
//            worker is doing after every message it has read so far; settled: no work left
//            (not training, no exact pass under way); exact: the figures of an exact pass
//            completed since the previous snapshot, or null; frames: the curve at the
//            epochs the replay keeps (thinned as in replay.js), since the previous snapshot;
//            surface: a two-input network over the (x₁, x₂) square, a few times a second, or null.
//   error    { message } a run could not start (the worker stays usable)
//   crash    { message } a panic inside wasm: this worker must be replaced
//   failed   { message } the wasm module could not be loaded at all
//   result   { result }  a sweep's run has stopped: its outcome and evidence (start with sweep: true)
// A snapshot is posted when the page asked for a frame, when the state changed (the
// acknowledgement of pause, resume and step), and when an exact pass completed.
// A run on several cores: the page makes its worker with `?threads=N` in the URL, and the
// worker loads the threaded build with N − 1 helper threads (engine.js) that share every
// step; the run is bit for bit the one a single thread trains. Snapshots carry `threads`:
// [helpers serving, parts they have run], the evidence that steps really were shared.

import { loadEngine } from './engine.js';
import { Recording } from './replay.js';

/** Threads sharing this worker's steps, from its URL (run.js). */
const threads = Number(new URL(self.location.href).searchParams.get('threads')) || 1;
/** This run's threads take every core: whatever else the worker or the page does comes out of training. */
const everyCore = threads > 1 && threads >= (navigator.hardwareConcurrency || 1);

/** A slice of work between two looks at the message queue. */
const SLICE_MS = 12;
/**
 * Exact passes while training: at least this far apart, and at most this share of the time
 * (costly passes, of big networks, come less often); twice as far apart while the run's
 * threads take every core, where their time comes out of training. Measured with the
 * question's run, the old page and the new one in turns:
 * - on two cores (a pass of 8 ms), 400 ms instead of 200 apart: about 22 passes instead of
 *   44, and the time outside training calls fell from 1.17–1.78 s (median 1.32) to
 *   0.96–1.20 (median 1.03), 10 rounds;
 * - on one thread (a pass of 16 ms), 5 % of the time instead of 10: passes 320 ms apart
 *   instead of 200, and the time outside training calls fell from 2.58–3.65 s (median
 *   3.15) to 2.06–3.09 (median 2.64), 6 rounds.
 * The exact figures still change a few times a second.
 */
const EXACT_MIN_INTERVAL_MS = everyCore ? 400 : 200;
const EXACT_SHARE = 0.05;
/** A run starts with an exact pass (its RMSE before training) only when that is quick:
 * this many multiply-adds, tens of milliseconds. Bigger runs start training at once and
 * take their first exact pass when its cost can be judged from the training pace. */
const FIRST_EXACT_MAX_WORK = 3e8;
/** A two-input network's surface (n² rows through the network) at most this often while training. */
const SURFACE_EVERY_MS = 150;

/**
 * While training, the page's frames at most this often: 30 a second, or 10 while the run's
 * threads take every core. State changes and exact passes are still sent at once. Measured
 * on 2 cores with the question's network (headless Chromium, drawing in software): at the
 * page's full 55 frames a second its drawing took the worker's core often enough that 500
 * epochs took 23–24.6 s, at 30 they take 19.9–20.4 s. On two threads, whose every step
 * waits for both, the page's 30 frames a second took 8 s of CPU and left them 1.15× one
 * thread (17.1–19.6 s); at 15 a second 13.9–15.7 s, at 10 a second 12.9–13.5 s.
 */
const FRAME_EVERY_MS = everyCore ? 100 : 33;

/** Everything this worker knows, in one place. */
const run = {
  trainer: null,
  /** The run's static facts (from Trainer.info()). */
  info: null,
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
  /** Which epochs the page's replay keeps (epochs only), and the frames not yet sent. */
  recording: new Recording(),
  frames: [],
  /** A sweep's run: trained to the end at full speed, reported once, as a result. */
  sweep: false,
  /** When the last surface was sent (two inputs). */
  surfaceAt: -Infinity,
  /** When the last snapshot was posted. */
  reportedAt: -Infinity,
  /** Epochs per second to hold to (null: full speed), and when the next epoch may start. */
  pace: null,
  nextEpochAt: 0,
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

/** The threaded build's flag that spares a core (parallel.js), for the page: { buffer, index }. */
let spareACore = null;
/** The wasm exports of the build this worker runs (www/engine.js), or null if none loads. */
const loaded = loadEngine(threads).then(({ wasm, memory }) => {
  if (memory) spareACore = { buffer: memory.buffer, index: wasm.spare_a_core_index() };
  return wasm;
}, (error) => {
  self.postMessage({ type: 'failed', message: String(error?.message ?? error) });
  return null;
});

self.onmessage = async ({ data }) => {
  if (await loaded) guarded(() => handle(data));
};

// The handler is set first, so no early message is lost; this await on `loaded` is queued
// before any message's, so these names are bound before a handler runs.
const { Trainer, panic_on_purpose, wasm_memory_bytes, thread_counts } = (await loaded) ?? {};

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
      run.pace = message.pace;
      run.sweep = Boolean(message.sweep);
      start(message.query, message.paused);
      break;
    case 'pace': // epochs per second, or null for full speed
      run.pace = message.pace;
      run.nextEpochAt = 0;
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
    case 'slice': // two inputs: the curve along x₂ = message.x2, or the diagonal (null)
      run.trainer?.set_slice(message.x2 ?? NaN);
      if (run.trainer) {
        run.info = run.trainer.info();
        self.postMessage({ type: 'view', info: run.info });
        run.mustReport = true;
        run.surfaceAt = -Infinity;
      }
      break;
    case 'panic': // only the crash-recovery test sends this
      panic_on_purpose();
      break;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
  report(); // an acknowledgement or a wanted frame goes out at once, even between slices
  schedule();
}

function start(query, paused) {
  run.trainer?.free();
  run.trainer = null;
  run.trainer = new Trainer(query);
  run.info = run.trainer.info();
  run.batches = 1;
  run.trainingMs = 0;
  run.recording.clear(run.info.epochs);
  run.frames = [];
  recordFrame();
  run.exact.doneAt = -Infinity;
  run.exact.startedAt = performance.now();
  run.surfaceAt = -Infinity;
  run.reportedAt = -Infinity;
  self.postMessage({ type: 'ready', info: run.info, spareACore });
  run.state = paused ? 'paused' : 'running';
  run.frameWanted = true; // the first curve at once
  run.mustReport = true;
  run.exact.cost = 0;
  if (run.sweep) return; // no frames, no exact passes: only the result at the end
  if (paused || run.info.exactWork <= FIRST_EXACT_MAX_WORK) beginExact();
  report();
}

/** A new state, acknowledged to the page; stopping takes an exact pass of the weights. */
function changeState(state) {
  run.state = state;
  if (run.sweep) {
    if (state === 'finished' || state === 'diverged') self.postMessage({ type: 'result', result: run.trainer.result() });
    return;
  }
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
  if (!busy()) {
    report();
    return;
  }
  if (run.tickQueued) return;
  run.tickQueued = true;
  const wait = paceWait();
  if (wait > 0) {
    setTimeout(() => nextTick.port2.postMessage(null), wait);
  } else {
    nextTick.port2.postMessage(null);
  }
}

/** Milliseconds until a paced run may train its next epoch (0: now). */
function paceWait() {
  if (run.exact.pending || run.state !== 'running' || !run.pace) return 0;
  return Math.max(0, run.nextEpochAt - performance.now());
}

/** One slice: the exact pass if one is under way, else training; then report. */
function tick() {
  if (!run.trainer) return;
  const start = performance.now();
  while (performance.now() - start < SLICE_MS && busy() && paceWait() === 0) {
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
  // Epoch by epoch: a paced run waits between them, and the replay records at their ends.
  const status = run.trainer.step_in_epoch(run.batches);
  const took = performance.now() - t0;
  run.trainingMs += took;
  run.batches = adapt(run.batches, took, 1, 1 << 16);
  if (run.trainer.epoch() > epoch && !run.sweep) recordFrame();
  if (run.pace && run.trainer.epoch() > epoch) {
    run.nextEpochAt = Math.max(run.nextEpochAt, performance.now() - 1000 / run.pace) + 1000 / run.pace;
    run.frameWanted = true; // show every paced epoch
  }
  if (status !== 'running') {
    changeState(status); // 'finished' or 'diverged'
  } else if (run.state === 'stepping' && run.trainer.epoch() > epoch) {
    changeState('paused');
  } else if (exactDue()) {
    beginExact();
  }
}

/** The curve at this epoch, if the replay keeps it, queued for the next snapshot. */
function recordFrame() {
  const epoch = run.trainer.epoch();
  if (!run.recording.due(epoch)) return;
  run.recording.record({ epoch });
  run.frames.push(run.trainer.frame());
}

/**
 * Exact passes while training: often for small networks, rarely for costly ones. Before
 * the first one, its cost is estimated from the training pace so far.
 */
function exactDue() {
  if (run.sweep) return false;
  const steps = run.trainer.steps();
  if (!run.exact.cost && !steps) return false;
  const msPerWork = run.trainingMs / (steps * run.info.stepWork);
  const cost = run.exact.cost || run.info.exactWork * msPerWork;
  const since = Number.isFinite(run.exact.doneAt) ? run.exact.doneAt : run.exact.startedAt;
  return performance.now() - since > Math.max(EXACT_MIN_INTERVAL_MS, cost / EXACT_SHARE);
}

/** Doubles or halves a per-call amount of work so that one call takes 2–6 ms. */
function adapt(amount, tookMs, min, max) {
  if (tookMs < 2) return Math.min(amount * 2, max);
  if (tookMs > 6) return Math.max(Math.floor(amount / 2), min);
  return amount;
}

/** Posts a snapshot when the page wants a frame, must hear of a change, or an exact pass completed. */
function report() {
  if (!run.trainer || run.sweep || !(run.frameWanted || run.mustReport || run.exact.completed)) return;
  const now = performance.now();
  const onlyAFrame = !run.mustReport && !run.exact.completed;
  if (onlyAFrame && training() && now - run.reportedAt < FRAME_EVERY_MS) return; // a later slice sends it
  run.reportedAt = now;
  const live = run.trainer.live();
  const exact = run.exact.completed ? run.trainer.exact() : null;
  const surfaceDue = run.info.surface && (!training() || now - run.surfaceAt > SURFACE_EVERY_MS);
  const surface = surfaceDue ? run.trainer.surface() : null;
  if (surface) run.surfaceAt = now;
  const snapshot = {
    type: 'snapshot',
    state: run.state,
    settled: !busy(),
    live,
    exact,
    frames: run.frames,
    surface,
    trainingMs: run.trainingMs,
    exactProgress: run.exact.pending ? run.trainer.exact_progress() : 1,
    wasmBytes: wasm_memory_bytes(),
    threads: Array.from(thread_counts()),
  };
  run.frameWanted = false;
  run.mustReport = false;
  run.exact.completed = false;
  run.frames = [];
  const transfer = [live.curve.buffer, live.rmseHistory.buffer, ...snapshot.frames.map((f) => f.curve.buffer)];
  if (exact) transfer.push(exact.units.buffer, exact.breakpoints.buffer);
  if (surface) transfer.push(surface.prediction.buffer, surface.residual.buffer, surface.kinks.buffer);
  self.postMessage(snapshot, transfer);
}
