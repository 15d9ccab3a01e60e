//! The micro-kernel contract, and the portable kernel every target can fall back on.

/// A register-blocked micro-kernel: one MR × NR tile of C from one packed panel of A and one
/// of B. The accumulators live in registers for the whole `kc` loop, so each element of C
/// costs one load and one store per segment of the shared dimension, not one per multiply-add.
pub(crate) trait MicroKernel {
    /// Rows of the tile (of A's panel).
    const MR: usize;
    /// Columns of the tile (of B's panel).
    const NR: usize;

    /// C ← α·(A·B) + β·C on one tile, where
    /// - `a` is kc × MR packed p-major: A[i, p] at `a[p·MR + i]`,
    /// - `b` is kc × NR packed p-major: B[p, j] at `b[p·NR + j]`,
    /// - C[i, j] is at `c[i·rsc + j]` (unit column stride), i < MR, j < NR.
    ///
    /// Each element is one accumulator, summed over p = 0, 1, … kc−1 in order from zero, then
    /// written as `α·acc + β·C` (β = 0: C is not read, so stale NaNs cannot leak in). Every
    /// implementation keeps that order, so a result depends only on the shapes, not on where
    /// the tile sits.
    ///
    /// # Safety
    /// `a` must hold kc·MR floats, `b` kc·NR, and `c` must be valid for the whole tile.
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: usize);

    /// Columns of `narrow_pair_tiles`' tiles: 0 where the kernel has none.
    const NARROW: usize = 0;

    /// `tiles` on the first NARROW columns only, of two tiles one above the other (rows from
    /// A panels `a[0]` and `a[1]`, both C tiles from `c`): for the last panel of a product
    /// whose width leaves exactly NARROW columns there (the question's 100- and 20-wide
    /// layers against NR = 8). The edge path would compute the whole tile, padding
    /// included, then write it element by element: this costs half as much, at the full
    /// kernel's rate (as many accumulators), with the same sums and writes element by
    /// element, so the same bits.
    ///
    /// # Safety
    /// As `tiles`, for both panels and both tiles.
    #[allow(unused_variables)]
    unsafe fn narrow_pair_tiles(
        segments: &[usize],
        a: [*const f32; 2],
        b: *const f32,
        alpha: f32,
        beta: f32,
        c: *mut f32,
        rsc: usize,
    ) {
        unreachable!("a kernel without narrow tiles (NARROW = 0)")
    }

    /// `tile` on each segment of the panels in turn (their lengths add up to the panels'
    /// depth): the first with β, the others adding (β = 1) to what the one before wrote.
    ///
    /// # Safety
    /// As `tile`, for the panels' whole depth.
    #[inline(always)]
    unsafe fn tiles(
        segments: &[usize],
        mut a: *const f32,
        mut b: *const f32,
        alpha: f32,
        mut beta: f32,
        c: *mut f32,
        rsc: usize,
    ) {
        for &kc in segments {
            Self::tile(kc, a, b, alpha, beta, c, rsc);
            (a, b, beta) = (a.add(kc * Self::MR), b.add(kc * Self::NR), 1.0);
        }
    }
}

/// Plain Rust over fixed-size arrays, 4 × 8: LLVM keeps the 32 accumulators in vector
/// registers on any target with 128-bit SIMD (eight of them) and unrolls the tile loops.
/// Multiply then add, never fused, so it gives the same bits on every target.
pub(crate) struct Portable;

impl MicroKernel for Portable {
    const MR: usize = 4;
    const NR: usize = 8;

    #[inline(always)]
    unsafe fn tile(kc: usize, a: *const f32, b: *const f32, alpha: f32, beta: f32, c: *mut f32, rsc: usize) {
        const MR: usize = Portable::MR;
        const NR: usize = Portable::NR;
        let mut acc = [[0.0f32; NR]; MR];
        for p in 0..kc {
            let a = &*(a.add(p * MR) as *const [f32; MR]);
            let b = &*(b.add(p * NR) as *const [f32; NR]);
            for i in 0..MR {
                for j in 0..NR {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        for (i, acc) in acc.iter().enumerate() {
            let row = std::slice::from_raw_parts_mut(c.add(i * rsc), NR);
            if beta == 0.0 {
                row.iter_mut().zip(acc).for_each(|(c, &acc)| *c = alpha * acc);
            } else {
                row.iter_mut().zip(acc).for_each(|(c, &acc)| *c = alpha * acc + beta * *c);
            }
        }
    }
}
