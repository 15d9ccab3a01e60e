// The numbers and words around the charts: epoch, progress, RMSE, the collapse equation,
// kinks, dead units, extrapolation, warnings and the question's report. Reads the runs
// only. Every sentence about bending comes from the same exact figures (kinks, pieces), so
// the words cannot contradict each other or the chart.

const $ = (id) => document.getElementById(id);

/**
 * Sets `element[property]` only when it changes: every write invalidates layout, and the
 * charts' text measuring then pays for a full layout on each frame.
 */
export function update(element, property, value) {
  if (element[property] !== value) element[property] = value;
}

const setText = (element, text) => update(element, 'textContent', text);

/** 74535.2 -> "74,535"; beyond a trillion, 3.7e+13: never a 60-digit number. */
export function formatNumber(v) {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e12) return v.toExponential(2);
  return Math.round(v).toLocaleString('en-US');
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The run's RMSE: the exact one when it is for the current weights, else the epoch's training loss. */
function headlineRmse(run) {
  const exactNow = run.exact && run.exact.steps === run.live.steps;
  return exactNow ? run.exact.rmse : run.live.rmseHistory[run.live.rmseHistory.length - 1];
}

export function message(text) {
  setText($('message'), text);
  update($('message'), 'hidden', !text);
}

/**
 * What a lenient parse changed, as a list of notes (text only: notes quote what was given).
 * @param {'link' | 'form'} source  "in this link" or "you entered"
 */
export function showNotes(notes, source) {
  const box = $('notes');
  box.replaceChildren();
  if (notes.length) {
    const title = document.createElement('strong');
    title.textContent = source === 'link'
      ? 'Some settings in this link were changed: '
      : 'Some values you entered were changed: ';
    const list = document.createElement('ul');
    for (const note of notes) {
      const item = document.createElement('li');
      item.textContent = note;
      list.append(item);
    }
    box.append(title, list);
  }
  box.hidden = notes.length === 0;
}

/** A new run: static numbers. */
export function showStart(info, twin) {
  $('epochs-total').textContent = String(info.epochs);
  if (info.floorName) $('floor-name').textContent = info.floorName;
  $('floor').textContent = formatNumber(info.floorRmse);
  $('epoch').textContent = '0';
  $('eta').textContent = '';
  $('rmse').textContent = '–';
  $('twin-rmse').textContent = '–';
  $('twin-rmse-box').hidden = !twin;
  $('test-rmse').textContent = '–';
  $('test-rmse-box').hidden = !info.testExamples;
  $('report').textContent = 'Training…';
  $('collapse').hidden = true;
  $('insights').replaceChildren();
  if (info.denseLayers) {
    $('param-count').textContent = `(${plural(info.denseLayers, 'Dense layer')}, ` +
      `${plural(info.parameters.toLocaleString('en-US'), 'parameter')})`;
  }
  message('');
}

/** The numbers and words of the latest snapshots. */
export function showRuns(info, runs) {
  const [main, twin] = runs;
  const live = main.live;
  setText($('epoch'), String(live.epoch));
  update($('progress'), 'value', info.epochs ? (live.epoch + live.batch / info.batchesPerEpoch) / info.epochs : 0);
  setText($('eta'), pace(info, main));
  showRmse($('rmse'), headlineRmse(main), info.floorRmse);
  if (twin?.live) showRmse($('twin-rmse'), headlineRmse(twin), info.floorRmse);
  if (info.testExamples && main.exact) setText($('test-rmse'), formatNumber(main.exact.testRmse));
  if (main.exact) setText($('report'), main.exact.report);
  const withFigures = runs.filter((r) => r.live && r.info);
  showCollapse(withFigures);
  showInsights(withFigures);
  const warnings = withFigures.map((r) => warning(r, info)).filter(Boolean);
  if (warnings.length) message(warnings.join(' '));
}

/**
 * Where the run is inside a slow epoch, and how long the rest will take at the pace so far
 * — shown only when it matters (an epoch of many batches, or minutes to go).
 */
function pace(info, run) {
  const { live, trainingMs } = run;
  const parts = [];
  if (run.exactProgress < 1) parts.push(`measuring every example: ${Math.floor(run.exactProgress * 100)} %`);
  if (!isFinite(trainingMs) || live.steps === 0 || run.state === 'finished' || run.state === 'diverged') {
    return parts.length ? `(${parts.join('; ')})` : '';
  }
  const perStep = trainingMs / live.steps;
  const left = (info.epochs * info.batchesPerEpoch - live.steps) * perStep;
  if (perStep * info.batchesPerEpoch > 2000) parts.push(`batch ${live.batch} of ${info.batchesPerEpoch}`);
  if (left > 30_000) parts.push(`about ${duration(left)} left at this pace`);
  return parts.length ? `(${parts.join('; ')})` : '';
}

/** 95_000 ms -> "2 minutes"; 2 days -> "2 days". */
function duration(ms) {
  const units = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
  const [name, size] = units.find(([, size]) => ms >= 1.5 * size) ?? units[3];
  return plural(Math.round(ms / size), name);
}

