"""Tests of course_lib.widgets: the explorers build their sliders and redraw without errors."""

import ipywidgets
import matplotlib.pyplot as plt

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
