"""Checks for the notebook comparing activations: when is a difference more than noise, and how
to design an experiment that can tell?"""

import functools
import math
import numbers
import types

import numpy as np

from course_lib import activations, compare
from course_lib.exercises import Hint, NotAttempted, attempted, call, exercise
from course_lib.grading import UsesCourseLib, by_hand


def _written_by_hand(check_function):
    """Run the check on the answer wrapped by `grading.by_hand`: an answer that calls course_lib
    (compare.chance_of_separation, compare.groups, ...) gets a hint instead of full marks."""

    @functools.wraps(check_function)
    def checked(answer):
        if isinstance(answer, types.FunctionType):
            answer = by_hand(answer)
        try:
            return check_function(answer)
        except UsesCourseLib as error:
            raise Hint(f"{error}; course_lib has it, but here you write it (math and NumPy are "
                       "enough)") from None

    return checked


def _probability(value, what):
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise Hint(f"return one number for {what}; got {type(value).__name__}")
    return float(value)


@exercise("comparing.1")
@_written_by_hand
def check_chance_unequal_seeds(chance):
    """chance(n_a, n_b) -> 2 / C(n_a + n_b, n_a): how often n_a runs of one setting and n_b of
    another, equally good, do not overlap at all (either one wins on every seed)."""
    pairs = [(1, 1), (1, 2), (2, 2), (3, 5), (5, 3), (2, 10), (4, 4), (1, 6)]
    results = [_probability(call(chance, n_a, n_b), f"n_a = {n_a}, n_b = {n_b}")
               for n_a, n_b in pairs]
    expected = [2 / math.comb(n_a + n_b, n_a) for n_a, n_b in pairs]
    if np.allclose(results, expected, rtol=1e-12, atol=0):
        return
    if np.allclose(results, [e / 2 for e in expected], rtol=1e-12, atol=0):
        raise Hint("that is the chance that one *given* setting ends on top; either of the two "
                   "can, so double it")
    if results[0] != 1.0:
        raise Hint(f"start with one run each: one of the two is always higher, so the chance is 1 "
                   f"(you return {results[0]:.3g})")
    if np.allclose(results[2], expected[2]) and not np.allclose(results[3], expected[3]):
        raise Hint("right for equal numbers of seeds, wrong for n_a = 3, n_b = 5: of the n_a + n_b "
                   "sorted results, which n_a are A's? Count those choices")
    if not np.isclose(results[3], results[4]):
        raise Hint(f"chance(3, 5) = {results[3]:.4g} but chance(5, 3) = {results[4]:.4g}: swapping "
                   "the names of the two settings cannot change the probability")
    raise Hint(f"for (n_a, n_b) = {pairs} expected {np.round(expected, 4).tolist()}, got "
               f"{np.round(results, 4).tolist()}")


@exercise("comparing.2")
@_written_by_hand
def check_expected_lucky_pairs(expected_lucky_pairs):
    """expected_lucky_pairs(k, n) -> C(k, 2) * 2 / C(2n, n): the expected number of pairs, among k
    equally good activations with n seeds each, that the non-overlap rule separates by luck."""
    cases = [(2, 1), (2, 3), (3, 3), (13, 5), (13, 3), (5, 4)]
    results = [_probability(call(expected_lucky_pairs, k, n), f"k = {k}, n = {n}")
               for k, n in cases]
    chance = [2 / math.comb(2 * n, n) for _, n in cases]
    expected = [math.comb(k, 2) * p for (k, _), p in zip(cases, chance)]
    if np.allclose(results, expected, rtol=1e-12, atol=0):
        return
    if np.allclose(results, chance, rtol=1e-12, atol=0):
        raise Hint("that is the chance for one pair; a table of k activations holds more than one "
                   "pair, and every one of them can be separated by luck")
    if np.allclose(results, [2 * e for e in expected], rtol=1e-12, atol=0):
        raise Hint("each pair is counted twice: (A, B) and (B, A) are the same comparison, and "
                   "the chance for a pair already covers both directions")
    if np.allclose(results, [k * k * p for (k, _), p in zip(cases, chance)], rtol=1e-12, atol=0):
        raise Hint("k * k counts each activation against itself and each pair twice")
    if not np.isclose(results[0], 1.0):
        raise Hint(f"start with k = 2 and one seed each: one pair, always separated, so 1 "
                   f"(you return {results[0]:.3g})")
    at_least_one = [1 - (1 - p) ** math.comb(k, 2) for (k, _), p in zip(cases, chance)]
    if np.allclose(results, at_least_one, rtol=1e-9, atol=0):
        raise Hint("that is the chance of at least one lucky pair (and it assumes independent "
                   "pairs); the question asks for the expected number: expectations simply add")
    raise Hint(f"for (k, n) = {cases} expected {np.round(expected, 4).tolist()}, got "
               f"{np.round(results, 4).tolist()}")


EXAMPLE_VALUES = {  # validation accuracy per seed, made up for the check
    "gelu": [0.97, 0.99, 0.98],
    "relu": [0.85, 0.99, 0.91],
    "tanh": [0.93, 0.95, 0.94],
    "mish": [0.98, 0.98, 0.99],
    "sigmoid": [0.78, 0.80, 0.79],
}


