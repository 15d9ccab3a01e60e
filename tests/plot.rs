//! The charts rendered to SVG natively: legends, series and axes appear; NaN, infinities and
//! empty data neither panic nor leak into the picture.

use plotters::prelude::*;
use squares_playground::plot::{
    compact, draw_fit_chart, draw_loss_chart, draw_residual_chart, draw_residual_surface_chart, draw_surface_chart,
    draw_units_chart, FitChart, Look, LossChart, LossRun, ResidualChart, ResidualSurfaceChart, Series, SurfaceChart,
    UnitsChart,
};
use squares_playground::surface::SurfaceGrid;

fn svg_sized<R>(size: (u32, u32), draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> R) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root);
    }
    out
}

fn svg_of<R>(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> R) -> String {
    svg_sized((800, 500), draw)
}

/// The text of every <text> element, no-break spaces read as spaces.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| rest.split("</text>").next().unwrap_or("").trim().replace('\u{a0}', " "))
        .collect()
}

/// The tick labels: texts that start like a number.
fn numbers(svg: &str) -> Vec<String> {
    texts(svg).into_iter().filter(|t| t.starts_with(|c: char| c.is_ascii_digit() || c == '-')).collect()
}

/// The distinct stroke colours of the polylines: one per kind of line drawn.
fn line_colours(svg: &str) -> std::collections::BTreeSet<&str> {
    svg.split("<polyline").skip(1).filter_map(|p| p.split("stroke=\"").nth(1)?.split('"').next()).collect()
}

/// Every coordinate in the SVG's polylines and circles lies on the 800×500 canvas.
fn all_shapes_on_canvas(svg: &str) -> bool {
    all_shapes_on_canvas_of(svg, (800, 500))
}

fn all_shapes_on_canvas_of(svg: &str, (width, height): (u32, u32)) -> bool {
    let numbers = |attr: &str| -> Vec<f64> {
        svg.split(attr)
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .flat_map(|s| s.split([' ', ',']).map(str::to_owned).collect::<Vec<_>>())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let coords = [numbers("points=\""), numbers("cx=\""), numbers("cy=\"")].concat();
    let limit = width.max(height) as f64 + 10.0;
    !coords.is_empty() && coords.iter().all(|&v| (-10.0..=limit).contains(&v))
}

fn parabola() -> Vec<(f64, f64)> {
    (0..=50).map(|i| i as f64 * 20.0).map(|x| (x, x * x)).collect()
}

/// The question's picture: the parabola, its training points, and an all-linear network
/// lying on the best straight line.
fn collapsed_network(target: &[(f64, f64)], prediction: &[(f64, f64)]) -> String {
    svg_of(|root| {
        let chart = FitChart {
            target_label: "target y = x²",
            x_max: 1000.0,
            y_max: 1e6,
            target,
            points: &target[1..],
            networks: &[Series { label: "network", points: prediction }],
            data_x_max: 1000.0,
            breakpoints: &[],
            floor_line: Some((1000.0, -166_000.0)),
            floor_name: "best straight line",
            collapse_line: Some((990.0, -160_000.0)),
        };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    })
}

#[test]
fn the_fit_chart_shows_every_series_with_its_legend() {
    let target = parabola();
    let line: Vec<(f64, f64)> = target.iter().map(|&(x, _)| (x, 1000.0 * x - 166_000.0)).collect();
    let svg = collapsed_network(&target, &line);
    std::fs::create_dir_all("target").unwrap();
    std::fs::write("target/plot-check.svg", &svg).unwrap();
    let texts = texts(&svg);
    for label in
        ["target y = x²", "training data", "network", "best straight line (the floor)", "collapsed to one line"]
    {
        assert!(texts.iter().any(|t| t == label), "legend {label:?} missing from {texts:?}");
    }
    assert!(line_colours(&svg).len() >= 5, "axes, target, network, floor and collapse lines");
    assert!(svg.matches("<circle").count() >= 50, "training points");
    assert!(texts.iter().any(|t| t == "1M") && texts.iter().any(|t| t == "400k"), "compact labels: {texts:?}");
    assert!(!svg.contains("NaN"));
    assert!(all_shapes_on_canvas(&svg));
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
            points: &[(f64::NAN, 1.0), (1e12, 1e12), (500.0, f64::INFINITY)],
            networks: &[Series { label: "network", points: &prediction }],
            data_x_max: 1e12,
            breakpoints: &[],
            floor_line: Some((f64::NAN, 0.0)),
            floor_name: "best straight line",
            collapse_line: Some((1e300, -1e300)),
        };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    });
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(!svg.contains("<circle"), "no training point is in view");
    assert!(
        numbers(&svg).iter().all(|t| !t.ends_with('G') && !t.ends_with('T') && !t.contains('e')),
        "the view is not stretched by a runaway prediction"
    );
    assert!(all_shapes_on_canvas(&svg), "runaway values are clipped to the canvas");

    let svg = svg_of(|root| {
        draw_loss_chart(
            root,
            &LossChart {
                runs: &[LossRun {
                    label: "network",
                    epoch_loss: &[3e5, f32::NAN, f32::INFINITY, 0.0, -1.0, 8e4],
                    exact: &[],
                    test_loss: &[],
                }],
                floor_rmse: Some(f64::NAN),
                floor_name: "best straight line",
            },
            &Look::default(),
        )
        .unwrap();
    });
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert_eq!(line_colours(&svg).len(), 2, "axes and the finite part of the RMSE");
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
            networks: &[],
            data_x_max: 1000.0,
            breakpoints: &[],
            floor_line: None,
            floor_name: "best straight line",
            collapse_line: None,
        };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    });
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "x") && t.iter().any(|t| t == "y"));
    assert!(numbers(&svg).len() >= 4, "tick labels: {t:?}");
    assert!(!t.iter().any(|t| t == "training data"), "no legend entry for what is not there");
    assert_eq!(svg.matches("<rect").count(), 1, "the background only: no empty legend box");

    let svg = svg_of(|root| {
        draw_loss_chart(
            root,
            &LossChart {
                runs: &[LossRun { label: "network", epoch_loss: &[], exact: &[], test_loss: &[] }],
                floor_rmse: None,
                floor_name: "best straight line",
            },
            &Look::default(),
        )
        .unwrap()
    });
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "epoch") && t.iter().any(|t| t == "RMSE"));
    assert!(t.iter().any(|t| t == "1") && t.iter().any(|t| t == "2"), "a default epoch axis: {t:?}");
    assert_eq!(line_colours(&svg).len(), 1, "the axes only");
}

