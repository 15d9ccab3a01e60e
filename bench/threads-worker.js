// One timing of bench.js's shared steps: a training worker like the page's (www/worker.js,
// loading the build and helpers engine.js picks for `?threads=N`), without the page. It
// trains five warm-up epochs (V8 compiles the hot functions' optimised code in the
// background meanwhile, which would take a core from the timing), then `epochs` epochs, and
// reports the seconds and the helpers' counts. Nothing is drawn.
import { loadEngine } from '../www/engine.js';

const threads = Number(new URL(self.location.href).searchParams.get('threads')) || 1;
const engine = loadEngine(threads);

self.onmessage = async ({ data: { query, epochs } }) => {
  try {
    const { wasm } = await engine;
    const trainer = new wasm.Trainer(query);
    const perEpoch = trainer.info().batchesPerEpoch;
    trainer.step(5 * perEpoch);
    const t0 = performance.now();
    trainer.step(epochs * perEpoch);
    const seconds = (performance.now() - t0) / 1000;
    self.postMessage({ seconds, steps: epochs * perEpoch, threads: Array.from(wasm.thread_counts()) });
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
