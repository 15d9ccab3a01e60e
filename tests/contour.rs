//! Marching squares against level sets known in closed form: a plane's lines, a circle, and
//! the saddle x₁·x₂ whose zero level is the two axes through its centre.

use squares_playground::contour::{levels, segments, Segment};

fn sampled(n: usize, lo: f64, hi: f64, f: impl Fn(f64, f64) -> f64) -> (Vec<f64>, Vec<f64>) {
    let xs: Vec<f64> = (0..n).map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64).collect();
    let values = (0..n * n).map(|i| f(xs[i % n], xs[i / n])).collect();
    (values, xs)
}

fn ends(segments: &[Segment]) -> impl Iterator<Item = (f64, f64)> + '_ {
    segments.iter().flat_map(|&(p, q)| [p, q])
}

#[test]
fn a_plane_has_straight_level_lines_found_exactly() {
    let (values, xs) = sampled(21, 0.0, 10.0, |x1, x2| 2.0 * x1 + x2);
    for level in [3.3, 10.0 + 1e-9, 17.77] {
        let found = segments(&values, &xs, level);
        assert!(!found.is_empty());
        for (x1, x2) in ends(&found) {
            assert!((2.0 * x1 + x2 - level).abs() < 1e-9, "({x1}, {x2}) off the line {level}");
        }
        // One connected line across the square: as many segments as cells it crosses.
        let length: f64 = found.iter().map(|&(p, q)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()).sum();
        let x2_at = |x1: f64| level - 2.0 * x1;
        let (a, b) = ((level - 10.0) / 2.0, level / 2.0); // where the line meets x₂ = 10 and x₂ = 0
        let (a, b) = (a.max(0.0), b.min(10.0));
        let expected = ((b - a).powi(2) + (x2_at(b) - x2_at(a)).powi(2)).sqrt();
        assert!((length - expected).abs() < 1e-6, "{level}: length {length} vs {expected}");
    }
}

#[test]
fn a_circle_is_traced_within_the_grid_error() {
    let (values, xs) = sampled(81, -2.0, 2.0, |x1, x2| x1 * x1 + x2 * x2);
    let found = segments(&values, &xs, 1.0);
    for (x1, x2) in ends(&found) {
        let r = (x1 * x1 + x2 * x2).sqrt();
        assert!((r - 1.0).abs() < 2e-3, "radius {r}");
    }
    let length: f64 = found.iter().map(|&(p, q)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()).sum();
    assert!((length - 2.0 * std::f64::consts::PI).abs() < 0.01, "circumference {length}");
}

#[test]
fn the_saddle_of_the_product_has_the_centre_lines_as_its_zero_level() {
    // (x₁ − 5.5)(x₂ − 5.5) on a grid that never samples 5.5: level 0 is x₁ = 5.5 and x₂ = 5.5.
    let (values, xs) = sampled(10, 1.0, 10.0, |x1, x2| (x1 - 5.5) * (x2 - 5.5));
    let found = segments(&values, &xs, 0.0);
    assert!(!found.is_empty());
    for (x1, x2) in ends(&found) {
        assert!((x1 - 5.5).abs() < 1e-9 || (x2 - 5.5).abs() < 1e-9, "({x1}, {x2})");
    }
    // A level above 0: the hyperbola's two branches, in the quadrants where the product is positive.
    for (x1, x2) in ends(&segments(&values, &xs, 4.0)) {
        assert!((x1 - 5.5) * (x2 - 5.5) > 0.0, "({x1}, {x2})");
    }
}

#[test]
fn levels_are_spaced_inside_the_finite_range_and_bad_input_gives_nothing() {
    assert_eq!(levels(&[0.0, 6.0, f64::NAN, 3.0], 5), vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    assert!(levels(&[2.0, 2.0], 3).is_empty());
    assert!(levels(&[f64::NAN, f64::INFINITY], 3).is_empty());
    let (mut values, xs) = sampled(5, 0.0, 4.0, |x1, _| x1);
    values[12] = f64::NAN;
    let found = segments(&values, &xs, 1.5);
    assert_eq!(found.len(), 2, "x₁ = 1.5 crosses four cells; two touch the NaN at (2, 2) and are skipped");
    assert!(segments(&values[1..], &xs, 1.5).is_empty(), "wrong length");
    assert!(segments(&values, &xs, f64::NAN).is_empty());
    assert!(segments(&[], &[], 0.0).is_empty());
}