#[test]
fn the_loss_chart_has_a_labelled_floor_and_readable_log_ticks() {
    let svg = svg_of(|root| {
        draw_loss_chart(
            root,
            &LossChart {
                runs: &[LossRun {
                    label: "network",
                    epoch_loss: &[3e5, 1.2e5, 9e4, 8e4, 7.6e4],
                    exact: &[],
                    test_loss: &[3.1e5, 1.3e5, 1e5, 9.5e4, 9e4],
                }],
                floor_rmse: Some(74_535.0),
                floor_name: "best straight line",
            },
            &Look::default(),
        )
        .unwrap()
    });
    std::fs::write("target/loss-check.svg", &svg).unwrap();
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "best straight line: 74.5k"), "floor label in {t:?}");
    assert!(t.iter().any(|t| t == "network: test loss per epoch"), "the test loss is labelled: {t:?}");
    assert!(t.iter().any(|t| t == "network: training loss per epoch"));
    // Less than one decade of RMSE still gets several ticks, not just "100k".
    for tick in ["100k", "200k", "300k"] {
        assert!(t.iter().any(|t| t == tick), "{tick} missing from {t:?}");
    }
    assert!(!t.iter().any(|t| t.contains('.') && t.len() < 4), "whole epochs only: {t:?}");
    assert!(svg.matches("<polyline").count() > 2, "the floor is dashed: many short strokes");
}

#[test]
fn one_epoch_is_a_visible_dot() {
    let svg = svg_of(|root| {
        draw_loss_chart(
            root,
            &LossChart {
                runs: &[LossRun { label: "network", epoch_loss: &[5.0], exact: &[], test_loss: &[] }],
                floor_rmse: Some(74_535.0),
                floor_name: "best straight line",
            },
            &Look::default(),
        )
        .unwrap()
    });
    assert!(svg.contains("<circle"), "the single epoch is drawn as a dot");
    assert!(!svg.contains("NaN"));
}

