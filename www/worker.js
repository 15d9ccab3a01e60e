// Hosts one wasm Trainer off the main thread (twin mode runs two of these workers). Trains
// in chunks of ~12 ms, checking for messages between chunks, and posts a compact snapshot
// only when the page asks for one (once per animation frame at most), so a slow page never
// queues up stale frames.

import { loadEngine } from './engine.js';

const CHUNK_MS = 12;
/** Points on the prediction curve; fewer for big networks, whose forward pass is costly. */
const curvePoints = (params) => (params > 50_000 ? 100 : 240);
/** Points per hidden-unit thumbnail. */
const UNIT_POINTS = 48;

let trainer = null;
let running = false;
let wanted = false;       // the page is ready for the next snapshot
let batches = 1;          // batches per step() call, adapted to CHUNK_MS
let snapshotCost = 0;     // ms the last snapshot took
let lastSnapshot = 0;
let exactCost = 0;        // ms the last exact RMSE + report took
let lastExact = 0;
/** Exact figures while training: about once a second, and first this soon after a start. */
const EXACT_EVERY_MS = 1000;
const FIRST_EXACT_MS = 200;
let info = null;

/** The message of the last Rust panic (the wasm panic hook calls onWasmPanic). */
let panicMessage = '';
self.onWasmPanic = (message) => { panicMessage = message; };

/**
 * The next training chunk is queued as a message on a channel of our own, not a timer:
 * nested zero-delay timers are clamped to 4 ms, a third of a chunk spent idle.
 */
const nextChunk = new MessageChannel();
nextChunk.port1.onmessage = () => guarded(loop);

/** The relaxed-SIMD or the SIMD128 build, the same the page runs (www/engine.js). */
const ready = loadEngine();

self.onmessage = async ({ data }) => {
  await ready;
  guarded(() => handle(data));
};

// The handler is set first, so no early message is lost; this await was queued on `ready`
// before any message's, so these names are bound before a handler uses them.
const { Trainer, panic_on_purpose, wasm_memory_bytes } = (await ready).wasm;

/**
 * Runs `work`, reporting what it throws. A wasm trap (a panic aborts into one) leaves this
 * module instance unusable, so the page is told to replace the worker: a `crash`. Anything
 * else (a rejected experiment) is an `error` the same worker survives.
 */
function guarded(work) {
  try {
    work();
  } catch (error) {
    running = false;
    const crashed = error instanceof WebAssembly.RuntimeError;
    const message = (crashed && panicMessage) || String(error?.message ?? error);
    self.postMessage({ type: crashed ? 'crash' : 'error', message });
  }
}

function handle(message) {
  switch (message.type) {
    case 'start': // a new run; starts training unless paused
      trainer?.free();
      trainer = new Trainer(message.query);
      info = describe(message.params);
      self.postMessage({ type: 'ready', ...info });
      running = !message.paused;
      batches = 1;
      wanted = true;
      // A running start shows its first curve at once and the exact figures (report, units)
      // ~0.2 s later: they would delay that first curve by tens of milliseconds.
      lastExact = performance.now() - EXACT_EVERY_MS + FIRST_EXACT_MS;
      sendSnapshot(!running);
      if (running) loop();
      break;
    case 'pause':
      running = false;
      sendSnapshot(true);
      break;
    case 'resume':
      if (trainer && !running) {
        running = true;
        loop();
      }
      break;
    case 'step-epoch':
      if (trainer && !running) {
        trainer.step_epoch();
        sendSnapshot(true);
      }
      break;
    case 'frame':
      wanted = true;
      if (!running) sendSnapshot(false);
      break;
    case 'panic': // only the crash-recovery test sends this
      panic_on_purpose();
      break;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

/** What does not change during a run. */
function describe(params) {
  const xMax = trainer.x_max();
  const xAxis = xMax * trainer.extent();
  const points = curvePoints(params);
  return {
    xMax,
    xAxis,
    yMax: trainer.y_max(),
    epochs: trainer.epochs(),
    floorRmse: trainer.floor_rmse(),
    floorLine: trainer.floor_line(),
    target: trainer.target_curve(0, xAxis, points),
    points: trainer.points(300),
    curvePoints: points,
    unitLayers: trainer.unit_layers(),
    reluUnits: trainer.relu_units(),
    effectiveDepth: trainer.effective_depth(),
    mergedLayers: trainer.merged_layers(),
  };
}

function loop() {
  if (!running || !trainer) return;
  const start = performance.now();
  let status = 'running';
  while (performance.now() - start < CHUNK_MS && status === 'running') {
    const t0 = performance.now();
    status = trainer.step(batches);
    const took = performance.now() - t0;
    // Aim each step() call at a few ms so the chunk ends close to CHUNK_MS.
    if (took < 2) batches = Math.min(batches * 2, 1 << 16);
    else if (took > 6 && batches > 1) batches = Math.max(1, batches >> 1);
  }
  if (status !== 'running') {
    running = false;
    sendSnapshot(true);
    return;
  }
  // Snapshots cost a forward pass; keep them under ~20 % of the time on big networks.
  if (wanted && performance.now() - lastSnapshot > 4 * snapshotCost) sendSnapshot(false);
  nextChunk.port2.postMessage(null);
}

/**
 * Posts the current state. When stopped (or `final`), and about once a second while
 * training, it adds the exact RMSE, the report, the collapse gap, the extrapolation error
 * and the hidden units: forward passes too costly for every frame.
 */
function sendSnapshot(final) {
  if (!trainer || (!wanted && !final)) return;
  const now = performance.now();
  const exact = final || !running || now - lastExact > Math.max(EXACT_EVERY_MS, 5 * exactCost);
  const curve = trainer.curve(0, info.xAxis, info.curvePoints);
  const rmseHistory = trainer.rmse_history();
  const snapshot = {
    type: 'snapshot',
    epoch: trainer.epoch(),
    status: trainer.step(0),
    running,
    divergedEpoch: trainer.diverged_epoch(),
    curve,
    rmseHistory,
    collapseLine: trainer.collapse_line(),
    wasmBytes: wasm_memory_bytes(),
    breakpoints: trainer.breakpoints(0, info.xAxis),
    pieces: trainer.pieces_in_data(),
  };
  const transfer = [curve.buffer, rmseHistory.buffer];
  if (exact) {
    const e0 = performance.now();
    snapshot.rmse = trainer.rmse();
    snapshot.report = trainer.report();
    snapshot.collapseGap = trainer.collapse_gap();
    snapshot.deadUnits = trainer.dead_units();
    if (info.xAxis > info.xMax) snapshot.rmseOutside = trainer.rmse_between(info.xMax, info.xAxis, 200);
    snapshot.rmseInside = trainer.rmse_between(1, info.xMax, 200);
    snapshot.units = trainer.unit_outputs(0, info.xAxis, UNIT_POINTS);
    transfer.push(snapshot.units.buffer);
    lastExact = performance.now();
    exactCost = lastExact - e0;
  }
  wanted = false;
  snapshotCost = performance.now() - now;
  lastSnapshot = performance.now();
  self.postMessage(snapshot, transfer);
}
