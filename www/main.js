// Start-up and the loop: loads the wasm (for parsing links and drawing), starts the
// training worker, and wires the buttons. Owns no math.

import init, { parse_link, preset_names, preset_caption, preset_query, random_seed } from '../pkg/squares_playground.js';
import { bindControls, showQuery } from './controls.js';
import { fieldsOf, parseLayers, queryFromAddress, shareLink, withFields, writeAddress } from './state.js';
import { View } from './view.js';

const $ = (id) => document.getElementById(id);

const app = {
  query: '',         // the current canonical experiment
  worker: null,
  running: false,
  view: new View(),
  presets: null,
  frameRequested: false,
};

/** Validates a raw query through the Rust codec, shows what it changed, and applies it. */
function applyQuery(raw, { train = true } = {}) {
  const link = parse_link(raw);
  showNotes(link.notes);
  app.query = link.query;
  writeAddress(app.query);
  showQuery(app.query, app.presets);
  const fields = fieldsOf(app.query);
  const layers = parseLayers(fields.get('layers'));
  $('param-count').textContent = `(${layers.length + 1} Dense layers)`;
  start(!train);
}

function showNotes(notes) {
  const box = $('notes');
  box.replaceChildren();
  if (notes.length) {
    const title = document.createElement('strong');
    title.textContent = 'Some settings in this link were changed: ';
    const list = document.createElement('ul');
    for (const note of notes) {
      const item = document.createElement('li');
      item.textContent = note;   // text, never HTML: notes quote what the link said
      list.append(item);
    }
    box.append(title, list);
  }
  box.hidden = notes.length === 0;
}

function startWorker() {
  app.worker?.terminate();
  app.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  app.worker.onmessage = ({ data }) => onWorkerMessage(data);
  app.worker.onerror = (event) => {
    event.preventDefault();
    app.view.message(`The trainer stopped unexpectedly (${event.message ?? 'worker error'}). ` +
      'Your settings are kept; press Retrain to start again.');
    app.worker = null;
    setRunning(false);
  };
}

/** A new run of the current experiment, from its seed. */
function start(paused = false) {
  if (!app.worker) startWorker();
  const fields = fieldsOf(app.query);
  app.pendingTask = fields.get('task');
  app.pendingLayers = parseLayers(fields.get('layers')).length;
  app.worker.postMessage({ type: 'start', query: app.query, paused, params: paramCount(fields) });
  setRunning(!paused);
}

function paramCount(fields) {
  const widths = [Number(fields.get('inputs') ?? (fields.get('task') === 'product' ? 2 : 1)),
    ...parseLayers(fields.get('layers')).map((l) => l.units), 1];
  return widths.slice(1).reduce((sum, w, i) => sum + (widths[i] + 1) * w, 0);
}

function onWorkerMessage(message) {
  switch (message.type) {
    case 'ready':
      app.view.start(message, app.pendingTask, app.pendingLayers);
      break;
    case 'snapshot':
      app.view.update(message);
      setRunning(message.running, message.status);
      requestFrame();
      break;
    case 'error':
      app.view.message(`Could not train this experiment: ${message.message}`);
      setRunning(false);
      break;
    default:
      break;
  }
}

/** Draws on the next animation frame, then asks the worker for the next snapshot. */
function requestFrame() {
  if (app.frameRequested) return;
  app.frameRequested = true;
  requestAnimationFrame(() => {
    app.frameRequested = false;
    try {
      app.view.draw();
    } catch (error) {
      app.view.message(`Drawing failed: ${error.message}`);
    }
    if (app.running) app.worker?.postMessage({ type: 'frame' });
  });
}

/** Button states follow the run: a finished or diverged run can only be retrained. */
function setRunning(running, status = 'running') {
  app.running = running;
  const over = status !== 'running';
  $('pause').textContent = running || over ? 'Pause' : 'Resume';
  $('pause').disabled = over;
  $('step').disabled = running || over;
  document.body.dataset.state = running ? 'running' : 'stopped';
}

function wireButtons() {
  $('train').addEventListener('click', () => start());
  $('pause').addEventListener('click', () => {
    if (!app.worker) return start();
    app.worker.postMessage({ type: app.running ? 'pause' : 'resume' });
    setRunning(!app.running);
  });
  $('step').addEventListener('click', () => {
    if (!app.worker) start(true);
    app.worker.postMessage({ type: 'step-epoch' });
  });
  $('reset').addEventListener('click', () => start(true));
  $('new-seed').addEventListener('click', () => applyQuery(withFields(app.query, { seed: random_seed() })));
  $('copy-link').addEventListener('click', async () => {
    const link = shareLink(app.query);
    try {
      await navigator.clipboard.writeText(link);
      flash('copy-link', 'Copied!');
    } catch {
      // No clipboard permission (e.g. http on another host): show the link to copy by hand.
      window.prompt('Copy this link:', link);
    }
  });
  window.addEventListener('resize', () => requestFrame());
}

function flash(id, text) {
  const button = $(id);
  const before = button.textContent;
  button.textContent = text;
  setTimeout(() => { button.textContent = before; }, 1200);
}

async function main() {
  await init();
  app.presets = { names: preset_names(), caption: preset_caption, query: preset_query };
  bindControls({ current: () => app.query, change: (q) => applyQuery(q), presets: app.presets });
  wireButtons();
  applyQuery(queryFromAddress());
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.body.dataset.ready = 'error';
  $('message').textContent = `The playground could not start: ${error.message}`;
  $('message').hidden = false;
});
