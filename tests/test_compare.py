"""Tests of course_lib.compare: the comparison protocol, one run's measurements, and the reading of
many runs."""

from types import SimpleNamespace

import numpy as np
import pytest

from course_lib import compare, datasets, diagnostics, models
from course_lib._keras import load_keras

TINY = compare.Protocol(hidden_sizes=(4,), epochs=2, learning_rate=0.05, batch_size=16)


@pytest.fixture(scope="module")
def moons():
    x, y = datasets.moons(64, seed=0)
    return compare.make_task("moons", x, y)


@pytest.fixture(scope="module")
def three_classes():
    x, y = datasets.load_digits()
    keep = y < 3
    return compare.make_task("digits 0-2", x[keep][:90], y[keep][:90])


def test_make_task_splits_once_and_chooses_the_output_layer(moons, three_classes):
    assert len(moons.x_train) == 48 and len(moons.x_val) == 16
    assert moons.x_train.dtype == np.float32 and moons.y_train.dtype == np.int64
    assert moons.output == (1, "sigmoid")
    assert three_classes.output == (3, "softmax")
    again = compare.make_task("moons", *datasets.moons(64, seed=0))
    np.testing.assert_array_equal(again.x_val, moons.x_val)


def test_make_task_standardizes_on_the_training_split_only():
    x, y = datasets.load_digits()
    task = compare.make_task("digits", x, y, standardize=True)
    raw = compare.make_task("digits", x, y)
    std = raw.x_train.astype(np.float64).std(axis=0)
    varying = std > 0
    np.testing.assert_allclose(task.x_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(task.x_train[:, varying].std(axis=0), 1, rtol=1e-5)
    mean = raw.x_train.astype(np.float64).mean(axis=0)
    # the training split's statistics
    expected_val = (raw.x_val - mean) / np.where(varying, std, 1.0)
    np.testing.assert_allclose(task.x_val, expected_val, rtol=1e-5, atol=1e-5)
    # constant pixels: no 0/0
    assert np.all(np.isfinite(task.x_train)) and np.all(np.isfinite(task.x_val))


@pytest.mark.parametrize("options, message", [
    ({"budgets": (0,)}, "budgets: expected epochs between 1 and epochs - 1"),
    ({"epochs": 5, "budgets": (5,)}, "budgets: expected epochs between 1 and epochs - 1 = 4"),
    ({"epochs": 0}, "epochs: expected a positive int"),
    ({"batch_size": 2.5}, "batch_size: expected a positive int"),
    ({"repeat": True}, "repeat: expected a positive int"),
    ({"learning_rate": 0.0}, "learning_rate: expected a positive number"),
])
def test_protocol_rejects_bad_settings(options, message):
    with pytest.raises(ValueError, match=message):
        compare.Protocol(**options)


@pytest.mark.parametrize("task_name", ["moons", "three_classes"])
def test_loss_and_accuracy_agree_with_keras_evaluate(task_name, request):
    task = request.getfixturevalue(task_name)
    units, activation = task.output
    model = models.build_mlp(
        "tanh",
        [4],
        seed=0,
        input_dim=task.x_train.shape[1],
        output_units=units,
        output_activation=activation,
    )
    models.train(model, task.x_train, task.y_train, epochs=1, seed=0, learning_rate=0.05)
    loss, accuracy = compare.loss_and_accuracy(model, task.x_val, task.y_val)
    keras_loss, keras_accuracy = model.evaluate(task.x_val, task.y_val, verbose=0)
    assert loss == pytest.approx(keras_loss, rel=1e-5)
    assert accuracy == pytest.approx(keras_accuracy, abs=1e-6)


def test_loss_clips_probabilities_like_keras():
    keras = load_keras()
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[100.0]], dtype=np.float32), np.zeros(1, dtype=np.float32)])
    # sure and wrong
    loss, accuracy = compare.loss_and_accuracy(model, np.array([[1.0]]), np.array([0]))
    assert loss == pytest.approx(-np.log(1e-7), rel=1e-6) and accuracy == 0.0


