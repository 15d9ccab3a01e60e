//! Our sgemm (`squares_playground::gemm`) against matrixmultiply's (ndarray's
//! `general_mat_mul`, what training used before) on the products training runs: `cargo bench`.
//!
//! The two are timed alternately in one process, so a busy machine slows both alike; each
//! figure is the median of 7 timings of ≥ 20 ms, with the largest deviation from it.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2};
use squares_playground::gemm::{gemm, kernel_name};
use std::time::Instant;

/// C = A·B with A m × k, B k × n; `ta`/`tb`: the operand is stored transposed (viewed by .t()).
struct Shape {
    name: &'static str,
    m: usize,
    k: usize,
    n: usize,
    ta: bool,
    tb: bool,
}

const SHAPES: [Shape; 7] = [
    Shape { name: "square 256 (the peak)", m: 256, k: 256, n: 256, ta: false, tb: false },
    Shape { name: "x·W      100×100 · 100×1000", m: 100, k: 100, n: 1000, ta: false, tb: false },
    Shape { name: "x·W      100×1000 · 1000×100", m: 100, k: 1000, n: 100, ta: false, tb: false },
    Shape { name: "xᵀ·δ     (100×1000)ᵀ · 100×100", m: 1000, k: 100, n: 100, ta: true, tb: false },
    Shape { name: "xᵀ·δ     (100×100)ᵀ · 100×1000", m: 100, k: 100, n: 1000, ta: true, tb: false },
    Shape { name: "δ·Wᵀ     100×1000 · (100×1000)ᵀ", m: 100, k: 1000, n: 100, ta: false, tb: true },
    Shape { name: "x·W      100×64 · 64×64 (small)", m: 100, k: 64, n: 64, ta: false, tb: false },
];

fn filled(rows: usize, cols: usize) -> Array2<f32> {
    Array2::from_shape_fn((rows, cols), |(i, j)| ((i * 7 + j * 3) % 11) as f32 * 0.1 - 0.5)
}

/// Seconds per product: the fastest way to be fair to a noisy machine is many short timings.
fn time(mut product: impl FnMut()) -> f64 {
    let mut reps = 1;
    loop {
        let start = Instant::now();
        (0..reps).for_each(|_| product());
        let seconds = start.elapsed().as_secs_f64();
        if seconds >= 0.02 {
            return seconds / reps as f64;
        }
        reps *= 2;
    }
}

fn median_and_spread(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let m = v[v.len() / 2];
    (m, v.iter().fold(0.0f64, |s, x| s.max((x / m - 1.0).abs())))
}

fn main() {
    println!("sgemm, ours ({}) vs matrixmultiply 0.3 (ndarray general_mat_mul), GFLOP/s", kernel_name());
    println!("{:<34} {:>14} {:>16} {:>8}", "product", "ours", "matrixmultiply", "ratio");
    for s in &SHAPES {
        let a_store = if s.ta { filled(s.k, s.m) } else { filled(s.m, s.k) };
        let b_store = if s.tb { filled(s.n, s.k) } else { filled(s.k, s.n) };
        let a: ArrayView2<f32> = if s.ta { a_store.t() } else { a_store.view() };
        let b: ArrayView2<f32> = if s.tb { b_store.t() } else { b_store.view() };
        let mut c = Array2::<f32>::zeros((s.m, s.n));
        let flops = 2.0 * (s.m * s.k * s.n) as f64;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..7 {
            ours.push(flops / time(|| gemm(1.0, &a, &b, 0.0, &mut c)) / 1e9);
            theirs.push(flops / time(|| general_mat_mul(1.0, &a, &b, 0.0, &mut c)) / 1e9);
        }
        let ratios: Vec<f64> = ours.iter().zip(&theirs).map(|(o, t)| o / t).collect();
        let ((o, os), (t, ts), (r, _)) =
            (median_and_spread(ours), median_and_spread(theirs), median_and_spread(ratios));
        println!("{:<34} {:>7.1} ±{:>3.0}% {:>9.1} ±{:>3.0}% {:>7.2}×", s.name, o, os * 100.0, t, ts * 100.0, r);
    }
}
