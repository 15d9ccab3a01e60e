// Start-up and the loop: loads the wasm (for parsing links and drawing), runs the training
// worker(s) — two in twin mode — and wires the buttons. Owns no math.
//
// The page never guesses what a worker does: every button only sends a message, and the
// buttons, the numbers and `body[data-state]` follow the snapshots the workers send back
// (see worker.js). `data-state` is "running" until every run has settled; it changes in the
// same animation frame as the numbers on the page, so a test that sees "stopped" reads the
// final numbers.

import { loadEngine } from './engine.js';
import { bindControls, showQuery } from './controls.js';
import { describeLayers, embedCode, fieldsOf, formatLayers, parseLayers, queryFromAddress, shareLink, withFields,
  writeAddress } from './state.js';
import { COLOURS, drawCharts, drawn, drawUnits } from './charts.js';
import { isTraining, Run } from './run.js';
import { announce, message, showNotes, showRuns, showStart, update } from './view.js';
import { downloadBlob, predictionsCsv, surfaceCsv } from './exports.js';
import { attachChartReadouts } from './readouts.js';
import { setLayer } from './overlay.js';
import { drawMark, STEPS } from './tour.js';
import { Sweep } from './sweep.js';
import { attachSweepChart, hideSweep, showSweep } from './sweep-view.js';
import { describeThreads, giveBackCores, spareACoreWhileDrawing, threadsFor } from './parallel.js';

// The relaxed-SIMD or the SIMD128 build (www/engine.js; charts.js shares the instance). A
// failure is kept for main() to report on the page.
const engine = await loadEngine().catch((error) => ({ error, wasm: {} }));
const {
  check_formula, member_query, parse_link, preset_names, preset_caption, preset_query, random_seed, sweep_seeds,
  twin_query, with_twin, keras_script, keras_exact_script, run_costs,
} = engine.wasm;

const $ = (id) => document.getElementById(id);
/** How much larger text and lines are in presentation mode. */
const PRESENTATION_SCALE = 1.6;

const app = {
  query: '',       // the current canonical experiment
  /**
   * How the page shows it, from the link: pace (epochs/s, NaN = full), tour step (0 = none),
   * embed, cores (threads per run, 0 = the page decides).
   */
  page: { pace: NaN, tour: 0, embed: false, cores: 0 },
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
  /** The replay slider's epoch, or null when following the run live. */
  replayEpoch: null,
  scale: 1,
  refreshReadouts: () => {},
  /** The sweep shown (seeds=N in the link), and the last one, to go back to from a seed. */
  sweep: null,
  lastSweep: null,
  /** The tour's mark on the fit chart as last drawn (JSON), so a frame redraws it only on change. */
  tourMark: undefined,
};

const training = () => app.runs.some((r) => isTraining(r.state));
const settled = () => app.runs.every((r) => r.settled);

/**
 * Validates a raw link through the Rust codec, shows what it changed, and starts it.
 * @param {string} raw
 * @param {'link' | 'form'} source  where the values came from, for the notes' wording
 */
function applyQuery(raw, source = 'form') {
  const link = parse_link(raw);
  showNotes(link.notes, source);
  app.page = { pace: link.pace, tour: link.tour, embed: link.embed, cores: link.cores };
  const changed = link.query !== app.query;
  app.query = link.query;
  writeAddress(link.link);
  showQuery(app.query, app.presets);
  $('pace').value = Number.isFinite(app.page.pace) ? String(app.page.pace) : '';
  document.body.classList.toggle('embed', app.page.embed);
  const kind = describeLayers(parseLayers(fieldsOf(app.query).get('layers')));
  for (const activation of ['relu', 'linear']) $(`embed-${activation}`).setAttribute('aria-pressed', String(kind === activation));
  $('open-full').href = shareLink(currentLink({ embed: '' }));
  showTour();
  if (sweep_seeds(app.query).length) showSweepOf(app.query);
  else if (changed || app.runs.length === 0 || app.sweep) start(false);
}

/** seeds=N: the sweep replaces the one run (a finished sweep of the same link is kept). */
function showSweepOf(query) {
  app.runs.forEach((run) => run.stop());
  app.runs = [];
  document.body.classList.add('sweeping');
  $('back-to-sweep').hidden = true;
  if (app.sweep?.query !== query) {
    app.sweep?.stop();
    app.sweep = app.lastSweep?.query === query ? app.lastSweep : new Sweep(query, onSweepChange);
  }
  app.lastSweep = app.sweep;
  onSweepChange();
  showState();
}

