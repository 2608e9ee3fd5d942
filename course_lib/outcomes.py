"""Read a training experiment repeated over seeds: the median, the range, the runs that stalled.

The course's rule for a claim about training: it holds over several seeds (never one), at a
learning rate fitted to each contender, and it is reported with its spread. Outcomes of training
are often bimodal (a run either learns the task or stalls), so a mean describes neither group:
`spread` reports the median, the range and how many runs stalled. `tune_learning_rate` runs a
small grid of learning rates over the same seeds and picks, for one contender, the rate with
the best median score.

`compare` (notebook 15) is the full Keras comparison of activations; this module is the small
statistics any experiment needs, whatever trains the network (Keras, or `mlp`'s NumPy code).
"""

import dataclasses
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np


@dataclasses.dataclass(frozen=True)
class Spread:
    """One outcome (a final loss, an accuracy) over seeds.

    values: one per seed, in the order the seeds came (float64 array, shape (n,)).
    median, low, high: the median, the smallest and the largest value.
    stalled: how many values are on the wrong side of the stall threshold given to `spread`
        (None when no threshold was given).
    """

    values: np.ndarray
    median: float
    low: float
    high: float
    stalled: Optional[int]

    @property
    def n(self):
        return len(self.values)

    def describe(self, digits=3):
        """Return e.g. "0.100 (0.008-0.295), 6 of 10 stalled": the median, the range, the stalled count."""
        text = f"{self.median:.{digits}f} ({self.low:.{digits}f}-{self.high:.{digits}f})"
        if self.stalled is not None:
            text += f", {self.stalled} of {self.n} stalled"
        return text


def spread(values, stalled_above=None, stalled_below=None):
    """Return the `Spread` of `values` (one number per seed).

    stalled_above: a run stalled when its value is > this (for a loss, e.g. the loss of a
        model without hidden layer); stalled_below: when its value is < this (for an accuracy).
    At most one of the two may be given. Raises ValueError for no values, non-finite values
    or both thresholds.
    """
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if array.size == 0:
        raise ValueError("values: expected at least one value, got none")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"values: expected finite numbers, got {array.tolist()}")
    if stalled_above is not None and stalled_below is not None:
        raise ValueError("give stalled_above or stalled_below, not both")
    stalled = None
    if stalled_above is not None:
        stalled = int(np.sum(array > stalled_above))
    elif stalled_below is not None:
        stalled = int(np.sum(array < stalled_below))
    return Spread(values=array, median=float(np.median(array)), low=float(array.min()),
                  high=float(array.max()), stalled=stalled)


@dataclasses.dataclass(frozen=True)
class Tuned:
    """The learning rate chosen for one contender, and what every rate of the grid gave.

    learning_rate: the rate whose median score is best.
    scores: {learning rate: `Spread` of the score over the seeds}, in the grid's order.
    results: {learning rate: [what `run` returned (or the scores), one per seed]}.
    """

    learning_rate: float
    scores: Mapping[float, Spread]
    results: Mapping[float, list]

    @property
    def best(self):
        """The `Spread` of the score at the chosen learning rate."""
        return self.scores[self.learning_rate]

    @property
    def best_results(self):
        """The results at the chosen learning rate, one per seed."""
        return self.results[self.learning_rate]

    @property
    def at_edge(self):
        """True when the chosen rate is the smallest or largest of the grid: widen the grid."""
        rates = list(self.scores)
        return len(rates) > 1 and self.learning_rate in (rates[0], rates[-1])


def choose_learning_rate(learning_rates, scores, higher_is_better=False):
    """Return the `Tuned` choice from a grid already run: `scores[i, j]` is rate i's score on seed j.

    The chosen rate has the lowest median score over the seeds (`higher_is_better=True`: the
    highest); ties go to the smaller rate. `results` of the `Tuned` holds each rate's row of
    scores. Raises ValueError when `scores` is not (len(learning_rates), n_seeds) or a rate is
    not a positive number.
    """
    rates = [float(rate) for rate in np.asarray(learning_rates, dtype=np.float64).reshape(-1)]
    if not rates or not all(0 < rate < np.inf for rate in rates):
        raise ValueError(f"learning_rates: expected positive numbers, got {rates}")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[0] != len(rates) or scores.shape[1] == 0:
        raise ValueError(f"scores: expected shape ({len(rates)}, n_seeds), one row per learning rate, "
                         f"got {scores.shape}")
    spreads = {rate: spread(row) for rate, row in zip(rates, scores)}
    sign = -1.0 if higher_is_better else 1.0
    chosen = min(rates, key=lambda rate: (sign * spreads[rate].median, rate))
    return Tuned(learning_rate=chosen, scores=spreads, results={rate: list(row) for rate, row in zip(rates, scores)})


def tune_learning_rate(run: Callable[[float, int], Any], learning_rates: Sequence[float], seeds: Sequence[int],
                       score: Callable[[Any], float] = float, higher_is_better=False):
    """Run `run(learning_rate, seed)` for every rate and seed; return the `Tuned` choice.

    `score(result)` turns what `run` returns into one number (default: the result itself); the
    choice is `choose_learning_rate`'s, and `results` keeps what `run` returned. Score on data
    the reported number is not measured on (a validation set) when the claim is about
    generalisation. Raises ValueError for an empty grid, no seeds, or a rate that is not a
    positive number.
    """
    rates = [float(rate) for rate in learning_rates]
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("seeds: expected at least one seed, got none")
    if not rates or not all(0 < rate < np.inf for rate in rates):
        raise ValueError(f"learning_rates: expected positive numbers, got {rates}")
    results = {rate: [run(rate, seed) for seed in seeds] for rate in rates}
    tuned = choose_learning_rate(rates, [[score(result) for result in results[rate]] for rate in rates],
                                 higher_is_better=higher_is_better)
    return dataclasses.replace(tuned, results=results)
