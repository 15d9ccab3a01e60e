//! "Copy as Keras code": a runnable Python script that reproduces an experiment in real
//! Keras — the question's data generator and normalisation, the layers, the optimizer, the
//! batch size and epochs — and prints the question's report, so users can check our numbers.

use crate::experiment::{Experiment, Normalization, OptimizerKind, Task};
use crate::formula::python_float;
use std::fmt::Write;

/// Python source; every value is one of our validated enums or numbers, never user text (a
/// typed formula is written out again as numpy from its parsed tree).
pub fn keras_script(e: &Experiment) -> String {
    let mut py = String::new();
    let w = &mut py;
    let _ = writeln!(w, "# Squares Playground experiment, reproduced in Keras.");
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
    let _ = writeln!(w, "model = keras.Sequential([");
    let _ = writeln!(w, "    keras.Input(shape=(n_numbers,)),");
    for layer in &e.hidden {
        let _ = writeln!(w, "    layers.Dense({}, activation='{}'),", layer.units, layer.activation.name());
    }
    let _ = writeln!(w, "    layers.Dense(1),  # linear output for regression");
    let _ = writeln!(w, "])");
    let o = &e.optimizer;
    let optimizer = match o.kind {
        OptimizerKind::Adam => format!(
            "keras.optimizers.Adam(learning_rate={}, beta_1={}, beta_2={}, epsilon={:e})",
            o.learning_rate, o.beta1, o.beta2, o.epsilon
        ),
        OptimizerKind::Sgd => {
            format!("keras.optimizers.SGD(learning_rate={}, momentum={})", o.learning_rate, o.momentum)
        }
    };
    let _ = writeln!(w, "model.compile(loss='mean_squared_error', optimizer={optimizer})");
    let split = if e.test_split > 0.0 { format!(", validation_split={}", e.test_split) } else { String::new() };
    let _ = writeln!(
        w,
        "model.fit(X, y, epochs={}, batch_size={}, shuffle=True{split}, verbose=2)\n",
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
