//! The Keras script for every preset (and every option) is valid Python that carries the
//! experiment's settings.

use squares_playground::keras_export::keras_script;
use squares_playground::{parse_query, Formula, PRESETS};
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
fn a_typed_function_is_written_as_numpy_with_its_exact_scale() {
    let cases = [
        (
            "v=1&task=f&f=sin(x/100)*1000&norm=largest",
            vec!["y_raw = np.sin(X_raw[:, 0] / 100.0) * 1000.0", "# f(x) = sin(x/100)*1000"],
        ),
        (
            "v=1&task=f&f=x1*x2&norm=question",
            vec!["y_raw = X_raw[:, 0] * X_raw[:, 1]", "n_numbers, largest = 1000, 2, 1000"],
        ),
        ("v=1&task=f&f=5&norm=largest", vec!["y_raw = np.full(n_examples, 5.0)", "y_offset, y_scale = 0.0, 5.0"]),
    ];
    for (query, needles) in cases {
        let parsed = parse_query(query);
        assert!(parsed.notes.is_empty(), "{query}: {:?}", parsed.notes);
        let script = keras_script(&parsed.experiment);
        for needle in needles {
            assert!(script.contains(needle), "{query}: missing {needle:?} in\n{script}");
        }
        compiles_as_python("function", &script);
    }
    // The scale is the exact f64 we divide by, not a rounding of it.
    let e = parse_query("v=1&task=f&f=sin(x/100)*1000&norm=largest").experiment;
    let scale = e.target().max_abs(e.largest);
    assert!(scale < 1000.0 && scale > 999.9);
    assert!(keras_script(&e).contains(&format!("y_offset, y_scale = 0.0, {scale}\n")), "{scale}");
}

/// Python's floats are IEEE doubles like ours and `math` wraps the same libm, so the numpy
/// text, run with `np` standing for `math` on single numbers, must give our values.
#[test]
fn the_numpy_of_a_formula_computes_what_we_compute() {
    let formulas = [
        "x^3",
        "abs(x-500)",
        "sin(x/100)*1000",
        "x1*x2",
        "max(x1,x2) - min(x1, x2)",
        "-x^2 + 2^-x",
        "2^3^(x/10)",
        "(2^3)^x",
        "floor(x/3)*pi - e",
        "sqrt(x)*log(x)/exp(x/1000)",
        "tan(cos(x1)) - -x2",
        "x - (x - 1) - 1/(1/x)",
    ];
    let points = [[3.0, 7.0], [0.5, 2.25], [17.0, 1.0]];
    let mut program = String::from(
        "import math\nclass NP: pass\nnp = NP()\n\
         np.sin, np.cos, np.tan, np.exp, np.log, np.sqrt = math.sin, math.cos, math.tan, math.exp, math.log, math.sqrt\n\
         np.abs, np.minimum, np.maximum, np.pi, np.e = abs, min, max, math.pi, math.e\n\
         np.floor = lambda v: float(math.floor(v))\n\
         class Columns:\n    def __init__(self, row): self.row = row\n    def __getitem__(self, key): return self.row[key[1]]\n",
    );
    let mut expected = Vec::new();
    for text in formulas {
        let f = Formula::parse(text).unwrap();
        for p in points {
            program.push_str(&format!(
                "X_raw = Columns([{:?}, {:?}])\nprint(repr(float({})))\n",
                p[0],
                p[1],
                f.to_numpy("X_raw")
            ));
            expected.push((text, p, f.eval(&p)));
        }
    }
    let out = Command::new("python3").args(["-c", &program]).output().expect("python3 is on PATH");
    assert!(out.status.success(), "{}\n{program}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    for ((text, p, ours), line) in expected.iter().zip(printed.lines()) {
        let theirs: f64 = line.parse().unwrap();
        assert!((theirs - ours).abs() <= 1e-12 * ours.abs().max(1.0), "{text} at {p:?}: python {theirs}, ours {ours}");
    }
    assert_eq!(printed.lines().count(), expected.len());
}

#[test]
fn hyper_parameters_are_written_as_python_floats() {
    // Keras 3's SGD raises "`momentum` must be a float" on momentum=0.
    let parsed = parse_query("v=1&opt=sgd&lr=10&momentum=0");
    assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
    assert!(keras_script(&parsed.experiment).contains("keras.optimizers.SGD(learning_rate=10.0, momentum=0.0)"));
}