#[test]
fn identical_huge_and_tiny_values_do_not_break_the_charts() {
    for history in [&[7.0f32; 30][..], &[f32::MAX, 1e-30], &[1e-3, 5e-4], &[f32::MIN_POSITIVE]] {
        let svg = svg_of(|root| {
            draw_loss_chart(
                root,
                &LossChart {
                    runs: &[LossRun { label: "network", epoch_loss: history, exact: &[], test_loss: &[] }],
                    floor_rmse: Some(1e12),
                    floor_name: "best straight line",
                },
                &Look::default(),
            )
            .unwrap()
        });
        let t = texts(&svg);
        assert!(!svg.contains("NaN") && !t.iter().any(|t| t.is_empty() || t == "0"), "{history:?}: {t:?}");
    }
    let far: Vec<(f64, f64)> = (0..=10).map(|i| i as f64 * 1e5).map(|x| (x, x * x)).collect();
    let svg = svg_of(|root| {
        let chart = FitChart {
            target_label: "target",
            x_max: 1e6,
            y_max: 1e12,
            target: &far,
            points: &far,
            networks: &[Series { label: "network", points: &far }],
            data_x_max: 1e12,
            breakpoints: &[],
            floor_line: Some((1e6, -1.66e11)),
            floor_name: "best straight line",
            collapse_line: Some((0.0, 0.0)),
        };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    });
    assert!(texts(&svg).iter().any(|t| t == "1T") && texts(&svg).iter().any(|t| t == "1M"));
    // A negative target: the view follows it down rather than assuming y ≥ 0.
    let down: Vec<(f64, f64)> = parabola().into_iter().map(|(x, y)| (x, -y)).collect();
    let svg = svg_of(|root| {
        let chart = FitChart { target: &down, y_max: -1e6, ..empty_fit() };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    });
    assert!(texts(&svg).iter().any(|t| t == "-1M"));
}

fn empty_fit() -> FitChart<'static> {
    FitChart {
        target_label: "target",
        x_max: 1000.0,
        y_max: 1e6,
        target: &[],
        points: &[],
        networks: &[],
        data_x_max: 1000.0,
        breakpoints: &[],
        floor_line: None,
        floor_name: "best straight line",
        collapse_line: None,
    }
}

#[test]
fn a_canvas_too_small_for_its_labels_is_an_error_or_a_blank_not_a_panic() {
    let target = parabola();
    for size in [(0, 0), (1, 1), (30, 20), (120, 40)] {
        svg_sized(size, |root| {
            let _ = draw_fit_chart(
                root,
                &FitChart { target: &target, networks: &[Series { label: "network", points: &target }], ..empty_fit() },
                &Look::default(),
            );
            let _ = draw_loss_chart(
                root,
                &LossChart {
                    runs: &[LossRun { label: "network", epoch_loss: &[1.0, 2.0], exact: &[], test_loss: &[] }],
                    floor_rmse: Some(1.5),
                    floor_name: "best straight line",
                },
                &Look::default(),
            );
        });
    }
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
    assert_eq!(compact(0.002), "2e-3");
    assert_eq!(compact(2.5e20), "2.5e20");
    assert_eq!(compact(f64::NAN), "");
}

#[test]
fn twins_extrapolation_kinks_and_residuals_are_drawn() {
    let target: Vec<(f64, f64)> = (0..=100).map(|i| i as f64 * 20.0).map(|x| (x, x * x)).collect();
    let relu: Vec<(f64, f64)> = target
        .iter()
        .map(|&(x, y)| (x, if x <= 1000.0 { y + 3000.0 * (x / 100.0).sin() } else { 2000.0 * x - 1e6 }))
        .collect();
    let line: Vec<(f64, f64)> = target.iter().map(|&(x, _)| (x, 1000.0 * x - 166_000.0)).collect();
    let networks = [Series { label: "relu network", points: &relu }, Series { label: "linear twin", points: &line }];
    let svg = svg_of(|root| {
        let chart = FitChart {
            target_label: "target y = x²",
            x_max: 2000.0,
            data_x_max: 1000.0,
            y_max: 1e6,
            target: &target,
            points: &target[..50],
            networks: &networks,
            floor_line: Some((1000.0, -166_000.0)),
            floor_name: "best straight line",
            collapse_line: Some((1000.0, -166_000.0)),
            breakpoints: &[120.0, 480.0, 800.0],
        };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    });
    std::fs::write("target/twins-check.svg", &svg).unwrap();
    let t = texts(&svg);
    for label in ["relu network", "linear twin", "relu kinks", "no training data"] {
        assert!(t.iter().any(|x| x == label), "{label} missing in {t:?}");
    }
    assert!(t.iter().any(|x| x == "4M"), "the view grows with the target beyond the data: {t:?}");

    let svg = svg_of(|root| {
        let chart = ResidualChart {
            x_max: 2000.0,
            data_x_max: 1000.0,
            target: &target,
            networks: &networks,
            floor_line: Some((1000.0, -166_000.0)),
            floor_name: "best straight line",
        };
        draw_residual_chart(root, &chart, &Look::default()).unwrap();
    });
    std::fs::write("target/residual-check.svg", &svg).unwrap();
    let t = texts(&svg);
    assert!(
        t.iter().any(|x| x == "left by the best straight line") && t.iter().any(|x| x == "left by the relu network")
    );
    assert!(t.iter().any(|x| x == "target − prediction"));
}

