// Binds the form to the experiment: fills the controls from a canonical query and turns
// edits into a new query. No training and no drawing here.

import { CONTROL_KEYS, fieldsOf, formatLayers, parseLayers, withFields } from './state.js';

const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid', 'softplus', 'swish'];
const $ = (id) => document.getElementById(id);

/**
 * @param {object} hooks
 * @param {() => string} hooks.current   the current canonical query
 * @param {(query: string) => void} hooks.change  called with an edited (raw) query
 * @param {{names: string[], caption: (n: string) => string, query: (n: string) => string}} hooks.presets
 * @param {(query: string, on: boolean) => string} hooks.withTwin  the query with twin mode on/off
 * @param {(text: string) => string} hooks.checkFormula  "" for a usable function, else why not
 */
export function bindControls({ current, change, presets, withTwin, checkFormula }) {
  const presetSelect = $('preset');
  for (const name of presets.names) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    presetSelect.append(option);
  }
  presetSelect.addEventListener('change', () => {
    if (presetSelect.value) change(presets.query(presetSelect.value));
  });

  // Number fields commit on 'change' (Enter or leaving the field), not on every keystroke.
  for (const key of CONTROL_KEYS.filter((k) => k !== 'f')) {
    $(key).addEventListener('change', () => change(withFields(current(), { [key]: $(key).value })));
  }
  // The function is checked as it is typed (the error says where), and trained on Enter
  // or on leaving the field only when it can be.
  const formula = $('f');
  const help = $('f-help');
  const helpText = help.textContent;
  const check = () => {
    const problem = checkFormula(formula.value);
    formula.classList.toggle('invalid', Boolean(problem));
    formula.setAttribute('aria-invalid', String(Boolean(problem)));
    help.textContent = problem ? `Not yet: ${problem}.` : helpText;
    return !problem;
  };
  formula.addEventListener('input', check);
  formula.addEventListener('change', () => {
    if (check()) change(withFields(current(), { task: 'f', f: formula.value }));
  });

  // With twin mode on, the twin follows the network: same widths, relu <-> linear.
  const setLayers = (layers) => {
    const query = withFields(current(), { layers: formatLayers(layers) });
    change(hasTwin(fieldsOf(query)) ? withTwin(query, true) : query);
  };
  $('twin').addEventListener('change', () => change(withTwin(current(), $('twin').checked)));
  const layersNow = () => parseLayers(fieldsOf(current()).get('layers'));
  $('add-layer').addEventListener('click', () => {
    const layers = layersNow();
    const last = layers[layers.length - 1] ?? { units: 16, activation: 'relu' };
    setLayers([...layers, { ...last }]);
  });
  for (const activation of ['relu', 'linear']) {
    $(`all-${activation}`).addEventListener('click', () => {
      setLayers(layersNow().map((l) => ({ ...l, activation })));
    });
  }
  $('layers').addEventListener('change', (event) => {
    const row = event.target.closest('li');
    const index = [...$('layers').children].indexOf(row);
    const layers = layersNow();
    if (event.target.name === 'units') layers[index].units = event.target.value;
    if (event.target.name === 'activation') layers[index].activation = event.target.value;
    setLayers(layers);
  });
  $('layers').addEventListener('click', (event) => {
    if (event.target.name !== 'remove') return;
    const index = [...$('layers').children].indexOf(event.target.closest('li'));
    setLayers(layersNow().filter((_, i) => i !== index));
    // The row (and the focused button) is gone: keep the keyboard user in the list.
    const rows = $('layers').children;
    const next = (rows[index] ?? rows[index - 1])?.querySelector('[name=remove]') ?? $('add-layer');
    next.focus();
  });
}

/** Twin mode: a `twin` field that is not "off". */
const hasTwin = (fields) => (fields.get('twin') ?? 'off') !== 'off';

/** Shows a canonical query in the form. */
export function showQuery(query, presets) {
  const fields = fieldsOf(query);
  for (const key of CONTROL_KEYS) {
    const input = $(key);
    if (fields.has(key)) input.value = fields.get(key);
  }
  // Momentum is SGD's, the number of inputs the sum's; defaults when the link omits them.
  if (!fields.has('momentum')) $('momentum').value = '0';
  if (!fields.has('extent')) $('extent').value = '1';
  if (fields.has('seeds')) $('seeds').value = fields.get('seeds');
  // Noise and the test set are off unless the link says otherwise; a value the menu
  // lacks (typed into a link) is added to it, so the form shows what runs.
  for (const key of ['noise', 'test']) {
    const value = fields.get(key) ?? '0';
    const select = $(key);
    if (![...select.options].some((o) => o.value === value)) select.append(new Option(value, value));
    select.value = value;
  }
  $('twin').checked = hasTwin(fields);
  $('twin-layers').textContent = hasTwin(fields) ? `twin layers: ${fields.get('twin')}` : '';
  if (!fields.has('inputs')) $('inputs').value = fields.get('task') === 'product' ? '2' : '1';
  $('inputs-row').hidden = fields.get('task') !== 'sum';
  $('f-row').hidden = fields.get('task') !== 'f';
  $('f-help').hidden = fields.get('task') !== 'f';
  if (!fields.has('f')) $('f').value = 'x^2';
  $('momentum-row').hidden = fields.get('opt') !== 'sgd';
  const match = presets.names.find((n) => presets.query(n) === query);
  $('preset').value = match ?? '';
  $('preset-caption').textContent = match ? presets.caption(match) : '';
  showLayers(parseLayers(fields.get('layers')));
}

function showLayers(layers) {
  const list = $('layers');
  // Rebuild only when the shape changed, so a focused field keeps its focus.
  const rows = [...list.children];
  if (rows.length !== layers.length) {
    list.replaceChildren(...layers.map((_, i) => layerRow(i)));
  }
  [...list.children].forEach((row, i) => {
    row.querySelector('[name=units]').value = String(layers[i].units);
    row.querySelector('[name=activation]').value = layers[i].activation;
  });
}

function layerRow(i) {
  const row = document.createElement('li');
  const units = document.createElement('input');
  Object.assign(units, { type: 'number', name: 'units', min: 1, max: 2048, step: 1, id: `layer-${i}-units` });
  units.setAttribute('aria-label', `Layer ${i + 1} units`);
  const activation = document.createElement('select');
  Object.assign(activation, { name: 'activation', id: `layer-${i}-activation` });
  activation.setAttribute('aria-label', `Layer ${i + 1} activation`);
  for (const name of ACTIVATIONS) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    activation.append(option);
  }
  const remove = document.createElement('button');
  Object.assign(remove, { type: 'button', name: 'remove', textContent: '✕', title: `Remove layer ${i + 1}` });
  remove.setAttribute('aria-label', `Remove layer ${i + 1}`);
  const label = document.createElement('span');
  label.className = 'muted';
  label.textContent = `Layer ${i + 1}`;
  row.append(label, units, activation, remove);
  return row;
}
