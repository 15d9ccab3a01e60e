//! A matrix product C ← A·B shared between the pool's threads, then a finishing pass (a
//! layer's bias and activation) over each block of C once it holds its final sums.
//!
//! Usually cut by blocks of C (`tile`): each part multiplies its rows of A by its columns of
//! B, and packs the whole of the operand it does not cut. That costs little when the product
//! is wide, but two of the question's products are 1000 deep and only 100 × 100 wide (x·W
//! of the layer after the 1000-wide one, and δ·Wᵀ of the 1000-wide layer itself): every part
//! then packs all of the 1000 × 100 weights. Natively on a machine of our kind, that product cut into 2, 4 and
//! 8 row blocks does 1.04, 1.22 and 1.45 times the work of one part in all. So a product that
//! deep is first cut along the shared dimension, at `gemm`'s segment boundaries, each part
//! packing only its slice of A and of B: cut so into 2, 4 and 8 parts (8 = 4 slices × 2 row
//! blocks), 1.00, 1.01 and 1.07 times the work of one.
//!
//! The bits stay those of one thread. `gemm` sums every element segment by segment (SEGMENT
//! deep, from the start of the shared dimension), each from zero, adding each segment's sum
//! to what the ones before left in C, in order. Here one `gemm` call sums the first group of
//! segments into C, exactly so; every later segment is summed from zero into a buffer of its
//! own; then a second region adds the buffers to C in segment order: the same additions of
//! the same operands in the same order.

use super::{may_share, parts_for, share, split, tile, SharedOutput};
use crate::gemm::{gemm, SEGMENT};
use ndarray::{s, ArrayView2, ArrayViewMut2};
use std::cell::Cell;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

thread_local! {
    /// The later segments' sums, one m × n matrix each: grown to the largest product this
    /// thread has cut along its depth, then reused (a training step allocates nothing).
    static PARTIALS: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
}

/// C ← A·B (A m × k, B k × n, C m × n, row-major), shared between the pool's threads; then
/// `finish(rows, cols)` for blocks of C that together cover it once, each called when its
/// block holds its final values. With one thread, one call `finish(0..m, 0..n)`.
///
/// # Panics
/// If the shapes do not match.
pub fn product(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    c: SharedOutput,
    finish: impl Fn(Range<usize>, Range<usize>) + Sync,
) {
    let ((m, k), n) = (a.dim(), b.ncols());
    assert!(b.nrows() == k && c.dim() == (m, n), "product: {m}×{k} · {}×{n} into {:?}", b.nrows(), c.dim());
    if m == 0 || n == 0 {
        return finish(0..m, 0..n);
    }
    let segments = k.div_ceil(SEGMENT);
    // Segments summed into C by the first group; the later ones go through the buffers.
    let first_group = |parts: usize| share(segments, 0, depth_parts(parts, k), 1).end;
    // Room for every later segment's sums, taken only where the product may be shared (a
    // single thread, or a product inside a region, runs inline as one part).
    let sharing = may_share();
    let mut partials = if sharing { PARTIALS.take() } else { Vec::new() };
    let most = if sharing { segments.saturating_sub(1) * m } else { 0 };
    if partials.len() < most * n {
        partials.resize(most * n, 0.0);
    }
    let mut stacked = ArrayViewMut2::from_shape((most, n), &mut partials[..most * n]).expect("sized above");
    // Later segment j's sums are rows (j − first)·m … of `buffers` (none where nothing is shared).
    let buffers = (most > 0).then(|| SharedOutput::new(&mut stacked));
    let buffers = || buffers.expect("a product cut along its depth is shared, so its buffers exist");
    let used = AtomicUsize::new(1);
    split(parts_for(m * k * n), |part, parts| {
        used.store(parts, Relaxed);
        let depth = depth_parts(parts, k);
        let (rows, cols) = tile(m, n, part / depth, parts / depth);
        let group = share(segments, part % depth, depth, 1);
        let first = first_group(parts);
        if group.start == 0 {
            let shared = 0..(group.end * SEGMENT).min(k);
            // SAFETY: the parts' blocks of C are disjoint, and C outlives the region.
            let mut out = unsafe { c.block(rows.clone(), cols.clone()) };
            gemm(1.0, &a.slice(s![rows.clone(), shared.clone()]), &b.slice(s![shared, cols.clone()]), 0.0, &mut out);
            if depth == 1 {
                finish(rows, cols);
            }
            return;
        }
        for segment in group {
            let shared = segment * SEGMENT..((segment + 1) * SEGMENT).min(k);
            let at = (segment - first) * m;
            // SAFETY: each (segment, block) belongs to one part; the buffers outlive the region.
            let mut out = unsafe { buffers().block(at + rows.start..at + rows.end, cols.clone()) };
            gemm(1.0, &a.slice(s![rows.clone(), shared.clone()]), &b.slice(s![shared, cols.clone()]), 0.0, &mut out);
        }
    });
    let parts = used.into_inner();
    if depth_parts(parts, k) > 1 {
        let later = segments - first_group(parts);
        // C += each later segment's sums, in segment order, by blocks of rows.
        split(parts_for(m * n * later * ADD_WORK), |part, parts| {
            let rows = share(m, part, parts, 1);
            // SAFETY: the parts' rows are disjoint, and C outlives the region.
            let mut out = unsafe { c.block(rows.clone(), 0..n) };
            for j in 0..later {
                // SAFETY: the buffers are only read in this region.
                let sums = unsafe { buffers().block(j * m + rows.start..j * m + rows.end, 0..n) };
                out.zip_mut_with(&sums, |c, &s| *c += s);
            }
            finish(rows, 0..n);
        });
    }
    PARTIALS.set(partials);
}

/// An addition of the second region costs about as much as this many multiply-adds (two
/// loads, an add and a store: memory-bound, where a product runs from registers), for
/// `parts_for`, as `layer.rs`'s DERIVATIVE_WORK: the question's 100 × 100 outputs with two
/// later segments are then shared, not left to one thread while the others wait.
const ADD_WORK: usize = 10;

/// How many parts cut a product of depth `k` along it when `parts` threads share it: the
/// most that divides `parts`, at most one per segment, with groups of segments nearly equal
/// (the longest within 10 % of an even share); 1, cutting C only, where none does.
fn depth_parts(parts: usize, k: usize) -> usize {
    let segments = k.div_ceil(SEGMENT);
    (2..=parts.min(segments))
        .rev()
        .find(|&depth| {
            let longest =
                (0..depth).map(|g| share(segments, g, depth, 1)).map(|g| segment_span(g, k)).max().unwrap_or(0);
            parts.is_multiple_of(depth) && longest * depth * 10 <= k * 11
        })
        .unwrap_or(1)
}

/// How deep a run of segments is (the last may be short).
fn segment_span(segments: Range<usize>, k: usize) -> usize {
    (segments.end * SEGMENT).min(k).saturating_sub(segments.start * SEGMENT)
}
