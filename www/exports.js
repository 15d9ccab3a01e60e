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