def test_protocol_sorts_budgets_and_names_the_initialiser():
    protocol = compare.Protocol(epochs=10, budgets=(6, 3, 6))
    assert protocol.budgets == (3, 6) and protocol.all_budgets == (3, 6, 10)
    assert protocol.initializer_for("sigmoid") == "gain"
    assert compare.Protocol(kernel_initializer=None).initializer_for("relu") == "he_normal"


def test_budgets_read_the_validation_accuracy_of_a_shorter_run(moons):
    # the accuracy read after 2 of 4 epochs is the final accuracy of a 2-epoch run
    long = compare.run_seeds("tanh", moons, [0], compare.Protocol(**{**TINY.__dict__, "epochs": 4,
                                                                       "budgets": (2,)}))[0]
    short = compare.run_seeds("tanh", moons, [0], TINY)[0]
    assert list(long.val_accuracy_at) == [2, 4]
    assert (
        long.val_accuracy_at[2] == short.val_accuracy
        and long.val_accuracy_at[4] == long.val_accuracy
    )
    assert long.curves["loss"][:2] == short.curves["loss"]
    values = compare.by_activation([long], budget=2)
    assert values["tanh"][0] == short.val_accuracy


def test_run_seeds_measures_every_run(moons):
    runs = compare.run_seeds("relu", moons, [0, 1], TINY)
    assert [run.seed for run in runs] == [0, 1] and {run.activation for run in runs} == {"relu"}
    run = runs[0]
    assert run.initializer == "gain" and run.task == "moons"
    assert {key: len(values) for key, values in run.curves.items()} == {"loss": 2, "accuracy": 2}
    assert 0 <= run.val_accuracy <= 1 and run.val_loss > 0
    assert 0 <= run.train_accuracy <= 1 and run.train_loss > 0
    assert run.dead.shape == run.saturated.shape == (1,) and run.saturated[0] == 0  # relu: never
    assert list(run.gradient_norms) == ["dense_1", "output"]
    assert run.first_layer_gradient_norm == run.gradient_norms["dense_1"] > 0
    assert run.seconds_per_epoch > 0
    assert runs[0].curves != runs[1].curves, "another seed, another run"


@pytest.mark.parametrize(
    "activation, initializer",
    [("tanh", "gain"), ("prelu", "gain"), ("leaky_relu", "gain_backward"), ("relu", None)],
)
def test_training_the_compiled_model_again_equals_a_fresh_model(moons, activation, initializer):
    # seed 1 after seed 0 reuses the compiled model; seed 1 alone builds a fresh one
    protocol = compare.Protocol(**{**TINY.__dict__, "kernel_initializer": initializer})
    reused = compare.run_seeds(activation, moons, [0, 1], protocol)[1]
    fresh = compare.run_seeds(activation, moons, [1], protocol)[0]
    assert reused.curves == fresh.curves
    assert reused.gradient_norms == fresh.gradient_norms
    assert (reused.val_loss, reused.train_accuracy) == (fresh.val_loss, fresh.train_accuracy)


def test_run_seeds_saturation_for_sigmoid_and_softmax_output(three_classes):
    run, = compare.run_seeds("sigmoid", three_classes, [0], TINY)
    assert run.saturated.shape == (1,) and not np.isnan(run.saturated).any()
    assert len(run.curves["accuracy"]) == 2


def test_run_seeds_needs_a_seed(moons):
    with pytest.raises(ValueError, match="seeds: expected at least one seed"):
        compare.run_seeds("relu", moons, [], TINY)


def test_compare_runs_every_activation_and_seed(moons):
    runs = compare.compare(["linear", "leaky_relu"], moons, [3, 4], TINY)
    assert [(run.activation, run.seed) for run in runs] == [("linear", 3), ("linear", 4),
                                                           ("leaky_relu", 3), ("leaky_relu", 4)]


# --- The reading -------------------------------------------------------------------------------

