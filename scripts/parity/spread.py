"""The statistical picture: a few presets over N seeds, each run in real Keras with its own
random streams (the everyday `squares --keras` script: numpy's data, Keras's initial
weights and shuffles) and in ours. Not the same runs, so not the same numbers: the spread
of outcomes should match."""
import os
import statistics
from math import comb, erfc, sqrt

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
        'rmse': rmse,
        'n': len(runs),
        'median': statistics.median(rmse),
        'low': min(rmse),
        'high': max(rmse),
        'ratio_median': statistics.median(ratio),
        'ratio_low': min(ratio),
        'ratio_high': max(ratio),
        'constant': sum(r['constant'] for r in runs),
    }


def fisher_exact(a, n1, b, n2):
    """Two-sided p-value of Fisher's exact test: `a` of `n1` runs against `b` of `n2` — how
    likely counts this far apart are if both sides collapse equally often."""
    total = a + b

    def probability(k):
        return comb(n1, k) * comb(n2, total - k) / comb(n1 + n2, total)

    observed = probability(a)
    tables = range(max(0, total - n2), min(n1, total) + 1)
    return min(1.0, sum(p for p in map(probability, tables) if p <= observed * (1 + 1e-9)))


def mann_whitney(a, b):
    """Two-sided p-value of the Mann–Whitney U test (normal approximation, ties averaged):
    how likely two samples this far apart in rank are if they come from one distribution."""
    ranked = sorted((v, side) for side, values in ((0, a), (1, b)) for v in values)
    ranks, i = {}, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        for k in range(i, j):
            ranks[k] = (i + j + 1) / 2  # the average of ranks i+1 … j
        i = j
    rank_sum = sum(ranks[k] for k, (_, side) in enumerate(ranked) if side == 0)
    n1, n2 = len(a), len(b)
    u = rank_sum - n1 * (n1 + 1) / 2
    z = (u - n1 * n2 / 2) / sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    return erfc(abs(z) / sqrt(2))


def run(presets, log):
    """[(preset, {'keras': summary, 'ours': summary})] for every preset with seeds > 0."""
    results = []
    for name, variable in PRESETS:
        seeds = seeds_for(variable)
        if seeds > 0:
            outcome = one_preset(name, presets[name], seeds, log)
            results.append((name, {who: summary(runs) for who, runs in outcome.items()}))
    return results
