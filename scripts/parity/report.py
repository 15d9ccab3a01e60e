"""The parity table and docs/fidelity.md, from the rows parity.py measured."""
import datetime
import os
import textwrap

import compare
import spread
from keras_run import is_constant

FIDELITY = os.path.join(os.path.dirname(__file__), '..', '..', 'docs', 'fidelity.md')


def short(x):
    """A difference, in two significant digits (0 when equal, ∞ when one run is missing)."""
    if x == 0:
        return '0'
    if x == float('inf'):
        return '∞'
    return f'{x:.1e}'


def rmse(x):
    return '–' if x is None else f'{x:,.1f}'


def ratio(x):
    """Three significant digits: 1.16, 0.00504."""
    return f'{x:.3g}'


def rmse_of(run):
    """The run's final RMSE, marked when the network predicts one constant for every example."""
    constant = run.get('prediction') is not None and is_constant(run['prediction'])
    return rmse(run['rmse']) + (' (constant)' if constant else '')


def tolerance(x):
    """1e-5, not Python's 1e-05."""
    mantissa, exponent = f'{x:.0e}'.split('e')
    return f'{mantissa}e{int(exponent)}'


def verdict(row):
    """'in step' through every epoch; else 'chaotic' when ours stay with Keras at least half
    as long as Keras stays with itself across its two CPU kernel libraries; else 'APART'."""
    epochs = row['epochs']
    ours = min(row['native_loss']['in_step'], row['wasm_loss']['in_step'])
    if ours == epochs:
        return 'in step'
    itself = row['keras_itself']['in_step'] if row.get('keras_itself') else epochs
    return 'chaotic' if 2 * ours >= min(itself, epochs) else 'APART'


