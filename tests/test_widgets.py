"""Tests of course_lib.widgets: the explorers build their sliders and redraw without errors."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import widgets


# --- activation_explorer -------------------------------------------------------------------------

def test_activation_explorer_has_weight_and_bias_sliders():
    explorer = widgets.activation_explorer("sigmoid")
    assert isinstance(explorer, ipywidgets.interactive) and isinstance(explorer, widgets.Explorer)
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
    monkeypatch.setattr(
        widgets, "_show", lambda ax: drawn.append(ax.get_title()) or plt.close(ax.figure)
    )
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


# --- softmax_temperature_explorer (notebook 14) ---
# -------------------------------------------------

def test_softmax_temperature_explorer_has_a_log_slider_from_cold_to_hot():
    explorer = widgets.softmax_temperature_explorer()
    slider = _slider(explorer, "temperature T")
    assert isinstance(slider, ipywidgets.FloatLogSlider)
    assert explorer.kwargs == {"temperature": 1.0}
    assert slider.base**slider.min == pytest.approx(
        0.01
    ) and slider.base**slider.max == pytest.approx(100)


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


# --- Every explorer: labels shown whole, and a static PNG of the default state -----------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _bundle(explorer):
    data, metadata = explorer._repr_mimebundle_()
    return data, metadata


def test_every_control_has_room_for_its_description():
    from course_lib import datasets

    x, y = datasets.moons(32, seed=0)
    explorers = [widgets.activation_explorer("gelu"), widgets.activation_explorer("leaky_relu"),
                 widgets.softmax_temperature_explorer(), widgets.dead_relu_explorer(x, y)]
    for explorer in explorers:
        for control in explorer.kwargs_widgets:
            assert control.style.description_width == widgets.DESCRIPTION_WIDTH, control.description
            # about 0.6 em per character of a proportional font: the label is not cut
            assert 0.6 * len(control.description) <= float(widgets.DESCRIPTION_WIDTH[:-2])


def test_displayed_explorer_carries_the_widget_and_a_png_of_its_default_state():
    explorer = widgets.activation_explorer("tanh")
    data, metadata = _bundle(explorer)
    assert data[widgets.WIDGET_VIEW_MIMETYPE]["model_id"] == explorer.model_id
    assert data["image/png"].startswith(PNG_SIGNATURE)
    assert not data["text/plain"].startswith("interactive(")
    width, height = metadata["image/png"]["width"], metadata["image/png"]["height"]
    # the retina format: twice the pixels of the size shown (width in bytes 16-19 of the PNG)
    assert int.from_bytes(data["image/png"][16:20], "big") in (2 * width, 2 * width + 1)
    assert height > 0


def test_the_png_is_the_default_state_whatever_the_sliders_say_later():
    moved = widgets.activation_explorer("tanh")
    _slider(moved, "weight w").value = 3.0
    fresh = widgets.activation_explorer("tanh")
    assert _bundle(moved)[0]["image/png"] == _bundle(fresh)[0]["image/png"]
    other = widgets.activation_explorer("sigmoid")
    assert _bundle(other)[0]["image/png"] != _bundle(fresh)[0]["image/png"]


def test_the_png_is_drawn_from_the_plot_at_the_initial_values(monkeypatch):
    calls = []
    explorer = widgets.softmax_temperature_explorer(z=(0.0, 1.0))
    plot = explorer.plot
    explorer.plot = lambda **values: calls.append(values) or plot(**values)
    before = plt.get_fignums()
    _bundle(explorer)
    _bundle(explorer)
    assert calls == [{"temperature": 1.0}]  # drawn once, then kept
    assert plt.get_fignums() == before  # and its figure closed


def test_a_closed_explorer_displays_without_a_png():
    explorer = widgets.activation_explorer("relu6")
    explorer.close()
    assert explorer._repr_mimebundle_ is None or "image/png" not in explorer._repr_mimebundle_()


def test_dead_relu_explorer_png_is_one_training_run_at_the_initial_values(monkeypatch):
    from course_lib import datasets

    x, y = datasets.moons(32, seed=0)
    explorer = widgets.dead_relu_explorer(x, y, epochs=1, kernel_initializer="glorot_uniform")
    drawn = []
    plot = explorer.plot
    explorer.plot = lambda **values: drawn.append(values) or plot(**values)
    data, _ = _bundle(explorer)
    assert drawn == [{"learning_rate": 0.1, "depth": 4}]
    assert data["image/png"].startswith(PNG_SIGNATURE)


def test_nbconvert_shows_the_png_where_the_widget_state_was_not_saved():
    """What nbviewer (nbconvert's HTML) shows for a stored explorer output: the picture."""
    nbformat = pytest.importorskip("nbformat")
    nbconvert = pytest.importorskip("nbconvert")
    import base64

    data, metadata = _bundle(widgets.activation_explorer("sigmoid"))
    encoded = base64.b64encode(data["image/png"]).decode("ascii")
    output = nbformat.v4.new_output("execute_result", execution_count=1, metadata=metadata,
                                    data={**data, "image/png": encoded})
    cell = nbformat.v4.new_code_cell('widgets.activation_explorer("sigmoid")', outputs=[output],
                                     execution_count=1)
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nbformat.v4.new_notebook(cells=[cell]))
    assert f'src="data:image/png;base64,{encoded}"' in html
    assert widgets.WIDGET_VIEW_MIMETYPE + '">' not in html  # no widget script left to fail
