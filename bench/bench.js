// Runs in the browser: trains the same networks on the same kind of data with our wasm
// trainer and with TensorFlow.js (backends cpu and wasm), and measures our matmul peak.
// The results land in window.benchResults for bench/run.mjs to print.

import init, { Trainer, parse_link, matmul_benchmark } from '../pkg/squares_playground.js';

const params = new URLSearchParams(window.location.search);
const EXAMPLES = 1000;
const BATCH = 100;

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

async function ours(net) {
  const layers = net.hidden.map((u) => `${u}:${net.activation}`).join(',');
  const query = parse_link(`v=1&task=square&examples=${EXAMPLES}&largest=1000&norm=largest&layers=${layers}` +
    `&opt=adam&lr=0.001&batch=${BATCH}&epochs=${net.epochs}&seed=1&twin=off`).query;
  const trainer = new Trainer(query);
  const t0 = performance.now();
  while (trainer.step(1000) === 'running') { /* train to the end */ }
  const seconds = (performance.now() - t0) / 1000;
  trainer.free();
  return result(net, 'ours (wasm)', seconds);
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
  return result(net, `TF.js ${backend}`, seconds);
}

/** Our best sgemm rate: the best of three timings of at least 0.5 s each (a peak is a maximum). */
function matmulPeak() {
  const n = 256;
  matmul_benchmark(n, 2); // warm-up
  let best = 0;
  for (let trial = 0; trial < 3; trial++) {
    let reps = 4;
    let seconds = 0;
    while (seconds < 0.5) {
      reps *= 2;
      const t0 = performance.now();
      matmul_benchmark(n, reps);
      seconds = (performance.now() - t0) / 1000;
    }
    best = Math.max(best, (2 * n ** 3 * reps) / seconds / 1e9);
  }
  return best;
}

async function main() {
  await init();
  tf.wasm.setWasmPaths(new URL('vendor/', window.location.href).href);
  const matmulPeakGflops = matmulPeak(); // first, before any TF.js backend is loaded
  const rows = [];
  for (const net of NETS) {
    rows.push(await ours(net));
    for (const backend of ['wasm', 'cpu']) rows.push(await tfjs(net, backend));
  }
  window.benchResults = { rows, matmulPeakGflops, simd: WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11])) };
  document.getElementById('out').textContent = JSON.stringify(window.benchResults, null, 2);
}

main().catch((error) => {
  window.benchResults = { error: String(error?.stack ?? error) };
});
