"""Tests of the checks of the notebook comparing activations: accept the solution, hint on wrong
answers, stub not attempted."""

import math

import numpy as np
import pytest

from course_lib import compare
from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda n_a, n_b: 2 / math.comb(n_a + n_b, n_a), "correct", ""),
    (lambda n_a, n_b: 2 * math.factorial(n_a) * math.factorial(n_b)
     / math.factorial(n_a + n_b), "correct", ""),
    (lambda n_a, n_b: 1 / math.comb(n_a + n_b, n_a), "wrong", "double it"),
    (lambda n_a, n_b: 2 / math.comb(2 * n_a, n_a), "wrong", "right for equal numbers of seeds"),
    (lambda n_a, n_b: 2 / math.comb(n_a + n_b, 2), "wrong", "start with one run each"),
    (lambda n_a, n_b: 0.5 ** (n_a + n_b - 2), "wrong", "expected"),
    (lambda n_a, n_b: [n_a], "wrong", "return one number"),
    (lambda n_a, n_b: True, "wrong", "return one number"),
    (lambda n_a, n_b: compare.chance_of_separation(n_a), "wrong", "here you write it"),
    (lambda n_a, n_b: ..., "not attempted", ""),
])
def test_check_comparing_1(answer, status, hint):
    got_status, message = verdict("comparing.1", answer)
    assert got_status == status and hint in message


def lucky(k, n):
    return math.comb(k, 2) * 2 / math.comb(2 * n, n)


@pytest.mark.parametrize("answer, status, hint", [
    (lucky, "correct", ""),
    (lambda k, n: k * (k - 1) / math.comb(2 * n, n), "correct", ""),
    (lambda k, n: 2 / math.comb(2 * n, n), "wrong", "chance for one pair"),
    (lambda k, n: 2 * lucky(k, n), "wrong", "counted twice"),
    (lambda k, n: k * k * 2 / math.comb(2 * n, n), "wrong", "k * k"),
    (lambda k, n: 1 - (1 - 2 / math.comb(2 * n, n)) ** math.comb(k, 2), "wrong", "at least one"),
    (lambda k, n: lucky(k, n) / 2, "wrong", "start with k = 2"),
    (lambda k, n: "many", "wrong", "return one number"),
    (lambda k, n: ..., "not attempted", ""),
])
def test_check_comparing_2(answer, status, hint):
    got_status, message = verdict("comparing.2", answer)
    assert got_status == status and hint in message


def tied_with_best(values):
    best = max(values, key=lambda name: np.mean(values[name]))
    return [name for name in values if min(values[best]) <= max(values[name])]


@pytest.mark.parametrize("answer, status, hint", [
    (tied_with_best, "correct", ""),
    (lambda values: set(tied_with_best(values)), "correct", ""),
    (lambda values: [name for name in tied_with_best(values) if name != "mish"], "wrong",
     "include it"),
    (lambda values: [*tied_with_best(values), "tanh"], "wrong", "clearly below"),
    (lambda values: [name for name in tied_with_best(values) if name != "relu"], "wrong",
     "within noise"),
    (lambda values: ["mish", "gelu", "relu", "sigmoid"], "wrong", "sigmoid"),
    (lambda values: "mish", "wrong", "collection of activation names"),
    (lambda values: compare.groups(values).tied, "wrong", "uses course_lib's 'compare'"),
    (lambda values: ..., "not attempted", ""),
])
def test_check_comparing_3(answer, status, hint):
    got_status, message = verdict("comparing.3", answer)
    assert got_status == status and hint in message


HONEST = {"contenders": ("relu", "tanh"), "seeds": (0, 1, 2), "learning_rates": (0.01, 0.03, 0.1),
          "budgets": (6,), "statistic": "median and range"}


@pytest.mark.parametrize("answer, status, hint", [
    (HONEST, "correct", ""),
    ({**HONEST, "learning_rates": (0.03,), "budgets": (2, 6)}, "correct", ""),
    ({**HONEST, "statistic": "mean and standard deviation", "seeds": range(5)}, "correct", ""),
    ({**HONEST, "seeds": (0, 1)}, "wrong", "with 2 distinct seeds per contender"),
    ({**HONEST, "seeds": (0, 0, 0)}, "wrong", "with 1 distinct seed per contender"),
    ({**HONEST, "seeds": (0, 1, -2)}, "wrong", "non-negative ints"),
    ({**HONEST, "learning_rates": (0.03,)}, "wrong", "one learning rate and one budget"),
    ({**HONEST, "learning_rates": (0.03, 0.03), "budgets": (6, 6)}, "wrong", "one learning rate"),
    ({**HONEST, "learning_rates": (0.03, -1.0)}, "wrong", "positive numbers"),
    ({**HONEST, "budgets": (0, 6)}, "wrong", "positive ints"),
    ({**HONEST, "statistic": "mean"}, "wrong", "report a spread too"),
    ({**HONEST, "statistic": "median"}, "wrong", "report a spread too"),
    ({**HONEST, "statistic": "best seed"}, "wrong", "lucky draw"),
    ({**HONEST, "statistic": "max"}, "wrong", "'statistic': one of"),
    ({**HONEST, "contenders": ("relu",)}, "wrong", "at least two different"),
    ({**HONEST, "contenders": ("relu", "relu")}, "wrong", "at least two different"),
    ({**HONEST, "contenders": ("relu", "swishy")}, "wrong", "not activations of the course"),
    ({**HONEST, "contenders": "relu, tanh"}, "wrong", "give a tuple"),
    ({**HONEST, "seeds": ()}, "wrong", "at least one"),
    ({key: value for key, value in HONEST.items() if key != "budgets"}, "wrong", "no 'budgets'"),
    ({**HONEST, "budgets": ...}, "not attempted", ""),
    ("relu vs tanh", "wrong", "answer with a dict"),
    (..., "not attempted", ""),
])
def test_check_comparing_4(answer, status, hint):
    got_status, message = verdict("comparing.4", answer)
    assert got_status == status and hint in message, message
