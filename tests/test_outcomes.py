"""Tests of course_lib.outcomes: spreads over seeds, stalled counts and the learning-rate choice."""

import numpy as np
import pytest

from course_lib import outcomes


def test_spread_reports_median_range_and_stalled_count():
    result = outcomes.spread([0.3, 0.01, 0.25, 0.24, 0.02], stalled_above=0.2)
    assert (result.median, result.low, result.high, result.stalled, result.n) == (
        0.24,
        0.01,
        0.3,
        3,
        5,
    )
    assert result.describe(digits=2) == "0.24 (0.01-0.30), 3 of 5 stalled"
    accuracy = outcomes.spread(np.array([[0.5, 0.99], [0.98, 0.51]]), stalled_below=0.6)
    assert accuracy.stalled == 2 and accuracy.values.shape == (4,)
    assert (
        outcomes.spread([1.0]).stalled is None
        and outcomes.spread([1.0]).describe(1) == "1.0 (1.0-1.0)"
    )


def test_spread_does_not_modify_its_input():
    values = np.array([3.0, 1.0, 2.0])
    outcomes.spread(values)
    assert values.tolist() == [3.0, 1.0, 2.0]


@pytest.mark.parametrize(
    "values, options, message",
    [
        ([], {}, "at least one"),
        ([1.0, np.nan], {}, "finite"),
        ([1.0], dict(stalled_above=1, stalled_below=0), "not both"),
    ],
)
def test_spread_rejects_bad_input(values, options, message):
    with pytest.raises(ValueError, match=message):
        outcomes.spread(values, **options)


def test_choose_learning_rate_takes_the_best_median_not_the_best_run():
    # rate 1.0 has the single best run but stalls on two seeds of three; rate 0.1 is steadier
    scores = [[0.20, 0.21, 0.22], [0.01, 0.50, 0.50], [0.9, 0.8, 0.7]]
    tuned = outcomes.choose_learning_rate([0.1, 1.0, 10.0], scores)
    assert tuned.learning_rate == 0.1 and tuned.best.median == 0.21
    assert tuned.at_edge and list(tuned.scores) == [0.1, 1.0, 10.0]
    assert (
        outcomes.choose_learning_rate([0.1, 1.0, 10.0], scores, higher_is_better=True).learning_rate
        == 10.0
    )
    middle = outcomes.choose_learning_rate([0.1, 1.0, 10.0], [[2.0], [1.0], [3.0]])
    assert middle.learning_rate == 1.0 and not middle.at_edge


def test_ties_go_to_the_smaller_rate():
    assert outcomes.choose_learning_rate([0.3, 0.1], [[1.0], [1.0]]).learning_rate == 0.1


def test_tune_learning_rate_runs_every_rate_and_seed_and_keeps_the_results():
    calls = []

    def run(learning_rate, seed):
        calls.append((learning_rate, seed))
        return {"loss": (learning_rate - 0.3) ** 2 + 0.01 * seed}

    tuned = outcomes.tune_learning_rate(
        run, [0.1, 0.3, 1.0], seeds=range(3), score=lambda result: result["loss"]
    )
    assert sorted(calls) == sorted((rate, seed) for rate in (0.1, 0.3, 1.0) for seed in range(3))
    assert tuned.learning_rate == 0.3 and tuned.best.median == pytest.approx(0.01)
    assert tuned.best_results[2] == {"loss": pytest.approx(0.02)}


@pytest.mark.parametrize(
    "rates, scores, message",
    [
        ([], [], "learning_rates"),
        ([0.0], [[1.0]], "learning_rates"),
        ([0.1, 1.0], [[1.0]], "scores"),
        ([0.1], [1.0], "scores"),
    ],
)
def test_choose_learning_rate_rejects_bad_grids(rates, scores, message):
    with pytest.raises(ValueError, match=message):
        outcomes.choose_learning_rate(rates, scores)


def test_tune_learning_rate_rejects_no_seeds():
    with pytest.raises(ValueError, match="seeds"):
        outcomes.tune_learning_rate(lambda rate, seed: 0.0, [0.1], seeds=[])
