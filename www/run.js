// One training run and the worker that hosts it. Every new run gets a fresh worker from a
// small pool of warm spares (module and wasm already loaded): a busy worker would only read
// the "start" message after its queued training slices, and a crashed one cannot be reused.
// The run keeps what its worker last said (see worker.js for the messages), and a bounded
// recording of its curve for the replay slider.

import { Recording } from './replay.js';

/** Warm workers waiting for a run: enough for a network and its twin. */
const SPARES = 2;
const spares = [];

/**
 * A new training worker (worker.js), not from the pool; with `threads` > 1 it loads the
 * threaded build and its helpers (engine.js).
 */
export const spawnWorker = (threads = 1) => new Worker(
  new URL(threads > 1 ? `./worker.js?threads=${threads}` : './worker.js', import.meta.url), { type: 'module' });
const spawn = () => spawnWorker();

/** A warm worker if there is one (the pool refills once the page is idle); a run on several
 * threads gets a new one of its own. */
function takeWorker(threads) {
  if (threads > 1) return spawnWorker(threads);
  const worker = spares.pop() ?? spawn();
  setTimeout(() => {
    while (spares.length < SPARES) spares.push(spawn());
  }, 200);
  return worker;
}

/** The worker is training (or training one epoch). */
export const isTraining = (state) => state === 'running' || state === 'stepping';

export class Run {
  /**
   * @param {string} label  legend label, e.g. "network (relu)"
   * @param {(type: string, detail?: string) => void} onChange  called after every message
   */
  constructor(label, onChange) {
    this.label = label;
    this.onChange = onChange;
    this.worker = null;
    this.recording = new Recording();
    this.reset();
  }

  reset() {
    /** Static facts of the run (from `ready`). */
    this.info = null;
    /** What the worker is doing, as of its last snapshot, and whether it has work left. */
    this.state = 'paused';
    this.settled = false;
    /** The latest live figures, and the latest exact ones (null until the first pass). */
    this.live = null;
    this.exact = null;
    /** Exact passes seen, the first RMSE (before any training), the exact RMSE by epoch. */
    this.exactCount = 0;
    this.startRmse = NaN;
    this.exactHistory = [];
    /** A two-input network over the (x₁, x₂) square: the latest { prediction, residual, kinks }. */
    this.surface = null;
    /** The last finite curve (a diverged network's is NaN or astronomic). */
    this.curve = new Float64Array(0);
    this.trainingMs = 0;
    /** How far an exact pass under way is (1: none under way). */
    this.exactProgress = 1;
    this.wasmBytes = 0;
    /** The worker's helper threads and the parts of shared steps they have run. */
    this.threadCounts = [0, 0];
    /** On several threads: the flag in the worker's memory that spares a core (parallel.js). */
    this.spareACore = null;
    this.recording?.clear();
  }

  /**
   * Starts `query` from its seed in a fresh worker; the previous one is dropped.
   * @param {number} pace  epochs per second, NaN for full speed
   * @param {number} [threads]  threads sharing each step (parallel.js)
   */
  start(query, paused, pace, threads = 1) {
    this.stop();
    const worker = takeWorker(threads);
    // Messages already on their way from a dropped worker are ignored.
    worker.onmessage = ({ data }) => { if (this.worker === worker) this.receive(data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker === worker) this.crashed(event.message ?? 'the worker could not start');
    };
    this.worker = worker;
    this.reset();
    this.state = paused ? 'paused' : 'running';
    this.threads = threads;
    worker.postMessage({ type: 'start', query, paused, pace: Number.isFinite(pace) ? pace : null });
  }

  /** Two inputs: the curve along x₂ = `x2`, or NaN for the diagonal. */
  setSlice(x2) {
    this.worker?.postMessage({ type: 'slice', x2: Number.isFinite(x2) ? x2 : null });
  }

  /** Epochs per second from now on (NaN: full speed). */
  setPace(pace) {
    this.worker?.postMessage({ type: 'pace', pace: Number.isFinite(pace) ? pace : null });
  }

  post(type) {
    this.worker?.postMessage({ type });
  }

  stop() {
    this.worker?.terminate();
    this.worker = null;
  }

  /** The worker is unusable (a panic inside wasm): drop it and tell the page. */
  crashed(reason) {
    this.stop();
    this.onChange('crash', reason);
  }

  receive(data) {
    switch (data.type) {
      case 'crash':
        this.crashed(data.message);
        return;
      case 'failed':
        this.stop();
        this.settled = true;
        break;
      case 'error':
        this.settled = true;
        this.state = 'paused';
        break;
      case 'ready':
        this.recording.clear(data.info.epochs); // the worker's stride, before its first frame
        this.info = data.info;
        this.spareACore = data.spareACore && { flag: new Int32Array(data.spareACore.buffer), index: data.spareACore.index };
        break;
      case 'view':
        this.info = data.info;
        break;
      case 'snapshot':
        this.state = data.state;
        this.settled = data.settled;
        this.live = data.live;
        this.trainingMs = data.trainingMs;
        this.exactProgress = data.exactProgress;
        this.wasmBytes = data.wasmBytes;
        this.threadCounts = data.threads;
        if (data.live.curve.every(Number.isFinite)) this.curve = data.live.curve;
        for (const frame of data.frames) this.recording.record(frame);
        if (data.surface) this.surface = data.surface;
        if (data.exact) this.takeExact(data.exact);
        break;
      default:
        break;
    }
    this.onChange(data.type, data.message);
  }

  takeExact(exact) {
    this.exact = exact;
    this.exactCount += 1;
    if (exact.steps === 0) this.startRmse = exact.rmse;
    const last = this.exactHistory[this.exactHistory.length - 1];
    if (!last || last[0] !== exact.epoch) this.exactHistory.push([exact.epoch, exact.rmse]);
    else last[1] = exact.rmse;
  }
}
