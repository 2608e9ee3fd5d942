"""course_lib: the helpers behind "Activation functions, from first principles".

Every notebook starts with::

    from course_lib import setup
    rng = setup(seed=0)

Importing course_lib changes nothing; `setup` is the one call that does.
"""

import random

import numpy as np

__version__ = "0.1.0"
__all__ = ["setup", "__version__"]


def setup(seed=0):
    """Make a notebook reproducible and quiet, and return a NumPy Generator seeded with `seed`.

    Loads Keras without TensorFlow's start-up log lines, seeds Python, NumPy and
    TensorFlow, turns on TensorFlow's deterministic ops (so a re-run gives the
    same numbers), and applies the course's plotting style.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed: expected a non-negative int, got {seed!r}")
    from course_lib import plotting
    from course_lib._keras import load_keras, load_tensorflow

    keras = load_keras()
    keras.utils.set_random_seed(int(seed))  # seeds random, numpy.random and TensorFlow
    load_tensorflow().config.experimental.enable_op_determinism()
    random.seed(seed)
    plotting.use_course_style()
    return np.random.default_rng(seed)
