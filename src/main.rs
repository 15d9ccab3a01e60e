//! `squares`: reproduce any experiment from the terminal, printing Keras-like progress and
//! the question's report.
//!
//!     cargo run --release -- --preset question-square
//!     cargo run --release -- --link 'v=1&task=square&layers=32:relu,32:relu&epochs=100'
//!     cargo run --release -- --preset question-square --layers 20:relu,20:relu --epochs 50
//!     cargo run --release -- --task f --f 'abs(x-500)' --layers 2:relu --norm standard --lr 0.05 --epochs 200 --seed 6
//!     cargo run --release -- --preset answer-fix --seeds 1..20

use squares_playground::analysis;
use squares_playground::codec::percent_encode;
use squares_playground::equation::equation;
use squares_playground::keras_export::keras_script;
use squares_playground::keras_replay::keras_exact_script;
use squares_playground::pieces::Traced;
use squares_playground::run_json::run_json;
use squares_playground::surface::first_layer_kinks;
use squares_playground::sweep::{self, SeedsArg};
use squares_playground::Activation;
use squares_playground::{preset, Experiment, Snapshotter, Status, Summary, Trainer, View, PRESETS};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: squares [--preset NAME | --link QUERY] [--KEY VALUE]... [--every N] [--quiet] [--list]
  --preset NAME   start from a preset (see --list)
  --link QUERY    start from a share link's query (v=1&task=...)
  --KEY VALUE     override one link field: task f inputs examples largest norm layers opt
                  lr beta1 beta2 eps momentum batch epochs seed twin extent
                  (--task f --f 'sin(x/100)*1000' trains on a typed function of x, or x1 and x2)
  --every N       print progress every N epochs (default 1, like Keras verbose=2)
  --quiet         no per-epoch progress (in a sweep: no per-seed lines, only the summary)
  --seeds A..B    a sweep: train seeds A to B (both included, 2 to 50 seeds) on every core
  --seeds N       a sweep of N seeds from the experiment's seed (seed, seed+1, …)
  --threads N     a sweep: worker threads (default: every core); one run: threads sharing
                  each step (default 1; the run is the same on any number)
  --keras         print the experiment as a runnable Keras script instead of training
                  (Keras's own random data, weights and batches: the same config, another run)
  --exact         with --keras: a script in which Keras replays this very run (our data,
                  initial weights and batch order travel inside it)
  --json          train, then print the run as JSON (per-epoch loss, final predictions, RMSE)
                  instead of progress and report
  --list          list the presets";

struct Args {
    base: String,
    overrides: Vec<(String, String)>,
    every: usize,
    keras: bool,
    threads: usize,
    exact: bool,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        base: Experiment::default().to_query(),
        overrides: Vec::new(),
        every: 1,
        keras: false,
        threads: 0,
        exact: false,
        json: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Err(USAGE.into()),
            "--list" => {
                for p in PRESETS {
                    println!("{:<16} {}\n{:<16} {}", p.name, p.caption, "", p.query);
                }
                return Ok(None);
            }
            "--preset" => {
                let name = value()?;
                parsed.base =
                    preset(&name).ok_or_else(|| format!("unknown preset {name:?} (try --list)"))?.query.into();
            }
            "--link" => parsed.base = value()?,
            "--every" => parsed.every = value()?.parse().map_err(|_| "--every needs a whole number".to_string())?,
            "--quiet" => parsed.every = 0,
            "--keras" => parsed.keras = true,
            "--seeds" => {
                let (first, count) = match sweep::parse_seeds(&value()?)? {
                    SeedsArg::Range { first, count } => (Some(first), count),
                    SeedsArg::Count(count) => (None, count),
                };
                parsed.overrides.push(("seeds".into(), count.to_string()));
                if let Some(first) = first {
                    parsed.overrides.push(("seed".into(), first.to_string()));
                }
            }
            "--threads" => {
                parsed.threads = value()?.parse().ok().filter(|&n| n > 0).ok_or("--threads needs a whole number ≥ 1")?
            }
            "--exact" => parsed.exact = true,
            "--json" => parsed.json = true,
            f if f.starts_with("--") => parsed.overrides.push((f[2..].to_string(), value()?)),
            f => return Err(format!("unexpected argument {f:?}\n{USAGE}")),
        }
    }
    if parsed.overrides.iter().filter(|(k, _)| k == "seed").count() > 1 {
        return Err("--seeds A..B sets the first seed: drop --seed, or give --seeds a count".into());
    }
    if parsed.exact && !parsed.keras {
        return Err("--exact goes with --keras".into());
    }
    Ok(Some(parsed))
}