#[test]
fn unit_thumbnails_draw_one_cell_per_unit() {
    let xs: Vec<f64> = (0..20).map(|i| i as f64).collect();
    // 3 units: rising relu, falling relu, dead.
    let values: Vec<f32> =
        xs.iter().flat_map(|&x| [(x as f32 - 5.0).max(0.0), (10.0 - x as f32).max(0.0), 0.0]).collect();
    let svg = svg_of(|root| {
        draw_units_chart(root, &UnitsChart { xs: &xs, units: 3, values: &values }, &Look::default()).unwrap()
    });
    assert_eq!(svg.matches("<polyline").count(), 3);
    assert!(svg.contains("#AAAAAA"), "the dead unit is grey");
    // Mismatched sizes draw nothing rather than panic.
    let svg = svg_of(|root| {
        draw_units_chart(root, &UnitsChart { xs: &xs, units: 4, values: &values }, &Look::default()).unwrap()
    });
    assert_eq!(svg.matches("<polyline").count(), 0);
}

/// The product task's picture: x₁·x₂ on a 16 × 16 grid, a network on its best plane.
fn product_surfaces() -> (SurfaceGrid, Vec<f64>, Vec<f64>) {
    let grid = SurfaceGrid::new(0.0, 1000.0, 16);
    let m = 500.5;
    let target: Vec<f64> = (0..grid.cells()).map(|i| grid.point(i)[0] * grid.point(i)[1]).collect();
    let plane: Vec<f64> = (0..grid.cells()).map(|i| m * grid.point(i)[0] + m * grid.point(i)[1] - m * m).collect();
    (grid, target, plane)
}

/// Every `fill="#rrggbb"` colour of the SVG's rectangles.
fn fills(svg: &str) -> Vec<&str> {
    svg.split("<rect").skip(1).filter_map(|r| r.split("fill=\"").nth(1)?.split('"').next()).collect()
}

/// Some rectangle is filled within a few levels of `colour` (a scale's end: the bar's strips
/// are coloured at their midpoints).
fn has_fill_near(svg: &str, (r, g, b): (u8, u8, u8)) -> bool {
    let channel = |hex: &str, i: usize| u8::from_str_radix(hex.get(1 + 2 * i..3 + 2 * i).unwrap_or("zz"), 16).ok();
    fills(svg).iter().any(|hex| {
        let c = [channel(hex, 0), channel(hex, 1), channel(hex, 2)];
        c.iter().zip([r, g, b]).all(|(c, want)| c.is_some_and(|c| c.abs_diff(want) <= 8))
    })
}

