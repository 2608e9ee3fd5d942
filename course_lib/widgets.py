"""Interactive explorers: ipywidgets sliders wired to tested plotting functions, nothing more.

Each explorer is an `Explorer`, an `ipywidgets.interactive` box: moving a slider redraws
one course_lib.plotting figure. All the logic lives in the plotting function (which has
tests); an explorer only chooses the sliders.

A widget needs a running kernel and the widget manager. Where there is neither (GitHub,
nbviewer, a notebook JupyterLab does not trust yet, e.g. a fresh clone), a front end shows
the best other format of the stored output. An Explorer's output therefore also carries a
static PNG of its default state (the figure the sliders start at) in place of the text
`interactive(children=(FloatSlider(...`. JupyterLab prefers the widget when it can show it
(its widget renderer ranks first) and the PNG otherwise (a PNG is a safe format, the widget
is not); nbconvert and nbviewer skip a widget whose state was not saved and show the PNG.
"""

import ipywidgets
import matplotlib.pyplot as plt

from course_lib import plotting

# Wide enough for the longest description ("temperature T", "learning rate", "negative_slope")
# in JupyterLab's default font; the default (about 6 em) cuts them to "learning r...".
DESCRIPTION_WIDTH = "9em"
CONTROL_WIDTH = "30em"
WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"


def _show(ax):
    """Show the figure of `ax` and release it (inline backends draw it on show)."""
    plt.show()
    plt.close(ax.figure)


def _control_options(description):
    """Keyword arguments shared by every control: its description, shown uncut."""
    return {"description": description, "style": {"description_width": DESCRIPTION_WIDTH},
            "layout": ipywidgets.Layout(width=CONTROL_WIDTH)}


def figure_png(ax):
    """Return (PNG bytes, {"width": w, "height": h}) of the figure of `ax`, and close it.

    The PNG is drawn at twice the pixel density and shown at w x h pixels, as the course's
    inline figures are (IPython's "retina" format, bounding box tight).
    """
    from IPython.core.pylabtools import retina_figure

    try:
        png, metadata = retina_figure(ax.figure, bbox_inches="tight")
    finally:
        plt.close(ax.figure)
    return png, metadata


class Explorer(ipywidgets.interactive):
    """An `ipywidgets.interactive` that redraws `plot(**values)` and displays with a static PNG.

    plot: a function of the controls' values (keyword arguments named as in `controls`)
    returning the Axes of a new figure; the explorer shows and closes that figure.
    controls: name -> ipywidget. manual_name: when given, nothing is drawn until the button
    of that name is pressed (for plots that take seconds, e.g. training a network).

    Displayed (`_repr_mimebundle_`), the output holds the widget, a text line, and a PNG
    of `plot` at the controls' initial values (`default_png`), drawn once and kept.
    """

    def __init__(self, plot, controls, manual_name=None):
        self.plot = plot
        self.defaults = {name: control.value for name, control in controls.items()}
        self._default_png = None
        options = {"manual": True, "manual_name": manual_name} if manual_name else {}

        def draw(**values):
            _show(plot(**values))

        super().__init__(draw, options, **controls)

    def default_png(self):
        """Return (PNG bytes, metadata) of the plot at the initial values (drawn on first use)."""
        if self._default_png is None:
            self._default_png = figure_png(self.plot(**self.defaults))
        return self._default_png

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if WIDGET_VIEW_MIMETYPE not in data:  # no view to stand in for (e.g. a closed widget)
            return data
        png, metadata = self.default_png()
        data["image/png"] = png
        data["text/plain"] = "Explorer (sliders): run the notebook's cells to move them."
        return data, {"image/png": metadata}


# --- Activation explorers (notebooks 02-08) ------------------------------------------------

def parameter_control(name, default):
    """Return the control for one registry parameter: a checkbox for a flag, else a slider."""
    if isinstance(default, bool):
        return ipywidgets.Checkbox(value=default, **_control_options(name))
    high = max(1.0, 2.0 * float(default))
    return ipywidgets.FloatSlider(value=float(default), min=0.0, max=high, step=high / 100,
                                  continuous_update=False, **_control_options(name))


def activation_explorer(name):
    """Return sliders for the weight w, the bias b and every parameter of activation `name`.

    The plot is `plotting.plot_activation(name, w=w, b=b, **parameters)`: one unit's
    response a(x) = f(w x + b) and its slope, so the learner sees where the unit is
    sensitive to its input and where it saturates.
    Raises KeyError (from the registry) for a name it does not know.
    """
    from course_lib import activations

    entry = activations.get(name)
    controls = {
        "w": ipywidgets.FloatSlider(value=1.0, min=-5.0, max=5.0, step=0.1, continuous_update=False,
                                    **_control_options("weight w")),
        "b": ipywidgets.FloatSlider(value=0.0, min=-5.0, max=5.0, step=0.1, continuous_update=False,
                                    **_control_options("bias b")),
    }
    for parameter, default in entry.parameters.items():
        controls[parameter] = parameter_control(parameter, default)

    def plot(**values):
        return plotting.plot_activation(entry.name, **values)

    return Explorer(plot, controls)


# --- Softmax temperature explorer (notebook 14) -------------------------------------------

def softmax_temperature_explorer(z=(2.0, 1.0, 0.1)):
    """Return a log-scale slider for the temperature T (0.01 to 100) redrawing softmax(z / T).

    The plot is `plotting.plot_softmax_temperature(z, T)`.
    """
    slider = ipywidgets.FloatLogSlider(value=1.0, base=10, min=-2, max=2, step=0.05,
                                       readout_format=".3g", continuous_update=False,
                                       **_control_options("temperature T"))

    def plot(temperature):
        return plotting.plot_softmax_temperature(z, temperature)

    return Explorer(plot, {"temperature": slider})


# --- Dead ReLU explorer: learning rate and depth (notebook 13) -----------------------------------

def dead_relu_explorer(x, y, width=16, epochs=10, seed=0, **build_options):
    """Return sliders for the learning rate (log scale, 1e-3 to 1) and the depth (1 to 8 layers).

    Pressing "train" trains a ReLU network (Adam, `width` units per layer, `build_options`
    passed on to `build_mlp`) with `models.train_monitored` and draws
    `plotting.plot_dead_fractions` of its monitor: the dead fraction of every layer, epoch
    by epoch. A run takes a few seconds, so nothing runs until the button is pressed (the
    static PNG shown with the widget is one such run, at the initial values).
    """
    from course_lib import models

    controls = {
        "learning_rate": ipywidgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=0.25,
                                                   readout_format=".3g",
                                                   **_control_options("learning rate")),
        "depth": ipywidgets.IntSlider(value=4, min=1, max=8, **_control_options("depth")),
    }

    def plot(learning_rate, depth):
        _, history, monitor = models.train_monitored(
            "relu", [width] * depth, x, y, seed=seed, epochs=epochs, learning_rate=learning_rate,
            **build_options)
        accuracy = history.history["accuracy"][-1]
        title = f"learning rate {learning_rate:.3g}, depth {depth}: accuracy {accuracy:.2f}"
        return plotting.plot_dead_fractions(monitor, title=title)

    return Explorer(plot, controls, manual_name="train")
