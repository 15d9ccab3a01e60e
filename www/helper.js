// A helper thread of the threaded build (engine.js): it instantiates the module on the
// training worker's shared memory, says it is serving, then takes its part of every shared
// region of every step (parallel::serve), forever. It ends with the worker that made it.

import { initSync, serve_as_helper } from '../pkg-threads/squares_playground.js';

self.onmessage = ({ data: { module, memory } }) => {
  try {
    initSync({ module, memory });
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
    return;
  }
  self.postMessage({ serving: true });
  serve_as_helper(); // never returns
};
