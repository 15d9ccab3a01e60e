// The numbers and words around the charts: epoch, progress, RMSE, the collapse equation,
// kinks, dead units, extrapolation and the question's report. Reads snapshots only.

const $ = (id) => document.getElementById(id);

/**
 * Sets `element[property]` only when it changes: every write invalidates layout, and the
 * charts' text measuring then pays for a full layout on each frame.
 */
export function update(element, property, value) {
  if (element[property] !== value) element[property] = value;
}

const setText = (element, text) => update(element, 'textContent', text);

/** 74535.2 -> "74,535". */
export const formatNumber = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : String(v));

/** y = a·x + b in the user's units, signs written out. */
export function lineEquation([a, b]) {
  const sign = b < 0 ? '−' : '+';
  return `y = ${a.toPrecision(6)}·x ${sign} ${formatNumber(Math.abs(b))}`;
}

/** The live RMSE: exact when the snapshot has it, else the running epoch loss. */
const liveRmse = (s) => s.rmse ?? s.rmseHistory[s.rmseHistory.length - 1];

export function message(text) {
  setText($('message'), text);
  update($('message'), 'hidden', !text);
}

/** A new run: static numbers. */
export function showStart(info, twin) {
  $('epochs-total').textContent = String(info.epochs);
  $('floor').textContent = formatNumber(info.floorRmse);
  $('epoch').textContent = '0';
  $('rmse').textContent = '–';
  $('twin-rmse').textContent = '–';
  $('twin-rmse-box').hidden = !twin;
  $('report').textContent = 'Training…';
  $('collapse').hidden = true;
  $('insights').replaceChildren();
  message('');
}

/**
 * @param {{label: string, snapshot: object, layers: number}} main
 * @param {{label: string, snapshot: object, layers: number} | undefined} twin
 */
export function showRuns(info, main, twin) {
  const s = main.snapshot;
  setText($('epoch'), String(s.epoch));
  update($('progress'), 'value', info.epochs ? s.epoch / info.epochs : 0);
  showRmse($('rmse'), liveRmse(s), info.floorRmse);
  if (twin?.snapshot) showRmse($('twin-rmse'), liveRmse(twin.snapshot), info.floorRmse);
  if (s.report) setText($('report'), s.report);
  showCollapse([main, twin].filter((r) => r?.snapshot));
  showInsights(info, [main, twin].filter((r) => r?.snapshot));
  const diverged = [main, twin].find((r) => r?.snapshot?.status === 'diverged');
  if (diverged) {
    message(`Training of the ${diverged.label} diverged in epoch ${diverged.snapshot.divergedEpoch}: the loss became NaN ` +
      'or infinite. The chart keeps the last finite curve. Try a smaller learning rate.');
  }
}

function showRmse(output, value, floor) {
  setText(output, value === undefined ? '–' : formatNumber(value));
  output.classList.toggle('below', value < floor); // a no-op when the class is already right
}

function showCollapse(runs) {
  const box = $('collapse');
  const linear = runs.find((r) => r.snapshot.collapseLine.length === 2);
  const bent = runs.find((r) => r.snapshot.collapseLine.length !== 2);
  const parts = [];
  if (linear) {
    const gap = Number.isFinite(linear.snapshot.collapseGap)
      ? ` (largest gap to the network: ${linear.snapshot.collapseGap.toExponential(1)})` : '';
    parts.push(`The ${linear.label}: this ${linear.layers + 1}-layer network = one unit: ` +
      `${lineEquation(linear.snapshot.collapseLine)}${gap}. No activation, so it can never beat the best straight line.`);
  }
  if (bent) {
    const { mergedLayers, effectiveDepth } = bent.info; // fixed by the activations
    const merges = effectiveDepth < bent.layers + 1; // hidden layers + the output layer
    parts.push(`The ${bent.label} is not a straight line: ` + (merges
      ? `consecutive linear layers merge into the next (Dense layers ${mergedLayers}), leaving ${effectiveDepth} ` +
        'layers whose activations let it bend.'
      : `none of its ${effectiveDepth} Dense layers merge, and their activations let it bend.`));
  }
  setText(box, parts.join(' '));
  update(box, 'className', `collapse ${linear ? 'linear' : 'bent'}`);
  update(box, 'hidden', parts.length === 0);
}

function showInsights(info, runs) {
  const items = [];
  for (const run of runs) {
    const s = run.snapshot;
    if (s.pieces > 1) items.push(`${run.label}: ${s.breakpoints.length} relu kinks on the axis, ${s.pieces} straight pieces over the data.`);
    if (s.pieces === 1 && run.reluUnits > 0) items.push(`${run.label}: relu, yet one straight piece over the data — every kink lies outside it.`);
    if (s.deadUnits > 0) items.push(`${run.label}: ${s.deadUnits} of ${run.reluUnits} relu units are dead (off for every example).`);
    if (Number.isFinite(s.rmseOutside)) {
      items.push(`${run.label}: RMSE ${formatNumber(s.rmseInside)} on the data's range, ${formatNumber(s.rmseOutside)} beyond it (shaded).`);
    }
  }
  const list = $('insights');
  if (items.length === 0 && list.children.length) return; // keep the last exact facts
  if (items.join('\n') === [...list.children].map((li) => li.textContent).join('\n')) return;
  list.replaceChildren(...items.map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
}