def parity_table(rows):
    lines = [
        '| run | epochs | Δ loss, epochs 1–50 | Δ loss, last epoch | in step with Keras: native / wasm '
        '| in step with itself: Keras / ours | RMSE: Keras | native | wasm | verdict |',
        '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    ]
    for r in rows:
        itself = r.get('keras_itself')
        keras_rmse = rmse_of(r['keras']) + ('' if itself is None else f" (Eigen: {rmse(itself['rmse'])})")
        lines.append(
            f"| {r['case'].name} | {r['epochs']} "
            f"| {short(r['native_loss']['first'])} | {short(r['native_loss']['end'])} "
            f"| {r['native_loss']['in_step']} / {r['wasm_loss']['in_step']} "
            f"| {'–' if itself is None else itself['in_step']} / {r['ours_in_step']} "
            f"| {keras_rmse} | {rmse_of(r['native'])} | {rmse(r['wasm']['rmse'])} | {verdict(r)} |")
    return '\n'.join(lines)


def statistics_table(results):
    lines = [
        '| preset | runs | RMSE, median (min–max): Keras | ours | p | RMSE ÷ best line: Keras | ours '
        '| constant predictions: Keras | ours | p |',
        '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ]
    for name, s in results:
        k, o = s['keras'], s['ours']
        lines.append(
            f"| {name} | {k['n']} | {rmse(k['median'])} ({rmse(k['low'])}–{rmse(k['high'])}) "
            f"| {rmse(o['median'])} ({rmse(o['low'])}–{rmse(o['high'])}) "
            f"| {spread.mann_whitney(k['rmse'], o['rmse']):.2f} "
            f"| {ratio(k['ratio_median'])} ({ratio(k['ratio_low'])}–{ratio(k['ratio_high'])}) "
            f"| {ratio(o['ratio_median'])} ({ratio(o['ratio_low'])}–{ratio(o['ratio_high'])}) "
            f"| {k['constant']} of {k['n']} | {o['constant']} of {o['n']} "
            f"| {spread.fisher_exact(k['constant'], k['n'], o['constant'], o['n']):.2f} |")
    return '\n'.join(lines)


def collapse_note(rows):
    """Exact replays that end as one constant on one side only: collapse is decided by rounding."""
    split = [r for r in rows if is_constant(r['keras']['prediction']) != is_constant(r['native']['prediction'])]
    if not split:
        return ''
    names = ', '.join(r['case'].name for r in split)
    note = (f'Whether a run collapses is itself decided by rounding: in the exact replays above, {names} '
            'ends as one constant in one of Keras and our native build and not in the other, from the same '
            'data, weights and batches.')
    return textwrap.fill(note, width=90, break_on_hyphens=False)


def write_fidelity(rows, statistics, goldens, environment):
    text = FIDELITY_TEMPLATE.format(
        date=datetime.date.today().isoformat(),
        environment=environment,
        parity=parity_table(rows),
        lockstep=tolerance(compare.LOCKSTEP),
        apart=APART_NONE if not any(verdict(r) == 'APART' for r in rows) else APART_SOME.format(
            runs=', '.join(r['case'].name for r in rows if verdict(r) == 'APART')),
        goldens='\n'.join(f'- `tests/golden/{name}.txt`: `{query}`' for name, query in goldens) or '(none written)',
        statistics=statistics_table(statistics) if statistics else '(skipped: PARITY_SEEDS=0 and PARITY_SEEDS_BIG=0)',
        collapse=collapse_note(rows),
    )
    with open(FIDELITY, 'w') as f:
        f.write(text)


APART_NONE = 'No run is *APART*, which would mean a real difference.'
APART_SOME = '**APART: {runs}** — further from Keras than float32 noise explains; investigate.'

FIDELITY_TEMPLATE = '''<!-- Generated by scripts/keras-parity.sh; do not edit by hand: rerun the script. -->
# Fidelity: our training against real Keras

Generated {date}. {environment}

## Exact replay: Keras trains our run

Each run is trained from the same data, initial weights and batch order (one permutation
per epoch) three times: by Keras, through the script `squares --keras --exact` writes; by
our native CLI; by our wasm build (the page's code) under Node.

- **Δ loss**: relative difference between Keras's and our native build's loss, per epoch:
  the largest over epochs 1–50, and at the last epoch. Raw: where a loss nears float32's
  resolution of its targets (question-sum's falls to about 2e-15), its relative
  differences are rounding of the targets themselves.
- **in step with Keras**: how many epochs, from the first, our loss stays within {lockstep}
  of Keras's (relative; differences below float32's resolution of the targets, an RMSE
  2⁻²³ of their scale, count as none), for our native and our wasm build.
- **in step with itself**: the same count between Keras and Keras again with TensorFlow's
  CPU kernels switched from oneDNN to Eigen (`TF_ENABLE_ONEDNN_OPTS=0`; measured only
  where we leave Keras early, and its final RMSE is shown as "Eigen"), and between our
  native and our wasm build. Each pair computes the same thing and differs only in how
  float32 sums are ordered or fused.
- **(constant)**: the trained network predicts one value for every example.

{parity}

**Tolerance and verdict.** Per-epoch loss within {lockstep} relative, beyond float32's
resolution. A run that does not amplify rounding stays within it for all its epochs: *in
step*. The others are chaotic — the question's big linear stacks in their unstable Adam
phase, relu networks whose kinks a last-bit difference moves across an example: float32
rounding grows until two runs part, and Keras parts from Keras when only its kernel
library changes, as our native build parts from our wasm build. Such a run passes
(*chaotic*) when we stay in step with Keras at least half as long as Keras stays in step
with itself; its final RMSE is one draw from a distribution (see the statistics below),
not a number to match. {apart}

## Golden files

`cargo test` trains these runs (tests/golden.rs) and compares every epoch's loss and every
final prediction with what Keras computed; no TensorFlow needed. Its tolerances and the
measurements behind them are in tests/golden.rs.

{goldens}

## Statistics: Keras's own random streams against ours

The everyday `squares --keras` script gives Keras its own data (numpy), initial weights
and shuffles, so its runs and ours are different draws of the same experiment: their
spread should match. Per seed, the RMSE of the question's report, its ratio to the best
straight line through that run's sample, and whether the trained network predicts one
constant for every example (every relu of a layer dead). The p columns test whether
Keras's runs and ours could come from one distribution: the Mann–Whitney U test of the
RMSEs and Fisher's exact test of the constant counts. A small p (say below 0.05) would
point at a real difference; ten seeds only catch large ones.

{statistics}

{collapse}
'''
