// Shared setup for the browser tests: a static server over dist/ on a free loopback port,
// and Debian's Chromium driven by playwright-core, failing on any console error.

import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const ROOT = new URL('../../dist/', import.meta.url).pathname;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json',
};
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** What scripts/serve.py sends: the page is cross-origin isolated (shared memory, every core). */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
};

/**
 * Serves a folder (dist/ by default) on 127.0.0.1, cross-origin isolated unless
 * `isolated` is false (a static host that sends no headers); resolves to { url, close }.
 */
export async function serve(root = ROOT, { isolated = true } = {}) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...(isolated ? ISOLATION : {}) });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A fresh Chromium profile; resolves to { context, close }. */
export async function launch() {
  const dir = await mkdtemp(join(tmpdir(), 'squares-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  return { context, close: () => context.close() };
}

/** Opens a page and records every console error and uncaught exception in `page.errors`. */
export async function open(context, url) {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 });
  return page;
}

/**
 * Waits until every run has settled (finished, diverged or paused, and its exact figures
 * taken): the workers said so, the page shows it.
 */
export async function waitStopped(page, timeout = 60_000) {
  await page.waitForFunction(() => document.body.dataset.state === 'stopped'
    && document.getElementById('report').textContent.startsWith('RMSE'), null, { timeout });
}

/** Exact passes of the main run the page has shown so far. */
export const exactCount = (page) => page.evaluate(() => Number(document.body.dataset.exactCount ?? 0));

/** Waits until the page has shown at least `count` exact passes of the main run. */
export async function waitExactCount(page, count, timeout = 60_000) {
  await page.waitForFunction((n) => Number(document.body.dataset.exactCount ?? 0) >= n, count, { timeout });
}

/**
 * Runs the axe-core accessibility audit on the page as it is; resolves to the serious and
 * critical violations (rule id and the first offending element). Injected through the
 * devtools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function audit(page) {
  const source = await readFile(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`);
}

export const number = async (page, id) => Number((await page.textContent(`#${id}`)).replace(/,/g, ''));

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

/**
 * For a test file: serves dist/ and launches Chromium before its tests, closes both after.
 * @returns {{ server: {url: string}, browser: {context: object} }} filled in by `before`
 */
export function setUp() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await serve();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** A fingerprint of a canvas' pixels. */
export const canvasHash = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
  return h;
}, id);

/** Waits, frame by frame (600 at most), until canvas `id`'s pixels satisfy `ok`. */
export async function waitForCanvas(page, id, ok) {
  for (let frame = 0; frame < 600; frame++) {
    if (ok(await canvasHash(page, id))) return;
    await page.evaluate(() => new Promise(requestAnimationFrame));
  }
  throw new Error(`#${id} never showed what was expected`);
}
