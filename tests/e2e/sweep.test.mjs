// End-to-end: a sweep over seeds — dots appear as runs finish, the words count the
// outcomes, and a dot opens that seed's own run with the same final RMSE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setUp, open, waitStopped, screenshot, audit } from './harness.mjs';
import { formatNumber } from '../../www/view.js';

const env = setUp();

const SWEEP = 'v=1&task=square&examples=500&largest=1000&norm=largest&layers=16:relu,16:relu&opt=adam&lr=0.01&batch=50&epochs=40&seed=5&seeds=6&twin=off';

test('a 6-seed sweep finishes with 6 dots and its words, and a dot opens that seed\'s own run', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SWEEP}`);
  await page.waitForFunction(() => document.body.dataset.sweep === 'done', null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.sweepDots), '6');
  assert.match(await page.textContent('#sweep-title'), /^Seeds 5 to 10$/);
  const words = await page.textContent('#sweep-words');
  assert.match(words, /(All 6 seeds|\d of 6 seeds) (bend|end|curve|collapsed)/);
  assert.match(words, /Final RMSE [\d,]+ to [\d,]+ \(median [\d,]+\)/);
  assert.deepEqual(await audit(page), []);
  await screenshot(page, 'sweep.png');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#sweep-csv')]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
  assert.equal(rows[0], 'seed,final_rmse,floor_rmse,outcome,epochs');
  assert.deepEqual(rows.slice(1).map((r) => Number(r.split(',')[0])), [5, 6, 7, 8, 9, 10]);

  // Point at the third dot (seed 7): its readout, then a click opens it.
  const chart = await page.locator('#sweep-chart').boundingBox();
  await page.focus('#sweep-chart');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.getElementById('sweep-readout').dataset.seed === '7');
  const rmse = Number(await page.getAttribute('#sweep-readout', 'data-rmse'));
  assert.equal(Number(rows[3].split(',')[1]), rmse, 'the readout and the CSV agree');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /seed=7&/.test(window.location.search) && !/seeds=/.test(window.location.search));
  await waitStopped(page);
  assert.equal(await page.textContent('#rmse'), formatNumber(rmse), 'the seed\'s run ends where its dot was');

  // Its own link, opened fresh, is the same run.
  const fresh = await open(env.browser.context, page.url());
  await waitStopped(fresh);
  assert.equal(await fresh.textContent('#rmse'), formatNumber(rmse));
  await fresh.close();

  // Back to the sweep (kept, not retrained), and a click on a dot opens it too.
  await page.click('#back-to-sweep-link');
  await page.waitForFunction(() => document.body.dataset.sweep === 'done' && /seeds=6/.test(window.location.search));
  assert.ok(chart.width > 0);
  const box = await page.locator('#sweep-chart').boundingBox();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.6);
  await page.waitForFunction(() => document.getElementById('sweep-readout').dataset.seed === '10');
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.6);
  await page.waitForFunction(() => /seed=10&/.test(window.location.search));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a sweep in twin mode shows both runs per seed, and the link bounds the sweep\'s work', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SWEEP.replace('twin=off', 'twin=16:linear,16:linear').replace('seeds=6', 'seeds=3')}`);
  await page.waitForFunction(() => document.body.dataset.sweep === 'done', null, { timeout: 120_000 });
  assert.match(await page.textContent('#sweep-title'), /each with its twin/);
  assert.match(await page.textContent('#sweep-words'), /Twins: All 3 seeds end as a straight line/);
  await page.close();

  const heavy = await open(env.browser.context,
    `${env.server.url}?v=1&examples=10000&largest=1000000&layers=2048:relu,480:relu&epochs=2000&seeds=50&batch=50`);
  assert.match(await heavy.textContent('#notes'), /seeds: "50" would take about .* using [2-9]/);
  await heavy.click('#sweep-cancel');
  await heavy.waitForFunction(() => /stopped: cancelled/.test(document.getElementById('sweep-progress').textContent));
  assert.deepEqual(heavy.errors, []);
  await heavy.close();
});
