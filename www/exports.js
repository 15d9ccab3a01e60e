// Files for the user: the chart as PNG, the predictions as CSV.

/** Starts a download of `blob` named `name`. */
export function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * CSV of x, the target and each run's prediction on the chart's grid (interleaved
 * [x, y, …] arrays on the same x).
 */
export function predictionsCsv(target, runs) {
  const quote = (text) => `"${text.replace(/"/g, '""')}"`;
  const rows = [['x', 'target', ...runs.map((r) => r.label)].map(quote).join(',')];
  for (let i = 0; i < target.length; i += 2) {
    rows.push([target[i], target[i + 1], ...runs.map((r) => r.curve[i + 1])].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/**
 * CSV of a two-input task over the chart's square: x1, x2, the target and each run's
 * prediction, one row per cell (the grid's cell centres, row-major).
 * @param {{lo: number, hi: number, n: number, target: Float64Array}} surface
 * @param {Array<{label: string, values: Float64Array | undefined}>} runs
 */
export function surfaceCsv({ lo, hi, n, target }, runs) {
  const quote = (text) => `"${text.replace(/"/g, '""')}"`;
  const at = (i) => lo + ((i + 0.5) * (hi - lo)) / n;
  const rows = [['x1', 'x2', 'target', ...runs.map((r) => r.label)].map(quote).join(',')];
  for (let k = 0; k < n * n; k++) {
    rows.push([at(k % n), at(Math.floor(k / n)), target[k], ...runs.map((r) => r.values?.[k] ?? '')].join(','));
  }
  return `${rows.join('\n')}\n`;
}
