//! A sweep's speed-up over one worker: `cargo bench --bench sweep`.
//!
//! The same sweep trained on 1 thread and on every core (`available_parallelism`); prints
//! examples/s for each and their ratio, the median of several runs. Figures only, no
//! assertions: the machine may be shared, and a figure is not a test.

use squares_playground::{preset, sweep, Experiment};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Examples per second of the whole sweep on `threads` workers (median of `runs`).
fn examples_per_second(experiment: &Experiment, threads: usize, runs: usize) -> f64 {
    let examples = (experiment.sweep_seeds().len() * experiment.examples * experiment.epochs) as f64;
    let seconds = (0..runs)
        .map(|_| {
            let start = Instant::now();
            sweep::run(experiment, threads, |_| {}).expect("a valid sweep");
            start.elapsed().as_secs_f64()
        })
        .collect();
    examples / median(seconds)
}

fn bench(name: &str, experiment: Experiment, runs: usize) {
    let cores = sweep::default_threads();
    let one = examples_per_second(&experiment, 1, runs);
    let all = examples_per_second(&experiment, cores, runs);
    println!(
        "{name:<40} 1 thread {one:>10.0} examples/s   {cores} threads {all:>10.0} examples/s   speed-up {:.2}× \
         (median of {runs})",
        all / one
    );
}

fn main() {
    let sweep_of = |name: &str, seeds: u32, epochs: usize| Experiment {
        seeds: Some(seeds),
        epochs,
        ..preset(name).expect("preset").experiment()
    };
    println!("sweep throughput, 1 thread vs every core ({} here)", sweep::default_threads());
    bench("small 1-64-64-1 relu, 8 seeds", sweep_of("small-relu", 8, 100), 3);
    bench("question 20-100-1000-100-20-1, 4 seeds", sweep_of("question-square", 4, 5), 3);
}
