// End-to-end: www/engine.js loads the relaxed-SIMD build where the browser runs relaxed SIMD
// and the SIMD128 build where it does not, in the page and in its workers, and the footer
// says which one runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, open } from './harness.mjs';

const SMALL = 'v=1&task=square&examples=500&largest=1000&norm=largest&layers=16:relu,16:relu&opt=adam&lr=0.01&batch=50&epochs=40&seed=5&twin=off';

let server;
before(async () => {
  server = await serve();
});
after(async () => {
  await server?.close();
});

/** Opens the small experiment and trains it to the end; resolves to the .wasm files fetched and the footer. */
async function trainAndWatch(browser) {
  const fetched = new Set();
  browser.context.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) fetched.add(path);
  });
  const page = await open(browser.context, `${server.url}?${SMALL}`);
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '40');
  const engine = await page.textContent('#engine');
  assert.deepEqual(page.errors, []);
  await page.close();
  return { fetched: [...fetched], engine };
}

test('Chromium runs relaxed SIMD: the page and its workers load only the relaxed-SIMD build', async () => {
  const browser = await launch();
  try {
    const { fetched, engine } = await trainAndWatch(browser);
    assert.deepEqual(fetched, ['/pkg-relaxed/squares_playground_bg.wasm']);
    assert.equal(engine, 'relaxed SIMD, fused multiply-add');
  } finally {
    await browser.close();
  }
});

test('a browser without relaxed SIMD loads only the SIMD128 build, and trains', async () => {
  const browser = await launch();
  try {
    // Simulated: engine.js is served with a probe whose opcode no browser validates.
    const source = await readFile(new URL('../../dist/www/engine.js', import.meta.url), 'utf8');
    const withoutRelaxed = source.replace('0xfd, 0x85, 0x02,', '0xfd, 0xff, 0x0f,');
    assert.notEqual(withoutRelaxed, source, 'the probe opcode is where this test expects it');
    await browser.context.route('**/www/engine.js', (route) => route.fulfill({ body: withoutRelaxed, contentType: 'text/javascript' }));
    const { fetched, engine } = await trainAndWatch(browser);
    assert.deepEqual(fetched, ['/pkg/squares_playground_bg.wasm']);
    assert.equal(engine, 'SIMD128');
  } finally {
    await browser.close();
  }
});
