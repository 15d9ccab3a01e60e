//! `squares`: reproduce any experiment from the terminal, printing Keras-like progress and
//! the question's report.
//!
//!     cargo run --release -- --preset question-square
//!     cargo run --release -- --link 'v=1&task=square&layers=32:relu,32:relu&epochs=100'
//!     cargo run --release -- --preset question-square --layers 20:relu,20:relu --epochs 50

use squares_playground::analysis::{self, Affine};
use squares_playground::keras_export::keras_script;
use squares_playground::keras_replay::keras_exact_script;
use squares_playground::run_json::run_json;
use squares_playground::{pieces, Activation};
use squares_playground::{preset, Experiment, Status, Trainer, PRESETS};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: squares [--preset NAME | --link QUERY] [--KEY VALUE]... [--every N] [--quiet] [--list]
  --preset NAME   start from a preset (see --list)
  --link QUERY    start from a share link's query (v=1&task=...)
  --KEY VALUE     override one link field: task inputs examples largest norm layers opt
                  lr beta1 beta2 eps momentum batch epochs seed
  --every N       print progress every N epochs (default 1, like Keras verbose=2)
  --quiet         no per-epoch progress
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
    exact: bool,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        base: Experiment::default().to_query(),
        overrides: Vec::new(),
        every: 1,
        keras: false,
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
            "--exact" => parsed.exact = true,
            "--json" => parsed.json = true,
            f if f.starts_with("--") => parsed.overrides.push((f[2..].to_string(), value()?)),
            f => return Err(format!("unexpected argument {f:?}\n{USAGE}")),
        }
    }
    if parsed.exact && !parsed.keras {
        return Err("--exact goes with --keras".into());
    }
    Ok(Some(parsed))
}

/// The base query with every overridden key replaced, so the strict parse sees each key once.
fn merged_query(args: &Args) -> String {
    let base = args.base.trim_start_matches('?');
    let kept = base.split('&').filter(|pair| {
        let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
        !args.overrides.iter().any(|(k, _)| k == key)
    });
    let overrides = args.overrides.iter().map(|(k, v)| format!("{k}={v}"));
    kept.map(String::from).chain(overrides).collect::<Vec<_>>().join("&")
}

fn describe_line(line: &Affine) -> String {
    let (a, b) = line.along_diagonal();
    format!("y = {a:.6}·x {} {:.3}", if b < 0.0 { '-' } else { '+' }, b.abs())
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
    if args.json {
        let mut trainer = Trainer::new(&experiment);
        trainer.run(|_| {});
        println!("{}", run_json(&trainer));
        return ExitCode::SUCCESS;
    }
    println!("link: ?{}", experiment.to_query());
    println!("{} parameters, {} examples", experiment.parameter_count(), experiment.examples);

    let mut trainer = Trainer::new(&experiment);
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

    let data = trainer.data();
    let floor = analysis::best_line(data);
    println!("Best straight line through the data: {} (RMSE {:.1}, the floor)", describe_line(&floor.line), floor.rmse);
    match analysis::collapse_in_user_units(trainer.network(), &data.scaling) {
        Some(line) => println!(
            "This {}-layer network = one unit: {} (largest gap {:.3e})",
            trainer.network().layers.len(),
            describe_line(&line),
            analysis::collapse_gap(trainer.network(), data).unwrap_or(f64::NAN)
        ),
        None => {
            println!("Effective depth after merging linear layers: {}", analysis::effective_depth(trainer.network()))
        }
    }
    let network = trainer.network();
    if let Some(p) = pieces::breakpoints(network, &data.scaling, 1.0, experiment.largest as f64) {
        println!("Kinks inside the data: {}, linear pieces: {}", p.breakpoints.len(), p.pieces);
    }
    let relu_units: usize = network.layers.iter().filter(|l| l.activation == Activation::Relu).map(|l| l.units()).sum();
    if relu_units > 0 {
        println!(
            "Dead relu units (off for every example): {} of {relu_units}",
            pieces::dead_units(network, &data.x).len()
        );
    }
    print!("{}", analysis::report(trainer.network(), data));
    ExitCode::SUCCESS
}