@exercise("comparing.3")
@_written_by_hand
def check_tied_with_best(tied_with_best):
    """tied_with_best(values) -> the names whose seed range overlaps that of the best median (the
    best included)."""
    example = {name: np.array(v) for name, v in EXAMPLE_VALUES.items()}
    result = attempted(call(tied_with_best, example))
    if isinstance(result, str) or not hasattr(result, "__iter__"):
        raise Hint(f"return a collection of activation names (a list or a set); got "
                   f"{type(result).__name__}")
    result = set(result)
    expected = set(compare.ranking(example)[0])
    if result == expected:
        return
    best = compare.ranking(example)[0][0]
    if best not in result:
        raise Hint(f"the best activation by median ({best}) is tied with itself: include it")
    worst_of_best = min(EXAMPLE_VALUES[best])
    for name in ("sigmoid", "tanh"):
        if name in result:
            raise Hint(f"{name}'s best seed ({max(EXAMPLE_VALUES[name]):.2f}) is below the worst "
                       f"seed of the best activation ({best}, {worst_of_best:.2f}): clearly "
                       "below, whatever its mean")
    if "relu" not in result:
        raise Hint(f"relu's median is low, but its best seed ({max(EXAMPLE_VALUES['relu']):.2f}) "
                   f"reaches into the range of the best activation ({best}): within noise, so tied")
    raise Hint(f"for these values expected {sorted(expected)}, got {sorted(result)}")


DESIGN_KEYS = ("contenders", "seeds", "learning_rates", "budgets", "statistic")
STATISTICS = {  # what the design reports -> None if it shows a spread, else what is wrong with it
    "median and range": None,
    "mean and standard deviation": None,
    "median": "one number per contender hides how far apart the seeds land: report a spread too "
              "(section 4)",
    "mean": "one number per contender hides how far apart the seeds land, and one stalled seed "
            "drags a mean: report a spread too (section 4)",
    "best seed": "the best of several seeds is a lucky draw: the contender with the most seeds "
                 "would win by that alone. Report what every seed did",
}


def _items(design, key, what):
    value = design[key]
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise Hint(f"{key!r}: give a tuple of {what}; got {value!r}")
    items = list(value)
    if not items:
        raise Hint(f"{key!r}: give at least one of {what}")
    return items


def _design(design):
    """The learner's design dict, checked for shape; NotAttempted while a value is `...`."""
    if design is Ellipsis:
        raise NotAttempted
    if not isinstance(design, dict):
        raise Hint(f"answer with a dict with the keys {', '.join(DESIGN_KEYS)}; got "
                   f"{type(design).__name__}")
    missing = [key for key in DESIGN_KEYS if key not in design]
    if missing:
        raise Hint(f"the design has no {', '.join(map(repr, missing))}")
    if any(design[key] is Ellipsis for key in DESIGN_KEYS):
        raise NotAttempted
    return design


@exercise("comparing.4")
def check_experiment_design(design):
    """design: {contenders, seeds, learning_rates, budgets, statistic}. Honest when it has >= 2
    contenders from the course, >= 3 seeds, a learning rate tuned per contender (a grid of >= 2)
    or >= 2 budgets, and a statistic that reports the spread over seeds."""
    design = _design(design)
    contenders = _items(design, "contenders", "activation names")
    unknown = [name for name in contenders if not isinstance(name, str)
               or name not in activations.ACTIVATIONS]
    if unknown:
        raise Hint(f"'contenders': {unknown} are not activations of the course; pick from "
                   f"{', '.join(activations.ACTIVATIONS)}")
    if len(set(contenders)) < 2:
        raise Hint("'contenders': a comparison needs at least two different activations")
    seeds = _items(design, "seeds", "seeds (ints)")
    if any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0 for s in seeds):
        raise Hint(f"'seeds': give non-negative ints, as `setup` takes; got {seeds}")
    n = len(set(seeds))
    if n < 3:
        raise Hint(f"'seeds': with {n} distinct seed{'s' if n != 1 else ''} per contender, luck "
                   f"alone separates two equally good activations with probability "
                   f"{2 / math.comb(2 * n, n):.2f} (section 4); how many would bring it to 0.1?")
    rates = _items(design, "learning_rates", "learning rates")
    if any(isinstance(r, bool) or not isinstance(r, (numbers.Real, np.floating, np.integer))
           or not 0 < r < np.inf for r in rates):
        raise Hint(f"'learning_rates': give positive numbers; got {rates}")
    budgets = _items(design, "budgets", "budgets (epochs)")
    if any(isinstance(b, bool) or not isinstance(b, (int, np.integer)) or b < 1 for b in budgets):
        raise Hint(f"'budgets': give numbers of epochs, positive ints; got {budgets}")
    if len(set(rates)) < 2 and len(set(budgets)) < 2:
        raise Hint("one learning rate and one budget for every contender: the winner may only be "
                   "the one that this learning rate or this budget happens to suit (section 9). "
                   "Give the design a way to see that")
    statistic = design["statistic"]
    if statistic not in STATISTICS:
        raise Hint(f"'statistic': one of {', '.join(map(repr, STATISTICS))}; got {statistic!r}")
    if STATISTICS[statistic] is not None:
        raise Hint(f"'statistic' {statistic!r}: {STATISTICS[statistic]}")
