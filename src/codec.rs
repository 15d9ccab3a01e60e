//! The versioned share-link codec: `Experiment` <-> `v=1&task=square&layers=32:relu,…`.
//!
//! One table (`FIELDS`) drives both directions, like TensorFlow Playground's `state.ts`.
//! Parsing is lenient and honest: every value that is unknown, malformed or out of range
//! is replaced (by the default or the nearest bound) and reported as a `ConfigNote`, so a
//! page can open any link and say exactly what it changed. The strict form,
//! `Experiment::from_query`, turns any note into an error (the CLI's `--link`).

mod note;
mod page;
mod seeds;
mod values;

pub use note::ConfigNote;
pub use page::PageOptions;
pub use values::percent_encode;

use crate::activation::Activation;
use crate::experiment::{limits, Experiment, LayerSpec, Normalization, OptimizerKind, OptimizerSpec, Task};
use crate::formula::{ErrorKind, Formula, DEFAULT_SOURCE};
use values::{int, named, parse_whole, percent_decode, real};

pub const VERSION: &str = "1";
/// Longer links are not parsed at all: nothing legitimate comes close.
pub const MAX_LINK_BYTES: usize = 4096;

/// The result of a lenient parse: always a valid experiment, plus what was changed.
#[derive(Clone, Debug)]
pub struct ParsedLink {
    pub experiment: Experiment,
    /// How the page shows it (pace, tour step, embed): not part of the experiment.
    pub page: PageOptions,
    pub notes: Vec<ConfigNote>,
}

/// A field of the link: its key, how to read it into an experiment (earlier fields already
/// set; whatever it changes or ignores goes into the notes) and how to write it (None:
/// omitted because it is implied).
struct Field {
    key: &'static str,
    read: fn(&mut Experiment, &str, &mut Vec<ConfigNote>),
    write: fn(&Experiment) -> Option<String>,
}

/// A real-valued field: read within `min..=max` (clamped, with a note), written only when it
/// differs from its default. Most optional settings are one.
macro_rules! optional_real {
    ($key:literal, $($field:ident).+, $min:expr, $max:expr, $default:expr) => {
        Field {
            key: $key,
            read: |e, v, n| {
                if let Some(x) = real($key, v, $min, $max, n) {
                    e.$($field).+ = x;
                }
            },
            write: |e| non_default(e.$($field).+, $default),
        }
    };
}

