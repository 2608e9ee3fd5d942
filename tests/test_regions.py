"""Tests of course_lib.regions: exact pieces of ReLU networks, region counts, bounds and
constructions."""

from fractions import Fraction

import numpy as np
import pytest

from course_lib import mlp, regions


def shallow(w, b, v, c=0.0):
    """The network x -> v . relu(w x + b) + c of one input."""
    return [{"W": np.asarray(w, float)[:, None], "b": np.asarray(b, float)[:, None]},
            {"W": np.asarray(v, float)[None, :], "b": np.array([[c]])}]


# --- networks --------------------------------------------------------------------------------

def test_network_output_matches_the_hand_written_mlp():
    params = regions.random_relu_network([5, 4], seed=3, input_dim=2, output_dim=2)
    x = np.random.default_rng(0).normal(size=(2, 50))
    expected, _ = mlp.forward(params, x, "relu", loss="mse")
    np.testing.assert_allclose(regions.network_output(params, x), expected, rtol=1e-13, atol=1e-13)


def test_random_network_has_he_scaled_weights_and_is_reproducible():
    a = regions.random_relu_network([400], seed=1, input_dim=100)
    b = regions.random_relu_network([400], seed=1, input_dim=100)
    assert np.array_equal(a[0]["W"], b[0]["W"])
    assert a[0]["W"].var() == pytest.approx(2 / 100, rel=0.02)
    assert a[0]["b"].std() == pytest.approx(1.0, rel=0.1)


def test_activation_patterns_mark_units_with_positive_z():
    params = shallow([1.0, -1.0], [0.0, 1.0], [1.0, 1.0])
    on = regions.activation_patterns(params, np.array([-2.0, 0.5, 3.0]))
    assert on.tolist() == [[False, True, True], [True, True, False]]


# --- exact pieces in 1-D -------------------------------------------------------------------------

@pytest.mark.parametrize("widths", [[1], [7], [6, 5], [4, 4, 4]])
def test_pieces_reproduce_the_network_everywhere(widths):
    params = regions.random_relu_network(widths, seed=len(widths))
    pieces = regions.activation_regions_1d(params)
    x = np.linspace(-30, 30, 60001)
    scale = np.max(np.abs(regions.network_output(params, x)))
    np.testing.assert_allclose(pieces(x), regions.network_output(params, x), rtol=0,
                               atol=1e-12 * scale)


@pytest.mark.parametrize("seed", range(4))
def test_boundaries_are_where_the_sampled_pattern_changes(seed):
    params = regions.random_relu_network([5, 5], seed=seed)
    pieces = regions.activation_regions_1d(params, -4.0, 4.0)
    x = np.linspace(-4.0, 4.0, 400001)
    on = regions.activation_patterns(params, x)
    changes = x[1:][np.any(on[:, 1:] != on[:, :-1], axis=0)]
    assert changes.size == pieces.boundaries.size
    np.testing.assert_allclose(changes, pieces.boundaries, atol=2 * (x[1] - x[0]))


@pytest.mark.parametrize("width", [1, 3, 10, 50])
def test_a_shallow_network_has_width_plus_one_regions_at_its_units_corners(width):
    params = regions.random_relu_network([width], seed=width)
    pieces = regions.activation_regions_1d(params)
    w, b = params[0]["W"][:, 0], params[0]["b"][:, 0]
    np.testing.assert_allclose(pieces.boundaries, np.sort(-b / w), rtol=1e-15)
    assert pieces.n_activation_regions == pieces.n_linear_regions == width + 1


def test_a_piecewise_linear_network_is_continuous_at_every_boundary():
    params = regions.random_relu_network([8, 8, 8], seed=11)
    p = regions.activation_regions_1d(params)
    t = p.boundaries
    left = p.slopes[:-1] * t + p.intercepts[:-1]
    right = p.slopes[1:] * t + p.intercepts[1:]
    np.testing.assert_allclose(left, right, rtol=1e-12, atol=1e-12)


def test_zero_biases_leave_two_linear_regions_whatever_the_depth():
    params = regions.random_relu_network([16, 16, 16], seed=0, bias_std=0.0)
    assert regions.activation_regions_1d(params).n_linear_regions == 2


def test_a_unit_without_outgoing_weight_splits_an_activation_region_but_not_a_linear_region():
    params = shallow([1.0, 1.0], [0.0, -1.0], [2.0, 0.0])  # the second unit's corner is invisible
    pieces = regions.activation_regions_1d(params)
    assert pieces.boundaries.tolist() == [0.0, 1.0]
    assert pieces.breakpoints.tolist() == [0.0]
    assert (pieces.n_activation_regions, pieces.n_linear_regions) == (3, 2)


def test_an_interval_restricts_the_count():
    params = shallow([1.0, 1.0, 1.0], [1.0, 0.0, -1.0], [1.0, 1.0, 1.0])  # corners at -1, 0, 1
    assert regions.activation_regions_1d(params, -0.5, 2.0).boundaries.tolist() == [0.0, 1.0]
    assert regions.activation_regions_1d(params, -np.inf, np.inf).n_linear_regions == 4


