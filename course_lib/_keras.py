"""Import TensorFlow and Keras on first use, quietly, seeded by the last `course_lib.setup`.

TensorFlow's C++ runtime writes notices (oneDNN, CUDA, CPU features) straight to
file descriptor 2 before its logging is configured, so TF_CPP_MIN_LOG_LEVEL alone
does not stop them. They would land in every notebook's stored stderr, so the
import runs with descriptor 2 pointed at /dev/null.

TensorFlow costs a kernel several hundred MB, so `setup` does not import it: it records
its seed here, and the first `load_keras` (or `setup` itself, when Keras is already
loaded) seeds Keras and TensorFlow with it and turns on TensorFlow's deterministic ops.
NumPy's global stream and Python's `random` are left where `setup` put them.
"""

import contextlib
import os
import random
import sys

import numpy as np

_pending_seed = None  # the seed of the last setup() that Keras has not received yet


@contextlib.contextmanager
def _stderr_silenced():
    """Point file descriptor 2 at /dev/null for the duration of the block."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load_keras():
    """Return the `keras` module (TensorFlow backend), importing it quietly once.

    The first call after `course_lib.setup(seed)` also seeds Keras and TensorFlow
    (`keras.utils.set_random_seed(seed)`) and enables TensorFlow's op determinism.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _stderr_silenced(), _streams_kept():  # importing draws from `random`; seeding reseeds
        import tensorflow  # noqa: F401  (loads the C++ runtime while stderr is silenced)
        import keras

        if _pending_seed is not None:
            _seed_keras(keras, tensorflow)
    return keras


def load_tensorflow():
    """Return the `tensorflow` module, importing it quietly once (and seeded as `load_keras`)."""
    load_keras()
    import tensorflow

    return tensorflow


def keras_loaded():
    """Return True when Keras or TensorFlow is imported in this process (by anyone)."""
    return "keras" in sys.modules or "tensorflow" in sys.modules


def seed_when_loaded(seed):
    """Have Keras and TensorFlow seeded with `seed`: now if either is imported, else on first load.

    Called by `course_lib.setup`, after it seeded `random` and `numpy.random` itself.
    """
    global _pending_seed
    _pending_seed = int(seed)
    if keras_loaded():
        load_keras()


@contextlib.contextmanager
def _streams_kept():
    """Put the states of `random` and `numpy.random` back as they were, after the block.

    Importing TensorFlow and Keras draws from `random`, and keras.utils.set_random_seed
    reseeds both; a notebook may have drawn from them since setup, and its numbers must
    not depend on when Keras was first loaded.
    """
    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


def _seed_keras(keras, tensorflow):
    """Seed Keras and TensorFlow with the pending seed; turn on deterministic ops."""
    global _pending_seed
    seed, _pending_seed = _pending_seed, None
    keras.utils.set_random_seed(seed)
    tensorflow.config.experimental.enable_op_determinism()