/// Order matters: a field may depend on those before it (batch on examples and layers).
const FIELDS: &[Field] = &[
    Field { key: "task", read: read_task, write: |e| Some(e.task.name().into()) },
    // The typed function: written for the f task, and under the others when it is not x^2
    // (kept like the optimizer's unused settings).
    Field {
        key: "f",
        read: read_formula,
        write: |e| {
            (e.task == Task::Function || e.formula.source() != DEFAULT_SOURCE).then(|| e.formula.source().into())
        },
    },
    Field { key: "inputs", read: read_inputs, write: |e| (e.task == Task::Sum).then(|| e.inputs.to_string()) },
    Field {
        key: "examples",
        read: |e, v, n| {
            if let Some(x) = int("examples", v, 1, limits::MAX_EXAMPLES as u64, n) {
                e.examples = x as usize;
            }
        },
        write: |e| Some(e.examples.to_string()),
    },
    Field {
        key: "largest",
        read: |e, v, n| {
            if let Some(x) = int("largest", v, 1, limits::MAX_LARGEST as u64, n) {
                e.largest = x as u32;
            }
        },
        write: |e| Some(e.largest.to_string()),
    },
    Field {
        key: "norm",
        read: |e, v, n| {
            if let Some(x) = named("norm", v, &Normalization::ALL, Normalization::name, n) {
                e.normalization = x;
            }
        },
        write: |e| Some(e.normalization.name().into()),
    },
    Field { key: "layers", read: read_layers, write: |e| Some(write_layers(&e.hidden)) },
    Field {
        key: "opt",
        read: |e, v, n| {
            if let Some(x) = named("opt", v, &OptimizerKind::ALL, OptimizerKind::name, n) {
                e.optimizer.kind = x;
            }
        },
        write: |e| Some(e.optimizer.kind.name().into()),
    },
    Field {
        key: "lr",
        read: |e, v, n| {
            if let Some(x) = real("lr", v, limits::MIN_LEARNING_RATE, limits::MAX_LEARNING_RATE, n) {
                e.optimizer.learning_rate = x;
            }
        },
        write: |e| Some(e.optimizer.learning_rate.to_string()),
    },
    optional_real!("beta1", optimizer.beta1, 0.0, limits::MAX_BETA1, OptimizerSpec::default().beta1),
    optional_real!("beta2", optimizer.beta2, 0.0, limits::MAX_BETA2, OptimizerSpec::default().beta2),
    optional_real!(
        "eps",
        optimizer.epsilon,
        limits::MIN_EPSILON,
        limits::MAX_EPSILON,
        OptimizerSpec::default().epsilon
    ),
    optional_real!("momentum", optimizer.momentum, 0.0, limits::MAX_MOMENTUM, OptimizerSpec::default().momentum),
    Field {
        key: "batch",
        read: |e, v, n| {
            if let Some(x) = int("batch", v, 1, limits::MAX_EXAMPLES as u64, n) {
                e.batch_size = x as usize;
            }
        },
        write: |e| Some(e.batch_size.to_string()),
    },
    Field {
        key: "epochs",
        read: |e, v, n| {
            if let Some(x) = int("epochs", v, 1, limits::MAX_EPOCHS as u64, n) {
                e.epochs = x as usize;
            }
        },
        write: |e| Some(e.epochs.to_string()),
    },
    Field {
        key: "seed",
        read: |e, v, n| {
            if let Some(x) = int("seed", v, 0, u32::MAX as u64, n) {
                e.seed = x as u32;
            }
        },
        write: |e| Some(e.seed.to_string()),
    },
    Field { key: "seeds", read: seeds::read_seeds, write: seeds::write_seeds },
    // Always written: the default has a twin, so "no twin" must be said ("off").
    Field { key: "twin", read: read_twin, write: |e| Some(e.twin.as_ref().map_or("off".into(), |t| write_layers(t))) },
    optional_real!("extent", extent, 1.0, limits::MAX_EXTENT, 1.0),
    optional_real!("noise", noise, 0.0, limits::MAX_NOISE, 0.0),
    optional_real!("test", test_split, 0.0, limits::MAX_TEST_SPLIT, 0.0),
];

impl Experiment {
    /// The canonical share-link query (no leading `?`), every value percent-encoded.
    /// `parse_query` of it gives back an identical experiment with no notes.
    pub fn to_query(&self) -> String {
        let mut out = format!("v={VERSION}");
        for field in FIELDS {
            if let Some(value) = (field.write)(self) {
                out.push('&');
                out.push_str(field.key);
                out.push('=');
                out.push_str(&percent_encode(&value));
            }
        }
        out
    }

    /// Strict parse: any note at all is an error.
    pub fn from_query(query: &str) -> Result<Experiment, Vec<ConfigNote>> {
        let parsed = parse_query(query);
        if parsed.notes.is_empty() {
            Ok(parsed.experiment)
        } else {
            Err(parsed.notes)
        }
    }
}

/// Lenient parse of a share link's query (with or without the leading `?`).
/// Never panics; the experiment it returns always passes `validate()`.
pub fn parse_query(query: &str) -> ParsedLink {
    let mut notes = Vec::new();
    let mut experiment = Experiment::default();
    if query.len() > MAX_LINK_BYTES {
        notes.push(ConfigNote::TooLong { bytes: query.len() });
        return ParsedLink { experiment, page: PageOptions::default(), notes };
    }
    let pairs = split_pairs(query.strip_prefix('?').unwrap_or(query), &mut notes);
    match pairs.iter().rev().find(|(k, _)| k == "v") {
        Some((_, v)) if v != VERSION => notes.push(ConfigNote::Version { value: v.clone() }),
        _ => {}
    }
    for field in FIELDS {
        if let Some((_, value)) = pairs.iter().rev().find(|(k, _)| k == field.key) {
            (field.read)(&mut experiment, value, &mut notes);
        }
    }
    let twin_given = pairs.iter().any(|(k, _)| k == "twin");
    enforce_cross_field_bounds(&mut experiment, twin_given, &mut notes);
    debug_assert_eq!(experiment.validate(), Ok(()));
    let mut page = PageOptions::default();
    for key in page::KEYS {
        if let Some((_, value)) = pairs.iter().rev().find(|(k, _)| k == key) {
            page.read(key, value, &mut notes);
        }
    }
    ParsedLink { experiment, page, notes }
}

