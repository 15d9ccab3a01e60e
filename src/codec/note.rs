//! What a lenient parse changed or ignored, as short, safe text for a person.

use super::{MAX_LINK_BYTES, VERSION};
use crate::formula::DEFAULT_SOURCE;
use std::fmt;

/// One thing the parser changed or ignored. Displayed values are shortened and escaped,
/// so a note is always safe, short text. `BadFormula` is a typed function that cannot be
/// used — a syntax error (with its character) or values that are not finite on the data
/// (with the offending x) — and was replaced by x^2.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigNote {
    TooLong { bytes: usize },
    UnknownKey { key: String },
    DuplicateKey { key: String },
    Version { value: String },
    Malformed { field: &'static str, value: String, expected: &'static str },
    Clamped { field: &'static str, value: String, to: String, why: String },
    BadFormula { value: String, why: String },
}

impl ConfigNote {
    /// The field (or key) the note is about.
    pub fn field(&self) -> &str {
        match self {
            ConfigNote::TooLong { .. } => "link",
            ConfigNote::UnknownKey { key } | ConfigNote::DuplicateKey { key } => key,
            ConfigNote::Version { .. } => "v",
            ConfigNote::Malformed { field, .. } | ConfigNote::Clamped { field, .. } => field,
            ConfigNote::BadFormula { .. } => "f",
        }
    }
}

impl fmt::Display for ConfigNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigNote::TooLong { bytes } => {
                write!(f, "link: {bytes} bytes is longer than {MAX_LINK_BYTES}; ignored, using the defaults")
            }
            ConfigNote::UnknownKey { key } => write!(f, "{}: unknown setting, ignored", shown(key)),
            ConfigNote::DuplicateKey { key } => {
                write!(f, "{}: given more than once; the last value is used", shown(key))
            }
            ConfigNote::Version { value } => {
                write!(f, "v: version {} is not known; read as version {VERSION}", shown(value))
            }
            ConfigNote::Malformed { field, value, expected } => {
                write!(f, "{field}: {} is not {expected}; using the default", shown(value))
            }
            ConfigNote::Clamped { field, value, to, why } => write!(f, "{field}: {} {why}; using {to}", shown(value)),
            ConfigNote::BadFormula { value, why } => write!(f, "f: {} {why}; using {DEFAULT_SOURCE}", shown(value)),
        }
    }
}

/// A value as it may be shown to a person: at most 40 characters, control characters escaped.
fn shown(value: &str) -> String {
    let mut out: String = value.chars().take(40).flat_map(|c| c.escape_debug()).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    format!("\"{out}\"")
}