@pytest.mark.parametrize("depth", [1, 2, 5, 10])
def test_the_sawtooth_has_two_to_the_depth_pieces_with_dyadic_corners(depth):
    params = regions.sawtooth_network(depth)
    pieces = regions.activation_regions_1d(params, 0.0, 1.0)
    k = np.arange(1, 2 ** depth)
    assert pieces.n_linear_regions == 2 ** depth
    assert np.array_equal(pieces.breakpoints, k / 2 ** depth)
    peaks = regions.network_output(params, (2 * np.arange(2 ** (depth - 1)) + 1) / 2 ** depth)
    assert np.array_equal(peaks, np.ones_like(peaks))  # every tooth reaches 1


# --- grids in 2-D and bounds ---------------------------------------------------------------------

def lines(rows, offsets):
    """A shallow network of two inputs whose units switch on the lines rows . x + offsets = 0."""
    W = np.asarray(rows, float)
    return [{"W": W, "b": np.asarray(offsets, float)[:, None]},
            {"W": np.ones((1, len(W))), "b": np.zeros((1, 1))}]


def test_three_lines_in_general_position_make_seven_regions():
    params = lines([[1, 0], [0, 1], [1, 1]], [0.0, 0.0, -1.0])
    assert regions.grid_activation_regions(params, -2, 3, resolution=301).n_regions == 7
    assert regions.max_regions_shallow(3, 2) == 7


def test_parallel_and_concurrent_lines_make_fewer_regions():
    # x1 = 0, x1 = 1 (parallel), x2 = 0, x1 + x2 = 1 (through the corner (1, 0) of two others)
    params = lines([[1, 0], [1, 0], [0, 1], [1, 1]], [0.0, -1.0, 0.0, -1.0])
    grid = regions.grid_activation_regions(params, -2, 3, resolution=401)
    assert grid.n_regions == 9 < regions.max_regions_shallow(4, 2) == 11
    assert grid.labels.shape == (401, 401) and set(np.unique(grid.labels)) == set(range(9))


def test_grid_count_grows_towards_the_bound_with_the_box():
    params = regions.random_relu_network([6], seed=2, input_dim=2)
    small = regions.grid_activation_regions(params, -0.5, 0.5, resolution=100).n_regions
    large = regions.grid_activation_regions(params, -50, 50, resolution=1500).n_regions
    assert small < large <= regions.max_regions_shallow(6, 2) == 22


@pytest.mark.parametrize("n, d, expected",
                         [(0, 1, 1), (5, 1, 6), (5, 2, 16), (3, 5, 8), (10, 3, 176)])
def test_max_regions_shallow(n, d, expected):
    assert regions.max_regions_shallow(n, d) == expected


def test_upper_bound_reduces_to_the_shallow_count_and_to_n_plus_1_to_the_L():
    for n in (1, 4, 9):
        for d in (1, 2, 3):
            assert regions.max_regions_upper_bound([n], d) == regions.max_regions_shallow(n, d)
    assert regions.max_regions_upper_bound([4] * 5, 1) == 5 ** 5
    assert regions.max_regions_upper_bound([2] * 10, 1) == 3 ** 10 >= 2 ** 10  # the sawtooth fits
    # a narrow first layer limits what follows (the bottleneck): 2 units of 2 inputs, then 10
    assert regions.max_regions_upper_bound([2, 10], 2) < regions.max_regions_shallow(2, 2) * 56


@pytest.mark.parametrize("widths", [[3, 3], [4, 2, 4], [6, 6, 6]])
def test_counts_of_random_networks_stay_under_the_bound(widths):
    for seed in range(3):
        params = regions.random_relu_network(widths, seed=seed)
        count = regions.activation_regions_1d(params).n_linear_regions
        assert count <= regions.max_regions_upper_bound(widths, 1)


# --- affine term plus a sum of ReLUs -------------------------------------------------------------

def exact_interpolant(xs, ys, t):
    """The piecewise-linear function through (xs, ys), continued linearly, in exact rationals."""
    xs, ys, t = [Fraction(v) for v in xs], [Fraction(v) for v in ys], Fraction(t)
    k = max(0, min(len(xs) - 2, sum(1 for v in xs[1:-1] if v <= t)))
    return ys[k] + (ys[k + 1] - ys[k]) / (xs[k + 1] - xs[k]) * (t - xs[k])


def test_relu_sum_through_points_is_exact_to_float_precision():
    xs, ys = [-2.0, -0.5, 0.25, 1.0, 3.0], [1.0, -1.0, 0.5, 0.5, 2.0]
    f = regions.relu_sum_from_points(xs, ys)
    t = np.linspace(-5, 6, 1101)
    expected = np.array([float(exact_interpolant(xs, ys, v)) for v in t])
    np.testing.assert_allclose(f(t), expected, rtol=0, atol=16 * np.finfo(float).eps)  # |f| <= 4
    assert f.knots.tolist() == [-0.5, 0.25, 1.0]
    np.testing.assert_allclose(f.coefficients, [2 + 4 / 3, -2, 0.75], rtol=1e-15)


