// End-to-end: the built page in headless Chromium, driven like a person would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, canvasHash, open, waitStopped, number, screenshot, exactCount, waitExactCount, waitForCanvas } from './harness.mjs';

const env = setUp();

/** A small, fast relu experiment (a share link's query). */
const SMALL = 'v=1&task=square&examples=500&largest=1000&norm=largest&layers=16:relu,16:relu&opt=adam&lr=0.01&batch=50&epochs=40&seed=5&twin=off';


const controlValues = (page) => page.evaluate(() => {
  const ids = ['task', 'inputs', 'examples', 'largest', 'norm', 'extent', 'opt', 'lr', 'momentum', 'batch', 'epochs', 'seed', 'twin'];
  const layers = [...document.querySelectorAll('#layers li')].map((li) =>
    `${li.querySelector('[name=units]').value}:${li.querySelector('[name=activation]').value}`);
  const value = (el) => (el.type === 'checkbox' ? el.checked : el.value);
  return { ...Object.fromEntries(ids.map((id) => [id, value(document.getElementById(id))])), layers };
});

test('the page loads without console errors and trains the default at once', async () => {
  const page = await open(env.browser.context, env.server.url);
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) > 0);
  assert.match(await page.title(), /Squares Playground/);
  assert.match(page.url(), /\?v=1&task=square&/, 'the address bar holds the experiment');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('training changes the canvas and the epoch counter; pause, step and resume do what they say', async () => {
  // 10,000 epochs, the bound: the run must outlast the clicks below on a fast engine too.
  const page = await open(env.browser.context, `${env.server.url}?${SMALL.replace('epochs=40', 'epochs=10000')}`);
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) >= 2);
  const [hash1, epoch1] = [await canvasHash(page, 'fit-chart'), await number(page, 'epoch')];
  await page.waitForFunction((e) => Number(document.getElementById('epoch').textContent) > e + 20, epoch1);
  assert.notEqual(await canvasHash(page, 'fit-chart'), hash1, 'the curve moved');

  // Pause: the page shows "stopped" only once the worker has acknowledged it and taken the
  // paused weights' exact figures.
  await page.click('#pause');
  await waitStopped(page);
  const paused = await number(page, 'epoch');
  assert.equal(await page.textContent('#pause'), 'Resume');

  // Step epoch trains exactly one more epoch: had the worker trained on while paused, the
  // epoch after the step would be further on.
  const before = await exactCount(page);
  await page.click('#step');
  await page.waitForFunction((n) => document.body.dataset.state === 'stopped'
    && Number(document.body.dataset.exactCount) > n, before);
  assert.equal(await number(page, 'epoch'), paused + 1, 'step epoch trains exactly one epoch');

  // Resume: the display follows the run again (it used to freeze until the end).
  await page.click('#pause');
  await page.waitForFunction((e) => Number(document.getElementById('epoch').textContent) > e + 5, paused + 1);
  assert.equal(await page.textContent('#pause'), 'Pause');
  await page.click('#reset');
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '0');
  await waitStopped(page);
  // And resume after a reset trains and shows it too.
  await page.click('#pause');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) > 3);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('relu bends below the floor; all-linear cannot beat it and shows its one equation', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}`);
  await waitStopped(page);
  const floor = await number(page, 'floor');
  const reluRmse = await number(page, 'rmse');
  assert.ok(reluRmse < 0.3 * floor, `relu RMSE ${reluRmse} vs floor ${floor}`);
  assert.match(await page.textContent('#collapse'), /The network \(relu\) bends: \d+ straight pieces over the data/);
  assert.doesNotMatch(await page.textContent('#collapse'), /merge/, 'no layer merges in an all-relu network');

  await page.focus('#all-linear');
  await page.keyboard.press('Enter'); // keyboard works too
  await page.waitForFunction(() => document.querySelector('#layers [name=activation]').value === 'linear');
  await waitStopped(page);
  const linearRmse = await number(page, 'rmse');
  assert.ok(linearRmse >= floor - 1, `linear RMSE ${linearRmse} must not beat the floor ${floor}`);
  const collapse = await page.textContent('#collapse');
  assert.match(collapse, /this 3-layer network = one unit: y = -?[\d.]+·x [+-] [\d.]+/);
  assert.match(page.url(), /layers=16:linear,16:linear/);
  await screenshot(page, 'all-linear.png');

  // One relu breaks the equation: the linear first layer merges into the second.
  await page.selectOption('#layers li:nth-child(2) [name=activation]', 'relu');
  await page.waitForFunction(() => /Dense layers 1–2, 3\), leaving 2 layers/.test(document.getElementById('collapse').textContent));
  assert.doesNotMatch(await page.textContent('#collapse'), /one unit/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a copied link restores every control and replays the same run', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}`);
  await page.fill('#seed', '11');
  await page.press('#seed', 'Enter');
  await page.click('#add-layer');
  await page.selectOption('#layer-2-activation', 'tanh');
  await page.fill('#epochs', '25');
  await page.press('#epochs', 'Enter');
  await waitStopped(page);
  const rmse = await page.textContent('#rmse');
  const report = await page.textContent('#report');
  const controls = await controlValues(page);
  assert.deepEqual(controls.layers, ['16:relu', '16:relu', '16:tanh']);

  await page.click('#copy-link');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url());

  const fresh = await open(env.browser.context, link);
  await waitStopped(fresh);
  assert.deepEqual(await controlValues(fresh), controls);
  assert.equal(await fresh.textContent('#rmse'), rmse, 'same link, same seed, same RMSE');
  assert.equal(await fresh.textContent('#report'), report);
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await page.close();
  await fresh.close();
});

