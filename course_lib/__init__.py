"""course_lib: the helpers behind "Activation functions, from first principles".

Every notebook starts with::

    from course_lib import setup
    rng = setup(seed=0)

Importing course_lib changes nothing; `setup` is the one call that does.
"""

import os
import random

import numpy as np

__version__ = "0.1.0"
__all__ = ["setup", "quick_mode", "QUICK_ENVIRONMENT_VARIABLE", "__version__"]

# `COURSE_QUICK=1 make lab` (or setup(quick=True))
# shrinks the slowest experiments for live teaching.
QUICK_ENVIRONMENT_VARIABLE = "COURSE_QUICK"
_quick = False


def quick_mode():
    """Return True when the last `setup` call turned quick mode on (fewer seeds and epochs).

    Notebooks read it to shrink their slowest experiments, e.g.
    ``seeds = range(2) if quick_mode() else range(5)``. The stored outputs, nbval and the
    prose are for the full run (quick mode off).
    """
    return _quick


def setup(seed=0, quick=None):
    """Make a notebook reproducible and quiet, and return a NumPy Generator seeded with `seed`.

    Seeds Python's `random` and NumPy's global stream (`numpy.random.seed`), and applies the
    course's plotting style (figures drawn at twice their pixel density, so they stay sharp
    on high-resolution screens). Keras and TensorFlow are seeded with the same seed, and
    TensorFlow's deterministic ops turned on (so a re-run gives the same numbers), when
    Keras is first loaded (`course_lib.models.load_keras`), or at once if it is loaded
    already: a notebook that does not use TensorFlow never imports it (it costs a kernel
    several hundred MB). Seeding Keras leaves the Python and NumPy streams as they were.

    quick: True or False turns quick mode (see `quick_mode`) on or off; None (the default)
    reads the environment variable COURSE_QUICK ("1", "true" or "yes" turn it on). In quick
    mode setup prints one line saying so, since numbers then differ from the text.
    Raises TypeError for a seed that is not a non-negative int or a quick that is not a bool.
    """
    global _quick
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed: expected a non-negative int, got {seed!r}")
    if quick is None:
        quick = os.environ.get(QUICK_ENVIRONMENT_VARIABLE, "").strip().lower() in (
            "1",
            "true",
            "yes",
        )
    elif not isinstance(quick, bool):
        raise TypeError(f"quick: expected True, False or None, got {quick!r}")
    _quick = quick
    if quick:
        print("Quick mode (COURSE_QUICK): fewer seeds and epochs; numbers differ from the text.")
    from course_lib import _keras, plotting

    random.seed(int(seed))
    np.random.seed(int(seed))
    _keras.seed_when_loaded(seed)  # Keras and TensorFlow: now if loaded, else on first load
    plotting.use_course_style()
    return np.random.default_rng(seed)