function onSweepChange() {
  requestAnimationFrame(() => {
    if (!app.sweep) return;
    showSweep(app.sweep, app.scale);
    showTourText();
  });
}

/** Opens one seed of the sweep as a run of its own, with a way back. */
function openSeed(seed) {
  const sweepLink = currentLink();
  applyQuery(member_query(app.query, seed) + pageFields(), 'link');
  $('back-to-sweep').hidden = false;
  $('back-to-sweep-link').onclick = (event) => {
    event.preventDefault();
    applyQuery(sweepLink, 'link');
  };
}

/** `&pace=…&tour=…&embed=1&cores=…` for the page options that are set, after `changes`. */
function pageFields(changes = {}) {
  const page = {
    pace: app.page.pace, tour: app.page.tour || '', embed: app.page.embed ? 1 : '', cores: app.page.cores || '', ...changes,
  };
  return Object.entries(page).filter(([, v]) => v !== '' && !Number.isNaN(v)).map(([k, v]) => `&${k}=${v}`).join('');
}

/** The canonical link of the current experiment with the page options (after `changes`). */
const currentLink = (changes = {}) => parse_link(app.query + pageFields(changes)).link;

/** A new run of the current experiment (and its twin), from the seed. */
function start(paused, afterCrash = false) {
  if (!afterCrash) app.crashNote = '';
  if (app.sweep) {
    if (!app.sweep.finished) app.sweep.stop();
    app.sweep = null;
    hideSweep();
    document.body.classList.remove('sweeping');
  }
  const fields = fieldsOf(app.query);
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
  setReplay(null);
  // Runs with big steps share each one among the cores (parallel.js, which says when that
  // pays); the run is the same on any number of them.
  const threads = (query) => threadsFor(run_costs(query)[1], labels.length, app.page.cores);
  app.runs[0].start(app.query, paused, app.page.pace, threads(app.query));
  app.runs[1]?.start(twinQuery, paused, app.page.pace, threads(twinQuery));
  $('cores').textContent = describeThreads(app.runs.map((r) => r.threads));
  showStart({ epochs: Number(fields.get('epochs')), floorRmse: NaN }, Boolean(twinQuery));
  showState();
}

