// The one experiment config. It lives as the canonical query string produced by the Rust
// codec (`parse_link`), which also validates and clamps it; this module maps it to and
// from the form controls with one table, and keeps the address bar in sync.

/** Link keys edited by a plain form control with the same id. `layers` has its own editor. */
export const CONTROL_KEYS = [
  'task', 'f', 'inputs', 'examples', 'largest', 'norm', 'noise', 'test', 'extent', 'opt', 'lr', 'momentum', 'batch',
  'epochs', 'seed',
];

/** The query of the address bar, without the leading '?'. */
export function queryFromAddress() {
  return window.location.search.replace(/^\?/, '');
}

/** Puts the canonical query in the address bar without adding history entries. */
export function writeAddress(query) {
  window.history.replaceState(null, '', `?${query}`);
}

/** The share link for a canonical query. */
export function shareLink(query) {
  const url = new URL(window.location.href);
  url.search = `?${query}`;
  url.hash = '';
  return url.toString();
}

/** Fields of a query as a Map (keys in order). */
export function fieldsOf(query) {
  return new Map(new URLSearchParams(query));
}

/** `64:relu,64:relu` -> [{units: 64, activation: 'relu'}, …]; `none` -> []. */
export function parseLayers(text) {
  if (!text || text === 'none') return [];
  return text.split(',').map((entry) => {
    const [units, activation = 'linear'] = entry.split(':');
    return { units: Number(units), activation };
  });
}

export function formatLayers(layers) {
  return layers.length ? layers.map((l) => `${l.units}:${l.activation}`).join(',') : 'none';
}

/**
 * Builds a query from the current query with some fields replaced. Keys without a control
 * (beta1, beta2, eps) are carried over, so editing the form never loses them. The result
 * is not canonical yet: pass it through `parse_link`. A change to null removes the field.
 */
export function withFields(query, changes) {
  const fields = fieldsOf(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) fields.delete(key); // a field to leave out
    else fields.set(key, String(value));
  }
  // Switching task resets the number of inputs to what the new task dictates.
  if ('task' in changes && changes.task !== 'sum') fields.delete('inputs');
  return [...fields].map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%3A/g, ':').replace(/%2C/g, ',')}`).join('&');
}

/** "relu", "linear" or "mixed": what a legend calls a list of layers. */
export function describeLayers(layers) {
  const kinds = new Set(layers.map((l) => l.activation));
  if (kinds.size === 0) return 'no hidden layer';
  return kinds.size === 1 ? [...kinds][0] : 'mixed';
}

/** The HTML to paste into a page to embed the playground at `link` (which has embed=1). */
export function embedCode(link) {
  const src = link.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" width="720" height="480" style="border:0; max-width:100%" ` +
    'title="Squares Playground: why can\'t my network learn y = x²?" loading="lazy"></iframe>';
}
