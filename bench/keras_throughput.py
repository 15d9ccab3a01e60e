"""Native Keras's training throughput on the question's network, for bench/run.mjs.

The same work as bench/bench.js times in the browser: 1000 examples of y = x² (x in
(0, 1]), Dense 20-100-1000-100-20-1 without activations, Adam 0.001, MSE, batch 100,
shuffled. One warm-up epoch, then RUNS timings of 8 epochs. Prints one JSON line.

    target/keras-venv/bin/python bench/keras_throughput.py [RUNS]
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

EXAMPLES, BATCH, EPOCHS = 1000, 100, 8


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rng = np.random.default_rng(1)
    x = rng.uniform(0.001, 1.0, size=(EXAMPLES, 1)).astype("float32")
    y = x * x
    model = keras.Sequential([keras.Input(shape=(1,))] + [keras.layers.Dense(u) for u in (20, 100, 1000, 100, 20, 1)])
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)  # warm-up: graph tracing
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model.fit(x, y, epochs=EPOCHS, batch_size=BATCH, shuffle=True, verbose=0)
        rates.append(EXAMPLES * EPOCHS / (time.perf_counter() - t0))
    print(json.dumps({
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "threads": os.cpu_count(),
        "runs": rates,
        "examplesPerSecond": statistics.median(rates),
    }))


if __name__ == "__main__":
    main()