test('a hostile link opens with a message, runs no script and still trains', async () => {
  const hostile = [
    'v=9', 'task=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E', 'examples=1e99', 'lr=NaN',
    `layers=${Array(300).fill('2048').join(',')}`, '%ff=1', 'norm=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'bogus=1',
  ].join('&');
  const page = await open(env.browser.context, `${env.server.url}?${hostile}`);
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) > 0);
  const notes = await page.textContent('#notes');
  for (const field of ['v:', 'task:', 'examples:', 'lr:', 'layers:', 'norm:', 'bogus']) {
    assert.ok(notes.includes(field), `the message names ${field}: ${notes}`);
  }
  assert.ok(notes.includes('<script>'), 'values are shown as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => document.querySelectorAll('script, img').length), 1, 'nothing injected');
  assert.equal(await page.inputValue('#examples'), '10000', 'clamped');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a diverging learning rate is caught and explained', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL.replace('opt=adam&lr=0.01', 'opt=sgd&lr=10')}`);
  await page.waitForFunction(() => !document.getElementById('message').hidden);
  const message = await page.textContent('#message');
  assert.match(message, /diverged in epoch \d+/);
  assert.match(message, /smaller learning rate/);
  assert.equal(await page.isDisabled('#pause'), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a panic inside wasm is reported, the worker is replaced and the settings survive', async () => {
  const link = SMALL.replace('epochs=40', 'epochs=5000').replace('seed=5', 'seed=11');
  const page = await open(env.browser.context, `${env.server.url}?${link}`);
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) > 2);
  const before = await controlValues(page);
  const [worker] = page.workers();
  await worker.evaluate(() => self.onmessage({ data: { type: 'panic' } }));
  await page.waitForFunction(() => /trainer crashed/.test(document.getElementById('message').textContent));
  assert.match(await page.textContent('#message'), /deliberate panic/, 'the panic message reaches the page');
  await page.waitForFunction(() => document.getElementById('report').textContent.startsWith('RMSE'));
  assert.equal(await number(page, 'epoch'), 0, 'restarted, paused');
  assert.deepEqual(await controlValues(page), before, 'every setting survives');
  assert.equal(page.url(), `${env.server.url}?${link}`);
  assert.ok(!page.workers().includes(worker), 'the crashed worker is gone');

  await page.click('#train');
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) > 2);
  assert.match(await page.textContent('#message'), /^$/, 'a new run clears the note');
  assert.ok(page.errors.every((e) => /deliberate panic|unreachable/.test(e)), page.errors.join('\n'));
  await page.close();
});