#[test]
fn the_prediction_heatmap_shows_contours_kinks_points_and_its_scale() {
    let (grid, target, plane) = product_surfaces();
    let points: Vec<(f64, f64)> = (1..=40).map(|i| (i as f64 * 24.0, 1000.0 - i as f64 * 23.0)).collect();
    let kinks = [((500.0, 0.0), (500.0, 1000.0)), ((0.0, 1000.0), (1000.0, 0.0))];
    let svg = svg_sized((700, 500), |root| {
        let chart = SurfaceChart {
            title: "prediction of the linear network",
            grid,
            prediction: &plane,
            target: &target,
            data_max: 1000.0,
            points: &points,
            kinks: &kinks,
        };
        draw_surface_chart(root, &chart, &Look::default()).unwrap();
    });
    std::fs::create_dir_all("target").unwrap();
    std::fs::write("target/heatmap-check.svg", &svg).unwrap();
    let t = texts(&svg);
    for label in [
        "prediction of the linear network",
        "x₁",
        "x₂",
        "y",
        "target contours",
        "relu kinks (first layer)",
        "training data",
    ] {
        assert!(t.iter().any(|t| t == label), "{label:?} missing from {t:?}");
    }
    assert!(!t.iter().any(|t| t == "no training data"), "the square is the data: nothing shaded");
    // 256 cells, the colour bar's 64 strips, background and legend.
    assert!(svg.matches("<rect").count() >= 256 + 64, "{}", svg.matches("<rect").count());
    // The scale runs from dark purple to yellow (viridis), and states its range in y.
    assert!(has_fill_near(&svg, (68, 1, 84)) && has_fill_near(&svg, (253, 231, 37)), "viridis ends in the bar");
    assert!(["0", "200k", "400k", "600k", "800k"].iter().all(|l| t.iter().any(|t| t == l)), "bar labels: {t:?}");
    assert!(svg.matches("<circle").count() >= 40, "training points");
    assert!(svg.matches("<polyline").count() > 50, "contour and kink segments");
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(all_shapes_on_canvas_of(&svg, (700, 500)));
}

#[test]
fn the_residual_heatmap_is_a_diverging_scale_symmetric_about_zero() {
    let (grid, target, plane) = product_surfaces();
    let residual: Vec<f64> = target.iter().zip(&plane).map(|(t, p)| t - p).collect();
    let svg = svg_sized((700, 500), |root| {
        let chart = ResidualSurfaceChart { title: "target − prediction", grid, residual: &residual, data_max: 500.0 };
        draw_residual_surface_chart(root, &chart, &Look::default()).unwrap();
    });
    std::fs::write("target/residual-heatmap-check.svg", &svg).unwrap();
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "t − p") && t.iter().any(|t| t == "0"), "{t:?}");
    // Symmetric labels: every positive tick of the bar (the axes stop at "1k") has its negative twin.
    let positive: Vec<&String> = t.iter().filter(|t| t.ends_with('k') && *t != "1k" && !t.starts_with('-')).collect();
    assert!(positive.len() >= 2, "{t:?}");
    for tick in positive {
        assert!(t.iter().any(|n| *n == format!("-{tick}")), "no -{tick} in {t:?}");
    }
    // The saddle's corners: orange where the target is above the plane, blue where below.
    assert!(has_fill_near(&svg, (33, 102, 172)) && has_fill_near(&svg, (230, 97, 1)), "blue–white–orange");
    assert!(has_fill_near(&svg, (247, 247, 247)), "white at zero");
    assert!(t.iter().any(|t| t == "no training data"), "the data covers only [1, 500]²");
}

#[test]
fn hostile_surfaces_draw_a_frame_or_fail_but_never_panic() {
    let (grid, target, plane) = product_surfaces();
    let mut wild = plane.clone();
    wild[3] = f64::NAN;
    wild[7] = f64::INFINITY;
    wild[9] = -1e300;
    let bad_kinks = [((f64::NAN, 0.0), (1.0, 1.0)), ((-1e9, 0.0), (1e9, 5.0)), ((1.0, 2.0), (f64::INFINITY, 3.0))];
    let bad_points = [(f64::NAN, 1.0), (1e12, 1.0), (5.0, f64::NEG_INFINITY)];
    let grids = [
        grid,
        SurfaceGrid { lo: 5.0, hi: 1.0, n: 16 },
        SurfaceGrid { lo: f64::NAN, hi: 1.0, n: 16 },
        SurfaceGrid { lo: 0.0, hi: 1.0, n: 0 },
    ];
    for g in grids {
        for (prediction, target) in [(&wild, &target), (&plane, &vec![f64::NAN; 256]), (&vec![], &vec![1.0; 3])] {
            let svg = svg_of(|root| {
                let chart = SurfaceChart {
                    title: "p",
                    grid: g,
                    prediction,
                    target,
                    data_max: f64::NAN,
                    points: &bad_points,
                    kinks: &bad_kinks,
                };
                draw_surface_chart(root, &chart, &Look::default()).unwrap();
                let chart = ResidualSurfaceChart { title: "r", grid: g, residual: prediction, data_max: -1.0 };
                draw_residual_surface_chart(root, &chart, &Look::default()).unwrap();
            });
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{g:?}");
            assert!(!svg.contains("<circle"), "no training point is in the square");
        }
    }
    // Too fine a grid is an error, and so may a tiny canvas be; neither panics.
    let fine = SurfaceGrid::new(0.0, 1.0, 1000);
    let cells = vec![0.0; fine.cells()];
    svg_of(|root| {
        let chart = SurfaceChart {
            title: "p",
            grid: fine,
            prediction: &cells,
            target: &cells,
            data_max: 1.0,
            points: &[],
            kinks: &[],
        };
        assert!(draw_surface_chart(root, &chart, &Look::default()).is_err());
    });
    for size in [(0, 0), (1, 1), (30, 20), (120, 40)] {
        svg_sized(size, |root| {
            let chart = SurfaceChart {
                title: "p",
                grid,
                prediction: &plane,
                target: &target,
                data_max: 1.0,
                points: &[],
                kinks: &[],
            };
            let _ = draw_surface_chart(root, &chart, &Look::default());
            let _ = draw_residual_surface_chart(
                root,
                &ResidualSurfaceChart { title: "r", grid, residual: &plane, data_max: 1.0 },
                &Look::default(),
            );
        });
    }
}

