//! "Copy as Keras code": a runnable Python script that reproduces an experiment in real
//! Keras — the question's data generator and normalisation, the layers, the optimizer, the
//! batch size and epochs — and prints the question's report, so users can check our numbers.

use crate::experiment::{Experiment, Normalization, OptimizerKind, OptimizerSpec, Task};
use crate::formula::python_float;
use std::fmt::Write;

/// Python source; every value is one of our validated enums or numbers, never user text (a
/// typed formula is written out again as numpy from its parsed tree).
pub fn keras_script(e: &Experiment) -> String {
    let mut py = String::new();
    let w = &mut py;
    let _ = writeln!(w, "# Squares Playground experiment, reproduced in Keras.");
    let _ = writeln!(w, "# Keras draws its own data, initial weights and batches: the same experiment, another run.");
    let _ = writeln!(w, "# (`squares --keras --exact` writes a script that replays our very run.)");
    let _ = writeln!(w, "# Share link query: ?{}", e.to_query());
    let _ = writeln!(w, "# Needs: pip install keras tensorflow numpy   (Keras 3 or tf.keras 2.x)");
    let _ = writeln!(w, "from math import sqrt\n");
    let _ = writeln!(w, "import numpy as np");
    let _ = writeln!(w, "import keras");
    let _ = writeln!(w, "from keras import layers\n");
    let _ = writeln!(w, "keras.utils.set_random_seed({})  # seeds Python, NumPy and the backend\n", e.seed);
    let _ = writeln!(w, "n_examples, n_numbers, largest = {}, {}, {}", e.examples, e.inputs, e.largest);
    let _ = writeln!(w, "# randint(1, largest) as in the question: 1..largest inclusive.");
    let _ = writeln!(w, "X_raw = np.random.randint(1, largest + 1, size=(n_examples, n_numbers)).astype('float64')");
    let target = match e.task {
        Task::Square => "X_raw[:, 0] ** 2".to_string(),
        Task::Sum => "X_raw.sum(axis=1)".to_string(),
        Task::Product => "X_raw.prod(axis=1)".to_string(),
        Task::Function => {
            let _ = writeln!(w, "# {} = {}", e.formula.signature(), e.formula.normalized());
            let numpy = e.formula.to_numpy("X_raw");
            // A constant formula is one number: give every example its copy.
            if e.formula.is_constant() {
                format!("np.full(n_examples, {numpy})")
            } else {
                numpy
            }
        }
    };
    let _ = writeln!(w, "y_raw = {target}\n");
    if e.noise > 0.0 {
        let _ =
            writeln!(w, "# Noise on the targets: sigma = {} x their range (the playground draws its own).", e.noise);
        let _ = writeln!(
            w,
            "y_raw = y_raw + np.random.normal(0.0, {} * (y_raw.max() - y_raw.min()), size=y_raw.shape)\n",
            e.noise
        );
    }
    let _ = writeln!(w, "# validation_split holds out the last rows, before any shuffling.");
    let _ = writeln!(w, "n_train = n_examples - int(n_examples * {})\n", e.test_split);
    match e.normalization {
        Normalization::Question => {
            let factor = if e.task == Task::Sum { "float(largest * n_numbers)" } else { "float(largest * largest)" };
            let _ = writeln!(w, "# The question's normalisation: x and y divided by one factor.");
            let _ = writeln!(w, "x_offset, x_scale = 0.0, {factor}");
            let _ = writeln!(w, "y_offset, y_scale = 0.0, {factor}");
        }
        Normalization::Largest => {
            let _ = writeln!(w, "# x divided by largest, y by its largest possible value.");
            let _ = writeln!(w, "x_offset, x_scale = 0.0, float(largest)");
            let _ = writeln!(w, "y_offset, y_scale = 0.0, {}", python_float(e.target().max_abs(e.largest)));
        }
        Normalization::Standard => {
            let _ = writeln!(w, "# Standardisation with the training data's mean and (population) std.");
            let _ = writeln!(w, "x_offset, x_scale = X_raw.mean(axis=0), X_raw.std(axis=0)");
            let _ = writeln!(w, "x_scale = np.where(x_scale > 0, x_scale, 1.0)");
            let _ = writeln!(w, "y_offset, y_scale = y_raw.mean(), (y_raw.std() or 1.0)");
        }
    }
    let _ = writeln!(w, "X = ((X_raw - x_offset) / x_scale).astype('float32')");
    let _ = writeln!(w, "y = ((y_raw - y_offset) / y_scale).astype('float32')\n");
    let _ = writeln!(w, "def invert(value):");
    let _ = writeln!(w, "    return round(float(value) * y_scale + y_offset)\n");
    let _ = writeln!(w, "model = {}", sequential_model(e, ""));
    let _ = writeln!(w, "model.compile(loss='mean_squared_error', optimizer={})", optimizer_expression(&e.optimizer));
    let split = if e.test_split > 0.0 { format!(", validation_split={}", e.test_split) } else { String::new() };
    let _ = writeln!(
        w,
        "model.fit(X, y, epochs={}, batch_size={}, shuffle=True{split}, verbose=2)
",
        e.epochs, e.batch_size
    );
    let _ = writeln!(w, "result = model.predict(X[:n_train], batch_size={}, verbose=0)", e.batch_size);
    let _ = writeln!(w, "expected = [round(v) for v in y_raw[:n_train]]");
    let _ = writeln!(w, "predicted = [invert(v) for v in result[:, 0]]");
    let _ = writeln!(w, "rmse = sqrt(sum((a - b) ** 2 for a, b in zip(expected, predicted)) / len(expected))");
    let _ = writeln!(w, "print('RMSE: %f' % rmse)");
    if e.test_split > 0.0 {
        let _ = writeln!(w, "held = model.predict(X[n_train:], batch_size={}, verbose=0)[:, 0]", e.batch_size);
        let _ = writeln!(
            w,
            "print('Test RMSE: %f' % sqrt(sum((round(a) - invert(b)) ** 2 for a, b in zip(y_raw[n_train:], held)) / len(held)))"
        );
    }
    let _ = writeln!(w, "for i in range(min(20, n_examples)):");
    let _ = writeln!(
        w,
        "    print('Expected=%d, Predicted=%d (err=%d)' % (expected[i], predicted[i], expected[i] - predicted[i]))"
    );
    py
}