function onRunChange(type, detail) {
  const [main] = app.runs;
  if (type === 'ready' && main.info) {
    showStart(main.info, app.runs.length > 1);
    showViews(main.info);
    if (app.crashNote) message(app.crashNote);
  }
  if (type === 'view') requestFrame();
  if (type === 'crash') recover(detail);
  if (type === 'failed') {
    app.runs.forEach((run) => run.stop());
    message(`The trainer could not start: ${detail}. Reload the page to try again.`);
  }
  if (type === 'error') message(`Could not train: ${detail}. Your settings are kept; press Retrain to try again.`);
  // The buttons and data-state change in the same frame as the numbers they go with.
  requestFrame();
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

/** What the charts draw: each run as it is, or as it was at the replay slider's epoch. */
function shownRuns() {
  if (app.replayEpoch === null) return app.runs;
  return app.runs.map((run) => {
    const frame = run.recording.at(app.replayEpoch);
    if (!frame) return run;
    return Object.assign(Object.create(run), {
      curve: frame.curve,
      live: { ...run.live, collapseLine: frame.collapseLine },
      exact: null,
    });
  });
}

/**
 * Shows the latest snapshots on the next animation frame, then asks the training workers
 * for their next ones. Drawing comes first: plotters measures its labels in the DOM, which
 * costs a whole-page layout whenever text was written since the last one. Runs on every
 * core spare one of them until the frame is painted (parallel.js).
 */
function requestFrame() {
  if (app.frameRequested) return;
  app.frameRequested = true;
  spareACoreWhileDrawing(app.runs);
  requestAnimationFrame(() => {
    app.frameRequested = false;
    setTimeout(giveBackCores); // once this frame is painted
    const [main] = app.runs;
    const ready = app.runs.every((r) => r.info && r.live);
    if (main && ready) {
      try {
        drawCharts(main.info, shownRuns(), app.scale);
        if (main.exact && main.exactCount !== app.unitsDrawn && drawUnits(main.info, main.exact.units, app.scale, app.runs)) {
          app.unitsDrawn = main.exactCount;
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
      // The main run's time in training calls: the bench tells the page's own costs from it.
      update(document.body.dataset, 'trainingMs', String(Math.round(main.trainingMs)));
      // Helper threads serving the runs (the cores test reads it), and the footer's words
      // from what the workers say: a run whose helpers could not start trains on one core.
      update(document.body.dataset, 'helpers', String(app.runs.reduce((sum, r) => sum + r.threadCounts[0], 0)));
      update($('cores'), 'textContent', describeThreads(app.runs.map((r) => r.threadCounts[0] + 1)));
      showRuns(main.info, app.runs);
      showReplay();
      showTourText();
      app.refreshReadouts();
    }
    showState();
    for (const run of app.runs) if (isTraining(run.state)) run.post('frame');
  });
}

/** Two inputs: the heatmaps (and the twin's), and the choice of the line the curve runs along. */
function showViews(info) {
  $('surfaces').hidden = !info.surface;
  for (const box of document.querySelectorAll('.twin-surface')) box.hidden = app.runs.length < 2;
  $('slice-row').hidden = info.inputs < 2;
  if (info.inputs < 2) return;
  $('slice').value = Number.isFinite(info.sliceX2) ? 'fixed' : '';
  $('slice-x2').hidden = !Number.isFinite(info.sliceX2);
  $('slice-x2').max = String(info.xAxis);
  if (!Number.isFinite(Number($('slice-x2').value)) || $('slice-x2').value === '') {
    $('slice-x2').value = String(Math.round(info.xMax / 2));
  }
}

/** The replay slider spans the main run's recorded frames; at its end it follows the run. */
function showReplay() {
  const frames = app.runs[0]?.recording.frames ?? [];
  const slider = $('replay');
  update(slider, 'max', String(Math.max(0, frames.length - 1)));
  update(slider, 'disabled', frames.length < 2);
  if (app.replayEpoch === null) {
    update(slider, 'value', slider.max);
    update($('replay-label'), 'textContent', frames.length > 1 ? `live, epoch ${app.runs[0].live.epoch}` : 'live');
  } else {
    const frame = app.runs[0].recording.at(app.replayEpoch);
    update($('replay-label'), 'textContent', `epoch ${frame?.epoch ?? 0} (replay; drag right to follow the run)`);
  }
}

/** `epoch` null: follow the run live. */
function setReplay(epoch) {
  app.replayEpoch = epoch;
  requestFrame();
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
  $('pace').addEventListener('change', () => {
    app.page.pace = $('pace').value ? Number($('pace').value) : NaN;
    writeAddress(currentLink({ pace: app.page.pace }));
    app.runs.forEach((run) => run.setPace(app.page.pace));
  });
  const slice = () => {
    const x2 = $('slice').value === 'fixed' ? Number($('slice-x2').value) : NaN;
    $('slice-x2').hidden = !Number.isFinite(x2);
    app.runs.forEach((run) => run.setSlice(x2));
  };
  $('slice').addEventListener('change', slice);
  $('slice-x2').addEventListener('change', slice);
  $('replay').addEventListener('input', () => {
    const frames = app.runs[0]?.recording.frames ?? [];
    const index = Number($('replay').value);
    setReplay(index >= frames.length - 1 ? null : frames[index].epoch);
  });
  $('new-seed').addEventListener('click', () => applyQuery(withFields(currentLink(), { seed: random_seed() })));
  $('run-seeds').addEventListener('click', () => applyQuery(withFields(currentLink(), { seeds: $('seeds').value })));
  $('sweep-pause').addEventListener('click', () => app.sweep?.setPaused(!app.sweep.paused));
  $('sweep-cancel').addEventListener('click', () => app.sweep?.fail('cancelled'));
  $('sweep-csv').addEventListener('click', () => {
    if (app.sweep) downloadBlob(new Blob([app.sweep.report.csv()], { type: 'text/csv' }), 'squares-sweep.csv');
  });
  $('sweep-close').addEventListener('click', () => applyQuery(withFields(currentLink(), { seeds: null })));
  attachSweepChart(openSeed);
  $('copy-link').addEventListener('click', () => copy('copy-link', shareLink(currentLink())));
  $('copy-embed').addEventListener('click', () => copy('copy-embed', embedCode(shareLink(currentLink({ embed: 1, tour: '' })))));
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
    // Two inputs: the surface is the picture; one input: the fitted curve.
    const chart = app.runs[0]?.info?.surface ? 'surface-chart' : 'fit-chart';
    $(chart).toBlob((blob) => downloadBlob(blob, 'squares-playground.png'), 'image/png');
  });
  $('download-csv').addEventListener('click', () => {
    const [main] = app.runs;
    if (!main?.info) return;
    const csv = main.info.surface
      ? surfaceCsv(main.info.surface, app.runs.map((r) => ({ label: r.label, values: r.surface?.prediction })))
      : predictionsCsv(main.info.target, app.runs.map((r) => ({ label: r.label, curve: r.curve })));
    downloadBlob(new Blob([csv], { type: 'text/csv' }), 'squares-playground.csv');
  });
  for (const activation of ['relu', 'linear']) {
    $(`embed-${activation}`).addEventListener('click', () => {
      const layers = parseLayers(fieldsOf(app.query).get('layers')).map((l) => ({ ...l, activation }));
      applyQuery(withFields(currentLink(), { layers: formatLayers(layers), twin: 'off' }));
    });
  }
  $('presentation').addEventListener('click', togglePresentation);
  $('tour-start').addEventListener('click', () => goToStep(1));
  $('tour-next').addEventListener('click', () => goToStep(app.page.tour + 1));
  $('tour-back').addEventListener('click', () => goToStep(app.page.tour - 1));
  $('tour-close').addEventListener('click', () => goToStep(0));
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', () => requestFrame());
  document.addEventListener('visibilitychange', giveBackCores); // a hidden page draws no frame
  // A chart shown again is drawn at once, even when no run is training (charts.js draws
  // none that is hidden).
  for (const box of document.querySelectorAll('details')) box.addEventListener('toggle', () => requestFrame());
}

/** Keys anywhere but in a form field: P presentation, ← → through the tour. */
function onKey(event) {
  if (event.target.closest('input, select, textarea, canvas') || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'p' || event.key === 'P') togglePresentation();
  if (app.page.tour && event.key === 'ArrowRight') goToStep(app.page.tour + 1);
  if (app.page.tour && event.key === 'ArrowLeft') goToStep(app.page.tour - 1);
}

function togglePresentation() {
  const on = document.body.classList.toggle('presentation');
  app.scale = on ? PRESENTATION_SCALE : 1;
  $('presentation').setAttribute('aria-pressed', String(on));
  app.unitsDrawn = -1;
  requestFrame();
}

/** Opens tour step `step` (1-based) with its experiment; 0 closes the tour. */
function goToStep(step) {
  if (step < 0 || step > STEPS.length) return;
  if (step === 0) {
    app.page.tour = 0;
    writeAddress(currentLink());
    showTour();
    return;
  }
  const { preset, extra } = STEPS[step - 1];
  applyQuery(app.presets.query(preset) + (extra ? `&${extra}` : '') + pageFields({ tour: step }), 'link');
}

/** The tour panel: shown with the current step, or hidden. */
function showTour() {
  const step = STEPS[app.page.tour - 1];
  $('tour').hidden = !step;
  $('tour-start').hidden = Boolean(step);
  if (!step) {
    app.tourMark = undefined;
    setLayer('fit-chart', 'tour', null);
    return;
  }
  $('tour-count').textContent = `Step ${app.page.tour} of ${STEPS.length}:`;
  $('tour-title').textContent = step.title;
  $('tour-back').disabled = app.page.tour === 1;
  $('tour-next').disabled = app.page.tour === STEPS.length;
  showTourText();
}

/** The step's sentences and its mark on the chart, from the live numbers. */
function showTourText() {
  const step = STEPS[app.page.tour - 1];
  if (!step) return;
  const [main] = app.runs;
  update($('tour-text'), 'textContent', step.text(app.runs, main?.info, app.sweep));
  // Every frame calls this: the overlay repaints with the chart anyway, so a layer is set
  // only when the mark itself changed.
  const mark = step.mark(app.runs, main?.info);
  const key = JSON.stringify(mark ?? null);
  if (key === app.tourMark) return;
  app.tourMark = key;
  setLayer('fit-chart', 'tour', mark ? drawMark(mark) : null);
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
  if (engine.error) throw engine.error;
  $('engine').textContent = engine.simd === 'relaxed-simd' ? 'relaxed SIMD, fused multiply-add' : 'SIMD128';
  app.presets = { names: preset_names(), caption: preset_caption, query: preset_query };
  bindControls({
    current: currentLink, change: applyQuery, presets: app.presets, withTwin: with_twin, checkFormula: check_formula,
  });
  wireButtons();
  app.refreshReadouts = attachChartReadouts(drawn, COLOURS);
  applyQuery(queryFromAddress(), 'link');
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.body.dataset.ready = 'error';
  message(`The playground could not start: ${error.message}`);
});
