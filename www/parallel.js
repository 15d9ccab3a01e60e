// One run on several cores: W workers, each a replica of the same trainer (same data,
// weights and batch order), share every mini-batch. The batch's gradient is a sum over at
// most 8 fixed blocks of its rows (network::gradient_blocks); each replica computes some
// blocks into shared memory, and after a barrier every replica adds all of them in block
// order and takes the same optimizer step. The result does not depend on W: the same
// link gives the same run on one core or eight (tests/parallel.rs).
//
// Shared memory (one SharedArrayBuffer, so the page must be cross-origin isolated):
//   Int32  control[8]     barrier generation and count, the leader's command, an abort flag
//   Float64 sse[8]        each block's squared errors
//   Float32 slots[8 × P]  each block's gradient (P parameters, tensors in optimizer order)
// Worker 0 leads: it trains in slices as usual, and each step it releases the replicas
// (barrier A) and waits for every block (barrier B). Replicas block on barrier A between
// steps; the page terminates them when the run is replaced.

const GENERATION = 0;
const COUNT = 1;
const COMMAND = 2;
const ABORT = 3;
const STEP = 1;
const STOP = 2;
/** network::GRADIENT_BLOCKS: the most workers a step can use. */
export const MAX_WORKERS = 8;
/** A step smaller than this (multiply-adds) is not worth sharing: the barriers would cost more. */
export const MIN_STEP_WORK = 2e6;
const SSE_OFFSET = 64;
const SLOTS_OFFSET = 128;

/** Shared memory for a run of `parameters` parameters (page side). */
export function sharedMemory(parameters) {
  return new SharedArrayBuffer(SLOTS_OFFSET + MAX_WORKERS * parameters * 4);
}

/**
 * How many workers a run should use: every core it may have (the cores shared between the
 * runs on the page), when the page may share memory at all and a step is big enough — or
 * the count the link pins (`cores=N`), whatever the step's size.
 * @param {number} stepWork  multiply-adds of one training step
 * @param {number} runs  runs training side by side (a network and its twin: 2)
 * @param {number} pinned  workers per run from the link, 0 for automatic
 */
export function workersFor(stepWork, runs, pinned = 0) {
  if (!self.crossOriginIsolated) return 1;
  if (pinned > 0) return Math.min(MAX_WORKERS, pinned);
  if (stepWork < MIN_STEP_WORK) return 1;
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(MAX_WORKERS, Math.floor(cores / runs)));
}

/** A page that is not cross-origin isolated cannot share memory: say so. */
export const isolationNote = () => (self.crossOriginIsolated ? ''
  : ' (one core per run: this page is not cross-origin isolated, see the README)');

/** The shared memory as seen by worker `index` of `workers`. */
export class Replicas {
  constructor(buffer, index, workers) {
    this.control = new Int32Array(buffer, 0, 8);
    this.sse = new Float64Array(buffer, SSE_OFFSET, MAX_WORKERS);
    this.slots = new Float32Array(buffer, SLOTS_OFFSET);
    this.index = index;
    this.workers = workers;
  }

  /** Waits until every worker has arrived (a generation barrier); throws if one aborted. */
  barrier() {
    const { control, workers } = this;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, COUNT, 1) === workers - 1) {
      Atomics.store(control, COUNT, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return;
    }
    while (Atomics.load(control, GENERATION) === generation) {
      if (Atomics.load(control, ABORT)) throw new Error('a replica of this run stopped');
      Atomics.wait(control, GENERATION, generation, 1000);
    }
  }

  /** This worker's share of the current step: gather the batch, compute its blocks. */
  share(trainer) {
    const rows = trainer.begin_step();
    const blocks = trainer.gradient_block_count(rows);
    const first = Math.floor((this.index * blocks) / this.workers);
    const end = Math.floor(((this.index + 1) * blocks) / this.workers);
    if (rows > 0 && end > first) trainer.block_gradients(first, end, this.slots, this.sse);
    return rows;
  }

  /** The leader's step: release the replicas, do its share, wait for all, step. */
  leaderStep(trainer) {
    Atomics.store(this.control, COMMAND, STEP);
    this.barrier();
    this.share(trainer);
    this.barrier();
    return trainer.finish_step(this.slots, this.sse);
  }

  /** A replica's life: each step as the leader commands, until it says stop. Blocks. */
  replicaLoop(trainer) {
    for (;;) {
      this.barrier();
      if (Atomics.load(this.control, COMMAND) === STOP) return;
      this.share(trainer);
      this.barrier();
      trainer.finish_step(this.slots, this.sse);
    }
  }

  /** Releases the replicas for good (the run is over). */
  stop() {
    Atomics.store(this.control, COMMAND, STOP);
    this.barrier();
  }

  /** Page side: a replica died; the others must not wait for it. */
  static abort(buffer) {
    const control = new Int32Array(buffer, 0, 8);
    Atomics.store(control, ABORT, 1);
    Atomics.notify(control, GENERATION);
  }
}
