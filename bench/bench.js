// Runs in the browser: trains the same networks on the same kind of data with our wasm
// trainer — both builds, SIMD128 and relaxed SIMD, and a baseline build when bench.sh was
// given one — and with TensorFlow.js (backends cpu and wasm), and measures each build's
// matmul peak, and one run's steps shared by several threads. The results land in window.benchResults for bench/run.mjs to print.

import { loadEngine } from '../www/engine.js';

const params = new URLSearchParams(window.location.search);
const EXAMPLES = 1000;
const BATCH = 100;

/** The same probe as www/engine.js: validates only where relaxed SIMD runs. */
const RELAXED_SIMD = WebAssembly.validate(new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]));

/** Our builds. Their order rotates with the run number (`?run=`) and within a run, by epoch. */
const ENGINES = [
  { name: 'ours simd128', glue: '../pkg/squares_playground.js' },
  ...(RELAXED_SIMD ? [{ name: 'ours relaxed-simd', glue: '../pkg-relaxed/squares_playground.js' }] : []),
  ...(params.has('baseline') ? [{ name: params.get('baseline'), glue: './baseline/squares_playground.js' }] : []),
];
const rotation = Number(params.get('run') ?? 0) % ENGINES.length;
const ORDER = [...ENGINES.slice(rotation), ...ENGINES.slice(0, rotation)];

/** The two networks of the issue: hidden layers, activation, epochs to time. */
const NETS = [
  { name: 'question 20-100-1000-100-20-1', hidden: [20, 100, 1000, 100, 20], activation: 'linear', epochs: Number(params.get('big') ?? 8) },
  { name: 'small 1-64-64-1 relu', hidden: [64, 64], activation: 'relu', epochs: Number(params.get('small') ?? 60) },
];

/** Matrix-product flops of one example's forward + backward pass (as benches/throughput.rs). */
function flopsPerExample(hidden) {
  const widths = [1, ...hidden, 1];
  const products = widths.slice(1).map((w, i) => widths[i] * w);
  const forward = 2 * products.reduce((a, b) => a + b, 0);
  return forward + forward + (forward - 2 * products[0]);
}

function result(net, engine, seconds) {
  const examples = EXAMPLES * net.epochs;
  return { net: net.name, engine, seconds, examplesPerSecond: examples / seconds, gflops: (examples * flopsPerExample(net.hidden)) / seconds / 1e9 };
}

/**
 * Trains the network with every build at once, an epoch each in turn (the order rotating),
 * so a burst of load from elsewhere on the machine hits all builds alike. Each row keeps its
 * per-epoch seconds: run.mjs compares builds epoch by epoch.
 */
function ours(net) {
  const layers = net.hidden.map((u) => `${u}:${net.activation}`).join(',');
  const link = `v=1&task=square&examples=${EXAMPLES}&largest=1000&norm=largest&layers=${layers}` +
    `&opt=adam&lr=0.001&batch=${BATCH}&epochs=${net.epochs}&seed=1&twin=off`;
  const trainers = ORDER.map(({ wasm }) => new wasm.Trainer(wasm.parse_link(link).query));
  const epochSeconds = ORDER.map(() => []);
  for (let epoch = 0; epoch < net.epochs; epoch++) {
    for (let turn = 0; turn < ORDER.length; turn++) {
      const i = (epoch + turn) % ORDER.length;
      const t0 = performance.now();
      trainers[i].step(EXAMPLES / BATCH); // one epoch's mini-batches
      epochSeconds[i].push((performance.now() - t0) / 1000);
    }
  }
  trainers.forEach((trainer) => trainer.free());
  return ORDER.map((engine, i) => ({
    ...result(net, engine.name, epochSeconds[i].reduce((a, b) => a + b, 0)),
    epochSeconds: epochSeconds[i],
  }));
}

