// End-to-end: the page a teacher projects and a student explores — the chart first on every
// screen, readouts that give the network's own numbers, a guided tour whose steps are links,
// a pace slow enough to watch, a replay of the run, presentation mode and the embed view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUp, canvasHash, serve, open, waitStopped, number, screenshot, audit, waitForCanvas } from './harness.mjs';

const env = setUp();

/** Waits, frame by frame, until the fit chart's pixels satisfy `ok`. */
const waitForHash = (page, ok) => waitForCanvas(page, 'fit-chart', ok);

const SMALL = 'v=1&task=square&examples=500&largest=1000&norm=largest&layers=16:relu,16:relu&opt=adam&lr=0.01&batch=50&epochs=40&seed=5';

for (const [width, height] of [[1400, 900], [1024, 768], [390, 844]]) {
  test(`at ${width}×${height} the fit chart and the headline numbers are on the first screen`, async () => {
    const page = await open(env.browser.context, env.server.url);
    await page.setViewportSize({ width, height });
    await waitStopped(page, 120_000);
    await page.evaluate(() => window.scrollTo(0, 0));
    const chart = await page.locator('#fit-chart').boundingBox();
    assert.ok(chart.y >= 0 && chart.y + chart.height <= height, `chart from ${chart.y} to ${chart.y + chart.height} of ${height}`);
    assert.ok(chart.height >= 240, `a chart to look at: ${chart.height}px`);
    if (width > 900) assert.ok(chart.width > 0.6 * width, `the chart takes most of the width: ${chart.width} of ${width}`);
    for (const id of ['epoch', 'rmse', 'floor', 'twin-rmse']) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= chart.y, `#${id} is above the chart, on screen`);
    }
    if (width < 900) {
      const form = await page.locator('aside.controls').boundingBox();
      assert.ok(form.y > chart.y + chart.height, 'on a phone the controls follow the chart');
    }
    await screenshot(page, `first-screen-${width}x${height}.png`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('the hover readout gives the network\'s own prediction at that x, and the keyboard moves it', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}&twin=off`);
  await waitStopped(page);
  const chart = await page.locator('#fit-chart').boundingBox();
  await page.mouse.move(chart.x + chart.width * 0.55, chart.y + chart.height / 2);
  await page.waitForFunction(() => !document.getElementById('fit-readout').hidden);
  const read = () => page.evaluate(() => {
    const box = document.getElementById('fit-readout');
    return { x: Number(box.dataset.x), values: JSON.parse(box.dataset.values) };
  });
  const hovered = await read();
  // The same x in the predictions the CSV export writes: the network's curve on its grid.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n').slice(1).map((r) => r.split(',').map(Number));
  const row = rows.find(([x]) => x === hovered.x);
  assert.ok(row, `x = ${hovered.x} is a point of the curve`);
  assert.ok(hovered.x > 400 && hovered.x < 700, `the readout follows the pointer: x = ${hovered.x}`);
  assert.equal(hovered.values.target, row[1]);
  assert.equal(hovered.values['network (relu)'], row[2]);
  assert.equal(hovered.values['residual (network (relu))'], row[1] - row[2]);

  await page.focus('#fit-chart');
  const start = (await read()).x;
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => Number(document.getElementById('fit-readout').dataset.x) > x, start);
  await page.keyboard.press('End');
  await page.waitForFunction(() => Number(document.getElementById('fit-readout').dataset.x) === 1000);

  // The RMSE chart reads out an epoch and its values.
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  const loss = await page.locator('#loss-chart').boundingBox();
  await page.mouse.move(loss.x + loss.width * 0.5, loss.y + loss.height / 2);
  await page.waitForFunction(() => /^epoch \d+/.test(document.getElementById('loss-readout').textContent));
  const lossValues = await page.evaluate(() => JSON.parse(document.getElementById('loss-readout').dataset.values));
  assert.ok(Number.isFinite(lossValues['network (relu): training loss as RMSE']), JSON.stringify(lossValues));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the tour walks all eight steps by keyboard, and a step\'s link reopens that step', async () => {
  const page = await open(env.browser.context, env.server.url);
  await page.click('#tour-start');
  await page.waitForFunction(() => /tour=1(&|$)/.test(window.location.search));
  const titles = [];
  for (let step = 1; step <= 8; step++) {
    await page.waitForFunction((s) => document.getElementById('tour-count').textContent === `Step ${s} of 8:`, step);
    titles.push(await page.textContent('#tour-title'));
    assert.match(page.url(), new RegExp(`tour=${step}(&|$)`));
    assert.ok((await page.textContent('#tour-text')).length > 80, 'two or three sentences');
    if (step < 8) {
      await page.locator('body').focus();
      await page.keyboard.press('ArrowRight');
    }
  }
  assert.equal(new Set(titles).size, 8, titles.join(' | '));
  assert.equal(await page.isDisabled('#tour-next'), true, 'the last step');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.getElementById('tour-count').textContent === 'Step 7 of 8:');

  // Step 7's link, sent to a student: the same step, its experiment, its numbers.
  const link = page.url();
  const fresh = await open(env.browser.context, link);
  await fresh.waitForFunction(() => document.getElementById('tour-count').textContent === 'Step 7 of 8:');
  assert.equal(await fresh.inputValue('#extent'), '2', 'the step\'s experiment: extrapolation');
  await waitStopped(fresh);
  await fresh.waitForFunction(() => /RMSE [\d,]+ on an even grid\. Beyond it .* RMSE [\d,]+\./.test(document.getElementById('tour-text').textContent));
  const text = await fresh.textContent('#tour-text');
  const [inside, outside] = text.match(/RMSE ([\d,]+)/g).map((m) => Number(m.slice(5).replace(/,/g, '')));
  assert.ok(outside > inside, `the words quote the live numbers: ${text}`);
  await screenshot(fresh, 'tour-step-7.png');
  assert.deepEqual(await audit(fresh), []);
  await fresh.click('#tour-close');
  await fresh.waitForFunction(() => !/tour=/.test(window.location.search) && document.getElementById('tour').hidden);
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await page.close();
  await fresh.close();
});

test('a slow pace trains a few epochs a second, and is in the link only when chosen', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL.replace('epochs=40', 'epochs=2000')}`);
  assert.doesNotMatch(page.url(), /pace=/);
  await page.selectOption('#pace', '3');
  await page.waitForFunction(() => /pace=3(&|$)/.test(window.location.search));
  // Paced: each epoch is its own snapshot, so the counter goes up one at a time (at full
  // speed it jumps by a hundred or more a frame). Waits, frame by frame, for three steps of
  // one in a row: a frame held up past the next epoch (a busy machine) shows two at once,
  // which only makes the wait longer.
  await page.waitForFunction(() => {
    const shown = (self.pacedEpochs ??= []);
    const epoch = Number(document.getElementById('epoch').textContent);
    if (shown[shown.length - 1] !== epoch) shown.push(epoch);
    const last = shown.slice(-4);
    return last.length === 4 && last.every((e, i) => i === 0 || e === last[i - 1] + 1);
  }, null, { polling: 'raf', timeout: 30_000 });
  await page.selectOption('#pace', '');
  await page.waitForFunction(() => !/pace=/.test(window.location.search));
  const fresh = await open(env.browser.context, page.url().replace('epochs=2000', 'epochs=2000&pace=10'));
  assert.equal(await fresh.inputValue('#pace'), '10', 'a link may carry the pace');
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await page.close();
  await fresh.close();
});

