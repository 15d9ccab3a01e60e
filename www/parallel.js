// One run on several cores: how many threads share each of its steps. The threaded build
// (engine.js, helper.js) splits every big matrix product of a step into blocks of its
// output and every optimizer update into ranges, one per thread (src/parallel.rs). Each
// element is computed as one thread alone computes it, so the run does not depend on the
// thread count: the same link gives the same run on one core or eight (tests/parallel.rs,
// tests/e2e/cores.test.mjs). It needs shared memory, so a cross-origin isolated page.

import { threadsAvailable } from './engine.js';
import { isTraining } from './run.js';

/** src/parallel.rs MAX_THREADS, and the link's `cores` bound. */
export const MAX_THREADS = 8;
/**
 * Multiply-adds per step below which a run keeps one thread: its products are small
 * (src/parallel.rs shares those of 100,000 multiply-adds or more, in parts of a few µs,
 * each with its cost of handing over), and a threaded worker costs a start-up of its own.
 * The small 64-wide network's step has 1.3 million, the question's 62 million (1.76× one
 * thread in a bare worker on 2 cores).
 */
const MIN_STEP_WORK = 10e6;

/**
 * How many threads a run should use: the count the link pins (`cores=N`), else the
 * machine's cores shared between the runs on the page when a step has enough arithmetic.
 * @param {number} stepWork  multiply-adds of one training step (run_costs)
 * @param {number} runs  runs training side by side (a network and its twin: 2)
 * @param {number} pinned  threads per run from the link, 0 for automatic
 */
export function threadsFor(stepWork, runs, pinned = 0) {
  if (!threadsAvailable()) return 1;
  if (pinned > 0) return Math.min(MAX_THREADS, pinned);
  if (stepWork < MIN_STEP_WORK) return 1;
  const cores = navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(cores / runs)));
}

/** The flags raised for the frame being drawn. */
let spared = [];

/**
 * While the page draws a frame, runs whose threads take every core spare one of them
 * (src/parallel.rs SPARE_A_CORE): the drawing would otherwise preempt a thread in the
 * middle of its part of a step, and the others would wait for it. Call when a frame is
 * requested; `giveBackCores` once it is drawn (or the page is hidden and draws nothing).
 * @param {Array<{spareACore: {flag: Int32Array, index: number}|null, state: string, threads: number}>} runs
 */
export function spareACoreWhileDrawing(runs) {
  if (spared.length || document.visibilityState !== 'visible') return;
  const training = runs.filter((run) => isTraining(run.state));
  const threads = training.reduce((sum, run) => sum + run.threads, 0);
  if (threads < (navigator.hardwareConcurrency || 1)) return;
  spared = training.filter((run) => run.spareACore).map((run) => run.spareACore);
  for (const { flag, index } of spared) Atomics.store(flag, index, 1);
}

/** The frame is drawn: the runs have every core again. */
export function giveBackCores() {
  for (const { flag, index } of spared) Atomics.store(flag, index, 0);
  spared = [];
}

/** The footer's words for the threads of each run on the page. */
export function describeThreads(threads) {
  if (threads.some((t) => t > 1)) return `${threads.join(' + ')} cores: each step shared, the same run as on one`;
  if (threadsAvailable()) return 'one core per run';
  // Say why a page cannot share: no isolation (see the README), or no relaxed SIMD.
  return self.crossOriginIsolated ? 'one core per run (this browser lacks relaxed SIMD, which the threaded build uses)'
    : 'one core per run (this page is not cross-origin isolated, see the README)';
}
