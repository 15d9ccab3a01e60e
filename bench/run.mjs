// Drives the browser benchmark (bench.sh builds the site first) and prints its figures:
// training throughput of our two wasm builds (SIMD128, relaxed SIMD; and a baseline build
// if given) vs TensorFlow.js (wasm and cpu backends) in the same browser, each build's matmul
// peak, retrain-to-first-curve, the longest main-thread task, the gzipped size of what the
// page loads, and a memory soak. No thresholds: figures only.

import { access, readFile, readdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { serve, launch } from '../tests/e2e/harness.mjs';

const SITE = new URL('../target/bench-site/', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
/** Which parts to run (BENCH_PARTS=throughput,cores,keras,page,size,soak), all by default. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'throughput,cores,keras,page,size,soak').split(','));

const run = promisify(execFile);

/** bench.js's name of the question's network. */
const NETS_BIG = 'question 20-100-1000-100-20-1';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** BENCH_BASELINE (a folder with another build's squares_playground.js + _bg.wasm, copied by
 * bench.sh) is timed as a third engine, named BENCH_BASELINE_NAME. */
const BASELINE = process.env.BENCH_BASELINE ? (process.env.BENCH_BASELINE_NAME ?? 'baseline') : null;

async function throughput(context, url) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    const query = new URLSearchParams({ run: i, ...(BASELINE ? { baseline: BASELINE } : {}) });
    await page.goto(`${url}bench/index.html?${query}`);
    await page.waitForFunction(() => window.benchResults, null, { timeout: 900_000 });
    const results = await page.evaluate(() => window.benchResults);
    if (results.error) throw new Error(results.error);
    runs.push(results);
    await page.close();
  }
  const { engines } = runs[0];
  // The reference for the ratios: the build the page loads here (relaxed SIMD where it runs).
  const reference = engines.includes('ours relaxed-simd') ? 'ours relaxed-simd' : 'ours simd128';
  const row = (r, net, engine) => r.rows.find((x) => x.net === net && x.engine === engine);
  console.log(`\nTraining throughput in headless Chromium (1000 examples, batch 100, Adam, MSE; median of ${RUNS} runs, ` +
    `our builds side by side, an epoch each in turn)`);
  console.log(`network                         engine                 examples/s    GFLOP/s   ${reference.slice(5)} ÷ this   spread`);
  for (const { net, engine } of runs[0].rows) {
    const eps = runs.map((r) => row(r, net, engine).examplesPerSecond);
    const m = median(eps);
    // Our builds trained side by side, an epoch each in turn: the ratio is the median over
    // every epoch of every run. TF.js ran alone: its ratio is taken per run (same page).
    const paired = row(runs[0], net, engine).epochSeconds;
    const ratio = paired
      ? median(runs.flatMap((r) => row(r, net, engine).epochSeconds.map((s, e) => s / row(r, net, reference).epochSeconds[e])))
      : median(runs.map((r) => row(r, net, reference).examplesPerSecond / row(r, net, engine).examplesPerSecond));
    const spread = Math.max(...eps.map((e) => Math.abs(e / m - 1))) * 100;
    const gflops = median(runs.map((r) => row(r, net, engine).gflops));
    console.log(`${net.padEnd(32)}${engine.padEnd(23)}${fmt(m, 0).padStart(10)}  ${fmt(gflops, 2).padStart(9)}  ` +
      `${fmt(ratio, 2).padStart(14)}×  ±${fmt(spread, 0)}%  (best ${fmt(Math.max(...eps), 0)})`);
  }
  console.log('\nwasm matmul peak (256×256 sgemm, best of 5 alternating timings per run), and the big net\'s share of it');
  for (const engine of engines) {
    const peaks = runs.map((r) => r.matmulPeakGflops[engine]);
    const share = runs.map((r) => (100 * row(r, NETS_BIG, engine).gflops) / r.matmulPeakGflops[engine]);
    console.log(`${engine.padEnd(23)}${fmt(median(peaks), 2).padStart(7)} GFLOP/s (runs: ${peaks.map((v) => fmt(v, 1)).join(', ')}); ` +
      `big net at ${fmt(median(share), 0)} % of it`);
  }
  console.log(`relaxed SIMD available: ${runs[0].relaxedSimd}`);
  if (runs[0].shared) {
    console.log(`\nOne run's steps shared by threads (the threaded build in a bare worker, nothing drawn; the question's net, ` +
      'best of 2 per run, median of runs)');
    const rate = (batch, threads) => median(runs.map((r) => r.shared.find((x) => x.batch === batch && x.threads === threads).examplesPerSecond));
    const peak = pageBuildPeak(runs);
    for (const { batch, threads, helperParts } of runs[0].shared) {
      const gflops = (rate(batch, threads) * bigNetFlops(runs)) / 1e9;
      console.log(`batch ${String(batch).padStart(4)}  ${threads} thread${threads > 1 ? 's' : ' '} ${fmt(rate(batch, threads), 0).padStart(9)} examples/s` +
        `  ${fmt(rate(batch, threads) / rate(batch, 1), 2)}× one thread  ${fmt(gflops, 1)} GFLOP/s, ` +
        `${fmt((100 * gflops) / (threads * peak), 0)} % of ${threads} × the peak  (parts run by helpers: ${helperParts})`);
    }
  }
  const wasmPeer = runs[0].rows.find((r) => r.flavour);
  if (wasmPeer) console.log(`TF.js wasm ran its ${wasmPeer.flavour} (the page is cross-origin isolated: ${runs[0].isolated})`);
  return runs;
}