test('replay scrubs back to an early epoch of the run and forward to live', async () => {
  // 200 epochs are 201 frames, one more than a run keeps: it records every 2nd epoch from the
  // start, so wherever it is paused (here at a pace that outlasts the clicks), epoch E has
  // ⌊E/2⌋ + 1 frames behind it, and the finished run 101.
  const page = await open(env.browser.context, `${env.server.url}?${SMALL.replace('epochs=40', 'epochs=200')}&pace=20`);
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) >= 3);
  await page.click('#pause');
  await waitStopped(page);
  const paused = await number(page, 'epoch');
  assert.equal(Number(await page.getAttribute('#replay', 'max')), Math.floor(paused / 2), `frames at epoch ${paused}`);
  await page.selectOption('#pace', '');
  await page.click('#pause');
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '200');
  await waitStopped(page);
  const live = await canvasHash(page, 'fit-chart');
  await page.locator('#replay').fill('0');
  await page.waitForFunction(() => /^epoch 0 \(replay/.test(document.getElementById('replay-label').textContent));
  await waitForHash(page, (hash) => hash !== live);
  await screenshot(page, 'replay-epoch-0.png');
  const max = await page.getAttribute('#replay', 'max');
  assert.equal(max, '100', 'epochs 0, 2, …, 200');
  await page.locator('#replay').fill('1');
  await page.waitForFunction(() => /^epoch 2 \(replay/.test(document.getElementById('replay-label').textContent));
  await page.locator('#replay').fill(max);
  await page.waitForFunction(() => /^live/.test(document.getElementById('replay-label').textContent));
  await waitForHash(page, (hash) => hash === live);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('presentation mode (key P) enlarges the type and the chart\'s lines', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}`);
  await waitStopped(page);
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const before = await size();
  await page.locator('body').focus();
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.body.classList.contains('presentation'));
  assert.ok((await size()) > before * 1.15);
  assert.equal(await page.getAttribute('#presentation', 'aria-pressed'), 'true');
  await screenshot(page, 'presentation.png');
  await page.keyboard.press('p');
  await page.waitForFunction(() => !document.body.classList.contains('presentation'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the embed view works inside an iframe on another page, with its toggle and a way out', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}`);
  await page.click('#copy-embed');
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?v=1&amp;.*&amp;embed=1" /);
  await page.close();

  // A blog post on another origin (another port) embeds it.
  const dir = await mkdtemp(join(tmpdir(), 'squares-blog-'));
  await writeFile(join(dir, 'index.html'), `<!doctype html><title>A blog post</title><p>Why?</p>${snippet}`);
  const blog = await serve(dir);
  const host = await env.browser.context.newPage();
  host.errors = [];
  host.on('pageerror', (e) => host.errors.push(e.message));
  await host.goto(blog.url);
  const frame = await (await host.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.ready === 'true');
  await frame.waitForFunction(() => document.body.dataset.state === 'stopped', null, { timeout: 60_000 });
  assert.equal(await frame.isVisible('#fit-chart'), true);
  assert.equal(await frame.isVisible('aside.controls'), false, 'a compact view');
  assert.equal(await frame.isVisible('#train'), true);
  assert.match(await frame.getAttribute('#open-full', 'href'), /^http:\/\/127\.0\.0\.1:\d+\/\?v=1&.*layers=16:relu/);
  assert.doesNotMatch(await frame.getAttribute('#open-full', 'href'), /embed=1/);
  await frame.click('#embed-linear');
  await frame.waitForFunction(() => /layers=16:linear,16:linear/.test(window.location.search));
  await frame.waitForFunction(() => document.body.dataset.state === 'stopped' && /RMSE/.test(document.getElementById('report').textContent));
  const rmse = Number((await frame.textContent('#rmse')).replace(/,/g, ''));
  const floor = Number((await frame.textContent('#floor')).replace(/,/g, ''));
  assert.ok(rmse >= floor - 1, `all linear in the embed: ${rmse} vs floor ${floor}`);
  await host.screenshot({ path: new URL('../../test-artifacts/embed.png', import.meta.url).pathname });
  assert.deepEqual(host.errors, []);
  await host.close();
  await blog.close();
});

