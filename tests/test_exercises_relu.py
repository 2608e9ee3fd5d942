"""Tests of the checks of the ReLU notebook: accept the solution, hint on wrong answers, stub not
attempted."""

import numpy as np
import pytest

from course_lib import activations
from course_lib.exercises import verdict
from course_lib.exercises.relu import DEAD_UNIT_WEIGHTS, dead_unit_data, names_used

Z = dead_unit_data() @ DEAD_UNIT_WEIGHTS
relu_function = activations.relu  # as in the notebook
relu = activations.get("relu")


@pytest.mark.parametrize("answer, status, hint", [
    (lambda x: ((x > 0) & (x < 6)).astype(float), "correct", ""),
    (lambda x: ((x >= 0) & (x <= 6)).astype(float), "wrong", "at the corners"),
    (lambda x: (x > 0).astype(float), "wrong", "above 6 relu6 is constant"),
    (lambda x: np.clip(x, 0, 6), "wrong", "slope there is 1"),
    (lambda x: 1.0, "wrong", "elementwise"),
    (lambda x: activations.relu6_grad(x), "wrong", "uses course_lib"),
    (activations.relu6_grad, "wrong", "course_lib's own"),
    (lambda x: ..., "not attempted", ""),
])
def test_check_relu_1(answer, status, hint):
    got_status, message = verdict("relu.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (-Z.max(), "correct", ""),
    (-Z.min(), "wrong", "alive everywhere"),
    (Z.max(), "wrong", "check the sign"),
    (0.0, "wrong", "still positive on"),
    (-10.0, "wrong", "find the largest"),
    ("-2.4", "wrong", "one number"),
    (..., "not attempted", ""),
])
def test_check_relu_2(answer, status, hint):
    got_status, message = verdict("relu.2", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize(
    "answer, status, hint",
    [
        (lambda x: relu_function(x) - relu_function(x - 6), "correct", ""),
        (lambda x: relu(x) - relu(x - 6), "correct", ""),
        (lambda x: np.clip(x, 0, 6), "wrong", "uses clip"),
        (lambda x: np.minimum(relu_function(x), 6), "wrong", "uses minimum"),
        (lambda x: activations.relu6(x), "wrong", "uses relu6"),
        (
            lambda x: activations.relu(x) - activations.relu(x - 6),
            "wrong",
            "call the ReLUs as relu_function",
        ),
        (lambda x: relu_function(x), "wrong", "cap at 6 is missing"),
        (lambda x: relu_function(x) + relu_function(x - 6), "wrong", "keeps rising"),
        (lambda x: relu_function(x) - relu_function(x + 6), "wrong", "wrong values"),
        (lambda x: ..., "not attempted", ""),
    ],
)
def test_check_relu_3(answer, status, hint):
    got_status, message = verdict("relu.3", answer)
    assert got_status == status and hint in message


def test_names_used_sees_nested_functions_and_attributes():
    def capped(x):
        return (lambda v: np.minimum(v, 6))(x)

    assert {"np", "minimum"} <= names_used(capped)
    assert names_used(np.maximum) == set()


@pytest.mark.parametrize("near_miss", [
    lambda x: relu_function(x),
    lambda x: relu_function(x) + relu_function(x - 6),
])
def test_relu_3_hints_do_not_give_the_answer(near_miss):
    # the answer is relu(x) - relu(x - 6): a hint may point at the slope, never spell out the term
    _, message = verdict("relu.3", near_miss)
    assert (
        "x - 6" not in message
        and "corner at 6" not in message
        and "subtract" not in message.lower()
    )
