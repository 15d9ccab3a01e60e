//! The wasm-bindgen layer, compiled to wasm32 and run in headless Chromium by
//! wasm-bindgen-test (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use squares_playground::web::{
    draw_fit_chart, draw_loss_chart, draw_residual_chart, draw_units_chart, parse_link, preset_names, preset_query,
    random_seed, twin_query, with_twin, WebTrainer,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_hostile_link_parses_to_the_default_with_notes() {
    let result = parse_link("v=1&task=<script>alert(1)</script>&examples=1e99&layers=%ff");
    assert_eq!(result.notes().len(), 3);
    assert!(result.query().starts_with("v=1&task=square&examples=10000&"));
    assert!(!result.query().contains('<'));
}

#[wasm_bindgen_test]
fn every_preset_is_offered_as_a_canonical_link() {
    let names = preset_names();
    assert!(names.iter().any(|n| n == "question-square"));
    for name in names {
        let query = preset_query(&name);
        assert!(parse_link(&query).notes().is_empty(), "{name}");
        assert_eq!(parse_link(&query).query(), query);
    }
}

#[wasm_bindgen_test]
fn the_trainer_rejects_a_non_canonical_query_with_a_message() {
    assert!(WebTrainer::new("v=1&examples=0").is_err());
}

#[wasm_bindgen_test]
fn a_small_relu_net_trains_below_the_floor_in_wasm() {
    let query = parse_link("v=1&task=square&norm=largest&layers=16:relu,16:relu&lr=0.01&batch=50&epochs=40").query();
    let mut t = WebTrainer::new(&query).unwrap();
    let mut status = String::new();
    for _ in 0..10_000 {
        status = t.step(7);
        if status != "running" {
            break;
        }
    }
    assert_eq!(status, "finished");
    assert_eq!(t.epoch(), 40);
    assert_eq!(t.loss_history().length(), 40);
    assert!(t.rmse() < 0.2 * t.floor_rmse(), "rmse {} floor {}", t.rmse(), t.floor_rmse());
    assert_eq!(t.collapse_line().length(), 0, "a relu net does not collapse");
    assert_eq!(t.curve(1.0, 1000.0, 50).length(), 100);
    assert!(t.report().starts_with("RMSE: "));
    // Same link, same seed: the same run, bit for bit.
    let mut again = WebTrainer::new(&query).unwrap();
    while again.step(50) == "running" {}
    assert_eq!(again.loss_history().to_vec(), t.loss_history().to_vec());
}

#[wasm_bindgen_test]
fn an_all_linear_net_reports_its_collapsed_line() {
    let query = parse_link("v=1&task=square&norm=largest&layers=8:linear,8:linear&epochs=3").query();
    let mut t = WebTrainer::new(&query).unwrap();
    while t.step(100) == "running" {}
    assert_eq!(t.collapse_line().length(), 2);
    assert!(t.collapse_gap() < 1.0);
    assert_eq!(t.effective_depth(), 1);
    assert!(t.rmse() >= t.floor_rmse() - 0.5);
}

#[wasm_bindgen_test]
fn random_seeds_come_from_the_browser() {
    let seeds: Vec<u32> = (0..4).map(|_| random_seed().unwrap()).collect();
    assert!(seeds.windows(2).any(|w| w[0] != w[1]));
}

fn canvas() -> (HtmlCanvasElement, CanvasRenderingContext2d) {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(400);
    canvas.set_height(300);
    document.body().unwrap().append_child(&canvas).unwrap();
    let context = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    (canvas, context)
}

fn painted_pixels(context: &CanvasRenderingContext2d) -> usize {
    let data = context.get_image_data(0.0, 0.0, 400.0, 300.0).unwrap().data();
    data.chunks(4).filter(|p| p[3] != 0).count()
}

#[wasm_bindgen_test]
fn the_charts_paint_the_canvas_and_survive_nan() {
    let (canvas, context) = canvas();
    assert_eq!(painted_pixels(&context), 0);
    let target: Vec<f64> = (1..=10).flat_map(|i| [i as f64 * 100.0, (i * i) as f64 * 1e4]).collect();
    let prediction: Vec<f64> = vec![1.0, f64::NAN, 500.0, f64::INFINITY, 1000.0, 9e5];
    let floor = [1000.0, -1.6e5];
    let (x_max, data_x_max, y_max) = (2000.0, 1000.0, 1e6);
    let label = "target y = x²";
    draw_fit_chart(
        canvas.clone(),
        label,
        x_max,
        data_x_max,
        y_max,
        &target,
        &target,
        "network",
        &prediction,
        "twin",
        &target,
        &floor,
        &[],
        &[300.0],
    )
    .unwrap();
    assert!(painted_pixels(&context) > 10_000);
    draw_loss_chart(canvas.clone(), "network", &[3e5, 1e5, f32::NAN, 8e4], "", &[], 74_535.0).unwrap();
    draw_residual_chart(canvas.clone(), 1000.0, 1000.0, &target, "network", &target, "", &[], &floor).unwrap();
    draw_units_chart(canvas, 0.0, 1000.0, 2, &[0.0, 1.0, 0.5, 0.0, 1.0, f32::NAN]).unwrap();
}

#[wasm_bindgen_test]
fn twin_mode_gives_the_contrasting_twin_its_own_query() {
    let query = with_twin(&parse_link("v=1&layers=8:relu,8:relu&epochs=2").query(), true);
    let twin = twin_query(&query);
    assert!(twin.contains("layers=8:linear,8:linear") && twin.ends_with("&twin=off"), "{twin}");
    assert_eq!(twin_query(&with_twin(&query, false)), "");
    let mut t = WebTrainer::new(&twin).unwrap();
    while t.step(100) == "running" {}
    assert_eq!(t.breakpoints(0.0, 1000.0).length(), 0, "a linear twin has no kinks");
    assert_eq!(t.pieces_in_data(), 1);
    assert!(t.rmse_between(1000.0, 2000.0, 50) > t.rmse_between(1.0, 1000.0, 50));
}

#[wasm_bindgen_test]
fn the_merged_layers_of_a_mixed_network_are_named() {
    let query = parse_link("v=1&layers=4:linear,4:linear,4:relu,4:linear&epochs=1&twin=off").query();
    let t = WebTrainer::new(&query).unwrap();
    assert_eq!(t.merged_layers(), "1–3, 4–5");
    assert_eq!(t.effective_depth(), 2);
}
