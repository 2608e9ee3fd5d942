"""Checks for the notebook comparing activations: when is a difference more than noise?"""

import math

import numpy as np

from course_lib import compare
from course_lib.exercises import Hint, attempted, call, exercise


def _as_bool(result, what):
    if isinstance(result, (bool, np.bool_)):
        return bool(result)
    raise Hint(f"return True or False for {what}; got {type(result).__name__}")


@exercise("comparing.1")
def check_clearly_better(clearly_better):
    """clearly_better(a, b) -> True when every value of a is above every value of b."""
    cases = [  # (a, b, expected, what a wrong answer here usually means)
        ([0.90, 0.95, 0.92], [0.80, 0.85, 0.89], True, "every run of a beats every run of b here"),
        ([0.90, 0.99, 0.92], [0.80, 0.85, 0.91], False,
         "a has the higher mean, but its worst run (0.90) loses to b's best (0.91): compare min(a) with max(b), "
         "not the means"),
        ([0.90, 0.95, 0.92], [0.80, 0.85, 0.90], False,
         "the ranges touch (0.90 in both): a tie is not a win, so use >, not >="),
        ([0.80, 0.85, 0.89], [0.90, 0.95, 0.92], False, "here b is the better one; the question is whether a beats b"),
        ([0.97, 0.98], [0.91, 0.93, 0.90, 0.96], True, "a and b can have different numbers of seeds"),
    ]
    for a, b, expected, hint in cases:
        result = _as_bool(call(clearly_better, np.array(a), np.array(b)), f"a = {a}, b = {b}")
        if result != expected:
            raise Hint(f"for a = {a} and b = {b} you return {result}: {hint}")


@exercise("comparing.2")
def check_chance_of_separation(chance):
    """chance(n) -> 2 / C(2n, n): how often n vs n runs of two equally good settings do not overlap."""
    ns = list(range(1, 7))
    results = []
    for n in ns:
        value = call(chance, n)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise Hint(f"return one number, a probability; for n = {n} you returned {type(value).__name__}")
        results.append(float(value))
    expected = [compare.chance_of_separation(n) for n in ns]
    if np.allclose(results, expected):
        return
    if np.allclose(results, [e / 2 for e in expected]):
        raise Hint("that is the chance that one *given* setting ends on top; either of the two can, so double it")
    if np.allclose(results, [1 / math.factorial(2 * n) for n in ns]):
        raise Hint("count which seats the n runs of the first setting take among the 2n sorted results: C(2n, n) "
                   "choices, not (2n)! orderings")
    if results[0] != 1.0:
        raise Hint(f"start with n = 1: one run each, and one of them is always higher, so the chance is 1 "
                   f"(you return {results[0]:.3g})")
    raise Hint(f"for n = 1..6 expected {np.round(expected, 4).tolist()}, got {np.round(results, 4).tolist()}")


EXAMPLE_VALUES = {  # validation accuracy per seed, made up for the check
    "gelu": [0.97, 0.99, 0.98],
    "relu": [0.85, 0.99, 0.91],
    "tanh": [0.93, 0.95, 0.94],
    "mish": [0.98, 0.98, 0.99],
    "sigmoid": [0.78, 0.80, 0.79],
}


@exercise("comparing.3")
def check_tied_with_best(tied_with_best):
    """tied_with_best(values) -> the names whose seed range overlaps that of the best median (the best included)."""
    result = attempted(call(tied_with_best, {name: np.array(v) for name, v in EXAMPLE_VALUES.items()}))
    if isinstance(result, str) or not hasattr(result, "__iter__"):
        raise Hint(f"return a collection of activation names (a list or a set); got {type(result).__name__}")
    result = set(result)
    expected = set(compare.ranking({name: np.array(v) for name, v in EXAMPLE_VALUES.items()})[0])
    if result == expected:
        return
    best = compare.ranking({name: np.array(v) for name, v in EXAMPLE_VALUES.items()})[0][0]
    if best not in result:
        raise Hint(f"the best activation by median ({best}) is tied with itself: include it")
    worst_of_best = min(EXAMPLE_VALUES[best])
    for name in ("sigmoid", "tanh"):
        if name in result:
            raise Hint(f"{name}'s best seed ({max(EXAMPLE_VALUES[name]):.2f}) is below the worst seed of the best "
                       f"activation ({best}, {worst_of_best:.2f}): clearly below, whatever its mean")
    if "relu" not in result:
        raise Hint(f"relu's median is low, but its best seed ({max(EXAMPLE_VALUES['relu']):.2f}) reaches into the "
                   f"range of the best activation ({best}): within noise, so tied")
    raise Hint(f"for these values expected {sorted(expected)}, got {sorted(result)}")
