"""Shared test set-up: TensorFlow is imported quietly, once, before any test needs it."""

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen
