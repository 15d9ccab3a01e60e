//! Training throughput of the native core: `cargo bench`.
//!
//! For the question's 20-100-1000-100-20-1 network and a small 1-64-64-1 relu network,
//! 1000 examples, batch 100, Adam, MSE: examples per second and GFLOP/s, counting the
//! multiply-adds of the matrix products (forward x·W, backward xᵀ·δ and δ·Wᵀ) as 2 flops.
//! Prints the median of several runs, on one thread and on every core (each step shared:
//! `parallel`); no assertions.

use squares_playground::{preset, Experiment, Trainer};
use std::time::Instant;

/// Flops of one example's forward + backward pass through the Dense layers.
fn flops_per_example(experiment: &Experiment) -> f64 {
    let widths = experiment.widths();
    let products: Vec<f64> = widths.windows(2).map(|w| (w[0] * w[1]) as f64).collect();
    let forward = 2.0 * products.iter().sum::<f64>();
    let grad_weights = forward;
    // No ∂L/∂x is needed for the first layer.
    let grad_inputs = forward - 2.0 * products[0];
    forward + grad_weights + grad_inputs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn bench(name: &str, experiment: Experiment, epochs: usize, runs: usize, threads: usize) {
    squares_playground::parallel::set_threads(threads);
    let experiment = Experiment { epochs, ..experiment };
    let examples = (experiment.examples * epochs) as f64;
    let seconds: Vec<f64> = (0..runs)
        .map(|_| {
            let mut trainer = Trainer::new(&experiment).unwrap();
            let start = Instant::now();
            trainer.run(|_| {});
            start.elapsed().as_secs_f64()
        })
        .collect();
    let s = median(seconds.clone());
    let spread = seconds.iter().fold(0.0f64, |m, x| m.max((x / s - 1.0).abs()));
    println!(
        "{name:<28} {threads} thread(s) {:>9} params  {:>10.0} examples/s  {:>6.2} GFLOP/s  (median of {runs}, spread ±{:.0}%)",
        experiment.parameter_count(),
        examples / s,
        examples * flops_per_example(&experiment) / s / 1e9,
        spread * 100.0
    );
}

fn main() {
    let big = preset("question-square").expect("preset").experiment();
    let small = preset("small-relu").expect("preset").experiment();
    println!("native training throughput (1000 examples, batch 100, Adam, MSE)");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        bench("question 20-100-1000-100-20-1", big.clone(), 20, 5, threads);
        bench("small 1-64-64-1 relu", small.clone(), 200, 5, threads);
    }
}
