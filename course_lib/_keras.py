"""Import TensorFlow and Keras without the log lines they print on import.

TensorFlow's C++ runtime writes notices (oneDNN, CUDA, CPU features) straight to
file descriptor 2 before its logging is configured, so TF_CPP_MIN_LOG_LEVEL alone
does not stop them. They would land in every notebook's stored stderr, so the
import runs with descriptor 2 pointed at /dev/null.
"""

import contextlib
import os


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
    """Return the `keras` module (TensorFlow backend), importing it quietly once."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _stderr_silenced():
        import tensorflow  # noqa: F401  (loads the C++ runtime while stderr is silenced)
        import keras
    return keras


def load_tensorflow():
    """Return the `tensorflow` module, importing it quietly once."""
    load_keras()
    import tensorflow

    return tensorflow
