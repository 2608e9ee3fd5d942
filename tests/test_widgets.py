"""Tests of course_lib.widgets: the explorers build their sliders and redraw without errors."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import widgets


# --- activation_explorer -------------------------------------------------------------------------

def test_activation_explorer_has_weight_and_bias_sliders():
    explorer = widgets.activation_explorer("sigmoid")
    assert isinstance(explorer, ipywidgets.interactive)
    assert set(explorer.kwargs) == {"w", "b"}
    assert explorer.kwargs == {"w": 1.0, "b": 0.0}


def test_activation_explorer_adds_the_registry_parameters():
    assert set(widgets.activation_explorer("elu").kwargs) == {"w", "b", "alpha"}
    gelu = widgets.activation_explorer("gelu")
    approximate = [c for c in gelu.children if getattr(c, "description", "") == "approximate"]
    assert isinstance(approximate[0], ipywidgets.Checkbox)


def _slider(explorer, description):
    return [c for c in explorer.children if getattr(c, "description", "") == description][0]


def test_moving_a_slider_redraws_the_plot_with_the_new_weight(monkeypatch):
    drawn = []
    monkeypatch.setattr(widgets, "_show", lambda ax: drawn.append(ax.get_title()) or plt.close(ax.figure))
    explorer = widgets.activation_explorer("relu6")
    _slider(explorer, "weight w").value = 2.0  # interactive swallows errors: check what was drawn
    assert explorer.kwargs["w"] == 2.0
    assert drawn and "w=2" in drawn[-1]


def test_redrawing_closes_the_figure():
    explorer = widgets.activation_explorer("tanh")
    before = plt.get_fignums()
    _slider(explorer, "bias b").value = 1.0
    assert plt.get_fignums() == before  # drawn, shown and closed: no figures pile up


def test_parameter_control_slider_covers_the_default():
    slider = widgets.parameter_control("alpha", 0.01)
    assert slider.min <= 0.01 <= slider.max and slider.value == 0.01


# --- softmax_temperature_explorer (notebook 14) ----------------------------------------------------

def test_softmax_temperature_explorer_has_a_log_slider_from_cold_to_hot():
    explorer = widgets.softmax_temperature_explorer()
    slider = _slider(explorer, "temperature T")
    assert isinstance(slider, ipywidgets.FloatLogSlider)
    assert explorer.kwargs == {"temperature": 1.0}
    assert slider.base ** slider.min == pytest.approx(0.01) and slider.base ** slider.max == pytest.approx(100)


def test_moving_the_temperature_redraws_softmax_of_the_given_logits(monkeypatch):
    drawn = []
    monkeypatch.setattr(widgets, "_show", lambda ax: drawn.append(ax) or plt.close(ax.figure))
    explorer = widgets.softmax_temperature_explorer(z=(0.0, 1.0))
    _slider(explorer, "temperature T").value = 10.0
    assert "T = 10" in drawn[-1].get_title()
    heights = [bar.get_height() for bar in drawn[-1].patches if bar.get_fill()]
    assert heights == pytest.approx([1 / (1 + np.exp(0.1)), 1 / (1 + np.exp(-0.1))])


# --- dead_relu_explorer --------------------------------------------------------------------------

def test_dead_relu_explorer_has_learning_rate_and_depth_sliders():
    from course_lib import datasets

    x, y = datasets.moons(32, seed=0)
    explorer = widgets.dead_relu_explorer(x, y)
    assert [w.description for w in explorer.kwargs_widgets] == ["learning rate", "depth"]
    assert explorer.manual_button.description == "train"
    assert isinstance(_slider(explorer, "learning rate"), ipywidgets.FloatLogSlider)


def test_pressing_train_trains_at_the_chosen_depth_and_plots_that_many_layers(monkeypatch):
    from course_lib import datasets

    drawn = []
    monkeypatch.setattr(widgets, "_show", lambda ax: drawn.append(ax) or plt.close(ax.figure))
    x, y = datasets.moons(32, seed=0)
    explorer = widgets.dead_relu_explorer(x, y, epochs=1, kernel_initializer="glorot_uniform")
    _slider(explorer, "depth").value = 2
    assert drawn == []  # nothing trains until the button is pressed
    explorer.manual_button.click()
    labels = [line.get_label() for line in drawn[-1].get_lines()]
    assert labels == ["layer 1", "layer 2"] and "depth 2" in drawn[-1].get_title()
