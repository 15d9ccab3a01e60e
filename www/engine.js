// Picks and loads the wasm build this browser runs best. Wasm has no run-time feature
// detection, so scripts/build-web.sh builds the core three times: pkg-relaxed/ (relaxed
// SIMD: a fused multiply-add in the matrix kernel), pkg/ (plain 128-bit SIMD, for browsers
// without relaxed SIMD), and pkg-threads/ (relaxed SIMD on shared memory, for a training
// worker whose run gets several cores). pkg/ and pkg-relaxed/ give the same results up to
// the last bits; pkg-threads/ gives exactly pkg-relaxed/'s, on any number of threads.

/** The smallest module that uses f32x4.relaxed_madd; it validates only where relaxed SIMD runs. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //       type section: () -> v128
  0x03, 0x02, 0x01, 0x00, //                         function section: one function of type 0
  0x0a, 0x13, 0x01, 0x11, 0x00, //                   code section: one 17-byte body, no locals
  0x41, 0x00, 0xfd, 0x0f, //                         i32.const 0, i8x16.splat (three operands)
  0x41, 0x00, 0xfd, 0x0f,
  0x41, 0x00, 0xfd, 0x0f,
  0xfd, 0x85, 0x02, //                               f32x4.relaxed_madd
  0x0b, //                                           end
]);

/** Once per realm: the page's modules (main, charts) share one instance, and a worker has its own. */
let loading = null;

/** This browser runs relaxed SIMD (and so the relaxed and threaded builds). */
export const relaxedSimd = () => WebAssembly.validate(RELAXED_SIMD_PROBE);

/** The threaded build can run here: shared memory (a cross-origin isolated page) and relaxed SIMD. */
export const threadsAvailable = () => Boolean(self.crossOriginIsolated) && relaxedSimd();

/**
 * Imports the matching wasm-bindgen glue and awaits its init() (fetching and compiling the
 * .wasm next to it). Resolves to `{ wasm, simd, threads, memory }`: the glue's module
 * namespace, 'relaxed-simd' or 'simd128', the threads its steps use, and the threaded
 * build's shared memory (else undefined). With `threads` > 1 (a training worker, where
 * threadsAvailable()) it loads the threaded build and starts threads − 1 helpers on its
 * memory. Every call returns the same promise.
 */
export function loadEngine(threads = 1) {
  loading ??= (async () => {
    if (threads > 1 && threadsAvailable()) {
      try {
        return { ...(await loadThreaded(threads)), simd: 'relaxed-simd', threads };
      } catch (error) {
        // The run still trains, on one core (the page's footer follows the worker's counts).
        console.warn(`training on one thread: ${error.message}`);
      }
    }
    const simd = relaxedSimd() ? 'relaxed-simd' : 'simd128';
    const wasm = simd === 'relaxed-simd'
      ? await import('../pkg-relaxed/squares_playground.js')
      : await import('../pkg/squares_playground.js');
    await wasm.default();
    return { wasm, simd, threads: 1 };
  })();
  return loading;
}

/**
 * The threaded build: compiled once, instantiated here on a new shared memory and in each
 * helper (helper.js) on the same memory; then this thread's trainers share each step.
 * Resolves once every helper is serving: a worker's own workers start through its event
 * loop, which training then keeps busy. They live as long as this worker. Rejects, with
 * the helpers stopped, if one cannot start.
 */
async function loadThreaded(threads) {
  const wasm = await import('../pkg-threads/squares_playground.js');
  const module = await WebAssembly.compileStreaming(fetch(new URL('../pkg-threads/squares_playground_bg.wasm', import.meta.url)));
  const { memory } = await wasm.default({ module_or_path: module });
  const helpers = Array.from({ length: threads - 1 }, () => new Worker(new URL('./helper.js', import.meta.url), { type: 'module' }));
  try {
    await Promise.all(helpers.map((helper) => new Promise((resolve, reject) => {
      helper.onmessage = ({ data }) => (data.serving ? resolve() : reject(new Error(`a helper thread failed: ${data.error}`)));
      helper.onerror = (event) => reject(new Error(`a helper thread failed: ${event.message || 'it could not load'}`));
      helper.postMessage({ module, memory });
    })));
  } catch (error) {
    helpers.forEach((helper) => helper.terminate());
    throw error;
  }
  wasm.set_threads(threads);
  return { wasm, memory };
}
