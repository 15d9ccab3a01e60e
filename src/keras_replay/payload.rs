//! The exact replay's payload: named little-endian arrays laid end to end, zlib-compressed
//! and base64-encoded, so that one Python string carries them and numpy reads them back with
//! `np.frombuffer(data, dtype, count, offset)` from nothing but their layout.

/// One array of the payload: the Python name it gets, its numpy dtype and its shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub name: String,
    /// numpy's spelling, little-endian: `<f4`, `<f8`, `<u2`, `<u4`.
    pub dtype: &'static str,
    pub shape: Vec<usize>,
}

/// Arrays appended in order; `layout` describes them, `bytes` is their concatenation.
#[derive(Clone, Debug, Default)]
pub struct Payload {
    layout: Vec<Section>,
    bytes: Vec<u8>,
}

impl Payload {
    pub fn new() -> Payload {
        Payload::default()
    }

    /// float32 values, bit for bit.
    pub fn push_f32(&mut self, name: &str, shape: &[usize], values: impl IntoIterator<Item = f32>) {
        let before = self.bytes.len();
        self.bytes.extend(values.into_iter().flat_map(f32::to_le_bytes));
        self.record(name, "<f4", shape, 4, before);
    }

    /// float64 values, bit for bit.
    pub fn push_f64(&mut self, name: &str, shape: &[usize], values: impl IntoIterator<Item = f64>) {
        let before = self.bytes.len();
        self.bytes.extend(values.into_iter().flat_map(f64::to_le_bytes));
        self.record(name, "<f8", shape, 8, before);
    }

    /// Indices below `bound`: two bytes each when they fit (every permutation of up to
    /// 65,536 examples), else four.
    pub fn push_indices(&mut self, name: &str, shape: &[usize], bound: usize, values: impl IntoIterator<Item = u32>) {
        let before = self.bytes.len();
        if bound <= 1 << 16 {
            self.bytes.extend(values.into_iter().flat_map(|v| (v as u16).to_le_bytes()));
            self.record(name, "<u2", shape, 2, before);
        } else {
            self.bytes.extend(values.into_iter().flat_map(u32::to_le_bytes));
            self.record(name, "<u4", shape, 4, before);
        }
    }

    fn record(&mut self, name: &str, dtype: &'static str, shape: &[usize], width: usize, before: usize) {
        let count: usize = shape.iter().product();
        assert_eq!(self.bytes.len() - before, count * width, "{name}: the values do not fill the shape {shape:?}");
        self.layout.push(Section { name: name.to_string(), dtype, shape: shape.to_vec() });
    }

    pub fn layout(&self) -> &[Section] {
        &self.layout
    }

    /// The arrays' bytes, end to end, uncompressed.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// zlib (what Python's `zlib.decompress` reads), then base64 in lines of 76 characters
    /// (`base64.b64decode` skips the newlines).
    pub fn encoded(&self) -> String {
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&self.bytes, 6);
        let text = base64(&compressed);
        let lines: Vec<&str> = text.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).expect("ascii")).collect();
        lines.join("\n")
    }
}

/// Standard base64 (RFC 4648, `+/`, `=` padding), as Python's `base64.b64encode` writes it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // Three bytes are four 6-bit digits; a short chunk pads its missing digits with '='.
        let word = chunk.iter().enumerate().fold(0u32, |w, (i, &b)| w | (b as u32) << (16 - 8 * i));
        for digit in 0..4 {
            if digit <= chunk.len() {
                out.push(ALPHABET[(word >> (18 - 6 * digit) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
