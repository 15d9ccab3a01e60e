"""How far apart two runs of the same experiment are, epoch by epoch."""
import math

# float32's resolution at 1 (2^-23), the scale of our normalised targets: two runs whose
# RMSE differ by less than this are the same run as far as float32 can tell.
RESOLUTION = 2.0 ** -23
# Per-epoch loss, relative: the lockstep tolerance of the parity table and of
# tests/golden.rs. Every run here that does not amplify rounding (no relu kink moved across
# an example by noise, no unstable Adam phase) stays within it, beyond float32's
# resolution, for all its epochs, in both our builds; a slip such as computing Adam's
# (1 − β) in f32 instead of Keras's way leaves it within 30 epochs (by 4.8e-3 in
# product-standard).
LOCKSTEP = 1e-5


def relative(ours, reference):
    """|ours − reference| / |reference|; infinite when either is missing or not finite."""
    if ours is None or reference is None or not (math.isfinite(ours) and math.isfinite(reference)):
        return math.inf
    if ours == reference:
        return 0.0
    return abs(ours - reference) / max(abs(reference), 1e-30)


def in_step(ours, reference, tolerance=LOCKSTEP):
    """Within `tolerance` relative, or closer than float32 can resolve: |a − b| ≤ 2√b·R is
    |√a − √b| ≤ R to first order, RMSEs one float32 step apart at the targets' scale. (As the
    question-sum network converges its loss falls to 2e-15, and relative differences of
    losses that small are rounding of the targets themselves.)"""
    if relative(ours, reference) == math.inf:
        return False
    return abs(ours - reference) <= tolerance * abs(reference) + 2 * math.sqrt(abs(reference)) * RESOLUTION


def epochs_in_step(ours, reference, tolerance=LOCKSTEP):
    """How many epochs, from the first, the two loss curves stay in step."""
    count = 0
    for a, b in zip(ours, reference):
        if not in_step(a, b, tolerance):
            break
        count += 1
    return count


def loss_agreement(ours, reference, first=50):
    """Largest relative difference of the epoch losses over the first `first` epochs, the
    difference at the last epoch, and the epochs in step."""
    if len(ours) != len(reference) or not ours:
        return {'first': math.inf, 'end': math.inf, 'in_step': 0}
    per_epoch = [relative(o, r) for o, r in zip(ours, reference)]
    return {'first': max(per_epoch[:first]), 'end': per_epoch[-1], 'in_step': epochs_in_step(ours, reference)}
