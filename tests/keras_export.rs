//! The Keras script for every preset (and every option) is valid Python that carries the
//! experiment's settings.

use squares_playground::keras_export::keras_script;
use squares_playground::{parse_query, PRESETS};
use std::process::Command;

fn compiles_as_python(name: &str, source: &str) {
    let dir = std::env::temp_dir().join(format!("squares-keras-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.py"));
    std::fs::write(&path, source).unwrap();
    let out = Command::new("python3").args(["-m", "py_compile"]).arg(&path).output().expect("python3 is on PATH");
    assert!(out.status.success(), "{name}: {}\n{source}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_preset_exports_a_script_that_compiles() {
    for preset in PRESETS {
        let script = keras_script(&preset.experiment());
        compiles_as_python(preset.name, &script);
        assert!(script.contains(&format!("epochs={}", preset.experiment().epochs)));
    }
}

#[test]
fn every_option_is_carried_into_the_script() {
    let cases = [
        ("v=1&task=product&norm=standard&layers=8:tanh,4:swish&opt=sgd&lr=0.05&momentum=0.9&batch=10&epochs=3&seed=9", vec![
            "X_raw.prod(axis=1)",
            "X_raw.std(axis=0)",
            "layers.Dense(8, activation='tanh')",
            "layers.Dense(4, activation='swish')",
            "keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)",
            "batch_size=10",
            "set_random_seed(9)",
        ]),
        ("v=1&task=sum&inputs=3&norm=largest&layers=none&lr=0.002&eps=1e-8", vec![
            "X_raw.sum(axis=1)",
            "y_offset, y_scale = 0.0, 3000.0",
            "keras.optimizers.Adam(learning_rate=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8)",
        ]),
        ("v=1&task=square&norm=question&layers=3:leaky_relu", vec!["float(largest * largest)", "activation='leaky_relu'"]),
    ];
    for (query, needles) in cases {
        let parsed = parse_query(query);
        assert!(parsed.notes.is_empty(), "{query}: {:?}", parsed.notes);
        let script = keras_script(&parsed.experiment);
        for needle in needles {
            assert!(script.contains(needle), "{query}: missing {needle:?} in\n{script}");
        }
        compiles_as_python("options", &script);
    }
}

#[test]
fn hyper_parameters_are_written_as_python_floats() {
    // Keras 3's SGD raises "`momentum` must be a float" on momentum=0.
    let parsed = parse_query("v=1&opt=sgd&lr=10&momentum=0");
    assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
    assert!(keras_script(&parsed.experiment).contains("keras.optimizers.SGD(learning_rate=10.0, momentum=0.0)"));
}
