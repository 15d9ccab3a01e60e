// One training run and the worker that hosts it. Every new run gets a fresh worker from a
// small pool of warm spares (module and wasm already loaded): a busy worker would only read
// the "start" message after its queued training chunks (Chrome lets them go first, 50+ ms),
// and a crashed one cannot be reused anyway.

import { fieldsOf, parseLayers } from './state.js';

/** Warm workers waiting for a run: enough for a network and its twin. */
const SPARES = 2;
const spares = [];

const spawn = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** A warm worker if there is one; the pool refills once the page is idle. */
function takeWorker() {
  const worker = spares.pop() ?? spawn();
  setTimeout(() => {
    while (spares.length < SPARES) spares.push(spawn());
  }, 200);
  return worker;
}

export class Run {
  constructor(label, onChange) {
    this.label = label;
    this.onChange = onChange;
    this.worker = null;
    this.info = null;
    this.snapshot = null;
    this.curve = new Float64Array(0);
    this.layers = 0;
    this.reluUnits = 0;
  }

  /** Starts `query` from its seed in a fresh worker; the previous one is dropped. */
  start(query, paused) {
    this.stop();
    const worker = takeWorker();
    // Messages already on their way from a dropped worker are ignored.
    worker.onmessage = ({ data }) => { if (this.worker === worker) this.receive(data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker === worker) this.crashed(event.message ?? 'worker error');
    };
    this.worker = worker;
    const fields = fieldsOf(query);
    this.layers = parseLayers(fields.get('layers')).length;
    this.info = null;
    this.snapshot = null;
    this.curve = new Float64Array(0);
    worker.postMessage({ type: 'start', query, paused, params: paramCount(fields) });
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
    this.snapshot = null;
    this.onChange('crash', reason);
  }

  receive(data) {
    if (data.type === 'crash') {
      this.crashed(data.message);
      return;
    }
    if (data.type === 'ready') {
      this.info = data;
      this.reluUnits = data.reluUnits;
    } else if (data.type === 'snapshot') {
      this.snapshot = data;
      // A diverged network's curve is NaN or astronomic: keep the last finite one.
      if (data.curve.every(Number.isFinite)) this.curve = data.curve;
    }
    this.onChange(data.type, data.message);
  }
}

/** Trainable parameters of a query's network (the worker draws fewer points for big ones). */
function paramCount(fields) {
  const inputs = Number(fields.get('inputs') ?? (fields.get('task') === 'product' ? 2 : 1));
  const widths = [inputs, ...parseLayers(fields.get('layers')).map((l) => l.units), 1];
  return widths.slice(1).reduce((sum, w, i) => sum + (widths[i] + 1) * w, 0);
}
