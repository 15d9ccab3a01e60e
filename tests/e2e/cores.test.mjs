// End-to-end: one run on every core. A cross-origin isolated page (scripts/serve.py, and
// this harness) shares each step of a big network among workers; a page that is not
// isolated trains on one core and says so — and both give the very same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, serve, open, waitStopped } from './harness.mjs';

const env = setUp();

test('a network shared by three workers on an isolated page trains the very run one core gives', async () => {
  // cores=3 pins the workers whatever the machine (8 gradient blocks split 3/2/3), so
  // the sharing is exercised even on one core.
  const link = '?v=1&layers=256:relu,256:relu&epochs=6&lr=0.003&twin=off&cores=3';
  const isolated = await open(env.browser.context, `${env.server.url}${link}`);
  assert.equal(await isolated.evaluate(() => self.crossOriginIsolated), true);
  await waitStopped(isolated);
  assert.equal(await isolated.textContent('#cores'), '3 cores: each step shared, the same run as on one');
  const report = await isolated.textContent('#report');
  assert.match(report, /RMSE/);

  const plain = await serve(undefined, { isolated: false });
  try {
    const single = await open(env.browser.context, `${plain.url}${link}`);
    assert.equal(await single.evaluate(() => self.crossOriginIsolated), false);
    assert.match(await single.textContent('#cores'), /one core per run \(.*not cross-origin isolated/);
    await waitStopped(single);
    assert.equal(await single.textContent('#report'), report, 'the same run, bit for bit, on one core');
    assert.deepEqual([...isolated.errors, ...single.errors], []);
    await single.close();
  } finally {
    await plain.close();
  }
  await isolated.close();
});
