// Picks and loads the wasm build this browser runs best. Wasm has no run-time feature
// detection, so scripts/build-web.sh builds the core twice: pkg-relaxed/ (relaxed SIMD: a
// fused multiply-add in the matrix kernel) and pkg/ (plain 128-bit SIMD, for browsers
// without relaxed SIMD). The two give the same results up to the last bits.

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

/**
 * Imports the matching wasm-bindgen glue and awaits its init() (fetching and compiling the
 * .wasm next to it). Resolves to `{ wasm, simd }`: the glue's module namespace and
 * 'relaxed-simd' or 'simd128'. Every call returns the same promise.
 */
export function loadEngine() {
  loading ??= (async () => {
    const simd = WebAssembly.validate(RELAXED_SIMD_PROBE) ? 'relaxed-simd' : 'simd128';
    const wasm = simd === 'relaxed-simd'
      ? await import('../pkg-relaxed/squares_playground.js')
      : await import('../pkg/squares_playground.js');
    await wasm.default();
    return { wasm, simd };
  })();
  return loading;
}
