//! Our sgemm against the oracle, a naive triple loop in f64: many shapes (edges, primes,
//! k = 1, the network's own), transposed operands, α and β, and bit-for-bit determinism.
//! Also built for wasm (tests run in headless Chromium), once per SIMD flavour.

use ndarray::{s, Array2, ArrayView2, ShapeBuilder};
use squares_playground::gemm::{gemm, gemm_block_sums, gemm_portable};
use std::ops::Range;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Deterministic values in [−1, 1) from a small LCG, so failures reproduce.
fn matrix(rows: usize, cols: usize, seed: u32) -> Array2<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
    Array2::from_shape_fn((rows, cols), |_| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (state >> 8) as f32 / (1u32 << 23) as f32 - 1.0
    })
}

/// α·A·B + β·C in f64, and Σ|α·a·b| + |β·c| per element (the scale of the rounding error).
fn oracle(
    alpha: f32,
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    beta: f32,
    c: ArrayView2<f32>,
) -> (Array2<f64>, Array2<f64>) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    let mut exact = Array2::zeros((m, n));
    let mut scale = Array2::zeros((m, n));
    for i in 0..m {
        for j in 0..n {
            let (mut sum, mut abs) = (0.0f64, 0.0f64);
            for p in 0..k {
                let term = a[[i, p]] as f64 * b[[p, j]] as f64;
                sum += term;
                abs += term.abs();
            }
            let old = if beta == 0.0 { 0.0 } else { beta as f64 * c[[i, j]] as f64 };
            exact[[i, j]] = alpha as f64 * sum + old;
            scale[[i, j]] = (alpha as f64).abs() * abs + old.abs();
        }
    }
    (exact, scale)
}