test('the question as asked: the big all-linear network trains, answers Pause, and its memory stays put', async () => {
  const page = await open(env.browser.context, env.server.url);
  await page.selectOption('#preset', 'question-square');
  await page.waitForFunction(() => /6-layer network = one unit/.test(document.getElementById('collapse').textContent));
  // Training allocates nothing and snapshots reuse their buffers: once the first exact
  // passes have run, the worker's wasm memory stays put while more of them go by.
  const base = await exactCount(page);
  await waitExactCount(page, base + 1);
  const bytes = await page.evaluate(() => Number(document.body.dataset.wasmBytes));
  assert.ok(bytes > 1e6, `wasm memory reported: ${bytes}`);
  await waitExactCount(page, base + 4);
  assert.equal(await page.evaluate(() => Number(document.body.dataset.wasmBytes)), bytes, 'wasm memory did not grow');
  // The page and the worker still answer: Pause is acknowledged.
  await page.click('#pause');
  await waitStopped(page);
  assert.equal(await page.textContent('#pause'), 'Resume');
  await screenshot(page, 'question-square.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('twin mode trains relu and its linear twin side by side, and the link keeps it', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}`);
  await waitStopped(page);
  await page.check('#twin');
  await page.waitForFunction(() => /twin=16:linear,16:linear/.test(window.location.search));
  await waitStopped(page);
  await page.waitForFunction(() => !document.getElementById('twin-rmse-box').hidden
    && document.getElementById('twin-rmse').textContent !== '–');
  const [relu, twin, floor] = [await number(page, 'rmse'), await number(page, 'twin-rmse'), await number(page, 'floor')];
  assert.ok(relu < floor && twin >= floor - 1, `relu ${relu}, linear twin ${twin}, floor ${floor}`);
  assert.match(await page.textContent('#collapse'), /The twin \(linear\): this 3-layer network = one unit/);
  const fresh = await open(env.browser.context, page.url());
  await waitStopped(fresh);
  assert.equal(await fresh.isChecked('#twin'), true);
  assert.equal(await number(fresh, 'twin-rmse'), twin, 'the twin replays identically too');
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await page.close();
  await fresh.close();
});

test('kinks, dead units, hidden units and extrapolation are shown', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}&extent=2`);
  await waitStopped(page);
  const insights = await page.textContent('#insights');
  assert.match(await page.textContent('#collapse'), /bends: \d+ straight pieces over the data, joined at its relu kinks/);
  assert.match(insights, /RMSE [\d,]+ on the data's range, [\d,]+ beyond it/);
  const [inside, outside] = insights.match(/RMSE ([\d,]+) on the data's range, ([\d,]+) beyond/).slice(1).map((v) => Number(v.replace(/,/g, '')));
  assert.ok(outside > inside, `relu extrapolates x² worse than it fits it: ${inside} vs ${outside}`);
  assert.equal(await page.locator('#units canvas').count(), 2, 'one thumbnail strip per 16-unit layer');
  assert.equal(await page.inputValue('#extent'), '2');
  for (const id of ['residual-chart']) assert.notEqual(await canvasHash(page, id), 0);
  await screenshot(page, 'extrapolation.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a chart out of view waits while the run trains, and is drawn once seen, shown again or stopped', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL.replace('epochs=40', 'epochs=10000')}`);
  await page.waitForFunction(() => Number(document.getElementById('epoch').textContent) >= 2);
  assert.ok(await page.evaluate(() => document.getElementById('loss-chart').getBoundingClientRect().top > window.innerHeight),
    'the loss chart starts below the fold');
  const [fit, loss] = [await canvasHash(page, 'fit-chart'), await canvasHash(page, 'loss-chart')];
  await waitForCanvas(page, 'fit-chart', (hash) => hash !== fit);
  assert.equal(await canvasHash(page, 'loss-chart'), loss, 'frames went on without the chart out of view');
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  await waitForCanvas(page, 'loss-chart', (hash) => hash !== loss);

  // A hidden chart is not drawn; shown again after Reset (no run to prompt a frame), it
  // shows epoch 0 at once, not the trained network it last drew.
  await page.evaluate(() => {
    document.getElementById('residual-box').open = false;
    return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  });
  const trained = await canvasHash(page, 'residual-chart');
  await page.click('#reset');
  await page.waitForFunction(() => document.getElementById('epoch').textContent === '0');
  await waitStopped(page);
  assert.equal(await canvasHash(page, 'residual-chart'), trained, 'not drawn while hidden');
  await page.evaluate(() => { document.getElementById('residual-box').open = true; });
  await waitForCanvas(page, 'residual-chart', (hash) => hash !== trained);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('exports: Keras code, the chart as PNG and the predictions as CSV', async () => {
  const page = await open(env.browser.context, `${env.server.url}?${SMALL}`);
  await waitStopped(page);
  await page.click('#copy-keras');
  const script = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(script, /layers\.Dense\(16, activation='relu'\)/);
  assert.match(script, /model\.fit\(X, y, epochs=40, batch_size=50/);
  await page.click('#copy-keras-exact');
  const replay = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(replay, /model\.set_weights\(/);
  assert.match(replay, /shuffle=False/);
  assert.match(replay, /\('orders', '<u2', \(40, /);

  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#download-png')]);
  assert.equal(png.suggestedFilename(), 'squares-playground.png');
  const pngBytes = await (await import('node:fs/promises')).readFile(await png.path());
  assert.deepEqual([...pngBytes.subarray(1, 4)], [...Buffer.from('PNG')]);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const text = await (await import('node:fs/promises')).readFile(await csv.path(), 'utf8');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], '"x","target","network (relu)"');
  assert.ok(lines.length > 100);
  const [x, target, prediction] = lines[lines.length - 1].split(',').map(Number);
  assert.equal(target, x * x);
  assert.ok(Math.abs(prediction - target) < 0.3 * target, `last row ${lines[lines.length - 1]}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('screenshot of a trained page', async () => {
  const page = await open(env.browser.context, env.server.url);
  await waitStopped(page, 120_000);
  await screenshot(page, 'trained.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'trained-phone.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});
