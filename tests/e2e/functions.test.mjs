// End-to-end: multiplication seen in 2-D, and functions typed by the user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setUp, open, waitStopped, number, screenshot } from './harness.mjs';

const env = setUp();

/** Painted (non-white) pixels of a canvas, a sample of them. */
const painted = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4 * 13) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
  return n;
}, id);

test('the product is a saddle: heatmaps of both runs, and the linear twin is one plane', async () => {
  const page = await open(env.browser.context, `${env.server.url}?v=1&task=product&layers=16:relu,16:relu&epochs=60&norm=largest`);
  await waitStopped(page, 120_000);
  assert.equal(await page.isVisible('#surfaces'), true);
  for (const id of ['surface-chart', 'surface-residual-chart', 'twin-surface-chart', 'twin-surface-residual-chart']) {
    assert.ok(await painted(page, id) > 2000, `${id} is drawn`);
  }
  assert.equal(await page.textContent('#floor-name'), 'best plane');
  const words = await page.textContent('#collapse');
  assert.match(words, /The twin \(linear\): this 3-layer network = one unit: y = [\d.]+·x₁ [+-] [\d.]+·x₂ [+-] [\d.]+/);
  assert.match(words, /never beat the best plane/);
  const [relu, twin, floor] = [await number(page, 'rmse'), await number(page, 'twin-rmse'), await number(page, 'floor')];
  assert.ok(relu < floor && twin >= floor - 1, `relu ${relu}, linear twin ${twin}, best plane ${floor}`);

  // A cell of the heatmap reads out its (x1, x2), the target there and the network's value.
  const heat = await page.locator('#surface-chart').boundingBox();
  await page.mouse.move(heat.x + heat.width * 0.45, heat.y + heat.height * 0.5);
  await page.waitForFunction(() => !document.getElementById('surface-readout').hidden);
  const cell = await page.textContent('#surface-readout');
  const [, a, b] = cell.match(/x₁ = ([\d,]+), x₂ = ([\d,]+)/).map((v) => Number(v.replace(/,/g, '')));
  const values = await page.evaluate(() => JSON.parse(document.getElementById('surface-readout').dataset.values));
  assert.ok(Math.abs(values.target - a * b) <= 0.5 * (a + b), `target at (${a}, ${b}): ${values.target}`);
  assert.ok(Math.abs(values['network (relu)'] - values.target - -values['left by the network (relu)']) < 1e-6);

  // The curve along x2 held at 250 instead of the diagonal.
  await page.selectOption('#slice', 'fixed');
  await page.fill('#slice-x2', '250');
  await page.press('#slice-x2', 'Enter');
  await page.waitForFunction(() => /x₂ = 250\)/.test(document.getElementById('fit-chart').getAttribute('aria-label')));
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
  assert.equal(lines[0], '"x1","x2","target","network (relu)","twin (linear)"');
  const [x1, x2, target] = lines[5].split(',').map(Number);
  assert.equal(target, x1 * x2, 'the surface CSV holds the product at every cell');
  await screenshot(page, 'product-1400.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, { timeout: 10_000 });
  await screenshot(page, 'product-390.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('typing abs(x - 500) retrains on it and the curve follows the V', async () => {
  const page = await open(env.browser.context, `${env.server.url}?v=1&layers=32:relu,32:relu&epochs=150&lr=0.005&twin=off`);
  await waitStopped(page);
  await page.selectOption('#task', 'f');
  await page.waitForFunction(() => /task=f/.test(window.location.search));
  await page.fill('#f', 'abs(x - 500');
  assert.match(await page.textContent('#f-help'), /Not yet: at character \d+/, 'checked as it is typed');
  assert.equal(await page.getAttribute('#f', 'aria-invalid'), 'true');
  await page.fill('#f', 'abs(x - 500)');
  assert.equal(await page.getAttribute('#f', 'aria-invalid'), 'false');
  await page.press('#f', 'Enter');
  await page.waitForFunction(() => /f=abs\(x%20-%20500\)/.test(window.location.search));
  await waitStopped(page);
  const floor = await number(page, 'floor');
  const rmse = await number(page, 'rmse');
  assert.ok(rmse < 0.25 * floor, `relu bends into the V: RMSE ${rmse} vs best line ${floor}`);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n').slice(1).map((r) => r.split(',').map(Number));
  const at = (x) => rows.reduce((best, r) => (Math.abs(r[0] - x) < Math.abs(best[0] - x) ? r : best));
  for (const x of [100, 500, 900]) {
    const [, target, prediction] = at(x);
    assert.ok(Math.abs(prediction - target) < 60, `at x = ${x}: ${prediction} vs ${target}`);
  }
  await screenshot(page, 'abs.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('hostile functions in a link are named, fall back to x^2, and the page keeps working', async () => {
  const cases = [
    ['task=f&f=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E', /f: .*error at character 1/],
    [`task=f&f=${'('.repeat(40)}x${')'.repeat(40)}`, /f: .*(deep|nest)/],
    [`task=f&f=${'x%2B'.repeat(2600)}x`, /link: \d+ bytes is longer than 4096/],
    ['task=f&f=log(x-1)', /f: .*not finite at x = 1/],
  ];
  for (const [query, note] of cases) {
    const page = await open(env.browser.context, `${env.server.url}?v=1&${query}&epochs=5`);
    await page.waitForFunction(() => document.getElementById('report').textContent.startsWith('RMSE'), null, { timeout: 60_000 });
    const notes = await page.textContent('#notes');
    assert.match(notes, note, `${query.slice(0, 40)}…: ${notes}`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 1, 'nothing injected');
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});