/// Checks both kernels this build has (the fastest and the portable one) on A (m × k) and
/// B (k × n) against the oracle within f32 rounding: each of the k steps rounds at most
/// twice, so the error is below (k + 3)·2⁻²³ of the scale.
fn check(m: usize, k: usize, n: usize, alpha: f32, beta: f32, transpose_a: bool, transpose_b: bool) {
    let seed = (m * 31 + k * 7 + n) as u32;
    // A transposed operand is stored the other way round and viewed through .t(), as
    // Dense's backward pass does with xᵀ and Wᵀ.
    let a_store = if transpose_a { matrix(k, m, seed) } else { matrix(m, k, seed) };
    let b_store = if transpose_b { matrix(n, k, seed + 1) } else { matrix(k, n, seed + 1) };
    let a = if transpose_a { a_store.t() } else { a_store.view() };
    let b = if transpose_b { b_store.t() } else { b_store.view() };
    let c0 = matrix(m, n, seed + 2);
    let (exact, scale) = oracle(alpha, a, b, beta, c0.view());
    let bound = (k as f64 + 3.0) * f32::EPSILON as f64;
    let mut fastest = c0.clone();
    gemm(alpha, &a, &b, beta, &mut fastest);
    let mut portable = c0.clone();
    gemm_portable(alpha, &a, &b, beta, &mut portable);
    for (kernel, c) in [("fastest", fastest), ("portable", portable)] {
        for ((i, j), &got) in c.indexed_iter() {
            let (want, scale) = (exact[[i, j]], scale[[i, j]]);
            assert!(
                (got as f64 - want).abs() <= bound * scale + 1e-30,
                "{kernel} kernel, {m}×{k}·{k}×{n} (α {alpha}, β {beta}, Aᵀ {transpose_a}, Bᵀ {transpose_b}): \
                 C[{i},{j}] = {got}, want {want}"
            );
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn matches_the_naive_product_on_edge_sizes_primes_and_k_of_one() {
    let sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33];
    for &m in &sizes {
        for &k in &[1, 2, 7, 16, 37] {
            for &n in &sizes {
                check(m, k, n, 1.0, 0.0, false, false);
            }
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn matches_the_naive_product_across_block_boundaries() {
    // Past KC = 256 (k sums over several blocks), MC = 120 and NC = 1024.
    for &(m, k, n) in &[(121, 257, 17), (1, 600, 1), (241, 5, 1031), (97, 513, 101)] {
        check(m, k, n, 1.0, 0.0, false, false);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn matches_the_naive_product_on_the_dense_layers_shapes() {
    // The question's 20-100-1000-100-20-1 network, batch 100: forward x·W, backward xᵀ·δ
    // (A transposed) and δ·Wᵀ (B transposed).
    let widths = [1, 20, 100, 1000, 100, 20, 1];
    for w in widths.windows(2) {
        let (fan_in, units) = (w[0], w[1]);
        check(100, fan_in, units, 1.0, 0.0, false, false);
        check(fan_in, 100, units, 1.0, 0.0, true, false);
        check(100, units, fan_in, 1.0, 0.0, false, true);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn applies_alpha_and_beta_with_every_transpose() {
    for &(alpha, beta) in &[(1.0, 0.0), (0.5, 1.0), (-2.0, 0.25), (0.0, 1.5), (1.0, -1.0)] {
        for &(ta, tb) in &[(false, false), (true, false), (false, true), (true, true)] {
            for &(m, k, n) in &[(13, 29, 23), (100, 300, 40), (6, 1, 16)] {
                check(m, k, n, alpha, beta, ta, tb);
            }
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn beta_zero_overwrites_without_reading_so_stale_nans_do_not_leak() {
    let (a, b) = (matrix(9, 5, 1), matrix(5, 19, 2));
    let mut c = Array2::from_elem((9, 19), f32::NAN);
    gemm(1.0, &a, &b, 0.0, &mut c);
    assert!(c.iter().all(|v| v.is_finite()));
    let mut empty = Array2::from_elem((3, 4), f32::NAN);
    gemm(1.0, &Array2::<f32>::zeros((3, 0)), &Array2::<f32>::zeros((0, 4)), 0.0, &mut empty);
    assert!(empty.iter().all(|&v| v == 0.0), "k = 0: an empty sum");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_element_depends_only_on_its_inputs_not_on_layout_or_row_blocks() {
    let (m, k, n) = (100, 1000, 100);
    let (a, b) = (matrix(m, k, 7), matrix(k, n, 8));
    let mut whole = Array2::zeros((m, n));
    gemm(1.0, &a, &b, 0.0, &mut whole);

    let mut again = Array2::from_elem((m, n), 3.0);
    gemm(1.0, &a, &b, 0.0, &mut again);
    assert_eq!(whole, again, "same inputs, same bits");

    // A data-parallel worker computes a block of the batch's rows: the very same bits.
    let mut blocks = Array2::zeros((m, n));
    for (from, to) in [(0, 37), (37, 38), (38, 100)] {
        gemm(1.0, &a.slice(s![from..to, ..]), &b, 0.0, &mut blocks.slice_mut(s![from..to, ..]));
    }
    assert_eq!(whole, blocks, "row blocks");

    // Column-major operands and output: other strides, same sums in the same order.
    let a_columns = {
        let mut t = Array2::zeros((m, k).f());
        t.assign(&a);
        t
    };
    let b_columns = {
        let mut t = Array2::zeros((k, n).f());
        t.assign(&b);
        t
    };
    let mut c_columns = Array2::zeros((m, n).f());
    gemm(1.0, &a_columns, &b_columns, 0.0, &mut c_columns);
    assert_eq!(whole, c_columns, "column-major layout");
}

/// `gemm` on each block of the shared dimension in turn, the first overwriting C and the
/// others adding: what `gemm_block_sums` must reproduce bit for bit.
fn block_by_block(a: ArrayView2<f32>, b: ArrayView2<f32>, blocks: &[Range<usize>], c: &mut Array2<f32>) {
    for (i, block) in blocks.iter().enumerate() {
        let beta = if i == 0 { 0.0 } else { 1.0 };
        gemm(1.0, &a.slice(s![.., block.clone()]), &b.slice(s![block.clone(), ..]), beta, c);
    }
}

/// `sizes` cut 0..their sum into contiguous blocks.
fn blocks_of(sizes: &[usize]) -> Vec<Range<usize>> {
    let mut start = 0;
    sizes
        .iter()
        .map(|&size| {
            let block = start..start + size;
            start += size;
            block
        })
        .collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn block_sums_give_the_bits_of_gemm_on_each_block_in_turn() {
    // ∂L/∂W = xᵀ·δ over a batch's eight blocks (the network's shapes and an edge tile),
    // blocks longer than KC = 256 (cut again inside), more blocks than a chunk's 16
    // segments, blocks of one row, and a single block (plain `gemm`).
    let cases: [(usize, usize, Vec<usize>); 7] = [
        (100, 1000, vec![12, 13, 12, 13, 12, 13, 12, 13]),
        (1000, 100, vec![12, 13, 12, 13, 12, 13, 12, 13]),
        (21, 13, vec![3, 4, 3, 4, 3, 4, 3, 4]),
        (9, 17, vec![300, 1, 555, 256]),
        (30, 11, vec![5; 41]),
        (5, 31, vec![1; 20]),
        (33, 45, vec![700]),
    ];
    for (fan_in, units, sizes) in cases {
        let blocks = blocks_of(&sizes);
        let rows = blocks.last().unwrap().end;
        let (x, delta) = (matrix(rows, fan_in, fan_in as u32), matrix(rows, units, units as u32));
        let mut want = Array2::from_elem((fan_in, units), f32::NAN);
        block_by_block(x.t(), delta.view(), &blocks, &mut want);
        let mut got = Array2::from_elem((fan_in, units), f32::NAN);
        gemm_block_sums(&x.t(), &delta, &blocks, &mut got);
        assert!(got.iter().all(|v| v.is_finite()), "{fan_in}×{units}, blocks {sizes:?}: the first block overwrites");
        assert_eq!(got, want, "{fan_in}×{units}, blocks {sizes:?}");
    }
}

/// Native only: on wasm a panic aborts the test run.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn block_sums_refuse_blocks_that_do_not_cover_the_shared_dimension() {
    let (a, b) = (matrix(4, 10, 1), matrix(10, 8, 2));
    for blocks in [vec![0..4, 5..10], vec![0..4, 4..9], vec![0..0, 0..10], vec![4..10, 0..4]] {
        let mut c = Array2::zeros((4, 8));
        let refused =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| gemm_block_sums(&a, &b, &blocks, &mut c)));
        assert!(refused.is_err(), "blocks {blocks:?} accepted");
    }
}
