//! The charts rendered to SVG natively: legends, series and axes appear; NaN, infinities and
//! empty data neither panic nor leak into the picture.

use plotters::prelude::*;
use squares_playground::plot::{compact, draw_fit_chart, draw_loss_chart, FitChart, LossChart};

fn svg_of(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, 500)).into_drawing_area();
        draw(&root);
    }
    out
}

/// The text of every <text> element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| rest.split("</text>").next().unwrap_or("").trim().to_string())
        .collect()
}

fn parabola() -> Vec<(f64, f64)> {
    (0..=50).map(|i| i as f64 * 20.0).map(|x| (x, x * x)).collect()
}

#[test]
fn the_fit_chart_shows_every_series_with_its_legend() {
    let target = parabola();
    let line: Vec<(f64, f64)> = target.iter().map(|&(x, _)| (x, 1000.0 * x - 166_000.0)).collect();
    let svg = svg_of(|root| {
        let chart = FitChart {
            target_label: "target y = x²",
            x_max: 1000.0,
            y_max: 1e6,
            target: &target,
            points: &target[..20],
            prediction: &line,
            floor_line: Some((1000.0, -166_000.0)),
            collapse_line: Some((990.0, -160_000.0)),
        };
        draw_fit_chart(root, &chart).unwrap();
    });
    std::fs::create_dir_all("target").unwrap();
    std::fs::write("target/plot-check.svg", &svg).unwrap();
    let texts = texts(&svg);
    for label in
        ["target y = x²", "training data", "network", "best straight line (the floor)", "network collapsed to one line"]
    {
        assert!(texts.iter().any(|t| t == label), "legend {label:?} missing from {texts:?}");
    }
    assert!(svg.matches("<polyline").count() >= 4, "target, network, floor and collapse lines");
    assert!(svg.matches("<circle").count() >= 20, "training points");
    assert!(texts.iter().any(|t| t == "1M") && texts.iter().any(|t| t == "400k"), "compact labels: {texts:?}");
    assert!(!svg.contains("NaN"));
}

#[test]
fn a_diverged_network_draws_without_nan_and_within_the_view() {
    let target = parabola();
    let prediction =
        vec![(0.0, 1.0), (100.0, f64::NAN), (200.0, f64::INFINITY), (300.0, 5e20), (400.0, 2e5), (500.0, -1e30)];
    let svg = svg_of(|root| {
        let chart = FitChart {
            target_label: "target",
            x_max: 1000.0,
            y_max: 1e6,
            target: &target,
            points: &[(f64::NAN, 1.0)],
            prediction: &prediction,
            floor_line: Some((f64::NAN, 0.0)),
            collapse_line: None,
        };
        draw_fit_chart(root, &chart).unwrap();
    });
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(
        texts(&svg).iter().all(|t| !t.ends_with('G') && !t.ends_with('T')),
        "the view is not stretched by a runaway prediction"
    );
    let svg = svg_of(|root| {
        draw_loss_chart(
            root,
            &LossChart { rmse_history: &[3e5, f32::NAN, f32::INFINITY, 0.0, -1.0, 8e4], floor_rmse: Some(f64::NAN) },
        )
        .unwrap();
    });
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn empty_inputs_still_draw_the_axes() {
    let svg = svg_of(|root| {
        let chart = FitChart {
            target_label: "target",
            x_max: 0.0,
            y_max: f64::NAN,
            target: &[],
            points: &[],
            prediction: &[],
            floor_line: None,
            collapse_line: None,
        };
        draw_fit_chart(root, &chart).unwrap();
    });
    assert!(texts(&svg).iter().any(|t| t == "x"));
    let svg = svg_of(|root| draw_loss_chart(root, &LossChart { rmse_history: &[], floor_rmse: None }).unwrap());
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "epoch") && t.iter().any(|t| t == "RMSE"));
}

#[test]
fn the_loss_chart_has_the_floor_and_one_epoch_works() {
    let svg = svg_of(|root| {
        draw_loss_chart(root, &LossChart { rmse_history: &[3e5, 1.2e5, 9e4, 8e4, 7.6e4], floor_rmse: Some(74_535.0) })
            .unwrap()
    });
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "best straight line: 74.5k"), "floor label in {t:?}");
    assert!(t.iter().any(|t| t == "network RMSE per epoch"));
    std::fs::write("target/loss-check.svg", &svg).unwrap();
    let svg =
        svg_of(|root| draw_loss_chart(root, &LossChart { rmse_history: &[5.0], floor_rmse: Some(74_535.0) }).unwrap());
    assert!(svg.contains("<polyline"));
}

#[test]
fn compact_numbers_read_at_a_glance() {
    assert_eq!(compact(0.0), "0");
    assert_eq!(compact(250_000.0), "250k");
    assert_eq!(compact(1_000_000.0), "1M");
    assert_eq!(compact(74_535.0), "74.5k");
    assert_eq!(compact(-1_500.0), "-1.5k");
    assert_eq!(compact(0.25), "0.25");
    assert_eq!(compact(3e12), "3T");
}
