// A transparent canvas over each chart for what moves faster than the chart is redrawn: the
// readout's cursor and the tour's annotations. Each user draws its own layer; a change to
// one layer repaints the overlay. Charts report where their plot landed (a frame from
// Rust), so layers can map data to pixels.

/** chart canvas id -> { frame, layers: Map<name, draw(ctx, map)>, blank: the canvas is clear } */
const overlays = new Map();

const entry = (chartId) => {
  if (!overlays.has(chartId)) overlays.set(chartId, { frame: null, layers: new Map(), blank: false });
  return overlays.get(chartId);
};

/**
 * A chart's frame, `[left, top, right, bottom, x0, x1, y0, y1, logY]` in canvas pixels and
 * data units, turned into mappings both ways.
 */
export function mapping(frame) {
  const [left, top, right, bottom, x0, x1, y0, y1, logY] = frame;
  const fy = (y) => (logY ? Math.log10(y) : y);
  return {
    left, top, right, bottom, x0, x1, y0, y1,
    x: (x) => left + ((x - x0) / (x1 - x0)) * (right - left),
    y: (y) => bottom - ((fy(y) - fy(y0)) / (fy(y1) - fy(y0))) * (bottom - top),
    dataX: (px) => x0 + ((px - left) / (right - left)) * (x1 - x0),
    /** A linear y axis only (the heatmaps). */
    dataY: (py) => y0 + ((bottom - py) / (bottom - top)) * (y1 - y0),
  };
}

/** The chart was redrawn: remember where its plot is, and repaint the overlay to match. */
export function setFrame(chartId, frame) {
  entry(chartId).frame = frame;
  repaint(chartId);
}

export function frameOf(chartId) {
  const frame = overlays.get(chartId)?.frame;
  return frame ? mapping(frame) : null;
}

/** Sets (or with `draw` null, removes) one named layer of a chart's overlay. */
export function setLayer(chartId, name, draw) {
  const { layers } = entry(chartId);
  if (draw) layers.set(name, draw);
  else layers.delete(name);
  repaint(chartId);
}

/**
 * Redraws a chart's overlay. An overlay with nothing to draw is cleared once and then left
 * alone: every chart redraw repaints its overlay, and a canvas touched in a frame is copied
 * to the compositor whole, blank or not (in a software-drawn browser, a few milliseconds a
 * frame that a training run's threads lose).
 */
function repaint(chartId) {
  const chart = document.getElementById(chartId);
  const canvas = document.querySelector(`canvas.overlay[data-for="${chartId}"]`);
  const overlay = entry(chartId);
  const { frame, layers } = overlay;
  if (!chart || !canvas) return;
  if (canvas.width !== chart.width || canvas.height !== chart.height) {
    canvas.width = chart.width; // which also clears it
    canvas.height = chart.height;
    overlay.blank = true;
  }
  const empty = !frame || layers.size === 0;
  if (empty && overlay.blank) return;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  overlay.blank = empty;
  if (empty) return;
  const map = mapping(frame);
  for (const draw of layers.values()) {
    ctx.save();
    draw(ctx, map, window.devicePixelRatio || 1);
    ctx.restore();
  }
}
