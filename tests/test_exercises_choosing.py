"""Tests of the quiz checks of the notebook on choosing an activation: right answers pass, wrong ones get a hint."""

import numpy as np
import pytest

from course_lib import activations
from course_lib.activations import sigmoid  # what the exercise cell imports for choosing.4
from course_lib.exercises import verdict

RIGHT_OUTPUTS = {"house price": "linear", "spam or not": "sigmoid", "which digit": "softmax", "photo tags": "sigmoid"}


@pytest.mark.parametrize("answer, status, hint", [
    (RIGHT_OUTPUTS, "correct", ""),
    ({key: value.upper() for key, value in RIGHT_OUTPUTS.items()}, "correct", ""),
    ({**RIGHT_OUTPUTS, "house price": "relu"}, "wrong", "'house price': not 'relu'"),
    ({**RIGHT_OUTPUTS, "house price": "relu"}, "wrong", "gradient 0"),
    ({**RIGHT_OUTPUTS, "house price": "sigmoid"}, "wrong", "bounded output"),
    ({**RIGHT_OUTPUTS, "photo tags": "softmax"}, "wrong", "need not sum to 1"),
    ({**RIGHT_OUTPUTS, "which digit": "sigmoid"}, "wrong", "sum to 1"),
    ({**RIGHT_OUTPUTS, "which digit": "argmax"}, "wrong", "answer with one of 'linear'"),
    ({"house price": "linear"}, "wrong", "no answer for"),
    ("linear", "wrong", "answer with a dict"),
    ({key: ... for key in RIGHT_OUTPUTS}, "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_choosing_1(answer, status, hint):
    got_status, message = verdict("choosing.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    ("b", "correct", ""),
    (" B ", "correct", ""),
    ("a", "wrong", "He's initialisation"),
    ("c", "wrong", "LeCun"),
    ("d", "wrong", "E[tanh'(z)^2] = 0.46"),
    ("e", "wrong", "one letter of a, b, c, d"),
    (..., "not attempted", ""),
])
def test_check_choosing_2(answer, status, hint):
    got_status, message = verdict("choosing.2", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    ({"a", "b", "e"}, "correct", ""),
    (["E", "a", "b"], "correct", ""),
    ({"a", "b"}, "wrong", "1 more of the changes helps"),
    ({"a"}, "wrong", "2 more of the changes help."),
    ({"a", "b", "d", "e"}, "wrong", "negative biases"),
    ({"a", "b", "c", "e"}, "wrong", "sigmoid units cannot die"),
    ({"a", "b", "c", "e"}, "wrong", "even with its own gain"),
    ({"a", "z"}, "wrong", "the letters are"),
    ("abe", "wrong", "set of letters"),
    ({...}, "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_choosing_3(answer, status, hint):
    got_status, message = verdict("choosing.3", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z0, z1: sigmoid(z1 - z0), "correct", ""),
    (lambda z0, z1: 0.5 * (1 + np.tanh((z1 - z0) / 2)), "correct", ""),
    (lambda z0, z1: activations.softmax(np.stack([z0, z1]), axis=0)[1], "wrong",
     "NumPy only, not with another course_lib function"),
    (lambda z0, z1: activations.sigmoid(z1 - z0), "wrong", "`sigmoid` (imported in the exercise"),
    (lambda z0, z1: sigmoid(z0 - z1), "wrong", "probability of class 0"),
    (lambda z0, z1: np.exp(z1) / (np.exp(z0) + np.exp(z1)), "wrong", "overflows"),
    (lambda z0, z1: sigmoid(z1), "wrong", "divide numerator"),
    (lambda z0, z1: 0.5, "wrong", "work elementwise"),
    (lambda z0, z1: ..., "not attempted", ""),
])
def test_check_choosing_4(answer, status, hint):
    got_status, message = verdict("choosing.4", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer", [{"a"}, {"b"}, {"e"}, {"a", "b"}, {"a", "e"}, {"b", "e"}])
def test_check_choosing_3_hint_does_not_name_the_answer(answer):
    _, message = verdict("choosing.3", answer)
    assert "ELU" not in message and "Leaky" not in message and "learning rate" not in message
