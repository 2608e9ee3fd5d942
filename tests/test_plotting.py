"""Tests of course_lib.plotting."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import activations, plotting


# --- plot_decision_boundary --------------------------------------------------------------------

def _colour_drawn_at(ax, point):
    """The RGB colour (floats in [0, 1]) that the rendered figure shows at a data point."""
    ax.figure.canvas.draw()
    pixels = np.asarray(ax.figure.canvas.buffer_rgba())
    column, row = ax.transData.transform(point)
    return pixels[int(round(pixels.shape[0] - row)), int(round(column)), :3] / 255


def _shaded_class(ax, point):
    """The class whose shade (its colour at alpha 0.25 on the axes) is nearest the colour there."""
    background = np.array(matplotlib.colors.to_rgb(ax.get_facecolor()))
    colours = np.array([matplotlib.colors.to_rgb(c) for c in plotting.CLASS_COLORS])
    shades = 0.25 * colours + 0.75 * background
    distances = [np.abs(_colour_drawn_at(ax, point) - shade).max() for shade in shades]
    assert min(distances) < 0.03, "the point is not shaded in any class colour"
    return int(np.argmin(distances))


def test_plot_decision_boundary_shades_a_probability_column_at_one_half():
    x = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    x_before = x.copy()
    probability_of_class_1 = lambda points: 1 / (1 + np.exp(-10 * points[:, :1]))  # 1 where x1 > 0
    ax = plotting.plot_decision_boundary(probability_of_class_1, x, [0, 0, 1, 1], title="right")
    assert _shaded_class(ax, (-1.0, 0.0)) == 0
    assert _shaded_class(ax, (1.0, 0.0)) == 1
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("right", "$x_1$", "$x_2$")
    np.testing.assert_array_equal(x, x_before)
    plt.close(ax.figure)


def test_plot_decision_boundary_shades_the_argmax_of_class_scores():
    x = np.array([[-1.0, 1.0], [0.0, 1.0], [1.0, 1.0], [-1.0, -1.0], [0.0, -1.0], [1.0, -1.0]])
    centres = np.array([-1.0, 0.0, 1.0])
    nearest_centre = lambda points: -((points[:, :1] - centres) ** 2)  # one score column per class
    ax = plotting.plot_decision_boundary(nearest_centre, x, [0, 1, 2, 0, 1, 2])
    assert [_shaded_class(ax, (c, 0.0)) for c in centres] == [0, 1, 2]
    plt.close(ax.figure)


def test_plot_decision_boundary_rejects_points_not_in_the_plane():
    with pytest.raises(ValueError, match=r"expected shape \(n, 2\)"):
        plotting.plot_decision_boundary(lambda p: p[:, :1], np.zeros((4, 3)), [0, 1, 0, 1])


# --- plot_activation ---------------------------------------------------------------------------

def _lines(ax):
    return {line.get_label(): line.get_ydata() for line in ax.get_lines() if not line.get_label().startswith("_")}


def test_plot_activation_draws_the_registry_function_and_derivative():
    ax = plotting.plot_activation("sigmoid")
    x = ax.get_lines()[0].get_xdata()
    lines = _lines(ax)
    np.testing.assert_allclose(lines[r"$\sigma(x)$"], activations.sigmoid(x))
    np.testing.assert_allclose(lines[r"$\sigma'(x)$"], activations.sigmoid_grad(x))
    assert "derivative" in ax.get_title()
    plt.close(ax.figure)


def test_plot_activation_shows_both_corners_of_relu6_by_default():
    ax = plotting.plot_activation("relu6")
    x = ax.get_lines()[0].get_xdata()
    assert x.min() < 0 and x.max() > 6
    plt.close(ax.figure)


def test_plot_activation_passes_parameters_and_names_them_in_the_title():
    x = np.linspace(-2, 2, 5)
    ax = plotting.plot_activation("leaky_relu", x=x, alpha=0.5)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), activations.leaky_relu(x, alpha=0.5))
    assert "alpha=0.5" in ax.get_title()
    plt.close(ax.figure)


def test_plot_activation_with_weight_and_bias_plots_the_unit_and_its_slope():
    x = np.linspace(-3, 3, 7)
    ax = plotting.plot_activation("tanh", x=x, w=2.0, b=-1.0)
    a, slope = ax.get_lines()[0].get_ydata(), ax.get_lines()[1].get_ydata()
    np.testing.assert_allclose(a, np.tanh(2 * x - 1))
    np.testing.assert_allclose(slope, 2 * (1 - np.tanh(2 * x - 1) ** 2), atol=1e-12)
    assert "w=2" in ax.get_title() and "b=-1" in ax.get_title()
    plt.close(ax.figure)


def test_plot_activation_draws_on_given_axes_and_rejects_unknown_names():
    fig, ax = plt.subplots()
    assert plotting.plot_activation("relu", ax=ax) is ax
    plt.close(fig)
    with pytest.raises(KeyError, match="unknown activation"):
        plotting.plot_activation("sigmoidd")


# --- plot_softmax_temperature (notebook 14) ---------------------------------------------------

def _bar_heights(ax, filled):
    return np.array([bar.get_height() for bar in ax.patches if bar.get_fill() == filled])


@pytest.mark.parametrize("temperature", [0.01, 0.5, 1, 3.0, 100.0])
def test_softmax_temperature_bars_are_softmax_of_z_over_t(temperature):
    from course_lib.softmax import softmax

    z = np.array([2.0, 1.0, 0.1])
    ax = plotting.plot_softmax_temperature(z, temperature)
    np.testing.assert_allclose(_bar_heights(ax, filled=True), softmax(z / temperature), rtol=1e-15)
    np.testing.assert_allclose(_bar_heights(ax, filled=False), [0.659, 0.242, 0.099], atol=5e-4)  # T = 1
    assert f"T = {temperature:.3g}" in ax.get_title()
    plt.close(ax.figure)


def test_softmax_temperature_goes_from_argmax_to_uniform():
    z = np.array([0.5, 3.0, -1.0, 2.9])
    cold = _bar_heights(plotting.plot_softmax_temperature(z, 0.01), filled=True)
    hot = _bar_heights(plotting.plot_softmax_temperature(z, 1e6), filled=True)
    np.testing.assert_allclose(cold, [0.0, 1.0, 0.0, 0.0], atol=1e-4)
    np.testing.assert_allclose(hot, 0.25, atol=1e-5)
    plt.close("all")


def test_softmax_temperature_draws_into_given_axes():
    fig, ax = plt.subplots()
    assert plotting.plot_softmax_temperature([1.0, 0.0], 2.0, ax=ax) is ax
    plt.close(fig)


@pytest.mark.parametrize("z, temperature, error, message", [
    ([1.0, 2.0], 0.0, ValueError, "temperature: expected a positive finite number, got 0.0"),
    ([1.0, 2.0], -1, ValueError, "temperature: expected a positive finite number, got -1"),
    ([1.0, 2.0], float("inf"), ValueError, "temperature: expected a positive finite number, got inf"),
    ([1.0, 2.0], "hot", TypeError, "temperature: expected a positive number, got str"),
    ([1.0, 2.0], True, TypeError, "temperature: expected a positive number, got bool"),
    ([[1.0, 2.0]], 1.0, ValueError, r"z: expected a non-empty 1-D vector of logits, got shape \(1, 2\)"),
    ([], 1.0, ValueError, r"z: expected a non-empty 1-D vector of logits, got shape \(0,\)"),
    ("abc", 1.0, TypeError, "z: expected real numbers"),
])
def test_softmax_temperature_rejects_bad_input(z, temperature, error, message):
    with pytest.raises(error, match=message):
        plotting.plot_softmax_temperature(z, temperature)


# --- Measurements per layer and per epoch ------------------------------------------------------

def test_plot_per_layer_one_line_per_run_layers_from_one_and_log_scale():
    norms = {"sigmoid": {"dense_1": 1e-6, "dense_2": 1e-3, "output": 0.1}, "relu": [0.2, 0.3, 0.1]}
    ax = plotting.plot_per_layer(norms, "gradient norm", logy=True, title="per layer")
    lines = _lines(ax)
    np.testing.assert_array_equal(lines["sigmoid"], [1e-6, 1e-3, 0.1])
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [1, 2, 3])
    assert ax.get_yscale() == "log" and ax.get_title() == "per layer" and ax.get_ylabel() == "gradient norm"
    plt.close(ax.figure)


def test_per_run_plots_take_each_label_colour_given_and_the_cycle_for_the_rest():
    colors = {"sigmoid": plotting.activation_color("sigmoid")}
    runs = {"relu": [0.2, 0.3], "sigmoid": [0.1, 0.2]}
    ax = plotting.plot_per_layer(runs, "gradient norm", colors=colors)
    relu_line, sigmoid_line = ax.get_lines()
    assert matplotlib.colors.same_color(sigmoid_line.get_color(), colors["sigmoid"])
    assert matplotlib.colors.same_color(relu_line.get_color(), "C0")
    plt.close(ax.figure)
    histories = {"relu": {"loss": [0.7, 0.5], "val_loss": [0.8, 0.6]}, "sigmoid": {"loss": [0.7, 0.6]}}
    ax = plotting.plot_training_curves(histories, colors=colors)
    relu_line, relu_validation, sigmoid_line = ax.get_lines()
    assert matplotlib.colors.same_color(relu_validation.get_color(), relu_line.get_color())
    assert matplotlib.colors.same_color(sigmoid_line.get_color(), colors["sigmoid"])
def test_curves_and_per_layer_can_keep_each_activations_colour():
    curves = {"tanh": {"loss": [0.6, 0.3]}, "relu": {"loss": [0.7, 0.2]}}
    ax = plotting.plot_training_curves(curves, by_activation=True)
    for line in ax.get_lines():
        assert matplotlib.colors.same_color(line.get_color(),
                                            plotting.activation_color(line.get_label()))
    plt.close(ax.figure)
    ax = plotting.plot_per_layer({"relu": [0.2, 0.3]}, "gradient norm", by_activation=True)
    assert matplotlib.colors.same_color(ax.get_lines()[0].get_color(), plotting.activation_color("relu"))
    plt.close(ax.figure)


def test_training_curves_say_how_many_passes_over_the_data_an_epoch_made():
    class History:  # what plot_training_curves reads from the History models.train returns
        def __init__(self, repeat):
            self.history, self.params = {"loss": [0.7, 0.5]}, {"epochs": 2, "repeat": repeat}

    ax = plotting.plot_training_curves({"relu": History(4), "tanh": History(4)})
    assert ax.get_xlabel() == "epoch (4 passes over the training set)"
    plt.close(ax.figure)
    ax = plotting.plot_training_curves({"relu": {"loss": [0.7, 0.5]}}, repeat=1)
    assert ax.get_xlabel() == "epoch (one pass over the training set)"
    plt.close(ax.figure)
    ax = plotting.plot_training_curves({"relu": {"loss": [0.7, 0.5]}})
    assert ax.get_xlabel() == "epoch", "unknown repeat: no claim about passes"
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="different number of times per epoch"):
        plotting.plot_training_curves({"relu": History(4), "tanh": History(2)})
    for bad in (0, 2.5, True, "4"):
        with pytest.raises(ValueError, match="repeat: expected a positive int"):
            plotting.epoch_label(bad)
    plt.close("all")


def test_plot_per_epoch_checks_lengths():
    ax = plotting.plot_per_epoch([0, 1, 2], {"layer 1": [0.0, 0.5, 0.5]}, "dead fraction", ylim=(0, 1))
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0, 1, 2])
    assert ax.get_ylim() == (0, 1) and "before training" in ax.get_xlabel()
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="one value per epoch"):
        plotting.plot_per_epoch([0, 1, 2], {"layer 1": [0.0, 0.5]}, "dead fraction")


def test_plot_dead_fractions_draws_every_layer_of_a_monitor():
    class Monitor:  # what plot_dead_fractions reads from a models.DeadUnitsMonitor
        epochs = [0, 1, 2]
        dead = np.array([[0.0, 0.1], [0.2, 0.3], [0.25, 0.5]])

    ax = plotting.plot_dead_fractions(Monitor())
    lines = _lines(ax)
    assert list(lines) == ["layer 1", "layer 2"]
    np.testing.assert_array_equal(lines["layer 2"], [0.1, 0.3, 0.5])
    plt.close(ax.figure)


def test_activation_symbol_is_the_formulas_left_side_in_mathtext():
    assert plotting.activation_symbol(activations.get("sigmoid")) == r"\sigma"
    assert plotting.activation_symbol(activations.get("relu6")) == r"\mathrm{relu6}"


def test_plot_spread_one_row_per_label_first_on_top():
    ax = plotting.plot_spread({"gelu": [0.9, 0.95, 0.92], "relu": {"seed 0": 0.8, "seed 1": 0.85}}, "accuracy")
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["gelu", "relu"]
    low, high = ax.get_ylim()
    assert low > high, "row 0 (the first label) is drawn on top"
    dots = [line.get_xdata() for line in ax.get_lines()]
    np.testing.assert_allclose(dots[0], [0.9, 0.95, 0.92])
    np.testing.assert_allclose(dots[1], [0.8, 0.85])
    plt.close(ax.figure)


def test_plot_spread_can_draw_each_row_in_its_activations_colour():
    ax = plotting.plot_spread({"gelu": [0.9, 0.95], "tanh": [0.8, 0.85]}, "accuracy",
                              by_activation=True)
    for line, name in zip(ax.get_lines(), ("gelu", "tanh")):
        assert matplotlib.colors.same_color(line.get_color(), plotting.activation_color(name))
    plt.close(ax.figure)


# --- activation_color ----------------------------------------------------------------------------

def test_every_activation_has_its_own_colour_and_aliases_share_it():
    import matplotlib.colors

    colours = {name: matplotlib.colors.to_hex(plotting.activation_color(name))
               for name in activations.ALL_ACTIVATIONS}
    assert len(set(colours.values())) == len(colours) == len(activations.ALL_ACTIVATIONS)
    for alias, name in activations.ALIASES.items():
        assert plotting.activation_color(alias) == plotting.activation_color(name)


def test_activation_color_rejects_unknown_names():
    with pytest.raises((KeyError, ValueError)):
        plotting.activation_color("not_an_activation")


def test_plot_activation_draws_in_the_activations_registry_colour():
    import matplotlib.colors as mcolors

    ax = plotting.plot_activation("gelu")
    function_line, derivative_line = ax.get_lines()[:2]
    expected = mcolors.to_rgba(plotting.activation_color("gelu"))
    assert mcolors.to_rgba(function_line.get_color()) == expected
    assert mcolors.to_rgba(derivative_line.get_color()) == expected
    assert derivative_line.get_linestyle() == "--" and ax.get_ylabel() == "value"
    plt.close(ax.figure)
