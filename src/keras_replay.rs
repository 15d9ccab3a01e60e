//! "Copy as Keras code — exact replay": a runnable Python script in which Keras trains the
//! *same run* as we do, not merely the same config. `keras_export` gives Keras its own
//! random streams (its own data, initial weights and batches), so only the distribution of
//! outcomes can be compared; here Keras gets ours:
//!
//! - the training data as the network sees it: the normalised inputs and targets as f32
//!   (our data comes from a ChaCha8 stream numpy cannot regenerate, and shipping the f32
//!   values rather than the integers leaves no normalisation arithmetic to round
//!   differently), plus the exact targets in user units for the report;
//! - the initial weights, every kernel and bias, bit for bit (`model.set_weights`);
//! - the batch order: one permutation of the examples per epoch, and one `fit(X[order],
//!   y[order], epochs=1, shuffle=False)` per epoch on the same compiled model, so the
//!   optimizer's moments and `iterations` carry over as in one long `fit`.
//!
//! They travel in one base64 string at the end of the script (`PAYLOAD`, see `payload`). What remains
//! different is the order in which float32 sums are taken (matrix products, reductions):
//! the two runs agree to rounding noise at first and drift apart only as slowly as training
//! amplifies it (docs/fidelity.md measures how slowly).

mod payload;

pub use payload::{base64, Payload, Section};

use crate::experiment::Experiment;
use crate::keras_export::{optimizer_expression, sequential_model};
use crate::train::{epoch_orders, Trainer};
use std::fmt::{self, Write};

/// Batch-order entries (epochs × examples) an exact replay carries at most: 5,000,000 is
/// 10 MB before compression, ten times the question's 500 × 1,000. The bounds allow runs
/// of 10,000 × 10,000, whose script (200 MB of orders) nobody could copy.
pub const MAX_REPLAY_ORDERS: usize = 5_000_000;

/// The run is too long to replay from a script: it names the size and what to shorten.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayTooLarge {
    pub epochs: usize,
    pub examples: usize,
}

impl fmt::Display for ReplayTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an exact replay of {} epochs × {} examples would carry {} batch-order entries, more than {}: \
             use fewer epochs or examples",
            self.epochs,
            self.examples,
            self.epochs * self.examples,
            MAX_REPLAY_ORDERS
        )
    }
}

impl std::error::Error for ReplayTooLarge {}

/// Everything Keras needs to train our run, named as the script names it.
pub fn replay_payload(e: &Experiment) -> Result<Payload, ReplayTooLarge> {
    check_size(e)?;
    Ok(payload_of(&fresh_trainer(e)))
}

/// The trainer of an experiment the codec produced (so a valid one: anything else is a
/// programmer's error).
fn fresh_trainer(e: &Experiment) -> Trainer {
    Trainer::new(e).unwrap_or_else(|error| panic!("exact replay of an invalid experiment: {error}"))
}

fn check_size(e: &Experiment) -> Result<(), ReplayTooLarge> {
    if e.epochs * e.examples > MAX_REPLAY_ORDERS {
        return Err(ReplayTooLarge { epochs: e.epochs, examples: e.examples });
    }
    Ok(())
}

/// The payload of a trainer that has not taken a step: exactly the data and initial weights
/// training starts from, and the batch orders it will draw.
fn payload_of(fresh: &Trainer) -> Payload {
    assert_eq!(fresh.epoch(), 0, "the replay starts from the initial weights");
    let (e, data, network) = (fresh.experiment(), fresh.data(), fresh.network());
    // The training rows only: a test set (the last rows) is never trained on, and the
    // report is over the training set.
    let n = data.train_rows;
    let mut payload = Payload::new();
    payload.push_f32("X", &[n, data.inputs()], data.x.iter().take(n * data.inputs()).copied());
    payload.push_f32("y", &[n, 1], data.y.iter().take(n).copied());
    payload.push_f64("y_raw", &[n], data.raw_y.iter().take(n).copied());
    for (i, layer) in network.layers.iter().enumerate() {
        payload.push_f32(&format!("kernel_{}", i + 1), &[layer.fan_in(), layer.units()], layer.weights.iter().copied());
        payload.push_f32(&format!("bias_{}", i + 1), &[layer.units()], layer.bias.iter().copied());
    }
    let orders = epoch_orders(e);
    payload.push_indices("orders", &[e.epochs, n], n, orders.into_iter().flatten());
    payload
}

