"""One run of one experiment, in each of the three places it can train: real Keras (the
exact replay, or Keras's own random run), our native CLI and our wasm build under Node.
Every runner returns the run as a dict and keeps its files under target/parity/runs/.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
SQUARES = os.path.join(ROOT, 'target', 'release', 'squares')
WASM_PKG = os.path.join(ROOT, 'target', 'parity', 'wasm')
RUNS = os.path.join(ROOT, 'target', 'parity', 'runs')
HERE = os.path.dirname(os.path.abspath(__file__))


def file_name(label):
    return re.sub(r'[^A-Za-z0-9.-]+', '_', label).strip('_')


def squares(*args):
    return subprocess.run([SQUARES, *args], check=True, capture_output=True, text=True).stdout


def keras(query, label, exact=True, onednn=True):
    """Runs the exported script in a fresh Python (TensorFlow state does not leak between
    runs). Exact: `squares --keras --exact`; otherwise the statistical `squares --keras`.
    onednn=False switches TensorFlow's CPU kernels from oneDNN (its default) to Eigen: the
    same Keras summing in another order, the parity table's measure of Keras against itself.
    With PARITY_REUSE=1, a result already on disk for the same script is read back."""
    os.makedirs(RUNS, exist_ok=True)
    kind = ('.keras' if exact else '.keras-own') + ('' if onednn else '-eigen')
    base = os.path.join(RUNS, file_name(label) + kind)
    script = squares('--link', query, '--keras', *(['--exact'] if exact else []))
    if os.environ.get('PARITY_REUSE') == '1' and os.path.exists(base + '.json') and same_file(base + '.py', script):
        with open(base + '.json') as f:
            return json.load(f)
    with open(base + '.py', 'w') as f:
        f.write(script)
    mode = 'exact' if exact else 'statistical'
    command = [sys.executable, os.path.join(HERE, 'keras_run.py'), mode, base + '.py', base + '.json']
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS='1' if onednn else '0')
    with open(base + '.stderr', 'w') as stderr:
        finished = subprocess.run(command, stderr=stderr, env=env)
    if finished.returncode != 0:
        with open(base + '.stderr') as f:
            sys.stderr.write(f.read()[-4000:])
        raise RuntimeError(f'Keras failed on {label} (log: {base}.stderr)')
    with open(base + '.json') as f:
        return json.load(f)


def same_file(path, text):
    if not os.path.exists(path):
        return False
    with open(path) as f:
        return f.read() == text


def with_seed(query, seed):
    """The query with another seed."""
    pairs = [p for p in query.split('&') if not p.startswith('seed=')]
    return '&'.join(pairs + [f'seed={seed}'])


def native(query):
    return json.loads(squares('--link', query, '--json'))


def wasm(query):
    out = subprocess.run(['node', os.path.join(HERE, 'wasm_run.mjs'), WASM_PKG, query],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)