/** The question as asked (the question-square preset, seed 1): 500 epochs of the big net. */
const QUESTION = 'v=1&task=square&examples=1000&largest=1000&norm=question' +
  '&layers=20:linear,100:linear,1000:linear,100:linear,20:linear&opt=adam&lr=0.001&batch=100&epochs=500&seed=1&twin=off';

/**
 * The question's 500 epochs in the page itself, as a user runs them (live curves, exact
 * passes and all), on one thread and on every core (cores=N), in turns: seconds from
 * opening the link to the final report. The reports must agree: the same run on any count.
 * With `python` (native Keras's environment), each round ends with a timing of Keras, so
 * that the ratio to it is taken round by round: this machine's speed drifts by tens of
 * percent within minutes, and a ratio of medians taken minutes apart drifts with it.
 * Returns the page's examples/s by thread count, and Keras's median examples/s or null.
 */
async function allCores(context, url, python) {
  const probe = await context.newPage();
  await probe.goto(url);
  const cores = await probe.evaluate(() => navigator.hardwareConcurrency);
  await probe.close();
  const counts = [...new Set([1, Math.min(cores, 8)])];
  const seconds = Object.fromEntries(counts.map((n) => [n, []]));
  const training = Object.fromEntries(counts.map((n) => [n, []]));
  const kerasRuns = [];
  const reports = new Set();
  for (let i = 0; i < RUNS; i++) {
    for (const n of i % 2 ? [...counts].reverse() : counts) {
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${url}?${QUESTION}&cores=${n}`);
      await page.waitForFunction(() => document.body.dataset.state === 'stopped'
        && document.getElementById('report').textContent.startsWith('RMSE'), null, { timeout: 600_000 });
      seconds[n].push((Date.now() - t0) / 1000);
      training[n].push(Number(await page.evaluate(() => document.body.dataset.trainingMs)) / 1000);
      reports.add(await page.textContent('#report'));
      if (i === 0) console.log(`  cores=${n}: the page says "${await page.textContent('#cores')}"`);
      await page.close();
    }
    if (python) kerasRuns.push(await kerasFigures(python, 1));
  }
  console.log(`\nThe question's 500 epochs in the page (open link → final report; median of ${RUNS}, in turns)`);
  for (const n of counts) {
    const m = median(seconds[n]);
    console.log(`${String(n).padStart(2)} thread${n > 1 ? 's' : ' '}  ${fmt(m, 2).padStart(7)} s  ` +
      `${fmt((500 * 1000) / m, 0).padStart(7)} examples/s  ${fmt(median(seconds[1]) / m, 2)}× one thread  ` +
      `(runs: ${seconds[n].map((v) => fmt(v, 1)).join(', ')})`);
  }
  // The worker's time in training calls, and the rest: start-up, exact passes, snapshots and
  // whatever the page's drawing took from the worker. The rest drifts less than the whole.
  console.log('of which in training calls, and the rest (medians):');
  for (const n of counts) {
    const rest = seconds[n].map((s, i) => s - training[n][i]);
    console.log(`${String(n).padStart(2)} thread${n > 1 ? 's' : ' '}  ${fmt(median(training[n]), 2).padStart(7)} s  ` +
      `${fmt(median(rest), 2).padStart(7)} s  (the rest, runs: ${rest.map((v) => fmt(v, 2)).join(', ')})`);
  }
  console.log(`final reports identical on every count: ${reports.size === 1}`);
  const rates = Object.fromEntries(counts.map((n) => [n, (500 * 1000) / median(seconds[n])]));
  if (!kerasRuns.length) return { rates, keras: null };
  const keras = showKeras({ ...kerasRuns[0], runs: kerasRuns.map((k) => k.examplesPerSecond) });
  const all = counts[counts.length - 1];
  const ratios = seconds[all].map((s, i) => (500 * 1000) / s / kerasRuns[i].examplesPerSecond);
  console.log(`the page on ${all} thread${all > 1 ? 's' : ''} ÷ native Keras, round by round: ` +
    `${ratios.map((r) => `${fmt(r, 2)}×`).join(', ')} (median ${fmt(median(ratios), 2)}×)`);
  return { rates, keras };
}

/** The python of Keras's environment, when scripts/keras-parity.sh has made it; else null. */
async function kerasPython() {
  const python = new URL('../target/keras-venv/bin/python', import.meta.url).pathname;
  try {
    await access(python);
    return python;
  } catch {
    console.log('\nnative Keras: skipped (no target/keras-venv; scripts/keras-parity.sh creates it)');
    return null;
  }
}

/** Native Keras on this machine: bench/keras_throughput.py's figures for `timings` timings in one process. */
async function kerasFigures(python, timings) {
  const script = new URL('keras_throughput.py', import.meta.url).pathname;
  const { stdout } = await run(python, [script, String(timings)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** Prints Keras's figures; returns its median examples/s. */
function showKeras(figures) {
  const rate = median(figures.runs);
  console.log(`\nnative Keras ${figures.keras} on TensorFlow ${figures.tensorflow}, ${figures.threads} CPU threads: ` +
    `the question's net ${fmt(rate, 0)} examples/s (median of ${figures.runs.length}; runs: ` +
    `${figures.runs.map((v) => fmt(v, 0)).join(', ')})`);
  return rate;
}

/** Flops (two per multiply-add) of one example's training step of the question's network, from bench.js's rows. */
function bigNetFlops(runs) {
  const row = runs[0].rows.find((x) => x.net === NETS_BIG && x.engine.startsWith('ours'));
  return (row.gflops * 1e9) / row.examplesPerSecond;
}

/**
 * One thread's matmul peak (median GFLOP/s) for the build the page trains with: relaxed SIMD
 * where it runs (the threaded build is relaxed SIMD too, so N threads' peak is N times this),
 * else SIMD128.
 */
function pageBuildPeak(runs) {
  return median(runs.map((r) => r.matmulPeakGflops['ours relaxed-simd'] ?? r.matmulPeakGflops['ours simd128']));
}

/**
 * Our ratios to each peer on the question's network, and our share of the relevant peak:
 * a one-core build's own matmul peak; for the page on N threads, N times its build's.
 */
function ratios(runs, page, kerasRate) {
  if (!runs) return;
  const big = (r, engine) => r.rows.find((x) => x.net === NETS_BIG && x.engine === engine);
  const rate = (engine) => median(runs.map((r) => big(r, engine)?.examplesPerSecond));
  const peak = (engine) => median(runs.map((r) => r.matmulPeakGflops[engine]));
  const flopsPerExample = bigNetFlops(runs);
  const ours = {
    'ours simd128 (one core)': { rate: rate('ours simd128'), peak: peak('ours simd128') },
    'ours relaxed-simd (one core)': { rate: rate('ours relaxed-simd'), peak: peak('ours relaxed-simd') },
  };
  if (page) {
    const best = Object.keys(page).map(Number).reduce((a, b) => (page[b] > page[a] ? b : a));
    ours[`ours in the page, its best (${best} thread${best > 1 ? "s" : ""})`] = { rate: page[best], peak: best * pageBuildPeak(runs) };
  }
  const peers = { 'TF.js wasm': rate('TF.js wasm'), 'TF.js cpu': rate('TF.js cpu'), ...(kerasRate ? { 'native Keras': kerasRate } : {}) };
  console.log('\nThe question\'s network, ours ÷ peer (examples/s ratios, same machine, same run), and our share of the peak');
  console.log(`${''.padEnd(40)}${Object.keys(peers).map((p) => p.padStart(14)).join('')}  of the peak`);
  for (const [name, { rate: value, peak: gflops }] of Object.entries(ours)) {
    if (!Number.isFinite(value)) continue;
    const share = (100 * value * flopsPerExample) / 1e9 / gflops;
    console.log(`${name.padEnd(40)}${Object.values(peers).map((p) => `${fmt(value / p, 2)}×`.padStart(14)).join('')}` +
      `  ${fmt(share, 0)} % of ${fmt(gflops, 1)} GFLOP/s`);
  }
}

async function pageFigures(context, url) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.waitForTimeout(1500);
  const firstCurve = [];
  for (let i = 0; i < 7; i++) {
    await page.evaluate(() => performance.clearMeasures());
    await page.click('#train');
    await page.waitForFunction(() => performance.getEntriesByName('squares:retrain-to-first-curve').length > 0);
    firstCurve.push(await page.evaluate(() => performance.getEntriesByName('squares:retrain-to-first-curve')[0].duration));
    await page.waitForTimeout(300);
  }
  // Longest main-thread task while the default twins and then the question's big net train.
  await page.evaluate(() => { window.__longTasks = []; });
  await page.waitForTimeout(5000);
  const twins = await page.evaluate(() => window.__longTasks);
  await page.selectOption('#preset', 'question-square');
  await page.evaluate(() => { window.__longTasks = []; });
  await page.waitForTimeout(8000);
  const big = await page.evaluate(() => window.__longTasks);
  await page.close();
  const longest = (tasks) => (tasks.length ? `${fmt(Math.max(...tasks), 0)} ms (${tasks.length} tasks over 50 ms)` : 'none over 50 ms');
  console.log('\nPage figures');
  console.log(`retrain click → first updated curve: median ${fmt(median(firstCurve), 1)} ms (runs: ${firstCurve.map((v) => fmt(v, 0)).join(', ')})`);
  console.log(`longest main-thread task while training: default twins ${longest(twins)}; question's big net ${longest(big)}`);
}

/** Gzipped bytes of what a page load fetches: index.html, www/ and one of the two builds. */
async function gzippedSize() {
  const measure = async (dirs) => {
    const files = [join(SITE, 'index.html')];
    for (const dir of dirs) {
      for (const name of await readdir(join(SITE, dir))) {
        if (/\.(wasm|js|css)$/.test(name)) files.push(join(SITE, dir, name));
      }
    }
    let raw = 0;
    let gz = 0;
    for (const file of files) {
      const bytes = await readFile(file);
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 9 }).length;
    }
    return `${fmt(raw / 1024, 0)} KB, gzipped ${fmt(gz / 1024, 0)} KB`;
  };
  console.log(`page size (wasm + JS + CSS + HTML): with pkg-relaxed/ ${await measure(['pkg-relaxed', 'www'])}; ` +
    `with pkg/ ${await measure(['pkg', 'www'])}`);
}

async function soak(context, url) {
  const page = await context.newPage();
  await page.goto(`${url}?v=1&task=square&examples=1000&largest=1000&norm=question&layers=20:linear,100:linear,1000:linear,100:linear,20:linear&opt=adam&lr=0.001&batch=100&epochs=10000&seed=1&twin=off`);
  await page.waitForFunction(() => document.body.dataset.wasmBytes);
  const samples = [];
  const t0 = Date.now();
  while ((Date.now() - t0) / 1000 < SOAK_SECONDS) {
    await page.waitForTimeout(Math.min(10_000, SOAK_SECONDS * 1000 / 6));
    samples.push(await page.evaluate(() => ({
      seconds: 0,
      epoch: Number(document.getElementById('epoch').textContent),
      heap: performance.memory?.usedJSHeapSize ?? NaN,
      wasm: Number(document.body.dataset.wasmBytes),
    })));
    samples[samples.length - 1].seconds = Math.round((Date.now() - t0) / 1000);
  }
  await page.close();
  console.log(`\nMemory soak: the question's big net training for ${SOAK_SECONDS} s`);
  console.log('   s   epoch   JS heap MB   worker wasm MB');
  for (const s of samples) console.log(`${String(s.seconds).padStart(4)} ${String(s.epoch).padStart(7)} ${fmt(s.heap / 2 ** 20, 1).padStart(12)} ${fmt(s.wasm / 2 ** 20, 1).padStart(16)}`);
}

const server = await serve(SITE);
const browser = await launch();
try {
  const runs = PARTS.has('throughput') ? await throughput(browser.context, server.url) : null;
  const python = PARTS.has('keras') ? await kerasPython() : null;
  const cores = PARTS.has('cores') ? await allCores(browser.context, server.url, python) : null;
  const kerasRate = cores ? cores.keras : python && showKeras(await kerasFigures(python, RUNS));
  ratios(runs, cores?.rates, kerasRate);
  if (PARTS.has('page')) await pageFigures(browser.context, server.url);
  if (PARTS.has('size')) await gzippedSize();
  if (PARTS.has('soak') && SOAK_SECONDS > 0) await soak(browser.context, server.url);
} finally {
  await browser.close();
  await server.close();
}
