"""tests/golden/: Keras's per-epoch losses and final predictions for the small cases, the
files tests/golden.rs trains against on every `cargo test`."""
import glob
import os

import numpy as np

GOLDEN = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'golden')


def float32_text(values):
    # numpy prints a float32 as the shortest decimal that reads back as the same float32.
    return ' '.join(str(np.float32(v)) for v in values)


def file_for(case):
    return os.path.join(GOLDEN, case.name.split(' = ')[0] + '.txt')


def write(case, keras, versions, replace_all):
    """One file per golden case; with `replace_all`, files of cases that no longer exist go."""
    os.makedirs(GOLDEN, exist_ok=True)
    if replace_all:
        for stale in glob.glob(os.path.join(GOLDEN, '*.txt')):
            os.remove(stale)
    with open(file_for(case), 'w') as f:
        f.write("# Keras's exact replay of one of our runs: the oracle of tests/golden.rs.\n")
        f.write('# Written by scripts/keras-parity.sh from what Keras computed; do not edit by hand.\n')
        f.write(f'# {versions}\n')
        f.write(f'query {case.query}\n')
        f.write(f"loss {float32_text(keras['loss'])}\n")
        f.write(f"prediction {float32_text(keras['prediction'])}\n")