/// Splits `a=1&b=2` into decoded pairs, noting unknown, duplicate and undecodable keys.
fn split_pairs(query: &str, notes: &mut Vec<ConfigNote>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let key = match percent_decode(raw_key) {
            Ok(k) => k,
            Err(expected) => {
                notes.push(ConfigNote::Malformed { field: "link", value: raw_key.into(), expected });
                continue;
            }
        };
        if key.is_empty() {
            notes.push(ConfigNote::Malformed { field: "link", value: part.into(), expected: "a name=value pair" });
            continue;
        }
        let known = key == "v" || FIELDS.iter().any(|f| f.key == key) || page::KEYS.contains(&key.as_str());
        if !known {
            notes.push(ConfigNote::UnknownKey { key });
            continue;
        }
        let value = match percent_decode(raw_value) {
            Ok(v) => v,
            Err(expected) => {
                notes.push(ConfigNote::Malformed { field: field_name(&key), value: raw_value.into(), expected });
                continue;
            }
        };
        if pairs.iter().any(|(k, _)| *k == key) {
            notes.push(ConfigNote::DuplicateKey { key: key.clone() });
        }
        pairs.push((key, value));
    }
    pairs
}

/// The `'static` name of a known key (notes carry static field names).
fn field_name(key: &str) -> &'static str {
    let page = page::KEYS.iter().find(|k| **k == key).copied();
    FIELDS.iter().find(|f| f.key == key).map(|f| f.key).or(page).unwrap_or("v")
}

/// Bounds that involve several fields, checked after all of them are read; and the twin of
/// a link that names none: its own network, relu <-> linear.
fn enforce_cross_field_bounds(e: &mut Experiment, twin_given: bool, notes: &mut Vec<ConfigNote>) {
    if let Some(n) = e.fixed_inputs() {
        e.inputs = n;
    }
    // A typed function must be finite wherever the data can be: else x^2, and one input.
    if let Some(unusable) = e.unusable_target() {
        notes.push(ConfigNote::BadFormula { value: e.formula.source().into(), why: unusable.problem() });
        e.formula = Formula::default();
        e.inputs = e.formula.inputs();
    }
    let params = e.parameter_count();
    if params > limits::MAX_PARAMETERS {
        notes.push(ConfigNote::Clamped {
            field: "layers",
            value: write_layers(&e.hidden),
            to: write_layers(&Experiment::default().hidden),
            why: format!("has {params} parameters, more than {}", limits::MAX_PARAMETERS),
        });
        e.hidden = Experiment::default().hidden;
    }
    if !twin_given {
        e.twin = e.contrasting_layers();
    }
    if let Some(twin) = e.twin_experiment() {
        let params = twin.parameter_count();
        if params > limits::MAX_PARAMETERS {
            let why = format!("has {params} parameters, more than {}", limits::MAX_PARAMETERS);
            notes.push(ConfigNote::Clamped { field: "twin", value: write_layers(&twin.hidden), to: "off".into(), why });
            e.twin = None;
        }
    }
    // One step of either run must stay light.
    let heaviest = e.twin_experiment().map_or(0, |t| t.parameter_count()).max(e.parameter_count());
    let training = e.training_examples();
    let max_batch = training.min(Experiment::max_batch_for(heaviest));
    if e.batch_size > max_batch {
        let why = if max_batch == training {
            format!("is more than the {training} training examples")
        } else {
            format!("makes one step too heavy for this network (at most {max_batch})")
        };
        notes.push(ConfigNote::Clamped {
            field: "batch",
            value: e.batch_size.to_string(),
            to: max_batch.to_string(),
            why,
        });
        e.batch_size = max_batch;
    }
    seeds::bound_seeds(e, notes);
}