function showRmse(output, value, floor) {
  setText(output, value === undefined ? '–' : formatNumber(value));
  output.classList.toggle('below', value < floor); // a no-op when the class is already right
}

/** One sentence per run: its equation when it collapses, else how (and whether) it bends. */
function showCollapse(runs) {
  const parts = runs.map((run) => {
    const { info, live, exact } = run;
    if (live.collapseLine.length === 2) {
      const gap = Number.isFinite(exact?.collapseGap)
        ? ` (largest gap to the network: ${exact.collapseGap.toExponential(1)})` : '';
      return `The ${run.label}: this ${info.denseLayers}-layer network = one unit: ` +
        `${live.collapseEquation}${gap}. No activation, so it can never beat the ${info.floorName}.`;
    }
    if (!exact) return '';
    const merges = info.effectiveDepth < info.denseLayers
      ? ` Consecutive linear layers merge into the next (Dense layers ${info.mergedLayers}), leaving ${info.effectiveDepth} layers.`
      : '';
    if (exact.kinks === 'traced' && exact.pieces <= 1) {
      if (info.reluUnits > 0 && exact.deadUnits === info.reluUnits) {
        return `The ${run.label} outputs a constant: every relu unit is dead (off for every example).${merges}`;
      }
      const kinks = exact.breakpoints.length
        ? `none of its ${plural(exact.breakpoints.length, 'kink')} bends it there`
        : 'none of its units switches anywhere on the axis';
      return `The ${run.label} is still one straight line over the data: ${kinks}, so it can do no better than a line.${merges}`;
    }
    if (exact.kinks === 'traced') {
      return `The ${run.label} bends: ${plural(exact.pieces, 'straight piece')} over the data, joined at its relu kinks ` +
        `(marked on the axis).${merges}`;
    }
    if (exact.kinks === 'too-large') {
      return `The ${run.label} can bend (its activations are not linear), at more kinks than can be traced here.${merges}`;
    }
    if (info.inputs > 1) {
      return `The ${run.label} is not a plane: its activations let it bend (over the square, along the kink lines ` +
        `drawn on its heatmap for relu).${merges}`;
    }
    return `The ${run.label} is smooth: its activations bend it everywhere, not at kinks.${merges}`;
  }).filter(Boolean);
  const box = $('collapse');
  setText(box, parts.join(' '));
  const linear = runs.some((r) => r.live.collapseLine.length === 2);
  update(box, 'className', `collapse ${linear ? 'linear' : 'bent'}`);
  update(box, 'hidden', parts.length === 0);
}

function showInsights(runs) {
  const items = [];
  for (const run of runs) {
    const exact = run.exact;
    if (!exact) continue;
    if (exact.deadUnits > 0) {
      items.push(`${run.label}: ${exact.deadUnits} of ${run.info.reluUnits} relu units are dead (off for every example).`);
    }
    if (Number.isFinite(exact.rmseOutside)) {
      items.push(`${run.label}: RMSE ${formatNumber(exact.rmseInside)} on the data's range, ` +
        `${formatNumber(exact.rmseOutside)} beyond it (shaded).`);
    }
  }
  const list = $('insights');
  if (items.join('\n') === [...list.children].map((li) => li.textContent).join('\n')) return;
  list.replaceChildren(...items.map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
}

/** What went wrong with a run, in words, or ''. */
function warning(run, info) {
  if (run.state === 'diverged') {
    return `Training of the ${run.label} diverged in epoch ${run.live.divergedEpoch}: the loss became NaN or infinite. ` +
      'The chart keeps the last finite curve. Try a smaller learning rate.';
  }
  const exact = run.exact;
  if (run.state !== 'finished' || !run.settled || !exact) return '';
  const timesFloor = exact.rmse / info.floorRmse;
  if (timesFloor > 10) {
    return `The ${run.label} ended with RMSE ${formatNumber(exact.rmse)}, ${formatNumber(timesFloor)}× the ` +
      `${info.floorName}: training went astray. Try a smaller learning rate.`;
  }
  if (exact.rmse > 2 * run.startRmse) {
    return `The ${run.label} ended worse than it started (RMSE ${formatNumber(run.startRmse)} → ` +
      `${formatNumber(exact.rmse)}). Try a smaller learning rate.`;
  }
  return '';
}

/** Tells a screen reader what just happened, once per change (not every frame). */
export function announce(runs) {
  const [main] = runs;
  const names = (f) => runs.map((r) => `${r.label} ${f(r)}`).join(', ');
  let text;
  if (runs.some((r) => r.state === 'running')) {
    text = `Training ${runs.map((r) => r.label).join(' and ')}.`;
  } else if (runs.every((r) => r.state === 'paused')) {
    text = `Paused at epoch ${main.live?.epoch ?? 0}.`;
  } else if (runs.some((r) => r.state === 'diverged')) {
    text = `Training diverged: ${names((r) => r.state)}.`;
  } else {
    const rmse = (r) => `RMSE ${formatNumber(r.exact?.rmse)}`;
    text = `Finished ${main.info.epochs} epochs: ${names(rmse)}; ${main.info.floorName} ${formatNumber(main.info.floorRmse)}.`;
  }
  setText($('announce'), text);
}
