"""Tests of course_lib.plotting."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import activations, plotting


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