/// `keras.Sequential([...])` of the experiment's layers (the script defines `n_numbers`), one
/// per line, each line after the first starting with `indent`.
pub fn sequential_model(e: &Experiment, indent: &str) -> String {
    let mut py = String::from("keras.Sequential([\n");
    let _ = writeln!(py, "{indent}    keras.Input(shape=(n_numbers,)),");
    for layer in &e.hidden {
        let _ = writeln!(py, "{indent}    layers.Dense({}, activation='{}'),", layer.units, layer.activation.name());
    }
    let _ = writeln!(py, "{indent}    layers.Dense(1),  # linear output for regression");
    let _ = write!(py, "{indent}])");
    py
}

/// The Keras optimizer with our hyper-parameters, each written as the shortest decimal that
/// reads back as our f32 (the text the share link carries), always as a Python float:
/// Keras 3's SGD rejects `momentum=0` (an int) but takes `momentum=0.0`.
pub fn optimizer_expression(o: &OptimizerSpec) -> String {
    // Debug, unlike Display, keeps the ".0" of whole numbers: 0.0, 10.0, 0.001, 1e-7.
    match o.kind {
        OptimizerKind::Adam => format!(
            "keras.optimizers.Adam(learning_rate={:?}, beta_1={:?}, beta_2={:?}, epsilon={:?})",
            o.learning_rate, o.beta1, o.beta2, o.epsilon
        ),
        OptimizerKind::Sgd => {
            format!("keras.optimizers.SGD(learning_rate={:?}, momentum={:?})", o.learning_rate, o.momentum)
        }
    }
}
