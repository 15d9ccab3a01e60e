"""Keras parity: replays our runs exactly in real Keras, trains them in our native and wasm
builds, prints one table, writes the golden files and docs/fidelity.md. Run through
scripts/keras-parity.sh, which installs Keras and builds ours first.

Environment: PARITY_CASES=name,… (only those runs; golden files of others are kept, and
docs/fidelity.md is not rewritten), PARITY_SEEDS / PARITY_SEEDS_BIG (seeds per preset in the
statistical part; 0 skips it), PARITY_REUSE=1 (read back Keras results already on disk for
the very same script, to regenerate the report quickly).
"""
import json
import os
import platform
import subprocess
import sys
import time

import cases as case_list
import compare
import golden
import report
import runners
import spread


def log(message):
    print(message, file=sys.stderr, flush=True)


def replay(case):
    """One run in Keras, native and wasm; Keras against itself too where we part early."""
    keras = runners.keras(case.query, case.name)
    native = runners.native(case.query)
    wasm = runners.wasm(case.query)
    row = {
        'case': case,
        'epochs': len(native['loss']),
        'keras': keras,
        'native': native,
        'wasm': wasm,
        'native_loss': compare.loss_agreement(native['loss'], keras['loss']),
        'wasm_loss': compare.loss_agreement(wasm['loss'], keras['loss']),
        'ours_in_step': compare.epochs_in_step(wasm['loss'], native['loss']),
    }
    if min(row['native_loss']['in_step'], row['wasm_loss']['in_step']) < row['epochs']:
        itself = runners.keras(case.query, case.name, onednn=False)
        row['keras_itself'] = {'in_step': compare.epochs_in_step(itself['loss'], keras['loss']), 'rmse': itself['rmse']}
    return row


def environment(versions):
    cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')),
               platform.processor())
    node = subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()
    rustc = subprocess.run(['rustc', '--version'], capture_output=True, text=True).stdout.strip()
    return (f"Keras {versions['keras']}, TensorFlow {versions['tensorflow']} (CPU), numpy {versions['numpy']}, "
            f"Python {versions['python']}; ours built by {rustc}, wasm run by Node {node}; "
            f"{cpu}, {os.cpu_count()} cores.")


def main():
    cases = case_list.all_cases(runners.SQUARES)
    only = [n for n in os.environ.get('PARITY_CASES', '').split(',') if n]
    if only:
        cases = [c for c in cases if any(n in c.name.split(' = ') for n in only)]
    start = time.perf_counter()
    rows = []
    for case in cases:
        case_start = time.perf_counter()
        rows.append(replay(case))
        log(f'[parity] {case.name}: {time.perf_counter() - case_start:.0f} s')
    versions = rows[0]['keras']['versions']
    versions_line = ', '.join(f'{k} {v}' for k, v in versions.items())

    goldens = []
    for row in rows:
        if row['case'].golden:
            golden.write(row['case'], row['keras'], versions_line, replace_all=not only and not goldens)
            goldens.append((row['case'].name.split(' = ')[0], row['case'].query))

    statistics = [] if only else spread.run(dict(case_list.presets(runners.SQUARES)), log)

    table = report.parity_table(rows)
    print(table)
    if statistics:
        print()
        print(report.statistics_table(statistics))
    if not only:
        report.write_fidelity(rows, statistics, goldens, environment(versions))
    apart = [r['case'].name for r in rows if report.verdict(r) == 'APART']
    log(f'[parity] {len(rows)} runs in {time.perf_counter() - start:.0f} s; '
        f'{len(goldens)} golden files; ' + (f'APART: {", ".join(apart)}' if apart else 'none apart'))
    return 1 if apart else 0


if __name__ == '__main__':
    sys.exit(main())
