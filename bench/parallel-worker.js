// One worker of bench.js's shared-step timing: the page's own protocol (www/parallel.js)
// without the page. Worker 0 leads: it trains `epochs` epochs step by step and reports the
// seconds; the others are replicas that step when it says. Nothing is drawn.
import { loadEngine } from '../www/engine.js';
import { Replicas } from '../www/parallel.js';

self.onmessage = async ({ data: { query, shared, index, workers, epochs } }) => {
  const { wasm } = await loadEngine();
  const trainer = new wasm.Trainer(query);
  const replicas = new Replicas(shared, index, workers);
  if (index > 0) {
    replicas.replicaLoop(trainer);
    return;
  }
  const steps = epochs * trainer.info().batchesPerEpoch;
  replicas.leaderStep(trainer); // warm-up: the replicas have loaded, the kernels are hot
  const t0 = performance.now();
  for (let i = 1; i < steps; i++) replicas.leaderStep(trainer);
  const seconds = (performance.now() - t0) / 1000;
  replicas.stop();
  self.postMessage({ seconds, steps: steps - 1 });
};
