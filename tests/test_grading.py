"""Tests of course_lib.grading: the nbgrader guard and the by-hand wrapper of autograder cells."""

import numpy as np
import pytest

from course_lib import grading


def test_autograding_follows_nbgrader_environment(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not grading.autograding()
    for mode, expected in [("autograde", True), ("validate", True), ("", False), ("other", False)]:
        monkeypatch.setenv("NBGRADER_EXECUTION", mode)
        assert grading.autograding() is expected


def _notebook_function(source, name, namespace):
    exec(source, namespace)  # a function whose globals are `namespace`, as in a notebook
    return namespace[name]


def test_by_hand_fails_an_answer_that_calls_course_lib():
    import course_lib.softmax as softmax_module
    from course_lib.softmax import logsumexp

    namespace = {"np": np, "logsumexp": logsumexp, "sm": softmax_module}
    lazy = _notebook_function("def lse(z):\n    return logsumexp(z)\n", "lse", namespace)
    via_module = _notebook_function("def lse2(z):\n    return sm.logsumexp(z)\n", "lse2", namespace)
    own = _notebook_function("def lse3(z):\n    m = np.max(z)\n"
                             "    return m + np.log(np.sum(np.exp(z - m)))\n", "lse3", namespace)
    z = np.array([1.0, 2.0, 3.0])
    with pytest.raises(grading.UsesCourseLib, match="lse uses course_lib's 'logsumexp'"):
        grading.by_hand(lazy)(z)
    with pytest.raises(grading.UsesCourseLib, match="'sm'"):
        grading.by_hand(via_module)(z)
    assert grading.by_hand(own)(z) == pytest.approx(float(logsumexp(z)), rel=1e-15)
    # the names are restored afterwards, even after a failure
    assert namespace["logsumexp"] is logsumexp and namespace["sm"] is softmax_module


def test_by_hand_lets_allowed_names_through():
    from course_lib.activations import sigmoid

    namespace = {"sigmoid": sigmoid}
    uses = _notebook_function("def f(x):\n    return 2 * sigmoid(x)\n", "f", namespace)
    assert grading.by_hand(uses, allowed=[sigmoid])(0.0) == 1.0
    with pytest.raises(grading.UsesCourseLib):
        grading.by_hand(uses)(0.0)


def test_by_hand_rejects_what_is_not_a_function():
    with pytest.raises(TypeError, match="expected a function defined in the notebook, got int"):
        grading.by_hand(3)