/// The y of every vertex of every polyline drawn in `colour` (SVG pixels).
fn polyline_ys(svg: &str, colour: &str) -> Vec<f64> {
    svg.split("<polyline")
        .skip(1)
        .filter(|p| p.contains(&format!("stroke=\"{colour}\"")))
        .filter_map(|p| p.split("points=\"").nth(1)?.split('"').next())
        .flat_map(|points| points.split(' ').filter_map(|xy| xy.split(',').nth(1)?.parse().ok()).collect::<Vec<f64>>())
        .collect()
}

#[test]
fn a_curve_that_leaves_the_view_is_cut_at_its_edge_not_pinned_along_it() {
    let target = parabola();
    // Up through the top of the view at x = 400, far above it, then back down at x = 800.
    let network: Vec<(f64, f64)> = (0..=50)
        .map(|i| i as f64 * 20.0)
        .map(|x| (x, if (400.0..=800.0).contains(&x) { 1e8 } else { x * 1000.0 }))
        .collect();
    let svg = svg_of(|root| {
        let chart =
            FitChart { target: &target, networks: &[Series { label: "network", points: &network }], ..empty_fit() };
        draw_fit_chart(root, &chart, &Look::default()).unwrap();
    });
    // The first polyline in the network's colour is its legend sample, above the plot.
    let plot_only = svg.replacen("stroke=\"#E6550D\"", "stroke=\"legend\"", 1);
    let ys = polyline_ys(&plot_only, "#E6550D");
    let top = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let at_top = ys.iter().filter(|&&y| (y - top).abs() < 0.5).count();
    assert!(at_top <= 2, "the curve touches the top edge where it leaves and re-enters, no more: {at_top} vertices");
    assert_eq!(plot_only.matches("stroke=\"#E6550D\"").count(), 2, "two runs: before and after the excursion");
}

#[test]
fn a_tick_a_hair_from_zero_reads_zero() {
    let target = parabola();
    let residual: Vec<(f64, f64)> = target.iter().map(|&(x, _)| (x, (x - 500.0) * 1e3)).collect();
    let svg = svg_of(|root| {
        let chart = ResidualChart {
            x_max: 1000.0,
            data_x_max: 1000.0,
            target: &target,
            networks: &[Series { label: "network", points: &residual }],
            floor_line: Some((1000.0, -166_000.0)),
            floor_name: "best straight line",
        };
        draw_residual_chart(root, &chart, &Look::default()).unwrap();
    });
    let numbers = numbers(&svg);
    assert!(numbers.iter().any(|t| t == "0"), "{numbers:?}");
    assert!(!numbers.iter().any(|t| t.contains("e-")), "no 1.08e-19 next to ±1M ticks: {numbers:?}");
}