def fake_runs(val_accuracies, **fields):
    """SimpleNamespace runs: {activation: [val accuracy per seed]}."""
    return [SimpleNamespace(activation=activation, seed=seed, val_accuracy=value, **fields)
            for activation, values in val_accuracies.items() for seed, value in enumerate(values)]


def test_by_activation_groups_per_seed_in_order():
    values = compare.by_activation(fake_runs({"relu": [0.9, 0.8], "tanh": [0.7, 0.75]}))
    assert list(values) == ["relu", "tanh"]
    np.testing.assert_array_equal(values["relu"], [0.9, 0.8])


@pytest.mark.parametrize("a, b, expected", [
    ([0.9, 0.95, 0.92], [0.8, 0.85, 0.89], True),
    ([0.9, 0.95, 0.92], [0.8, 0.85, 0.91], False),   # ranges overlap
    ([0.9, 0.95, 0.92], [0.8, 0.85, 0.90], False),   # touching is not separated
    ([0.8, 0.85, 0.89], [0.9, 0.95, 0.92], False),   # the other way round
])
def test_clearly_better(a, b, expected):
    assert compare.clearly_better(a, b) is expected


def test_chance_of_separation_counts_the_orderings():
    assert compare.chance_of_separation(1) == 1.0  # with one seed each, one of them always "wins"
    assert compare.chance_of_separation(3) == pytest.approx(0.1)
    rng = np.random.default_rng(0)  # simulate two equally good settings
    a, b = rng.normal(size=(2, 20_000, 3))
    separated = (a.min(axis=1) > b.max(axis=1)) | (b.min(axis=1) > a.max(axis=1))
    assert separated.mean() == pytest.approx(0.1, abs=0.01)
    with pytest.raises(ValueError, match="n: expected a positive int"):
        compare.chance_of_separation(0)


def test_ranking_splits_tied_from_clearly_below():
    runs = fake_runs(
        {
            "a": [0.90, 0.95, 0.93],
            "b": [0.80, 0.97, 0.85],
            "c": [0.60, 0.70, 0.65],
            "d": [0.95, 0.96, 0.94],
        }
    )
    tied, below = compare.ranking(compare.by_activation(runs))
    assert tied == ["d", "a", "b"] and below == ["c"]


def test_ranking_uses_the_median_so_one_stalled_seed_does_not_decide():
    values = {"a": np.array([0.50, 0.98, 0.99]), "b": np.array([0.90, 0.91, 0.92])}
    tied, below = compare.ranking(values)   # a's mean (0.82) is below b's (0.91), its median above
    assert tied == ["a", "b"] and below == []


def test_groups_compare_with_the_control():
    values = {"relu": np.array([0.97, 0.98, 0.99]), "gelu": np.array([0.96, 0.99, 0.97]),
              "sigmoid": np.array([0.55, 0.62, 0.70]), "linear": np.array([0.60, 0.61, 0.64])}
    found = compare.groups(values)
    assert found.best == "relu" and found.tied == ["relu", "gelu"]
    assert found.below == ["sigmoid", "linear"] and found.at_control == ["sigmoid"]
    assert compare.groups(values, control=None).at_control == []


def test_reading_says_what_each_budget_shows_and_whether_it_is_stable():
    short = {"relu": np.array([0.80, 0.82, 0.85]), "sigmoid": np.array([0.60, 0.61, 0.62]),
             "linear": np.array([0.60, 0.62, 0.63])}
    long = {"relu": np.array([0.97, 0.98, 0.99]), "sigmoid": np.array([0.96, 0.97, 0.99]),
            "linear": np.array([0.60, 0.62, 0.63])}
    lines = compare.reading({8: short, 30: long})
    assert lines[0].startswith("after 8 epochs (3 seeds): best median relu 0.82 (seeds 0.80-0.85)")
    assert "tied with it: none" in lines[0] and "not clearly above linear: sigmoid" in lines[0]
    assert "tied with it: sigmoid" in lines[1] and "not clearly above linear: none" in lines[1]
    assert lines[2] == ("not stable: from 8 to 30 epochs, joined the best group: sigmoid; left it: "
                        "none.")
    assert compare.reading({30: long, 40: long})[-1].startswith("stable:")
    with pytest.raises(ValueError, match="at least one budget"):
        compare.reading({})


