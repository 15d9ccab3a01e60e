//! Contour lines of a function sampled on a square grid (marching squares), for drawing the
//! target's level sets over the network's heatmap.

/// A piece of a contour line, from one cell edge to another.
pub type Segment = ((f64, f64), (f64, f64));

/// `count` levels evenly spaced strictly inside the finite range of `values`: for 5 over
/// [0, 6], 1 2 3 4 5. Empty when nothing is finite or everything is equal.
pub fn levels(values: &[f64], count: usize) -> Vec<f64> {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !(lo < hi && (hi - lo).is_finite()) {
        return Vec::new();
    }
    (1..=count).map(|i| lo + (hi - lo) * i as f64 / (count + 1) as f64).collect()
}

/// The segments of {f = level}, where `values` samples f row-major on the grid with
/// coordinates `xs` along both axes (`values[row · n + col]` at x₁ = xs[col], x₂ = xs[row]).
///
/// Each cell between four neighbouring samples is crossed where its corners fall on both
/// sides of the level, at the linear interpolation along each crossed edge — exact for a
/// plane. A saddle cell (diagonal corners on the same side) is split the way its centre,
/// the mean of the corners, says. Cells with a non-finite corner are skipped.
pub fn segments(values: &[f64], xs: &[f64], level: f64) -> Vec<Segment> {
    let n = xs.len();
    let mut out = Vec::new();
    if n < 2 || values.len() != n * n || !level.is_finite() {
        return out;
    }
    for row in 0..n - 1 {
        for col in 0..n - 1 {
            // Corners counter-clockwise from the bottom left: (col,row) (col+1,row) (col+1,row+1) (col,row+1).
            let corner = [(col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1)];
            let v = corner.map(|(c, r)| values[r * n + c]);
            if v.iter().any(|v| !v.is_finite()) {
                continue;
            }
            let above = v.map(|v| v >= level);
            // Crossing on edge k, between corner k and corner k+1: bottom, right, top, left.
            let crossing = |k: usize| -> Option<(f64, f64)> {
                let (a, b) = (k, (k + 1) % 4);
                if above[a] == above[b] {
                    return None;
                }
                let t = (level - v[a]) / (v[b] - v[a]);
                let (pa, pb) = ((xs[corner[a].0], xs[corner[a].1]), (xs[corner[b].0], xs[corner[b].1]));
                Some((pa.0 + t * (pb.0 - pa.0), pa.1 + t * (pb.1 - pa.1)))
            };
            let edges: Vec<(usize, (f64, f64))> = (0..4).filter_map(|k| crossing(k).map(|p| (k, p))).collect();
            match edges.as_slice() {
                [(_, p), (_, q)] => out.push((*p, *q)),
                [(_, bottom), (_, right), (_, top), (_, left)] => {
                    let centre_above = v.iter().sum::<f64>() / 4.0 >= level;
                    if centre_above == above[0] {
                        // Corners 0 and 2 join through the centre: corners 1 and 3 are cut off.
                        out.push((*bottom, *right));
                        out.push((*top, *left));
                    } else {
                        out.push((*left, *bottom));
                        out.push((*right, *top));
                    }
                }
                _ => {}
            }
        }
    }
    out
}
