// End-to-end: what a new user must be able to trust — the words agree with the pictures,
// every layout fits the screen, the largest links stay answerable, failures are reported,
// and the page is usable with a keyboard and a screen reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, open, waitStopped, number, screenshot, audit } from './harness.mjs';

const env = setUp();

/** Elements whose right edge passes the viewport's, and how wide the document is. */
const overflow = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest('[hidden], .visually-hidden') && getComputedStyle(el).position !== 'absolute')
    .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
  return { width, scrollWidth: document.documentElement.scrollWidth, wide };
});

for (const [width, height] of [[360, 740], [390, 844]]) {
  test(`nothing overflows a ${width}px phone screen`, async () => {
    const page = await open(env.browser.context, env.server.url);
    await page.setViewportSize({ width, height });
    await waitStopped(page, 120_000);
    const { scrollWidth, wide } = await overflow(page);
    assert.deepEqual(wide, [], 'every element fits');
    assert.ok(scrollWidth <= width, `the page is ${scrollWidth}px wide on a ${width}px screen`);
    await screenshot(page, `phone-${width}.png`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('the default twin mirrors the network in the link', async () => {
  const page = await open(env.browser.context, `${env.server.url}?v=1&layers=16:relu&epochs=30`);
  await page.waitForFunction(() => /twin=16:linear(&|$)/.test(window.location.search));
  await waitStopped(page);
  assert.match(await page.textContent('#collapse'), /The twin \(linear\): this 2-layer network = one unit/);
  assert.match(await page.textContent('#twin-layers'), /16:linear/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a relu network whose kinks miss the data is called a straight line, and nothing says it bends', async () => {
  const page = await open(env.browser.context, env.server.url);
  await page.selectOption('#preset', 'kinks-outside');
  await waitStopped(page);
  const words = `${await page.textContent('#collapse')} ${await page.textContent('#insights')}`;
  assert.match(words, /still one straight line over the data/);
  assert.doesNotMatch(words, /bends:|let it bend|is not a straight line/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a run that ends far above the floor without a NaN is warned about', async () => {
  const page = await open(env.browser.context, `${env.server.url}?v=1&lr=10&epochs=50&twin=off`);
  await waitStopped(page);
  const message = await page.textContent('#message');
  assert.match(message, /ended with RMSE [\d,.e+]+, [\d,]+× the best straight line/);
  assert.match(message, /smaller learning rate/);
  assert.match(await page.textContent('#collapse'), /outputs a constant: every relu unit is dead/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the largest run the link allows shows its progress within an epoch and answers Pause', async () => {
  const link = 'v=1&examples=10000&largest=1000000&layers=2048:relu,480:relu&epochs=300&twin=2048:linear,480:linear';
  const page = await open(env.browser.context, `${env.server.url}?${link}`);
  assert.match(await page.textContent('#notes'), /batch/, 'the batch was clamped to a bearable step, and said so');
  await page.waitForFunction(() => /batch \d+ of \d+/.test(document.getElementById('eta').textContent)
    && /left at this pace/.test(document.getElementById('eta').textContent), null, { timeout: 60_000 });
  assert.equal(await number(page, 'epoch'), 0, 'still in the first epoch, and the page says where');
  await page.click('#pause');
  await page.waitForFunction(() => document.getElementById('pause').textContent === 'Resume', null, { timeout: 60_000 });
  await waitStopped(page, 120_000);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a worker whose wasm cannot load is reported instead of "Training…" forever', async () => {
  const context = env.browser.context;
  let served = 0;
  // The page's own module loads; every later fetch of it (the workers') fails.
  await context.route('**/squares_playground_bg.wasm', (route) => (served++ === 0 ? route.continue() : route.abort()));
  try {
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    await page.goto(env.server.url);
    await page.waitForFunction(() => /The trainer could not start/.test(document.getElementById('message').textContent),
      null, { timeout: 30_000 });
    assert.equal(await page.isDisabled('#pause'), true);
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    await context.unroute('**/squares_playground_bg.wasm');
  }
});

test('keyboard and screen reader: an audit finds nothing serious, focus survives, names are clear', async () => {
  const page = await open(env.browser.context, env.server.url);
  await waitStopped(page, 120_000);
  assert.deepEqual(await audit(page), [], 'default page');
  assert.equal(await page.locator('output').count(), 0, 'no live region is rewritten every frame');
  assert.match(await page.textContent('#announce'), /Finished 300 epochs: network \(relu\) RMSE [\d,]+/);
  assert.equal(await page.textContent('#new-seed'), 'New seed', 'the seed button says what it makes');

  // The first tab stops are the run's own buttons, not thirty form fields.
  const stops = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => document.activeElement.id));
  }
  assert.ok(stops.includes('train'), `Retrain among the first tab stops: ${stops}`);

  // Removing a layer keeps focus in the layer list.
  await page.focus('#layers li:first-child [name=remove]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#layers li').length === 1);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('name')), 'remove');

  await page.selectOption('#preset', 'dead-relus');
  await waitStopped(page);
  assert.deepEqual(await audit(page), [], 'after a preset');
  await screenshot(page, 'dead-relus.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});
