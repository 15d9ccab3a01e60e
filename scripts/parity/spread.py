"""The statistical picture: a few presets over N seeds, each run in real Keras with its own
random streams (the everyday `squares --keras` script: numpy's data, Keras's initial
weights and shuffles) and in ours. Not the same runs, so not the same numbers: the spread
of outcomes should match."""
import os
import statistics

from keras_run import is_constant
import runners

# (preset, seeds variable): the question's 205,281-parameter networks take about a minute
# per Keras run on two cores, so their number of seeds has a variable of its own.
PRESETS = [
    ('question-square', 'PARITY_SEEDS_BIG'),
    ('answer-fix', 'PARITY_SEEDS_BIG'),
    ('small-relu', 'PARITY_SEEDS'),
]
DEFAULT_SEEDS = {'PARITY_SEEDS': 10, 'PARITY_SEEDS_BIG': 10}


def seeds_for(variable):
    return int(os.environ.get(variable, DEFAULT_SEEDS[variable]))


def one_preset(name, query, seeds, log):
    """{'keras': [...], 'ours': [...]}: per seed, the RMSE, its ratio to that sample's best
    straight line, and whether the network predicts one constant."""
    outcome = {'keras': [], 'ours': []}
    for seed in range(1, seeds + 1):
        seeded = runners.with_seed(query, seed)
        keras = runners.keras(seeded, f'{name}-seed-{seed}', exact=False)
        outcome['keras'].append(
            {'rmse': keras['rmse'], 'ratio': keras['rmse'] / keras['floor_rmse'], 'constant': keras['constant']})
        ours = runners.native(seeded)
        outcome['ours'].append({
            'rmse': ours['rmse'],
            'ratio': ours['rmse'] / ours['floor_rmse'],
            'constant': is_constant(ours['prediction']),
        })
        log(f'[parity] {name}, seed {seed}: Keras {keras["rmse"]:.1f}, ours {ours["rmse"]:.1f}')
    return outcome


def summary(runs):
    rmse = [r['rmse'] for r in runs]
    ratio = [r['ratio'] for r in runs]
    return {
        'n': len(runs),
        'median': statistics.median(rmse),
        'low': min(rmse),
        'high': max(rmse),
        'ratio_median': statistics.median(ratio),
        'ratio_low': min(ratio),
        'ratio_high': max(ratio),
        'constant': sum(r['constant'] for r in runs),
    }


def run(presets, log):
    """[(preset, {'keras': summary, 'ours': summary})] for every preset with seeds > 0."""
    results = []
    for name, variable in PRESETS:
        seeds = seeds_for(variable)
        if seeds > 0:
            outcome = one_preset(name, presets[name], seeds, log)
            results.append((name, {who: summary(runs) for who, runs in outcome.items()}))
    return results
