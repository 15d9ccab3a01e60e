// Trains one experiment in our wasm build under Node and prints the run as JSON:
// {"query", "status", "loss": [per epoch], "rmse"}. PKG_DIR holds the `wasm-bindgen --target
// web` output of the crate — the glue the page loads (scripts/keras-parity.sh builds it).
//   node scripts/parity/wasm_run.mjs PKG_DIR 'v=1&task=square&...'
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkgDir, query] = process.argv.slice(2);
if (!pkgDir || !query) {
  console.error('usage: node wasm_run.mjs PKG_DIR QUERY');
  process.exit(2);
}
const glue = resolve(pkgDir, 'squares_playground.js');
const wasm = await import(pathToFileURL(glue).href);
wasm.initSync({ module: readFileSync(resolve(pkgDir, 'squares_playground_bg.wasm')) });

const link = wasm.parse_link(query);
if (link.notes.length > 0) {
  console.error(`the query was not used as given: ${link.notes.join('; ')}`);
  process.exit(2);
}
const trainer = new wasm.Trainer(link.query);
let status = 'running';
while (status === 'running') status = trainer.step(1000);
const loss = Array.from(trainer.loss_history(), (v) => (Number.isFinite(v) ? v : null));
console.log(JSON.stringify({ query: link.query, status, loss, rmse: trainer.rmse() }));