def test_as_network_is_the_same_function_with_one_unit_per_piece():
    f = regions.relu_sum_from_points([-1.0, 0.0, 2.0, 3.0], [0.0, 3.0, -1.0, 4.0])
    net = f.as_network()
    t = np.linspace(-100, 100, 20001)
    np.testing.assert_allclose(regions.network_output(net, t), f(t), rtol=1e-13, atol=1e-12)
    assert net[0]["W"].shape == (3, 1)  # 3 pieces, 3 units
    pieces = regions.activation_regions_1d(net)
    assert pieces.n_linear_regions == 3 and pieces.breakpoints.tolist() == [0.0, 2.0]


def test_an_affine_function_takes_two_units():
    f = regions.relu_sum_from_points([0.0, 1.0], [1.0, -2.0])
    net = f.as_network()
    assert net[0]["W"].shape == (2, 1)
    t = np.linspace(-50, 50, 101)
    np.testing.assert_allclose(regions.network_output(net, t), 1 - 3 * t, rtol=1e-14, atol=1e-12)


def test_inputs_are_not_modified():
    xs, ys = np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0])
    params = regions.random_relu_network([3], seed=0)
    before = [layer["W"].copy() for layer in params]
    regions.relu_sum_from_points(xs, ys)
    regions.activation_regions_1d(params)
    assert xs.tolist() == [0.0, 1.0, 2.0] and ys.tolist() == [0.0, 1.0, 0.0]
    assert all(np.array_equal(a["W"], b) for a, b in zip(params, before))


# --- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: regions.relu_sum_from_points([0, 0, 1], [1, 2, 3]), ValueError, "strictly increasing"),
    (lambda: regions.relu_sum_from_points([0], [1]), ValueError, "at least 2"),
    (lambda: regions.relu_sum_from_points([0, 1], [1, np.nan]), ValueError, "finite"),
    (lambda: regions.relu_sum_from_points("01", [1, 2]), TypeError, "expected real numbers"),
    (lambda: regions.ReluSum(0.0, 0.0, [1.0, 2.0], [1.0]), ValueError, "one coefficient per knot"),
    (lambda: regions.activation_regions_1d({"W": 1}), TypeError, "list of layers"),
    (lambda: regions.activation_regions_1d([{"W": np.ones((2, 1)), "b": np.ones(2)}]), ValueError,
     "shape (n_out, 1)"),
    (lambda: regions.activation_regions_1d(regions.random_relu_network([3], 0, input_dim=2)),
     ValueError, "one input and one output"),
    (lambda: regions.activation_regions_1d(regions.random_relu_network([3], 0), 1.0, 1.0),
     ValueError, "lo < hi"),
    (lambda: regions.grid_activation_regions(regions.random_relu_network([3], 0)), ValueError,
     "two inputs"),
    (lambda: regions.network_output(regions.random_relu_network([3], 0, input_dim=2), np.ones(4)),
     ValueError, "expected shape (2, m)"),
    (lambda: regions.random_relu_network([3, 0], seed=0), ValueError, "int >= 1"),
    (lambda: regions.max_regions_shallow(2.5, 1), ValueError, "int >= 0"),
    (lambda: regions.sawtooth_network(0), ValueError, "int >= 1"),
])
def test_wrong_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=None) as info:
        call()
    assert message in str(info.value)


# --- learned fits --------------------------------------------------------------------------------

def test_parallel_fits_are_the_runs_of_separate_keras_models():
    """Each network of fit_shallow_networks trains as a plain Keras model would, at its own rate."""
    from course_lib import models, setup

    setup(seed=0)
    keras = models.load_keras()
    x = np.linspace(-2, 2, 32)
    y = np.abs(x) - 0.5
    fits = regions.fit_shallow_networks("relu", 4, x, y, x, y, seeds=[0, 1],
                                        learning_rates=[0.01, 0.03],
                                        budgets=[10, 25])
    for fit in fits:
        model = models.build_mlp("relu", [4], fit.seed, input_dim=1, output_activation=None)
        model.compile(optimizer=keras.optimizers.Adam(fit.learning_rate), loss="mse")
        model.fit(x[:, None], y[:, None], batch_size=32, epochs=fit.steps, shuffle=False, verbose=0)
        np.testing.assert_allclose(fit(x), models.predict(model, x[:, None])[:, 0],
                                   rtol=1e-4, atol=1e-5)
    assert [(f.steps, f.learning_rate, f.seed) for f in fits[:4]] == [(10, 0.01, 0), (10, 0.01, 1),
                                                                       (10, 0.03, 0), (10, 0.03, 1)]
    assert [f.steps for f in fits[4:]] == [25] * 4
