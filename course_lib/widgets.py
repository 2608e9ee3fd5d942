"""Interactive explorers: ipywidgets sliders wired to tested plotting functions, nothing more.

Each explorer returns an `ipywidgets.interactive` box; moving a slider redraws one
course_lib.plotting figure. All the logic lives in the plotting function (which has
tests); an explorer only chooses the sliders. Notebooks tag explorer cells
nbval-ignore-output and show a static figure of the same plot just above.
"""

import ipywidgets
import matplotlib.pyplot as plt

from course_lib import plotting


def _show(ax):
    """Show the figure of `ax` and release it (inline backends draw it on show)."""
    plt.show()
    plt.close(ax.figure)


# --- Activation explorers (notebooks 02-08) ------------------------------------------------

def parameter_control(name, default):
    """Return the widget for one registry parameter: a checkbox for a flag, a slider for a number."""
    if isinstance(default, bool):
        return ipywidgets.Checkbox(value=default, description=name)
    high = max(1.0, 2.0 * float(default))
    return ipywidgets.FloatSlider(value=float(default), min=0.0, max=high, step=high / 100,
                                  description=name, continuous_update=False)


def activation_explorer(name):
    """Return sliders for the weight w, the bias b and every parameter of activation `name`.

    The plot is `plotting.plot_activation(name, w=w, b=b, **parameters)`: one unit's
    response a(x) = f(w x + b) and its slope, so the learner sees where the unit is
    sensitive to its input and where it saturates.
    """
    from course_lib import activations

    entry = activations.get(name)
    controls = {
        "w": ipywidgets.FloatSlider(value=1.0, min=-5.0, max=5.0, step=0.1, description="weight w",
                                    continuous_update=False),
        "b": ipywidgets.FloatSlider(value=0.0, min=-5.0, max=5.0, step=0.1, description="bias b",
                                    continuous_update=False),
    }
    for parameter, default in entry.parameters.items():
        controls[parameter] = parameter_control(parameter, default)

    def draw(**values):
        _show(plotting.plot_activation(entry.name, **values))

    return ipywidgets.interactive(draw, **controls)


# --- Softmax temperature explorer (notebook 14) -------------------------------------------

def softmax_temperature_explorer(z=(2.0, 1.0, 0.1)):
    """Return a log-scale slider for the temperature T (0.01 to 100) redrawing softmax(z / T).

    The plot is `plotting.plot_softmax_temperature(z, T)`.
    """
    slider = ipywidgets.FloatLogSlider(value=1.0, base=10, min=-2, max=2, step=0.05, description="temperature T",
                                       readout_format=".3g", continuous_update=False)

    def draw(temperature):
        _show(plotting.plot_softmax_temperature(z, temperature))

    return ipywidgets.interactive(draw, temperature=slider)


# --- Dead ReLU explorer: learning rate and depth (notebook 13) -----------------------------------

def dead_relu_explorer(x, y, width=16, epochs=10, seed=0, **build_options):
    """Return sliders for the learning rate (log scale, 1e-3 to 1) and the depth (1 to 8 hidden layers).

    Pressing "train" trains a ReLU network (Adam, `width` units per layer, `build_options`
    passed on to `build_mlp`) with `models.train_monitored` and draws
    `plotting.plot_dead_fractions` of its monitor: the dead fraction of every layer, epoch
    by epoch. A run takes a few seconds, so nothing runs until the button is pressed.
    """
    from course_lib import models

    controls = {
        "learning_rate": ipywidgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=0.25,
                                                   description="learning rate", readout_format=".3g"),
        "depth": ipywidgets.IntSlider(value=4, min=1, max=8, description="depth"),
    }

    def draw(learning_rate, depth):
        _, history, monitor = models.train_monitored("relu", [width] * depth, x, y, seed=seed, epochs=epochs,
                                                     learning_rate=learning_rate, **build_options)
        _show(plotting.plot_dead_fractions(monitor, title=f"learning rate {learning_rate:.3g}, depth {depth}: "
                                                          f"accuracy {history.history['accuracy'][-1]:.2f}"))

    return ipywidgets.interactive(draw, {"manual": True, "manual_name": "train"}, **controls)
