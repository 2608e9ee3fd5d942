"""Shared test set-up: TensorFlow is imported quietly, once, before any test needs it."""

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen

from hypothesis import settings  # noqa: E402

# Property tests draw the same examples on every run, so a red CI is a bug, not bad luck;
# `pytest --hypothesis-seed=random`-style exploration stays a local choice.
settings.register_profile("course", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("course")
