// Hosts the wasm Trainer off the main thread. Trains in chunks of ~12 ms, checking for
// messages between chunks, and posts a compact snapshot only when the page asks for one
// (once per animation frame at most), so a slow page never queues up stale frames.

import init, { Trainer } from '../pkg/squares_playground.js';

const CHUNK_MS = 12;
/** Points on the prediction curve; fewer for big networks, whose forward pass is costly. */
const curvePoints = (params) => (params > 50_000 ? 100 : 240);

let trainer = null;
let running = false;
let wanted = false;       // the page is ready for the next snapshot
let batches = 1;          // batches per chunk, adapted to CHUNK_MS
let snapshotCost = 0;     // ms the last snapshot took
let lastSnapshot = 0;
let exactCost = 0;        // ms the last exact RMSE + report took
let lastExact = 0;
let info = null;

const ready = init();

self.onmessage = async ({ data }) => {
  await ready;
  try {
    handle(data);
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error?.message ?? error) });
  }
};

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
      sendSnapshot(true);
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
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

function describe(params) {
  const xMax = trainer.x_max();
  const points = curvePoints(params);
  return {
    xMax,
    yMax: trainer.y_max(),
    epochs: trainer.epochs(),
    floorRmse: trainer.floor_rmse(),
    floorLine: trainer.floor_line(),
    target: trainer.target_curve(0, xMax, points),
    points: trainer.points(600),
    curvePoints: points,
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
  setTimeout(loop, 0);
}

/**
 * Posts the current state. When stopped (or `final`), and about once a second while
 * training, it adds the exact RMSE, the report and the collapse gap: a forward pass over
 * all the data, too costly for every frame.
 */
function sendSnapshot(final) {
  if (!trainer || (!wanted && !final)) return;
  const now = performance.now();
  const exact = final || !running || now - lastExact > Math.max(1000, 5 * exactCost);
  const t0 = performance.now();
  const curve = trainer.curve(0, info.xMax, info.curvePoints);
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
    effectiveDepth: trainer.effective_depth(),
  };
  if (exact) {
    const e0 = performance.now();
    snapshot.rmse = trainer.rmse();
    snapshot.report = trainer.report();
    snapshot.collapseGap = trainer.collapse_gap();
    lastExact = performance.now();
    exactCost = lastExact - e0;
  }
  wanted = false;
  snapshotCost = performance.now() - t0;
  lastSnapshot = performance.now();
  self.postMessage(snapshot, [curve.buffer, rmseHistory.buffer]);
}