fn read_task(e: &mut Experiment, v: &str, notes: &mut Vec<ConfigNote>) {
    if let Some(task) = named("task", v, &Task::ALL, |t| t.name(), notes) {
        e.task = task;
        e.inputs = e.fixed_inputs().unwrap_or(2);
    }
}

/// A typed formula; a malformed one is noted with the character at fault and leaves x^2.
fn read_formula(e: &mut Experiment, v: &str, notes: &mut Vec<ConfigNote>) {
    match Formula::parse(v) {
        Ok(formula) => {
            e.formula = formula;
            if let Some(n) = e.fixed_inputs() {
                e.inputs = n;
            }
        }
        Err(error) => {
            // `x+1` typed into an address bar arrives as `x 1`: say why.
            let hint = if error.kind == ErrorKind::MissingOperator && v.contains(' ') {
                " (a + in a link is written %2B)"
            } else {
                ""
            };
            notes.push(ConfigNote::BadFormula { value: v.into(), why: format!("has an error {error}{hint}") });
        }
    }
}

fn read_inputs(e: &mut Experiment, v: &str, notes: &mut Vec<ConfigNote>) {
    let Some(n) = int("inputs", v, 1, limits::MAX_INPUTS as u64, notes) else {
        return;
    };
    match e.fixed_inputs() {
        Some(fixed) if fixed != n as usize => notes.push(ConfigNote::Clamped {
            field: "inputs",
            value: v.into(),
            to: fixed.to_string(),
            why: format!("does not fit the {} task", e.task.name()),
        }),
        _ => e.inputs = n as usize,
    }
}

/// `32:relu,32:relu`; a bare width means Keras' default activation, linear; `none` is no
/// hidden layer (plain linear regression).
fn read_layers(e: &mut Experiment, v: &str, notes: &mut Vec<ConfigNote>) {
    if let Some(hidden) = parse_layers("layers", v, notes) {
        e.hidden = hidden;
    }
}

/// The twin's layers, in the same format; `off` (or no key) means no twin.
fn read_twin(e: &mut Experiment, v: &str, notes: &mut Vec<ConfigNote>) {
    if v == "off" {
        e.twin = None;
    } else if let Some(twin) = parse_layers("twin", v, notes) {
        e.twin = Some(twin);
    }
}

/// Layers, with the layer-count and width bounds applied (and noted); None if malformed.
fn parse_layers(field: &'static str, v: &str, notes: &mut Vec<ConfigNote>) -> Option<Vec<LayerSpec>> {
    const EXPECTED: &str = "a list like 32:relu,32:relu";
    if v == "none" {
        return Some(Vec::new());
    }
    let malformed = ConfigNote::Malformed { field, value: v.into(), expected: EXPECTED };
    let entries: Vec<&str> = v.split(',').collect();
    let mut hidden = Vec::with_capacity(entries.len().min(limits::MAX_HIDDEN_LAYERS));
    let mut clamped = false;
    for entry in entries.iter().take(limits::MAX_HIDDEN_LAYERS) {
        let (units, activation) = entry.split_once(':').unwrap_or((entry, "linear"));
        let (Ok(activation), Some(units)) = (activation.parse::<Activation>(), parse_whole(units)) else {
            notes.push(malformed);
            return None;
        };
        clamped |= !(1.0..=limits::MAX_UNITS as f64).contains(&units);
        let units = units.clamp(1.0, limits::MAX_UNITS as f64) as usize;
        hidden.push(LayerSpec::new(units, activation));
    }
    let too_many = entries.len() > limits::MAX_HIDDEN_LAYERS;
    if too_many || clamped {
        let why = if too_many {
            format!("has {} layers, more than {}", entries.len(), limits::MAX_HIDDEN_LAYERS)
        } else {
            format!("has a width outside 1..={}", limits::MAX_UNITS)
        };
        notes.push(ConfigNote::Clamped { field, value: v.into(), to: write_layers(&hidden), why });
    }
    Some(hidden)
}

fn write_layers(hidden: &[LayerSpec]) -> String {
    if hidden.is_empty() {
        return "none".into();
    }
    hidden.iter().map(|l| format!("{}:{}", l.units, l.activation.name())).collect::<Vec<_>>().join(",")
}

fn non_default(value: f32, default: f32) -> Option<String> {
    (value != default).then(|| value.to_string())
}