def test_dead_or_saturated_adds_the_two_and_averages_over_layers():
    run = SimpleNamespace(activation="sigmoid", dead=np.array([0.25, 0.0]),
                          saturated=np.array([0.25, 0.5]))
    assert compare.dead_or_saturated(run) == 0.5


@pytest.mark.parametrize("activation, bias", [
    ("relu", -100.0), ("relu6", 100.0), ("sigmoid", 100.0), ("tanh", -100.0), ("elu", -30.0),
    ("selu", -30.0), ("softplus", -30.0), ("gelu", -30.0), ("silu", -30.0), ("mish", -30.0)])
def test_dead_or_saturated_is_a_number_for_every_activation(activation, bias):
    # one of three units in the first layer is pushed onto a flat part of its activation
    model = models.build_mlp(activation, [3], seed=0)
    kernel, biases = model.get_layer("dense_1").get_weights()
    biases[1] = bias
    model.get_layer("dense_1").set_weights([kernel, biases])
    x = np.random.default_rng(0).uniform(-1, 1, size=(64, 2))
    dead, saturated = diagnostics.unit_fractions(model, x)
    run = SimpleNamespace(activation=activation, dead=dead, saturated=saturated)
    assert compare.dead_or_saturated(run) == pytest.approx(1 / 3)


def test_summary_rows_sorted_by_median_validation_accuracy_and_rounded():
    fields = dict(
        initializer="gain",
        train_accuracy=0.91234,
        train_loss=0.2,
        val_loss=0.3,
        dead=np.array([0.1]),
        saturated=np.array([0.05]),
        first_layer_gradient_norm=0.012345,
    )
    rows = compare.summary_rows(
        fake_runs({"gelu": [0.80, 0.90, 0.85], "relu": [0.50, 0.96, 0.97]}, **fields)
    )
    assert [row["activation"] for row in rows] == ["relu", "gelu"]    # by median: 0.96 > 0.85
    assert rows[0]["val acc"] == "0.96" and rows[0]["val acc over seeds"] == "0.50-0.97"
    assert rows[0]["train acc"] == "0.91" and rows[0]["‖∂L/∂W₁‖ at init"] == "0.012"
    assert rows[0]["dead or saturated"] == rows[1]["dead or saturated"] == "0.15"
    one_seed = compare.summary_rows(fake_runs({"relu": [0.9123]}, **fields), digits=3)
    assert "val acc over seeds" not in one_seed[0] and one_seed[0]["val acc"] == "0.912"


def test_summary_rows_show_every_budget():
    runs = [
        SimpleNamespace(
            activation="relu",
            seed=seed,
            val_accuracy=final,
            val_accuracy_at={5: early, 20: final},
            train_accuracy=1.0,
            val_loss=0.1,
            dead=np.zeros(1),
            saturated=np.zeros(1),
            first_layer_gradient_norm=1.0,
        )
        for seed, (early, final) in enumerate([(0.7, 0.95), (0.8, 0.97), (0.75, 0.99)])
    ]
    row, = compare.summary_rows(runs)
    assert (row["val acc @5"], row["seeds @5"]) == ("0.75", "0.70-0.80")
    assert (row["val acc @20"], row["seeds @20"]) == ("0.97", "0.95-0.99")
    assert "val acc" not in row


def test_timing_rows_relative_to_relu():
    runs = [SimpleNamespace(activation=a, seconds_per_epoch=s) for a, s in
            [("relu", 0.02), ("relu", 0.04), ("gelu", 0.03), ("gelu", 0.03)]]
    rows = compare.timing_rows({"spirals": runs})
    assert rows == [
        {"activation": "relu", "spirals: ms per epoch": "30", "spirals: / relu": "1.00"},
        {"activation": "gelu", "spirals: ms per epoch": "30", "spirals: / relu": "1.00"},
    ]
