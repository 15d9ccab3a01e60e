//! The wasm-bindgen layer, compiled to wasm32 and run in headless Chromium by
//! wasm-bindgen-test (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Float32Array, Float64Array};
use squares_playground::web::{
    check_formula, draw_fit_chart, draw_loss_chart, draw_residual_chart, draw_surface_chart, draw_units_chart,
    member_query, parse_link, preset_names, preset_query, random_seed, sweep_seeds, twin_query, with_twin, SweepReport,
    WebTrainer,
};
use wasm_bindgen::{JsCast, JsValue};
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

/// A property of a JS object the trainer returned.
fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap()
}

fn number(object: &JsValue, key: &str) -> f64 {
    get(object, key).as_f64().unwrap_or_else(|| panic!("{key} is not a number"))
}

/// Trains to the end, then makes an exact pass in slices; returns the exact figures.
fn train_to_the_end(t: &mut WebTrainer) -> JsValue {
    let mut status = String::new();
    for _ in 0..100_000 {
        status = t.step(7);
        if status != "running" {
            break;
        }
    }
    assert_eq!(status, "finished");
    t.begin_exact();
    while !t.advance_exact(5_000.0) {}
    t.exact()
}

#[wasm_bindgen_test]
fn a_small_relu_net_trains_below_the_floor_in_wasm() {
    let query = parse_link("v=1&task=square&norm=largest&layers=16:relu,16:relu&lr=0.01&batch=50&epochs=40").query();
    let mut t = WebTrainer::new(&query).unwrap();
    let info = t.info();
    let exact = train_to_the_end(&mut t);
    let live = t.live();
    assert_eq!(number(&live, "epoch"), 40.0);
    assert_eq!(get(&live, "status"), "finished");
    assert_eq!(Float32Array::from(get(&live, "rmseHistory")).length(), 40);
    let floor = number(&info, "floorRmse");
    assert!(number(&exact, "rmse") < 0.2 * floor, "rmse {} floor {floor}", number(&exact, "rmse"));
    assert_eq!(Float64Array::from(get(&live, "collapseLine")).length(), 0, "a relu net does not collapse");
    assert_eq!(Float64Array::from(get(&live, "curve")).length(), 2 * 240);
    assert!(get(&exact, "report").as_string().unwrap().starts_with("RMSE: "));
    assert_eq!(get(&exact, "kinks"), "traced");
    // Same link, same seed: the same run, bit for bit.
    let mut again = WebTrainer::new(&query).unwrap();
    let again = train_to_the_end(&mut again);
    assert_eq!(number(&again, "rmse"), number(&exact, "rmse"));
}

#[wasm_bindgen_test]
fn an_all_linear_net_reports_its_collapsed_line() {
    let query = parse_link("v=1&task=square&norm=largest&layers=8:linear,8:linear&epochs=3").query();
    let mut t = WebTrainer::new(&query).unwrap();
    let exact = train_to_the_end(&mut t);
    assert_eq!(Float64Array::from(get(&t.live(), "collapseLine")).length(), 2);
    assert!(number(&exact, "collapseGap") < 1.0);
    assert_eq!(number(&t.info(), "effectiveDepth"), 1.0);
    assert!(number(&exact, "rmse") >= number(&t.info(), "floorRmse") - 0.5);
}

#[wasm_bindgen_test]
fn the_batch_bound_holds_in_32_bit_arithmetic() {
    // 430,333 parameters × 10,000 rows is 4.3e9: it wraps a 32-bit usize to 8.5 million.
    let raw = "v=1&examples=10000&batch=10000&layers=654:relu,654:relu&twin=off";
    assert!(WebTrainer::new(raw).is_err(), "the strict trainer refuses the raw link");
    let parsed = parse_link(raw);
    assert!(parsed.query().contains("&batch=116&"), "{}", parsed.query());
    assert!(parsed.notes()[0].contains("too heavy"), "{:?}", parsed.notes());
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
        "best straight line",
        &[],
        &[300.0],
        1.0,
    )
    .unwrap();
    assert!(painted_pixels(&context) > 10_000);
    draw_loss_chart(
        canvas.clone(),
        "network",
        &[3e5, 1e5, f32::NAN, 8e4],
        &[0.0, 4e5, 2.0, f64::NAN],
        &[2e5, 1.5e5],
        "",
        &[],
        &[],
        &[],
        74_535.0,
        "best straight line",
        1.5,
    )
    .unwrap();
    let floor_name = "best straight line";
    let frame = draw_residual_chart(
        canvas.clone(),
        1000.0,
        1000.0,
        &target,
        "network",
        &target,
        "",
        &[],
        &floor,
        floor_name,
        1.0,
    );
    let frame = frame.unwrap().to_vec();
    assert_eq!(frame.len(), 9, "[left, top, right, bottom, x0, x1, y0, y1, log_y]");
    assert!(frame[0] < frame[2] && frame[2] <= 400.0 && frame[1] < frame[3] && frame[3] <= 300.0, "{frame:?}");
    assert_eq!((frame[4], frame[5]), (0.0, 1000.0));
    draw_units_chart(canvas, 0.0, 1000.0, 2, &[0.0, 1.0, 0.5, 0.0, 1.0, f32::NAN], 1.0).unwrap();
}

