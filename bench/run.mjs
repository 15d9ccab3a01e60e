// Drives the browser benchmark (bench.sh builds the site first) and prints its figures:
// training throughput of our wasm vs TensorFlow.js (wasm and cpu backends) in the same
// browser, our matmul peak, retrain-to-first-curve, the longest main-thread task, the
// gzipped size of what the page loads, and a memory soak. No thresholds: figures only.

import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { serve, launch } from '../tests/e2e/harness.mjs';

const SITE = new URL('../target/bench-site/', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
/** Which parts to run (BENCH_PARTS=throughput,page,size,soak), all by default. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'throughput,page,size,soak').split(','));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

async function throughput(context, url) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    await page.goto(`${url}bench/index.html`);
    await page.waitForFunction(() => window.benchResults, null, { timeout: 900_000 });
    const results = await page.evaluate(() => window.benchResults);
    if (results.error) throw new Error(results.error);
    runs.push(results);
    await page.close();
  }
  console.log(`\nTraining throughput in headless Chromium (1000 examples, batch 100, Adam, MSE; median of ${RUNS} runs)`);
  console.log('network                         engine          examples/s    GFLOP/s   ours ÷ this   spread');
  for (let row = 0; row < runs[0].rows.length; row++) {
    const samples = runs.map((r) => r.rows[row]);
    const eps = samples.map((s) => s.examplesPerSecond);
    const m = median(eps);
    const oursRow = runs[0].rows.findIndex((r) => r.net === samples[0].net && r.engine.startsWith('ours'));
    const ours = median(runs.map((r) => r.rows[oursRow].examplesPerSecond));
    const spread = Math.max(...eps.map((e) => Math.abs(e / m - 1))) * 100;
    console.log(`${samples[0].net.padEnd(32)}${samples[0].engine.padEnd(16)}${fmt(m, 0).padStart(10)}  ${fmt(median(samples.map((s) => s.gflops)), 2).padStart(9)}  ${fmt(ours / m, 2).padStart(11)}×  ±${fmt(spread, 0)}%`);
  }
  // The share of the peak is taken within each run (same page, same moment), then the median.
  const bigGflops = (r) => r.rows.find((x) => x.engine.startsWith('ours') && x.net.startsWith('question')).gflops;
  const peak = median(runs.map((r) => r.matmulPeakGflops));
  const share = runs.map((r) => (100 * bigGflops(r)) / r.matmulPeakGflops);
  console.log(`our wasm matmul peak (256×256 sgemm, best of 3): ${fmt(peak, 2)} GFLOP/s; the big net reaches ${fmt(median(share), 0)} % of it ` +
    `(runs: ${share.map((v) => fmt(v, 0)).join(', ')} %); SIMD available: ${runs[0].simd}`);
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

async function gzippedSize() {
  const files = [];
  for (const dir of ['pkg', 'www']) {
    for (const name of await readdir(join(SITE, dir))) {
      if (/\.(wasm|js|css)$/.test(name)) files.push(join(SITE, dir, name));
    }
  }
  files.push(join(SITE, 'index.html'));
  let raw = 0;
  let gz = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  console.log(`page size: ${fmt(raw / 1024, 0)} KB, gzipped ${fmt(gz / 1024, 0)} KB (wasm + JS + CSS + HTML)`);
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
  if (PARTS.has('throughput')) await throughput(browser.context, server.url);
  if (PARTS.has('page')) await pageFigures(browser.context, server.url);
  if (PARTS.has('size')) await gzippedSize();
  if (PARTS.has('soak') && SOAK_SECONDS > 0) await soak(browser.context, server.url);
} finally {
  await browser.close();
  await server.close();
}
