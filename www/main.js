// Start-up and the loop: loads the wasm (for parsing links and drawing), runs the training
// worker(s) — two in twin mode — and wires the buttons. Owns no math.
//
// The page never guesses what a worker does: every button only sends a message, and the
// buttons, the numbers and `body[data-state]` follow the snapshots the workers send back
// (see worker.js). `data-state` is "running" until every run has settled.

import init, {
  parse_link, preset_names, preset_caption, preset_query, random_seed, twin_query, with_twin, keras_script,
} from '../pkg/squares_playground.js';
import { bindControls, showQuery } from './controls.js';
import { describeLayers, fieldsOf, parseLayers, queryFromAddress, shareLink, withFields, writeAddress } from './state.js';
import { drawCharts, drawUnits } from './charts.js';
import { isTraining, Run } from './run.js';
import { announce, message, showNotes, showRuns, showStart, update } from './view.js';
import { downloadBlob, predictionsCsv } from './exports.js';

const $ = (id) => document.getElementById(id);

const app = {
  query: '',       // the current canonical experiment
  task: 'square',
  runs: [],        // [main, twin?]
  presets: null,
  frameRequested: false,
  awaitingFirstCurve: false,
  /** Exact passes of the main run already drawn as unit thumbnails. */
  unitsDrawn: -1,
  /** After a crash: what to tell the user until they start a run themselves. */
  crashNote: '',
  /** What the runs were doing at the last snapshot, to announce changes once. */
  announced: '',
};

const training = () => app.runs.some((r) => isTraining(r.state));
const settled = () => app.runs.every((r) => r.settled);

/**
 * Validates a raw query through the Rust codec, shows what it changed, and starts it.
 * @param {string} raw
 * @param {'link' | 'form'} source  where the values came from, for the notes' wording
 */
function applyQuery(raw, source = 'form') {
  const link = parse_link(raw);
  showNotes(link.notes, source);
  app.query = link.query;
  writeAddress(app.query);
  showQuery(app.query, app.presets);
  start(false);
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
  app.unitsDrawn = -1;
  app.announced = '';
  app.runs[0].start(app.query, paused);
  app.runs[1]?.start(twinQuery, paused);
  showStart({ epochs: Number(fields.get('epochs')), floorRmse: NaN }, Boolean(twinQuery));
  showState();
}

function onRunChange(type, detail) {
  const [main] = app.runs;
  if (type === 'ready' && main.info) {
    showStart(main.info, app.runs.length > 1);
    if (app.crashNote) message(app.crashNote);
  }
  if (type === 'crash') recover(detail);
  if (type === 'failed') {
    app.runs.forEach((run) => run.stop());
    message(`The trainer could not start: ${detail}. Reload the page to try again.`);
  }
  if (type === 'error') message(`Could not train: ${detail}. Your settings are kept; press Retrain to try again.`);
  if (type === 'snapshot') requestFrame();
  showState();
}

/** Buttons, `data-state` and the screen reader's announcements follow the runs' states. */
function showState() {
  const isTrainingNow = training();
  const over = app.runs.every((r) => r.state === 'finished' || r.state === 'diverged' || !r.worker);
  $('pause').textContent = isTrainingNow || over ? 'Pause' : 'Resume';
  $('pause').disabled = over;
  $('step').disabled = isTrainingNow || over;
  document.body.dataset.state = settled() && !isTrainingNow ? 'stopped' : 'running';
  const [main] = app.runs;
  const moment = main?.info ? `${app.runs.map((r) => r.state).join(',')}` : '';
  if (moment && moment !== app.announced && (settled() || isTrainingNow)) {
    app.announced = moment;
    announce(app.runs);
  }
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
  } else {
    start(true, true);
  }
}

/**
 * Shows the latest snapshots on the next animation frame, then asks the training workers
 * for their next ones. Drawing comes first: plotters measures its labels in the DOM, which
 * costs a whole-page layout whenever text was written since the last one.
 */
function requestFrame() {
  if (app.frameRequested) return;
  app.frameRequested = true;
  requestAnimationFrame(() => {
    app.frameRequested = false;
    const [main] = app.runs;
    const ready = app.runs.every((r) => r.info && r.live);
    if (main && ready) {
      try {
        drawCharts(main.info, app.task, app.runs);
        if (main.exact && main.exactCount !== app.unitsDrawn) {
          app.unitsDrawn = main.exactCount;
          drawUnits(main.info, main.exact.units);
        }
        if (app.awaitingFirstCurve) {
          app.awaitingFirstCurve = false;
          performance.measure('squares:retrain-to-first-curve', 'squares:start');
        }
      } catch (error) {
        message(`Drawing failed: ${error.message}`);
      }
      update(document.body.dataset, 'wasmBytes', String(main.wasmBytes)); // read by the memory checks
      update(document.body.dataset, 'exactCount', String(main.exactCount));
      showRuns(main.info, app.runs);
    }
    for (const run of app.runs) if (isTraining(run.state)) run.post('frame');
  });
}

function wireButtons() {
  $('train').addEventListener('click', () => start(false));
  $('pause').addEventListener('click', () => {
    // Only a request: the button changes when the workers acknowledge it.
    const type = training() ? 'pause' : 'resume';
    for (const run of app.runs) run.post(type);
  });
  $('step').addEventListener('click', () => app.runs.forEach((r) => r.post('step-epoch')));
  $('reset').addEventListener('click', () => start(true));
  $('new-seed').addEventListener('click', () => applyQuery(withFields(app.query, { seed: random_seed() })));
  $('copy-link').addEventListener('click', () => copy('copy-link', shareLink(app.query)));
  $('copy-keras').addEventListener('click', () => copy('copy-keras', keras_script(app.query)));
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
  applyQuery(queryFromAddress(), 'link');
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.body.dataset.ready = 'error';
  message(`The playground could not start: ${error.message}`);
});
