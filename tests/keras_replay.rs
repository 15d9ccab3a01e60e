//! The exact-replay script carries our run — data, initial weights, batch orders — intact,
//! and says to Keras what our trainer does. Oracle for the encoding: Python's own `base64`
//! and `zlib` (the modules the script decodes with).

use squares_playground::keras_replay::{base64, keras_exact_script, replay_payload, MAX_REPLAY_ORDERS};
use squares_playground::train::epoch_orders;
use squares_playground::{parse_query, Experiment, Trainer, PRESETS};
use std::io::Write;
use std::process::{Command, Stdio};

fn experiment(query: &str) -> Experiment {
    let parsed = parse_query(query);
    assert!(parsed.notes.is_empty(), "{query}: {:?}", parsed.notes);
    parsed.experiment
}

/// Runs python3 (standard library only) on `stdin`, returning stdout.
fn python(code: &str, stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new("python3")
        .args(["-c", code])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is on PATH");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn base64_is_rfc_4648_as_python_writes_it() {
    let vectors =
        [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
    for (plain, encoded) in vectors {
        assert_eq!(base64(plain.as_bytes()), encoded);
    }
    let every_byte: Vec<u8> = (0..=255).collect();
    let python_says =
        python("import base64,sys; sys.stdout.write(base64.b64encode(sys.stdin.buffer.read()).decode())", &every_byte);
    assert_eq!(base64(&every_byte).as_bytes(), python_says);
}

#[test]
fn the_payload_decodes_in_python_to_our_data_weights_and_orders() {
    let e =
        experiment("v=1&task=sum&inputs=2&examples=37&norm=standard&layers=5:relu,3:tanh&batch=10&epochs=4&seed=11");
    let payload = replay_payload(&e).unwrap();
    let decoded = python(
        "import base64,sys,zlib; sys.stdout.buffer.write(zlib.decompress(base64.b64decode(sys.stdin.read())))",
        payload.encoded().as_bytes(),
    );
    assert_eq!(decoded, payload.bytes(), "base64(zlib(bytes)) round-trips through Python");

    let names: Vec<&str> = payload.layout().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["X", "y", "y_raw", "kernel_1", "bias_1", "kernel_2", "bias_2", "kernel_3", "bias_3", "orders"]);
    let shapes: Vec<&[usize]> = payload.layout().iter().map(|s| s.shape.as_slice()).collect();
    assert_eq!(shapes, [&[37, 2][..], &[37, 1], &[37], &[2, 5], &[5], &[5, 3], &[3], &[3, 1], &[1], &[4, 37]]);

    // Every array, bit for bit, read back at its offset.
    let trainer = Trainer::new(&e).unwrap();
    let f32s = |bytes: &[u8]| bytes.chunks(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect::<Vec<_>>();
    let bytes = payload.bytes();
    let x_len = 37 * 2 * 4;
    assert_eq!(f32s(&bytes[..x_len]), trainer.data().x.iter().copied().collect::<Vec<_>>());
    let first_kernel = 37 * 4 + x_len + 37 * 8;
    let kernel = &trainer.network().layers[0].weights;
    assert_eq!(f32s(&bytes[first_kernel..first_kernel + 10 * 4]), kernel.iter().copied().collect::<Vec<_>>());
    let orders: Vec<u32> =
        bytes[bytes.len() - 4 * 37 * 2..].chunks(2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u32).collect();
    assert_eq!(orders, epoch_orders(&e).concat());
}

#[test]
fn the_script_loads_our_weights_and_replays_one_fit_per_epoch_without_shuffling() {
    let e = experiment(
        "v=1&task=product&norm=standard&layers=8:swish&opt=sgd&lr=0.05&momentum=0.9&batch=10&epochs=3&seed=9",
    );
    let script = keras_exact_script(&e).unwrap();
    for needle in [
        "model.set_weights(",
        "shuffle=False",
        "epochs=1",
        "for epoch, order in enumerate(orders, start=1):",
        "X[order], y[order]",
        "layers.Dense(8, activation='swish')",
        "keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)",
        "jit_compile=False",
        "n_examples, n_numbers, n_epochs, n_batch = 1000, 2, 3, 10",
        "('orders', '<u2', (3, 1000)),",
        &format!("QUERY = '{}'", e.to_query()),
    ] {
        assert!(script.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn every_presets_exact_script_compiles_as_python() {
    let dir = std::env::temp_dir().join(format!("squares-keras-exact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<_> = PRESETS
        .iter()
        .map(|preset| {
            let path = dir.join(format!("{}.py", preset.name));
            std::fs::write(&path, keras_exact_script(&preset.experiment()).unwrap()).unwrap();
            path
        })
        .collect();
    // One interpreter for all of them: py_compile takes a list of files.
    let out = Command::new("python3").args(["-m", "py_compile"]).args(&paths).output().expect("python3 is on PATH");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_run_too_long_to_carry_is_refused_with_a_reason() {
    let e = experiment("v=1&task=square&examples=10000&layers=4:relu&batch=1000&epochs=501");
    assert!(e.epochs * e.examples > MAX_REPLAY_ORDERS);
    let error = keras_exact_script(&e).unwrap_err().to_string();
    assert!(error.contains("501 epochs × 10000 examples") && error.contains("fewer epochs"), "{error}");
    assert!(keras_exact_script(&Experiment { epochs: 500, ..e }).is_ok(), "5,000,000 entries still fit");
}
