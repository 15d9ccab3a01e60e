"""Runs one exported Keras script in this (virtual-environment) Python and writes what it
computed as JSON; the script's own printout goes to a log file next to it.

    python keras_run.py exact SCRIPT OUT.json         # `squares --keras --exact`: calls main()
    python keras_run.py statistical SCRIPT OUT.json   # `squares --keras`: runs it top to bottom

Exact: {"loss", "prediction", "rmse"}. Statistical (Keras's own data, weights and batches):
{"rmse", "floor_rmse", "constant"}, the floor being the best straight line through that
sample and "constant" whether the trained network predicts one value for every example.
Both add "seconds" and "versions".
"""
import contextlib
import json
import os
import platform
import runpy
import sys
import time


def versions():
    import keras
    import numpy
    import tensorflow

    return {
        'keras': keras.__version__,
        'tensorflow': tensorflow.__version__,
        'numpy': numpy.__version__,
        'python': platform.python_version(),
        'machine': platform.machine(),
    }


def run_exact(script):
    namespace = runpy.run_path(script, run_name='replay')
    result = namespace['main']()
    return {
        'loss': [float(v) for v in result['loss']],
        'prediction': [float(v) for v in result['prediction']],
        'rmse': float(result['rmse']),
    }


def run_statistical(script):
    import numpy as np

    namespace = runpy.run_path(script, run_name='__main__')
    x_raw, y_raw, prediction = namespace['X_raw'], namespace['y_raw'], namespace['result'][:, 0]
    # Least squares with an intercept: the best straight line through Keras's own sample.
    design = np.column_stack([x_raw, np.ones(len(x_raw))])
    coefficients = np.linalg.lstsq(design, y_raw, rcond=None)[0]
    floor = float(np.sqrt(np.mean((design @ coefficients - y_raw) ** 2)))
    return {'rmse': float(namespace['rmse']), 'floor_rmse': floor, 'constant': is_constant(prediction)}


def is_constant(prediction):
    """One value for every example: a relu network whose units all died in some layer."""
    import numpy as np

    prediction = np.asarray(prediction, dtype='float64')
    return bool(np.ptp(prediction) <= 1e-6 * max(np.max(np.abs(prediction)), 1e-30))


def main():
    mode, script, out = sys.argv[1:4]
    start = time.perf_counter()
    with open(os.path.splitext(out)[0] + '.log', 'w') as log, contextlib.redirect_stdout(log):
        result = run_exact(script) if mode == 'exact' else run_statistical(script)
    result['seconds'] = time.perf_counter() - start
    result['versions'] = versions()
    with open(out, 'w') as f:
        json.dump(result, f)


if __name__ == '__main__':
    main()
