"""Tests of course_lib.timing (behaviour only: the measured numbers depend on the machine)."""

import time

import pytest

from course_lib import timing


def test_best_time_is_the_minimum_of_real_measurements():
    calls = []

    def slow(x):
        calls.append(x)
        time.sleep(0.002)

    best = timing.best_time(slow, 1, repeats=3)
    assert len(calls) == 3 and 0.002 <= best < 0.5


def test_best_time_rejects_zero_repeats():
    with pytest.raises(ValueError, match="repeats: expected a positive int"):
        timing.best_time(abs, 1, repeats=0)


@pytest.mark.parametrize("implementation", ["course_lib", "keras"])
def test_relative_cost_has_one_row_per_name_with_positive_ratios(implementation):
    rows = timing.relative_cost(
        ["relu", "sigmoid"], n=1000, repeats=2, implementation=implementation
    )
    assert [row["activation"] for row in rows] == ["relu", "sigmoid"]
    for row in rows:
        assert set(row) == {"activation", "forward / relu", "derivative / relu"}
        assert row["forward / relu"] > 0 and row["derivative / relu"] > 0


def test_relative_cost_rejects_bad_arguments():
    with pytest.raises(ValueError, match="implementation"):
        timing.relative_cost(["relu"], implementation="torch")
    with pytest.raises(ValueError, match="n: expected a positive int"):
        timing.relative_cost(["relu"], n=0)
    with pytest.raises(ValueError, match="Keras has no built-in"):
        timing.relative_cost(["prelu"], n=10, implementation="keras")
    with pytest.raises(KeyError, match="unknown activation"):
        timing.relative_cost(["nope"], n=10)


def test_cost_table_has_an_implementation_column_and_a_row_per_pair():
    rows = timing.cost_table(["relu", "tanh"], n=500, repeats=1)
    assert [(row["implementation"], row["activation"]) for row in rows] == [
        ("course_lib", "relu"), ("course_lib", "tanh"), ("keras", "relu"), ("keras", "tanh")]
    assert list(rows[0]) == ["implementation", "activation", "forward / relu", "derivative / relu"]