/// Python source of the exact replay. Every value in it is one of our validated enums or
/// numbers or the payload's base64, never user text.
pub fn keras_exact_script(e: &Experiment) -> Result<String, ReplayTooLarge> {
    check_size(e)?;
    let trainer = fresh_trainer(e);
    let payload = payload_of(&trainer);
    let scaling = &trainer.data().scaling;
    let mut py = String::new();
    let w = &mut py;
    let _ = write!(w, "{}", HEADER.replace("{query}", &e.to_query()));
    if e.twin.is_some() {
        let _ = writeln!(w, "# Only the main network is replayed: the twin is a run of its own, with its own export.");
    }
    let _ = writeln!(w, "{IMPORTS}");
    let _ = writeln!(w, "QUERY = '{}'", e.to_query());
    let _ = writeln!(
        w,
        "n_examples, n_numbers, n_epochs, n_batch = {}, {}, {}, {}",
        e.training_examples(),
        e.inputs,
        e.epochs,
        e.batch_size
    );
    let _ = writeln!(w, "# The question's invert: back to user units (y_raw = y * y_scale + y_offset), rounded.");
    let _ = writeln!(w, "y_offset, y_scale = {:?}, {:?}\n", scaling.y_offset, scaling.y_scale);
    let _ = writeln!(w, "# The arrays in PAYLOAD, in order: name, numpy dtype (little-endian), shape.");
    let _ = writeln!(w, "LAYOUT = [");
    for section in payload.layout() {
        let shape: Vec<String> = section.shape.iter().map(|n| n.to_string()).collect();
        let comma = if shape.len() == 1 { "," } else { "" };
        let note = match section.name.as_str() {
            "X" => "  # inputs, as the network sees them",
            "y" => "  # targets, normalised",
            "y_raw" => "  # targets, exact, in user units",
            "orders" => "  # row e: the examples of epoch e + 1, in batch order",
            _ => "",
        };
        let _ = writeln!(w, "    ('{}', '{}', ({}{comma})),{note}", section.name, section.dtype, shape.join(", "));
    }
    let _ = writeln!(w, "]\n");
    let _ = writeln!(w, "{UNPACK}");
    let _ = writeln!(w, "def build_model():");
    let _ = writeln!(w, "    model = {}", sequential_model(e, "    "));
    let _ = writeln!(w, "    # jit_compile=False: XLA would fuse the float32 arithmetic differently.");
    let _ = writeln!(
        w,
        "    model.compile(loss='mean_squared_error', optimizer={}, jit_compile=False)",
        optimizer_expression(&e.optimizer)
    );
    let _ = writeln!(w, "    return model\n\n");
    let _ = writeln!(w, "{MAIN}");
    let _ = writeln!(w, "PAYLOAD = '''\n{}\n'''\n", payload.encoded());
    let _ = writeln!(w, "if __name__ == '__main__':\n    main()");
    Ok(py)
}

const HEADER: &str = "\
# Squares Playground run, replayed exactly in Keras.
# Share link query: ?{query}
# Needs: pip install keras tensorflow numpy   (Keras 3)
#
# Not a new run with the same settings: the very run the playground trains. PAYLOAD, at
# the end of this file, carries our training data as the network sees it (float32), our
# initial weights (every kernel and bias, float32) and our batch order (one permutation of
# the examples per epoch). Keras builds the model, loads those weights with set_weights,
# and calls fit once per epoch on that epoch's permutation with shuffle=False; the
# optimizer keeps its moments and iteration count from one fit to the next.
#
# It prints what `squares --link '<the query above>'` prints, less our analysis lines: the
# loss of every epoch, then the question's RMSE and report. TensorFlow sums float32
# products in another order than our Rust does, so the losses agree to rounding noise at
# first and drift apart only slowly.
";

const IMPORTS: &str = "\
import base64
import math
import os
import time
import zlib

# On the CPU: a GPU's TF32 matrix products would round far more coarsely than ours.
os.environ.setdefault('CUDA_VISIBLE_DEVICES', '')
import numpy as np
import keras
from keras import layers
";

const UNPACK: &str = "\
def unpack(payload, layout):
    \"\"\"The arrays of LAYOUT, read one after another from the zlib-compressed, base64 PAYLOAD.\"\"\"
    data = zlib.decompress(base64.b64decode(payload))
    arrays, offset = {}, 0
    for name, dtype, shape in layout:
        count = math.prod(shape)
        arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shape)
        offset += count * np.dtype(dtype).itemsize
    assert offset == len(data), 'PAYLOAD does not match LAYOUT'
    return arrays


def invert(value):
    # Python's round sends halves to the even neighbour; the playground rounds the same way.
    return round(float(value) * y_scale + y_offset)


def loss_text(value):
    # Our CLI's {:.4e}: 6.4902e-3, not Python's 6.4902e-03.
    mantissa, exponent = ('%.4e' % value).split('e')
    return '%se%d' % (mantissa, int(exponent))

";

const MAIN: &str = "\
def main():
    arrays = unpack(PAYLOAD, LAYOUT)
    X, y, y_raw, orders = arrays['X'], arrays['y'], arrays['y_raw'], arrays['orders']
    model = build_model()
    # Kernels and biases in layer order, as Dense.get_weights() lists them.
    model.set_weights([arrays[name] for name, _, _ in LAYOUT if name.startswith(('kernel_', 'bias_'))])
    print('link: ?%s' % QUERY)
    print('%d parameters, %d examples' % (model.count_params(), n_examples))

    steps = math.ceil(n_examples / n_batch)
    losses = []
    for epoch, order in enumerate(orders, start=1):
        start = time.perf_counter()
        # One epoch on our batch order; the optimizer state carries over between calls.
        history = model.fit(X[order], y[order], batch_size=n_batch, epochs=1, shuffle=False, verbose=0)
        losses.append(history.history['loss'][0])
        per_step = (time.perf_counter() - start) * 1e3 / steps
        print('Epoch %d/%d' % (epoch, n_epochs))
        print('%d/%d - %.0fms/step - loss: %s' % (steps, steps, per_step, loss_text(losses[-1])))
    assert int(model.optimizer.iterations) == n_epochs * steps, 'one optimizer step per batch'

    result = model.predict(X, batch_size=n_batch, verbose=0)[:, 0]
    expected = [round(v) for v in y_raw]
    predicted = [invert(v) for v in result]
    rmse = math.sqrt(sum((a - b) ** 2 for a, b in zip(expected, predicted)) / len(expected))
    print('RMSE: %f' % rmse)
    for i in range(min(20, n_examples)):
        print('Expected=%d, Predicted=%d (err=%d)' % (expected[i], predicted[i], expected[i] - predicted[i]))
    return {'loss': losses, 'prediction': result, 'rmse': rmse}

";