/// The base query with every overridden key replaced, so the strict parse sees each key once.
/// Override values are plain text (`--f 'x^2+1'`), percent-encoded here.
fn merged_query(args: &Args) -> String {
    let base = args.base.trim_start_matches('?');
    let kept = base.split('&').filter(|pair| {
        let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
        !args.overrides.iter().any(|(k, _)| k == key)
    });
    let overrides = args.overrides.iter().map(|(k, v)| format!("{k}={}", percent_encode(v)));
    kept.map(String::from).chain(overrides).collect::<Vec<_>>().join("&")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(Some(args)) => args,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let experiment = match Experiment::from_query(&merged_query(&args)) {
        Ok(e) => e,
        Err(notes) => {
            for note in notes {
                eprintln!("error: {note}");
            }
            return ExitCode::from(2);
        }
    };
    if args.keras {
        let script = if args.exact { keras_exact_script(&experiment) } else { Ok(keras_script(&experiment)) };
        return match script {
            Ok(script) => {
                print!("{script}");
                ExitCode::SUCCESS
            }
            Err(too_large) => {
                eprintln!("error: {too_large}");
                ExitCode::from(2)
            }
        };
    }
    if !args.json {
        println!("link: ?{}", experiment.to_query());
        println!("target: {}", experiment.target().label());
        println!("{} parameters, {} examples", experiment.parameter_count(), experiment.examples);
        if experiment.seeds.is_some() {
            return run_sweep(&experiment, args.threads, args.every == 0);
        }
    }
    // One run: its steps shared by --threads threads (the same bits on any number).
    squares_playground::parallel::set_threads(args.threads.max(1));
    let mut trainer = match Trainer::new(&experiment) {
        Ok(trainer) => trainer,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        trainer.run(|_| {});
        println!("{}", run_json(&trainer));
        return ExitCode::SUCCESS;
    }
    let steps = trainer.batches_per_epoch();
    let mut last = Instant::now();
    let status = trainer.run(|t| {
        let epoch = t.epoch();
        if args.every > 0 && (epoch % args.every == 0 || epoch == experiment.epochs) {
            let elapsed = last.elapsed();
            last = Instant::now();
            let per_step = elapsed.as_secs_f64() * 1e3 / (steps * args.every.min(epoch)) as f64;
            println!("Epoch {epoch}/{}", experiment.epochs);
            println!("{steps}/{steps} - {:.0}ms/step - loss: {:.4e}", per_step, t.loss_history()[epoch - 1]);
        }
    });
    if let Status::Diverged { epoch } = status {
        println!("Training diverged in epoch {epoch}: the loss became NaN or infinite. Try a smaller learning rate.");
    }

    print_figures(&trainer);
    ExitCode::SUCCESS
}

/// The floor, the collapse, kinks and dead units, and the question's report: the same
/// exact pass the page makes.
fn print_figures(trainer: &Trainer) {
    let (network, data) = (trainer.network(), trainer.data());
    let floor = analysis::best_line(data);
    let through = if trainer.experiment().inputs == 1 { "straight line" } else { "plane" };
    println!("Best {through} through the data: {} (RMSE {:.1}, the floor)", equation(&floor.line), floor.rmse);
    // The axis reaches extent × largest: with extent > 1 the exact pass also measures
    // extrapolation (along the diagonal for several inputs, like the chart).
    let view = View::of(trainer);
    let mut snapshotter = Snapshotter::new(trainer, view);
    let collapse = snapshotter.live(trainer).collapse.clone();
    let exact = snapshotter.exact_now(trainer);
    match collapse {
        Some(line) => println!(
            "This {}-layer network = one unit: {} (largest gap {:.3e})",
            network.layers.len(),
            equation(&line),
            exact.collapse_gap.unwrap_or(f64::NAN)
        ),
        None => println!("Effective depth after merging linear layers: {}", analysis::effective_depth(network)),
    }
    match exact.kinks.traced {
        Traced::Exactly => println!(
            "Kinks on [0, {}]: {}; straight pieces over the data: {}",
            view.x_max,
            exact.kinks.breakpoints.len(),
            exact.kinks.pieces
        ),
        Traced::TooLarge => println!("Kinks: not traced, the network is too large to trace exactly"),
        Traced::NotPiecewiseLinear => {}
    }
    let largest = trainer.experiment().largest as f64;
    if let Some(lines) = first_layer_kinks(network, &data.scaling, 1.0, largest) {
        let units = network.layers[0].units();
        println!("First-layer kink lines crossing the data square: {} of {units} units", lines.len());
    }
    if let Some(beyond) = exact.rmse_outside {
        println!(
            "Grid RMSE over the data (x in 1..{largest}): {:.1}; beyond it (x in {largest}..{}): {beyond:.1}",
            exact.rmse_inside, view.x_max
        );
    }
    let relu_units: usize = network.layers.iter().filter(|l| l.activation == Activation::Relu).map(|l| l.units()).sum();
    if relu_units > 0 {
        println!("Dead relu units (off for every example): {} of {relu_units}", exact.dead_units);
    }
    print!("{}", exact.report);
}

/// A sweep: one line per seed in seed order as the runs finish (unless quiet), then the
/// summary in words, for the runs and their twins.
fn run_sweep(experiment: &Experiment, threads: usize, quiet: bool) -> ExitCode {
    let threads = if threads == 0 { sweep::default_threads() } else { threads };
    let seeds = experiment.sweep_seeds();
    println!(
        "Sweep: seeds {} to {} ({} seeds), {} epochs each, {threads} worker thread(s)",
        seeds[0],
        seeds[seeds.len() - 1],
        seeds.len(),
        experiment.epochs
    );
    let start = Instant::now();
    let results = match sweep::run(experiment, threads, |r| {
        if !quiet {
            println!("{}", r.line());
        }
    }) {
        Ok(results) => results,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    println!("{}", Summary::of_runs(&results).words());
    if let Some(twins) = Summary::of_twins(&results) {
        println!("Twins: {}", twins.words());
    }
    let runs = seeds.len() * if experiment.twin.is_some() { 2 } else { 1 };
    let examples = (runs * experiment.examples * experiment.epochs) as f64;
    let threads = if threads == 1 { "1 thread".to_string() } else { format!("{threads} threads") };
    println!("{} seeds in {seconds:.1} s on {threads} ({:.0} examples/s)", seeds.len(), examples / seconds);
    ExitCode::SUCCESS
}