#[test]
fn the_legend_sits_above_the_plot_never_on_it() {
    let target = parabola();
    let line: Vec<(f64, f64)> = target.iter().map(|&(x, _)| (x, 1000.0 * x - 166_000.0)).collect();
    let svg = collapsed_network(&target, &line);
    // (text, y) of every <text>, no-break spaces read as spaces.
    let placed: Vec<(String, f64)> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| {
            let y = t.split(" y=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let text = t.split_once('>')?.1.split("</text>").next()?.trim().replace('\u{a0}', " ");
            Some((text, y))
        })
        .collect();
    let y_of = |label: &str| placed.iter().find(|(t, _)| t == label).unwrap_or_else(|| panic!("{label} missing")).1;
    // The target's own curve (not its legend sample, the first polyline in its colour).
    let plot_only = svg.replacen("stroke=\"#282828\"", "stroke=\"legend\"", 1);
    let plot_top = polyline_ys(&plot_only, "#282828").into_iter().fold(f64::INFINITY, f64::min);
    for label in ["target y = x²", "training data", "best straight line (the floor)"] {
        assert!(y_of(label) < plot_top, "{label} at y {} is above the plot's top {plot_top}", y_of(label));
    }
}

#[test]
fn a_chart_says_where_its_plot_landed_and_a_larger_look_draws_larger_text() {
    let target = parabola();
    let mut frame = None;
    let svg = svg_of(|root| {
        let chart = FitChart { target: &target, ..empty_fit() };
        frame = Some(draw_fit_chart(root, &chart, &Look::default()).unwrap());
    });
    let frame = frame.unwrap();
    let [left, top, right, bottom] = frame.pixels;
    assert!(0.0 < left && left < right && right <= 800.0 && 0.0 < top && top < bottom && bottom <= 500.0, "{frame:?}");
    assert_eq!(&frame.data[..2], &[0.0, 1000.0], "x from 0 to x_max");
    assert!(frame.data[2] <= 0.0 && frame.data[3] >= 1e6, "y covers the target: {frame:?}");
    // The target at x = 1000 (y = 10⁶) is drawn at the frame's mapping of that point.
    let to_pixel_y = |y: f64| bottom - (y - frame.data[2]) / (frame.data[3] - frame.data[2]) * (bottom - top);
    let plot_only = svg.replacen("stroke=\"#282828\"", "stroke=\"legend\"", 1);
    let top_of_curve = polyline_ys(&plot_only, "#282828").into_iter().fold(f64::INFINITY, f64::min);
    assert!((top_of_curve - to_pixel_y(1e6)).abs() <= 1.5, "{top_of_curve} vs {}", to_pixel_y(1e6));

    let font_size =
        |svg: &str| -> f64 { svg.split("font-size=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap() };
    let big = svg_of(|root| draw_fit_chart(root, &FitChart { target: &target, ..empty_fit() }, &Look { scale: 2.0 }));
    assert!((font_size(&big) / font_size(&svg) - 2.0).abs() < 0.1, "presentation mode doubles the text");
}

#[test]
fn a_sweep_draws_a_dot_per_seed_coloured_by_outcome_beside_each_seeds_floor() {
    use squares_playground::outcome::Outcome;
    use squares_playground::plot::{draw_sweep_chart, SweepChart, SweepPoint};
    let point = |seed, rmse, outcome, twin| SweepPoint { seed, rmse, floor: 74_000.0 + seed as f64, outcome, twin };
    let points = [
        point(1, 500.0, Outcome::Bends, Some((75_000.0, Outcome::Straight))),
        point(2, 300_000.0, Outcome::Constant, Some((74_500.0, Outcome::Straight))),
        point(3, f64::NAN, Outcome::Diverged, None),
    ];
    let mut frame = None;
    let svg = svg_of(|root| {
        let chart = SweepChart { points: &points, seeds: 5, floor_name: "best straight line" };
        frame = Some(draw_sweep_chart(root, &chart, &Look::default()).unwrap());
    });
    let t = texts(&svg);
    for label in
        ["bends below the floor", "a straight line", "a constant", "twin (ring)", "each seed&apos;s best straight line"]
    {
        assert!(t.iter().any(|x| x == label), "{label} missing from {t:?}");
    }
    assert!(!svg.contains("NaN"));
    // Legend swatches aside, one filled dot per finite seed and one ring per twin.
    let filled = svg.matches("<circle").count();
    assert!(filled >= 2 + 2, "{filled} circles");
    let frame = frame.unwrap();
    assert_eq!(&frame.data[..2], &[-0.5, 4.5], "room for all five seeds");
    assert!(frame.log_y);
}
