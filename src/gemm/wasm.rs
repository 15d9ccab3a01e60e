//! The wasm micro-kernel: 128-bit SIMD, one build with a fused multiply-add (relaxed SIMD's
//! `f32x4.relaxed_madd`) and one without; `cfg(target_feature = "relaxed-simd")` picks.

use super::kernel::MicroKernel;
use core::arch::wasm32::*;

/// MR rows × NV vectors of four columns: MR·NV accumulators, NV B vectors and one broadcast
/// A value, all of which the engine must keep in registers (V8 on x86-64 has 16 xmm).
pub(crate) struct SimdTile<const MR: usize, const NV: usize>;

/// The kernel the wasm builds use. 4 × 8 (8 accumulators) was the fastest shape in Chromium
/// on x86-64 (256³, relaxed SIMD, GFLOP/s): 4 × 8 49.5, 2 × 16 49.5, 5 × 8 46.1, 8 × 4 40.5,
/// 4 × 16 33.6, 8 × 8 30.5, 6 × 8 25.8 — twelve or more accumulators spill.
pub(crate) type Simd = SimdTile<4, 2>;

/// acc + a·b: one rounding where the engine fuses (relaxed SIMD on a CPU with FMA), two
/// otherwise. The plain SIMD128 build always rounds twice, like the portable kernel.
#[inline(always)]
fn multiply_add(a: v128, b: v128, acc: v128) -> v128 {
    #[cfg(target_feature = "relaxed-simd")]
    return f32x4_relaxed_madd(a, b, acc);
    #[cfg(not(target_feature = "relaxed-simd"))]
    return f32x4_add(acc, f32x4_mul(a, b));
}

impl<const MR: usize, const NV: usize> MicroKernel for SimdTile<MR, NV> {
    const MR: usize = MR;
    const NR: usize = 4 * NV;
    /// One vector: the last panel of a 100- or 20-wide product.
    const NARROW: usize = 4;

    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: usize) {
        let mut acc = [[f32x4_splat(0.0); NV]; MR];
        for p in 0..kc {
            let b = b.add(p * 4 * NV);
            let bv: [v128; NV] = std::array::from_fn(|v| v128_load(b.add(4 * v) as *const v128));
            for (i, acc) in acc.iter_mut().enumerate() {
                // A[i, p] in all four lanes (a single load-and-broadcast instruction).
                let ai = v128_load32_splat(a.add(p * MR + i) as *const u32);
                for (acc, &bv) in acc.iter_mut().zip(&bv) {
                    *acc = multiply_add(ai, bv, *acc);
                }
            }
        }
        for (i, acc) in acc.iter().enumerate() {
            write_row(acc, alpha, beta, c.add(i * rsc));
        }
    }

    #[inline(always)]
    unsafe fn narrow_pair_tiles(
        segments: &[usize],
        mut a: [*const f32; 2],
        mut b: *const f32,
        alpha: f32,
        mut beta: f32,
        c: *mut f32,
        rsc: usize,
    ) {
        for &kc in segments {
            // 2·MR accumulators of one vector, each the sum `tile` makes for its element.
            let mut acc = [[[f32x4_splat(0.0); 1]; MR]; 2];
            for p in 0..kc {
                let bv = v128_load(b.add(p * 4 * NV) as *const v128);
                for (acc, a) in acc.iter_mut().zip(a) {
                    for (i, acc) in acc.iter_mut().enumerate() {
                        let ai = v128_load32_splat(a.add(p * MR + i) as *const u32);
                        acc[0] = multiply_add(ai, bv, acc[0]);
                    }
                }
            }
            for (half, acc) in acc.iter().enumerate() {
                for (i, acc) in acc.iter().enumerate() {
                    write_row(acc, alpha, beta, c.add((half * MR + i) * rsc));
                }
            }
            (a, b, beta) = (a.map(|a| a.add(kc * MR)), b.add(kc * 4 * NV), 1.0);
        }
    }
}

/// One row of a tile's accumulators into C: C ← α·acc + β·C, multiply then add (as the
/// scalar edge path does). Adding a block's sums onto the blocks before (α = β = 1,
/// `gemm_block_sums`) multiplies exactly by one, so a single add gives the same bits
/// without the two multiplies.
#[inline(always)]
unsafe fn write_row<const V: usize>(acc: &[v128; V], alpha: f32, beta: f32, row: *mut f32) {
    let adding = alpha == 1.0 && beta == 1.0;
    let (alphav, betav) = (f32x4_splat(alpha), f32x4_splat(beta));
    for (v, &acc) in acc.iter().enumerate() {
        let out = row.add(4 * v) as *mut v128;
        let value = if adding {
            f32x4_add(acc, v128_load(out))
        } else if beta == 0.0 {
            f32x4_mul(alphav, acc)
        } else {
            f32x4_add(f32x4_mul(alphav, acc), f32x4_mul(betav, v128_load(out)))
        };
        v128_store(out, value);
    }
}
