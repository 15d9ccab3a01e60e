// Start-up and the loop: loads the wasm (for parsing links and drawing), runs the training
// worker(s) — two in twin mode — and wires the buttons. Owns no math.

import init, {
  parse_link, preset_names, preset_caption, preset_query, random_seed, twin_query, with_twin, keras_script,
  keras_exact_script,
} from '../pkg/squares_playground.js';
import { bindControls, showQuery } from './controls.js';
import { describeLayers, fieldsOf, parseLayers, queryFromAddress, shareLink, withFields, writeAddress } from './state.js';
import { drawCharts, drawUnits } from './charts.js';
import { Run } from './run.js';
import { message, showRuns, showStart, update } from './view.js';
import { downloadBlob, predictionsCsv } from './exports.js';

const $ = (id) => document.getElementById(id);

const app = {
  query: '',       // the current canonical experiment
  task: 'square',
  runs: [],        // [main, twin?]
  presets: null,
  frameRequested: false,
  awaitingFirstCurve: false,
  /** Hidden-unit outputs of the latest exact snapshot, drawn on the next frame. */
  pendingUnits: null,
  /** After a crash: what to tell the user until they start a run themselves. */
  crashNote: '',
};

const running = () => app.runs.some((r) => r.snapshot?.running);

/** Validates a raw query through the Rust codec, shows what it changed, and starts it. */
function applyQuery(raw) {
  const link = parse_link(raw);
  showNotes(link.notes);
  app.query = link.query;
  writeAddress(app.query);
  showQuery(app.query, app.presets);
  $('param-count').textContent = `(${parseLayers(fieldsOf(app.query).get('layers')).length + 1} Dense layers)`;
  start(false);
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
      item.textContent = note; // text, never HTML: notes quote what the link said
      list.append(item);
    }
    box.append(title, list);
  }
  box.hidden = notes.length === 0;
}

/** A new run of the current experiment (and its twin), from the seed. */
function start(paused, afterCrash = false) {
  if (!afterCrash) app.crashNote = '';
  const fields = fieldsOf(app.query);
  app.task = fields.get('task');
  const twinQuery = twin_query(app.query);
  const labels = [`network (${describeLayers(parseLayers(fields.get('layers')))})`];
  if (twinQuery) labels.push(`twin (${describeLayers(parseLayers(fields.get('twin')))})`);
  while (app.runs.length > labels.length) app.runs.pop().stop();
  labels.forEach((label, i) => {
    app.runs[i] ??= new Run(label, onRunChange);
    app.runs[i].label = label;
  });
  // Marks for the benchmark: retrain → first curve of the new run on screen.
  performance.mark('squares:start');
  app.awaitingFirstCurve = true;
  app.pendingUnits = null;
  app.runs[0].start(app.query, paused);
  app.runs[1]?.start(twinQuery, paused);
  showStart({ epochs: Number(fields.get('epochs')), floorRmse: NaN }, Boolean(twinQuery));
  setButtons(!paused, 'running');
}

function onRunChange(type, detail) {
  const [main] = app.runs;
  if (type === 'ready' && main.info) {
    showStart(main.info, app.runs.length > 1);
    if (app.crashNote) message(app.crashNote);
  }
  if (type === 'crash') recover(detail);
  if (type === 'error') {
    message(`Could not train: ${detail}. Your settings are kept; press Retrain to try again.`);
    setButtons(false, 'error');
  }
  if (type === 'snapshot' && main.info && main.snapshot) {
    if (main.snapshot.units) app.pendingUnits = main.snapshot.units;
    requestFrame();
  }
}

/** The numbers, words and buttons of the latest snapshots (DOM writes: after the drawing). */
function showSnapshot(main) {
  update(document.body.dataset, 'wasmBytes', String(main.snapshot.wasmBytes)); // read by the memory soak
  showRuns(main.info, main, app.runs[1]);
  const status = app.runs.every((r) => r.snapshot?.status !== 'running') ? 'over' : 'running';
  setButtons(running(), status);
}

/**
 * A trainer crashed (a panic inside wasm): say so, and start fresh workers on the same
 * settings, paused, so the page keeps working. A second crash before the user acts is only
 * reported: the settings themselves may be what crashes it.
 */