#[wasm_bindgen_test]
fn twin_mode_gives_the_contrasting_twin_its_own_query() {
    let query = with_twin(&parse_link("v=1&layers=8:relu,8:relu&epochs=2&extent=2").query(), true);
    let twin = twin_query(&query);
    assert!(twin.contains("layers=8:linear,8:linear") && twin.contains("&twin=off"), "{twin}");
    assert_eq!(twin_query(&with_twin(&query, false)), "");
    let mut t = WebTrainer::new(&twin).unwrap();
    let exact = train_to_the_end(&mut t);
    assert_eq!(Float64Array::from(get(&exact, "breakpoints")).length(), 0, "a linear twin has no kinks");
    assert_eq!(number(&exact, "pieces"), 1.0);
    assert!(number(&exact, "rmseOutside") > number(&exact, "rmseInside"));
}

#[wasm_bindgen_test]
fn the_merged_layers_of_a_mixed_network_are_named() {
    let query = parse_link("v=1&layers=4:linear,4:linear,4:relu,4:linear&epochs=1&twin=off").query();
    let info = WebTrainer::new(&query).unwrap().info();
    assert_eq!(get(&info, "mergedLayers"), "1–3, 4–5");
    assert_eq!(number(&info, "effectiveDepth"), 2.0);
}

#[wasm_bindgen_test]
fn a_two_input_task_draws_its_surface_and_typed_functions_are_checked() {
    let query = parse_link("v=1&task=product&layers=8:relu&epochs=2&twin=off").query();
    let mut t = WebTrainer::new(&query).unwrap();
    let info = t.info();
    assert_eq!(number(&info, "inputs"), 2.0);
    assert_eq!(get(&info, "floorName"), "best plane");
    let surface = get(&info, "surface");
    let n = number(&surface, "n") as u32;
    let surface_now = t.surface();
    assert_eq!(Float64Array::from(get(&surface_now, "prediction")).length(), n * n);
    let (canvas, context) = canvas();
    let lo_hi = (number(&surface, "lo"), number(&surface, "hi"));
    let prediction = Float64Array::from(get(&surface_now, "prediction")).to_vec();
    let target = Float64Array::from(get(&surface, "target")).to_vec();
    draw_surface_chart(canvas.clone(), "prediction", lo_hi.0, lo_hi.1, n, &prediction, &target, 1000.0, &[], &[], 1.0)
        .unwrap();
    assert!(painted_pixels(&context) > 10_000);
    assert_eq!(check_formula("x^3"), "");
    assert!(check_formula("sin(x").contains("character 6"), "{}", check_formula("sin(x"));
}

#[wasm_bindgen_test]
fn a_sweeps_report_decides_outcomes_from_the_evidence_its_workers_send() {
    let query = parse_link("v=1&layers=8:relu&epochs=20&lr=0.01&seeds=2&twin=off").query();
    assert_eq!(sweep_seeds(&query).to_vec(), vec![1, 2]);
    let mut report = SweepReport::new(&query);
    for seed in [2, 1] {
        let member = member_query(&query, seed);
        assert!(member.contains(&format!("&seed={seed}&")) && !member.contains("seeds="), "{member}");
        let mut t = WebTrainer::new(&member).unwrap();
        while t.step(100) == "running" {}
        let result = t.result();
        assert_eq!(get(&result, "outcome"), "bends");
        // A page that says "constant" about a bending run is overruled: the outcome is
        // decided again from the evidence.
        js_sys::Reflect::set(&result, &JsValue::from_str("outcome"), &JsValue::from_str("constant")).unwrap();
        report.add(seed, result, JsValue::UNDEFINED).unwrap();
    }
    assert_eq!(report.count(), 2);
    assert_eq!(report.sentences()[0], "All 2 seeds bend below the best straight line.");
    assert!(report.csv().starts_with("seed,final_rmse,floor_rmse,outcome,epochs\n1,"), "{}", report.csv());
    let points = report.points().to_vec();
    assert_eq!((points[0], points[6]), (1.0, 2.0), "kept in seed order");
}
