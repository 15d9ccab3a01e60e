//! The x86-64 micro-kernel: AVX2 + FMA, chosen at run time (the native build targets
//! baseline x86-64, so it also runs where neither exists, on the portable kernel).

use super::kernel::MicroKernel;
use super::{blocked, Operands};
use std::arch::x86_64::*;

/// AVX2 and FMA are both present (std caches the answer).
pub(crate) fn available() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

/// 6 rows × 16 columns: 12 ymm accumulators + 2 B vectors + 1 broadcast A value = 15 of
/// the 16 registers, the classic Haswell shape (two FMA ports, each 4-cycle latency, need
/// ≥ 8 independent accumulators to stay busy).
pub(crate) struct Avx2Fma;

impl MicroKernel for Avx2Fma {
    const MR: usize = 6;
    const NR: usize = 16;

    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: usize) {
        tile_avx2_fma(kc, a, b, alpha, beta, c, rsc)
    }
}

#[target_feature(enable = "avx2,fma")]
unsafe fn tile_avx2_fma(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: usize) {
    const MR: usize = Avx2Fma::MR;
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    for p in 0..kc {
        let b = b.add(p * 16);
        let (b0, b1) = (_mm256_loadu_ps(b), _mm256_loadu_ps(b.add(8)));
        for (i, acc) in acc.iter_mut().enumerate() {
            let ai = _mm256_broadcast_ss(&*a.add(p * MR + i));
            acc[0] = _mm256_fmadd_ps(ai, b0, acc[0]);
            acc[1] = _mm256_fmadd_ps(ai, b1, acc[1]);
        }
    }
    // C ← α·acc + β·C, multiply then add (as the scalar edge path does).
    let (alpha, betav) = (_mm256_set1_ps(alpha), _mm256_set1_ps(beta));
    for (i, acc) in acc.iter().enumerate() {
        for (v, &acc) in acc.iter().enumerate() {
            let out = c.add(i * rsc + 8 * v);
            let scaled = _mm256_mul_ps(alpha, acc);
            let value =
                if beta == 0.0 { scaled } else { _mm256_add_ps(scaled, _mm256_mul_ps(betav, _mm256_loadu_ps(out))) };
            _mm256_storeu_ps(out, value);
        }
    }
}

/// The blocked product with the AVX2 + FMA kernel, compiled with those features so the
/// kernel inlines into the loops.
///
/// # Safety
/// As `blocked`, and the CPU must have AVX2 and FMA (`available()`).
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn gemm(product: Operands, alpha: f32, beta: f32, blocks: &[std::ops::Range<usize>]) {
    blocked::<Avx2Fma>(product, alpha, beta, blocks)
}