function recover(reason) {
  const again = Boolean(app.crashNote);
  app.crashNote = `The trainer crashed (${reason}). ` + (again
    ? 'It crashed again on restart: try other settings.'
    : 'It was restarted with your settings, paused at epoch 0: press Retrain to run again.');
  message(app.crashNote);
  if (again) {
    app.runs.forEach((run) => run.stop());
    setButtons(false, 'error');
  } else {
    start(true, true);
  }
}

/**
 * Shows the latest snapshots on the next animation frame, then asks the workers for their
 * next ones. Drawing comes first: plotters measures its labels in the DOM, which costs a
 * whole-page layout (15 ms here) whenever text was written since the last one.
 */
function requestFrame() {
  if (app.frameRequested) return;
  app.frameRequested = true;
  requestAnimationFrame(() => {
    app.frameRequested = false;
    const [main] = app.runs;
    const ready = app.runs.filter((r) => r.snapshot && r.info);
    if (main?.info && ready.length === app.runs.length) {
      try {
        drawCharts(main.info, app.task, ready);
        if (app.pendingUnits) drawUnits(main.info, app.pendingUnits);
        if (app.awaitingFirstCurve) {
          app.awaitingFirstCurve = false;
          performance.measure('squares:retrain-to-first-curve', 'squares:start');
        }
      } catch (error) {
        message(`Drawing failed: ${error.message}`);
      }
      app.pendingUnits = null;
    }
    if (main?.info && main.snapshot) showSnapshot(main);
    for (const run of app.runs) if (run.snapshot?.running) run.post('frame');
  });
}

/** Button states follow the runs: a finished or diverged run can only be retrained. */
function setButtons(isRunning, status) {
  const over = status !== 'running';
  $('pause').textContent = isRunning || over ? 'Pause' : 'Resume';
  $('pause').disabled = over;
  $('step').disabled = isRunning || over;
  document.body.dataset.state = isRunning ? 'running' : 'stopped';
}

function wireButtons() {
  $('train').addEventListener('click', () => start(false));
  $('pause').addEventListener('click', () => {
    const pause = running();
    for (const run of app.runs) run.post(pause ? 'pause' : 'resume');
    setButtons(!pause, 'running');
  });
  $('step').addEventListener('click', () => app.runs.forEach((r) => r.post('step-epoch')));
  $('reset').addEventListener('click', () => start(true));
  $('new-seed').addEventListener('click', () => applyQuery(withFields(app.query, { seed: random_seed() })));
  $('copy-link').addEventListener('click', () => copy('copy-link', shareLink(app.query)));
  $('copy-keras').addEventListener('click', () => copy('copy-keras', keras_script(app.query)));
  $('copy-keras-exact').addEventListener('click', () => {
    // Throws for runs too long to carry in a script (the message says what to shorten).
    try {
      copy('copy-keras-exact', keras_exact_script(app.query));
    } catch (error) {
      message(`Exact replay: ${error.message}`);
    }
  });
  $('download-png').addEventListener('click', () => {
    $('fit-chart').toBlob((blob) => downloadBlob(blob, 'squares-playground.png'), 'image/png');
  });
  $('download-csv').addEventListener('click', () => {
    const [main] = app.runs;
    if (!main?.info) return;
    const csv = predictionsCsv(main.info.target, app.runs.map((r) => ({ label: r.label, curve: r.curve })));
    downloadBlob(new Blob([csv], { type: 'text/csv' }), 'squares-playground.csv');
  });
  window.addEventListener('resize', () => requestFrame());
}

/** Copies text to the clipboard, or shows it to copy by hand when that is not allowed. */
async function copy(buttonId, text) {
  try {
    await navigator.clipboard.writeText(text);
    const button = $(buttonId);
    const before = button.textContent;
    button.textContent = 'Copied!';
    setTimeout(() => { button.textContent = before; }, 1200);
  } catch {
    window.prompt('Copy this:', text);
  }
}

async function main() {
  await init();
  app.presets = { names: preset_names(), caption: preset_caption, query: preset_query };
  bindControls({ current: () => app.query, change: applyQuery, presets: app.presets, withTwin: with_twin });
  wireButtons();
  applyQuery(queryFromAddress());
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.body.dataset.ready = 'error';
  message(`The playground could not start: ${error.message}`);
});
