// End-to-end: one run on every core. A cross-origin isolated page (scripts/serve.py, and
// this harness) shares each step of a big network among threads (the threaded build and
// its helpers); a page that is not isolated, or whose helpers cannot start, trains on one
// core and says so — and all give the very same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUp, serve, open, waitStopped } from './harness.mjs';

const env = setUp();

test('a network shared by three threads trains the very run one core gives, and so does its fallback', async () => {
  // cores=3 pins the threads whatever the machine, so the sharing is exercised even on
  // one core; 256-wide layers make every product big enough to be shared.
  const link = '?v=1&layers=256:relu,256:relu&epochs=6&lr=0.003&twin=off&cores=3';
  const isolated = await open(env.browser.context, `${env.server.url}${link}`);
  assert.equal(await isolated.evaluate(() => self.crossOriginIsolated), true);
  await waitStopped(isolated);
  assert.equal(await isolated.textContent('#cores'), '3 cores: each step shared, the same run as on one');
  const report = await isolated.textContent('#report');
  assert.match(report, /RMSE/);
  // The threaded build ran, with its two helpers (tests/parallel.rs shows that helpers
  // take parts and change nothing).
  assert.equal(await isolated.evaluate(() => document.body.dataset.helpers), '2');
  // The worker's time in training calls, which the bench reads to tell the page's own costs.
  assert.ok(Number(await isolated.evaluate(() => document.body.dataset.trainingMs)) > 0);

  const plain = await serve(undefined, { isolated: false });
  try {
    const single = await open(env.browser.context, `${plain.url}${link}`);
    assert.equal(await single.evaluate(() => self.crossOriginIsolated), false);
    assert.match(await single.textContent('#cores'), /one core per run \(.*not cross-origin isolated/);
    await waitStopped(single);
    assert.equal(await single.textContent('#report'), report, 'the same run, bit for bit, on one core');
    assert.equal(await single.evaluate(() => document.body.dataset.helpers), '0');
    assert.deepEqual([...isolated.errors, ...single.errors], []);
    await single.close();
  } finally {
    await plain.close();
  }

  // Helper threads that cannot start (their script never loads): the run trains on one
  // core instead, says so, and is still the same run.
  // A copy of the site without helper.js.
  const site = await mkdtemp(join(tmpdir(), 'squares-no-helper-'));
  await cp(new URL('../../dist/', import.meta.url).pathname, site, { recursive: true });
  await rm(join(site, 'www', 'helper.js'));
  const broken = await serve(site);
  try {
    const fallback = await open(env.browser.context, `${broken.url}${link}`);
    await waitStopped(fallback);
    assert.equal(await fallback.textContent('#report'), report, 'the same run on the fallback');
    assert.equal(await fallback.evaluate(() => document.body.dataset.helpers), '0');
    assert.equal(await fallback.textContent('#cores'), 'one core per run');
    await fallback.close();
  } finally {
    await broken.close();
    await rm(site, { recursive: true, force: true });
  }
  await isolated.close();
});
