// A sweep: the experiment trained once per seed, on as many workers as the machine has
// cores to spare (one is kept for the page), each seed exactly the run its own link gives.
// Workers take the next seed (and its twin) as they finish; the results go into a Rust
// SweepReport, which decides each outcome from its evidence, words the summary, writes the
// CSV and draws the chart.

import { loadEngine } from './engine.js';
import { spawnWorker } from './run.js';

// main.js's wasm instance (www/engine.js); if it failed to load, main.js says so on the page.
const { member_query, sweep_seeds, twin_query, SweepReport } = (await loadEngine().catch(() => ({ wasm: {} }))).wasm;

/** Workers for a sweep: every core but one for the page, at least one, at most one per run. */
export function sweepWorkers(runs) {
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(runs, cores - 1));
}

export class Sweep {
  /**
   * @param {string} query  the sweep's canonical query (with seeds=N)
   * @param {(sweep: Sweep) => void} onChange  after every finished run, pause and error
   * @param {number} [workers]  how many workers (the benchmark sets it; else sweepWorkers)
   */
  constructor(query, onChange, workers) {
    this.query = query;
    this.onChange = onChange;
    this.seeds = Array.from(sweep_seeds(query));
    this.report = new SweepReport(query);
    this.twinned = Boolean(twin_query(member_query(query, this.seeds[0])));
    /** Runs still to start: [seed, 'run' | 'twin', query]. */
    this.queue = this.seeds.flatMap((seed) => {
      const member = member_query(query, seed);
      return this.twinned ? [[seed, 'run', member], [seed, 'twin', twin_query(member)]] : [[seed, 'run', member]];
    });
    this.total = this.queue.length;
    /** Finished runs waiting for their twin: seed -> { run?, twin? }. */
    this.pending = new Map();
    this.done = 0;
    this.paused = false;
    this.error = '';
    this.startedAt = performance.now();
    this.elapsedMs = 0;
    this.workerCount = workers ?? sweepWorkers(this.total);
    this.workers = Array.from({ length: this.workerCount }, () => this.spawn());
    this.workers.forEach((w) => this.next(w));
  }

  spawn() {
    const worker = spawnWorker();
    worker.onmessage = ({ data }) => this.receive(worker, data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message ?? 'a sweep worker could not start');
    };
    return worker;
  }

  /** Gives `worker` the next run, if any. */
  next(worker) {
    const job = this.queue.shift();
    worker.job = job;
    if (job) worker.postMessage({ type: 'start', query: job[2], paused: this.paused, pace: null, sweep: true });
  }

  receive(worker, data) {
    if (data.type === 'result') {
      const [seed, kind] = worker.job;
      const entry = this.pending.get(seed) ?? {};
      entry[kind] = data.result;
      if (entry.run && (!this.twinned || entry.twin)) {
        this.report.add(seed, entry.run, entry.twin);
        this.pending.delete(seed);
      } else {
        this.pending.set(seed, entry);
      }
      this.done += 1;
      if (this.finished) {
        this.elapsedMs = performance.now() - this.startedAt;
        this.stop(); // every run is in: free the workers
      } else {
        this.next(worker);
      }
      this.onChange(this);
    } else if (data.type === 'error' || data.type === 'crash' || data.type === 'failed') {
      this.fail(data.message);
    }
  }

  fail(message) {
    this.error = message;
    this.stop();
    this.onChange(this);
  }

  get finished() {
    return this.done === this.total;
  }

  /** Seeds whose runs (and twins) are all in. */
  get seedsDone() {
    return this.report.count();
  }

  setPaused(paused) {
    this.paused = paused;
    for (const worker of this.workers) worker.postMessage({ type: paused ? 'pause' : 'resume' });
    this.onChange(this);
  }

  stop() {
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
    this.queue = [];
  }
}
