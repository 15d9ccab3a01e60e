// One run on several cores: W workers, each a replica of the same trainer (same data,
// weights and batch order), share every mini-batch. The batch's gradient is a sum over at
// most 8 fixed blocks of its rows, added in block order (network::gradient_blocks). Each
// step: the leader (worker 0) computes the first blocks in place while the replicas put
// theirs in shared memory; the leader adds those in block order after its own and
// publishes the sum; every worker applies it with the same optimizer step. The result does
// not depend on W: the same link gives the same run on one core or eight
// (tests/parallel.rs, tests/e2e/cores.test.mjs). Only the leader reads every block, and a
// replica reads one sum: the copies cost less than the arithmetic they share.
//
// Shared memory (one SharedArrayBuffer, so the page must be cross-origin isolated):
//   Int32  control[8]     barrier generation and count, the leader's command, an abort flag
//   Float64 sse[8]        each block's squared errors
//   Float32 slots[8 × P]  each replica block's gradient (P parameters, tensors in optimizer
//                         order); slot 0 is the leader's, where it publishes the sum
// The leader trains in slices as usual; each step it releases the replicas (barrier A),
// waits for their blocks (B) and publishes the sum (C). Replicas block on barrier A between
// steps; the page terminates them when the run is replaced.

const GENERATION = 0;
const COUNT = 1;
const COMMAND = 2;
const ABORT = 3;
const STEP = 1;
const STOP = 2;
/** network::GRADIENT_BLOCKS: the most workers a step can use. */
export const MAX_WORKERS = 8;
/** Multiply-adds per parameter below which a shared step costs more than it saves (3 × batch). */
const MIN_WORK_PER_PARAMETER = 1500;
const SSE_OFFSET = 64;
const SLOTS_OFFSET = 128;

/** Shared memory for a run of `parameters` parameters (page side). */
export function sharedMemory(parameters) {
  return new SharedArrayBuffer(SLOTS_OFFSET + MAX_WORKERS * parameters * 4);
}

/**
 * How many workers a run should use: the cores it may have (one core kept for the page,
 * which draws every frame; the rest shared between the runs on it) when the page may share
 * memory and a step has enough arithmetic per parameter copied — or the count the link
 * pins (`cores=N`), whatever the step.
 *
 * Why the thresholds (scripts/bench.sh, 2 cores, the question's 205k-parameter net, bare
 * workers): the blocks a replica hands over cost the same copies at any batch size, so at
 * batch 100 two workers train at 0.92× one, at batch 1000 at 1.18×. Sharing starts at
 * 1500 multiply-adds per parameter (batch 500). And in the page on 2 cores, a second
 * worker has no core of its own while the page draws: the question's 500 epochs went
 * 0.78× as fast, so the page's core is kept.
 * @param {{parameters: number, stepWork: number}} costs  of one training step (run_costs)
 * @param {number} runs  runs training side by side (a network and its twin: 2)
 * @param {number} pinned  workers per run from the link, 0 for automatic
 */
export function workersFor({ parameters, stepWork }, runs, pinned = 0) {
  if (!self.crossOriginIsolated) return 1;
  if (pinned > 0) return Math.min(MAX_WORKERS, pinned);
  if (stepWork < MIN_WORK_PER_PARAMETER * parameters) return 1;
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(MAX_WORKERS, Math.floor((cores - 1) / runs)));
}

/** The footer's words for the workers of each run on the page. */
export function describeWorkers(workers) {
  if (workers.some((w) => w > 1)) return `${workers.join(' + ')} cores: each step shared, the same run as on one`;
  // A page that is not cross-origin isolated cannot share memory: say so.
  return self.crossOriginIsolated ? 'one core per run'
    : 'one core per run (this page is not cross-origin isolated, see the README)';
}

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

  /** Blocks `[first, end)` of this step that worker `index` computes. */
  share(trainer, index) {
    const rows = trainer.begin_step();
    const blocks = trainer.gradient_block_count(rows);
    return [Math.floor((index * blocks) / this.workers), Math.floor(((index + 1) * blocks) / this.workers)];
  }

  /** The leader's step: release the replicas, sum every block, publish the sum, step. */
  leaderStep(trainer) {
    Atomics.store(this.control, COMMAND, STEP);
    this.barrier(); // A
    const [, own] = this.share(trainer, 0);
    trainer.own_blocks(own, this.sse);
    this.barrier(); // B: the replicas' blocks are in
    trainer.add_blocks(own, this.slots);
    this.barrier(); // C: the sum is published
    return trainer.apply_gradient(this.slots, this.sse, true);
  }

  /** A replica's life: each step as the leader commands, until it says stop. Blocks. */
  replicaLoop(trainer) {
    for (;;) {
      this.barrier(); // A
      if (Atomics.load(this.control, COMMAND) === STOP) return;
      const [first, end] = this.share(trainer, this.index);
      if (end > first) trainer.block_gradients(first, end, this.slots, this.sse);
      this.barrier(); // B
      this.barrier(); // C
      trainer.apply_gradient(this.slots, this.sse, false);
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
