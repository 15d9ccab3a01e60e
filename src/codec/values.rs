//! Reading one value of a link: percent-decoding, whole and real numbers clamped into
//! their bounds, names from a fixed set. Whatever is changed or ignored becomes a note.

use super::ConfigNote;

/// One of a fixed set of names; anything else is noted and read as nothing.
pub(super) fn named<T: Copy>(
    field: &'static str,
    v: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    notes: &mut Vec<ConfigNote>,
) -> Option<T> {
    let found = all.iter().copied().find(|t| name(*t) == v);
    if found.is_none() {
        notes.push(ConfigNote::Malformed { field, value: v.into(), expected: "a known name" });
    }
    found
}

/// A finite number with no fractional part (`1e3` is fine), as f64.
pub(super) fn parse_whole(v: &str) -> Option<f64> {
    v.parse::<f64>().ok().filter(|x| x.is_finite() && x.fract() == 0.0)
}

/// A whole number, clamped into `lo..=hi`: a clamp is applied and noted; a malformed
/// value is noted and read as nothing.
pub(super) fn int(field: &'static str, v: &str, lo: u64, hi: u64, notes: &mut Vec<ConfigNote>) -> Option<u64> {
    let Some(x) = parse_whole(v) else {
        notes.push(ConfigNote::Malformed { field, value: v.into(), expected: "a whole number" });
        return None;
    };
    let clamped = x.clamp(lo as f64, hi as f64) as u64;
    if x != clamped as f64 {
        let why = format!("is outside {lo}..={hi}");
        notes.push(ConfigNote::Clamped { field, value: v.into(), to: clamped.to_string(), why });
    }
    Some(clamped)
}

/// A finite real number, clamped into `lo..=hi`, noted like `int`.
pub(super) fn real(field: &'static str, v: &str, lo: f32, hi: f32, notes: &mut Vec<ConfigNote>) -> Option<f32> {
    let Some(wide) = v.parse::<f64>().ok().filter(|x| x.is_finite()) else {
        notes.push(ConfigNote::Malformed { field, value: v.into(), expected: "a finite number" });
        return None;
    };
    // Checked at f32, the precision it is stored and written at, so a bound written out
    // ("0.9999") reads back as the same bound. Beyond f32's range it becomes ±inf: clamped.
    let narrow = v.parse::<f32>().unwrap_or(wide as f32);
    if narrow < lo || narrow > hi {
        let to = if narrow < lo { lo } else { hi };
        notes.push(ConfigNote::Clamped {
            field,
            value: v.into(),
            to: to.to_string(),
            why: format!("is outside {lo}..={hi}"),
        });
        return Some(to);
    }
    Some(narrow)
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte, and the
/// bytes must be UTF-8.
pub(super) fn percent_decode(s: &str) -> Result<String, &'static str> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                let hex = hex.and_then(|h| std::str::from_utf8(h).ok()).ok_or("a valid percent escape")?;
                let byte = u8::from_str_radix(hex, 16).map_err(|_| "a valid percent escape")?;
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "UTF-8 text")
}

/// Percent-encoding for a link value: every byte but letters, digits and `-._~*()/,!:` becomes
/// `%XX`, so `&`, `=`, `+`, `%`, `#`, spaces, `^` and non-ASCII text survive any reader —
/// ours, and `URLSearchParams` (which reads `+` as a space). `percent_decode` inverts it.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~*()/,!:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