test('noise and a test set: in the link, the form and the RMSE chart, and off by default', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}&twin=off`);
  assert.doesNotMatch(page.url(), /noise=|test=/);
  await page.selectOption('#noise', '0.05');
  await page.waitForFunction(() => /noise=0\.05/.test(window.location.search));
  await page.selectOption('#test', '0.2');
  await page.waitForFunction(() => /noise=0\.05&test=0\.2/.test(window.location.search));
  await waitStopped(page);
  assert.equal(await page.isVisible('#test-rmse-box'), true);
  const test = await number(page, 'test-rmse');
  assert.ok(test > 0, `a test RMSE: ${test}`);
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  const loss = await page.locator('#loss-chart').boundingBox();
  await page.mouse.move(loss.x + loss.width * 0.6, loss.y + loss.height / 2);
  await page.waitForFunction(() => /test loss as RMSE/.test(document.getElementById('loss-readout').textContent));
  const fresh = await open(env.browser.context, page.url());
  assert.equal(await fresh.inputValue('#noise'), '0.05');
  assert.equal(await fresh.inputValue('#test'), '0.2');
  await waitStopped(fresh);
  assert.equal(await number(fresh, 'test-rmse'), test, 'the same link draws the same noise and the same split');
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await page.close();
  await fresh.close();
});
