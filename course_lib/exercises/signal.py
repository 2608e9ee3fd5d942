"""Checks for the signal-propagation notebook: the gains of hard tanh, and the weight scale at
which a tanh stack starts to saturate."""

import math
import numbers
import types

import numpy as np
from scipy.special import ndtr, ndtri

from course_lib.exercises import Hint, attempted, call, exercise
from course_lib.grading import UsesCourseLib, by_hand

_PHI_1 = math.exp(-0.5) / math.sqrt(2 * math.pi)     # the normal density at 1


@exercise("signal.1")
def check_hard_tanh_gain(hard_tanh_gain):
    """hard_tanh_gain(mode) -> the gain of f(z) = clip(z, -1, 1): 1/sqrt(E[f(Z)^2]) ("forward")
    or 1/sqrt(E[f'(Z)^2]) ("backward"), Z ~ N(0, 1). Accepted within 2e-3 (Monte Carlo works)."""
    second = {"forward": 1 - 2 * _PHI_1,              # E[min(Z^2, 1)] = 0.5161
              "backward": 2 * ndtr(1.0) - 1}          # P(|Z| < 1) = 0.6827
    results = {}
    if isinstance(hard_tanh_gain, types.FunctionType):
        hard_tanh_gain = by_hand(hard_tanh_gain)
    for mode in ("forward", "backward"):
        try:
            value = call(hard_tanh_gain, mode)
        except UsesCourseLib:
            raise Hint("compute the gain yourself (split the integral at -1 and 1, or Monte "
                       "Carlo with NumPy): activations.gain would do it for you") from None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise Hint(f"return one number for mode={mode!r}; got {type(value).__name__}")
        results[mode] = float(value)
    for mode, value in results.items():
        expected = 1 / math.sqrt(second[mode])
        if math.isclose(value, second[mode], rel_tol=5e-3):
            raise Hint(f"{mode}: {value:.4f} is the second moment itself; the gain is 1/sqrt of it")
        if math.isclose(value, 1 / second[mode], rel_tol=5e-3):
            raise Hint(f"{mode}: {value:.4f} is 1 / E[...]; take the square root as well")
        other = "backward" if mode == "forward" else "forward"
        if math.isclose(value, 1 / math.sqrt(second[other]), rel_tol=2e-3):
            raise Hint(f"{mode}: that is the {other} gain: forward uses f(z), backward f'(z)")
        if abs(value - expected) > 2e-3:   # no expected value in the hint: it is the answer
            side = "large" if value > expected else "small"
            part = ("f(z) = z for |z| < 1 and f(z)^2 = 1 outside" if mode == "forward"
                    else "f'(z) = 1 for |z| < 1 and 0 outside")
            raise Hint(f"{mode}: {value:.4f} is too {side}; E[...] splits at |z| = 1: {part}")


def saturation_onset(share=0.05, threshold=0.01):
    """The smallest gain at whose fixed point a share `share` of tanh's inputs has
    tanh' < threshold, i.e. |z| > arccosh(1 / sqrt(threshold)) (mean-field).

    At the fixed point z ~ N(0, q) with q = gain^2 E[tanh(sqrt(q) Z)^2], so the share is
    2 Phi(-edge / sqrt(q)): it fixes q, and q fixes the gain, sqrt(q / E[tanh(sqrt(q) Z)^2])
    (Gauss-Hermite quadrature). The share grows with the gain, so this is the smallest one.
    """
    edge = math.acosh(1 / math.sqrt(threshold))
    q = (edge / ndtri(1 - share / 2)) ** 2
    z, w = np.polynomial.hermite_e.hermegauss(120)
    return math.sqrt(q / float(np.sum(w / w.sum() * np.tanh(math.sqrt(q) * z) ** 2)))


@exercise("signal.2")
def check_saturation_onset(onset):
    """onset -> the smallest gain at which more than 5 % of the values z of layer 20 of a tanh
    stack sit where tanh' < 1 % of its maximum. Accepted within 0.15 of the mean-field answer
    (about 2.06); a measurement on a grid of step 0.1 lands there."""
    value = call(onset) if callable(onset) else attempted(onset)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Hint(f"give one number, a gain; got {type(value).__name__}")
    expected = saturation_onset()
    if value < 1.0:
        raise Hint("below gain 1 a tanh stack's signal shrinks towards 0: nothing saturates there")
    if abs(value - 5 / 3) < 0.02:
        raise Hint("5/3 is PyTorch's convention, not where saturation starts: measure the share")
    if abs(value - expected) > 0.15:
        direction = "lower" if value > expected else "higher"
        raise Hint(f"the 5 % share is reached at a {direction} gain than {value:.2f}: scan gains "
                   f"(e.g. np.arange(1.5, 3.01, 0.1)) and read propagate(...).saturated[-1]")