async function tfjs(net, backend) {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.tidy(() => tf.randomUniform([EXAMPLES, 1], 0.001, 1));
  const y = tf.tidy(() => x.square());
  const model = tf.sequential();
  net.hidden.forEach((units, i) => model.add(tf.layers.dense({ units, activation: net.activation, ...(i === 0 ? { inputShape: [1] } : {}) })));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 }); // warm-up (kernels, compilation)
  const t0 = performance.now();
  await model.fit(x, y, { epochs: net.epochs, batchSize: BATCH, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  x.dispose();
  y.dispose();
  return { ...result(net, `TF.js ${backend}`, seconds), flavour: backend === 'wasm' ? wasmFlavour() : '' };
}

/** Which TF.js wasm binary runs (threaded SIMD where the page is cross-origin isolated), on how many threads. */
function wasmFlavour() {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no-SIMD';
  if (!tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')) return `${simd} binary, on one thread`;
  const count = tf.wasm.getThreadsCount();
  return `${simd} threaded binary, on ${count} thread${count === 1 ? '' : 's'}`;
}

/**
 * One run's steps shared by threads (the threaded build with its helpers, in a worker of its
 * own, nothing drawn), for 1 thread (the page's single-core build) and every core, on the
 * question's batch of 100. Null where the page cannot share memory.
 */
async function sharedSteps(net) {
  if (!self.crossOriginIsolated) return null;
  const cores = Math.min(8, navigator.hardwareConcurrency || 1);
  const layers = net.hidden.map((u) => `${u}:${net.activation}`).join(',');
  const query = `v=1&task=square&examples=${EXAMPLES}&largest=1000&norm=largest&layers=${layers}` +
    `&opt=adam&lr=0.001&batch=${BATCH}&epochs=${net.epochs + 5}&seed=1&twin=off`;
  const time = (threads) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`threads-worker.js?threads=${threads}`, import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data.error) reject(new Error(data.error));
      else resolve({ rate: (data.steps * BATCH) / data.seconds, helperParts: data.threads[1] });
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ query, epochs: net.epochs });
  });
  const runs = { 1: [], [cores]: [] };
  for (let turn = 0; turn < 2; turn++) {
    for (const t of turn % 2 ? [cores, 1] : [1, cores]) runs[t].push(await time(t));
  }
  return Object.entries(runs).map(([threads, r]) => ({
    batch: BATCH, threads: Number(threads), examplesPerSecond: Math.max(...r.map((x) => x.rate)), helperParts: r[0].helperParts,
  }));
}

/**
 * Each build's best sgemm rate (a peak is a maximum): 256 × 256 products, timed in turns of
 * at least 0.2 s, five turns each, the builds alternating.
 */
function matmulPeaks() {
  const n = 256;
  const flops = 2 * n ** 3;
  const time = (wasm, reps) => {
    const t0 = performance.now();
    wasm.matmul_benchmark(n, reps);
    return (performance.now() - t0) / 1000;
  };
  const reps = ORDER.map(({ wasm }) => {
    let r = 2;
    while (time(wasm, r) < 0.2) r *= 2;
    return r;
  });
  const best = ORDER.map(() => 0);
  for (let turn = 0; turn < 5; turn++) {
    ORDER.forEach(({ wasm }, i) => { best[i] = Math.max(best[i], (flops * reps[i]) / time(wasm, reps[i]) / 1e9); });
  }
  return Object.fromEntries(ORDER.map((engine, i) => [engine.name, best[i]]));
}

async function main() {
  for (const engine of ORDER) {
    engine.wasm = await import(engine.glue);
    await engine.wasm.default();
  }
  tf.wasm.setWasmPaths(new URL('vendor/', window.location.href).href);
  // The peer as it runs at its best. On a cross-origin isolated page TF.js loads its threaded
  // SIMD binary, which runs navigator.hardwareConcurrency / 2 threads (at most 8): its
  // backend.cc assumes two hardware threads per core, and `setThreadsCount` can only ask for
  // fewer. So on 2 cores it computes on one. Forced onto both (the page reporting twice its
  // cores while the backend started), it was no faster on the question's network (2,230
  // against 2,261 examples/s) and slower on the small one (30,513 against 50,459): its
  // threads help neither network, so its own choice stands. run.mjs prints the count.
  // First, before any TF.js backend is loaded.
  const matmulPeakGflops = matmulPeaks();
  const rows = [];
  for (const net of NETS) {
    rows.push(...ours(net));
    for (const backend of ['wasm', 'cpu']) rows.push(await tfjs(net, backend));
  }
  const shared = await sharedSteps(NETS[0]);
  window.benchResults = { shared, isolated: self.crossOriginIsolated, engines: ENGINES.map((e) => e.name), rows, matmulPeakGflops, relaxedSimd: RELAXED_SIMD };
  document.getElementById('out').textContent = JSON.stringify(window.benchResults, null, 2);
}

main().catch((error) => {
  window.benchResults = { error: String(error?.stack ?? error) };
});
