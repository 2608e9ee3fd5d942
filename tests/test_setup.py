"""Tests of course_lib's entry points: setup(), input validation, environment check, contents."""

import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import course_lib
from course_lib import contents, environment
from course_lib._validation import as_float_array, to_bfloat16

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_setup_returns_a_seeded_generator_and_reseeds_numpy():
    a = course_lib.setup(seed=7).normal(size=3)
    legacy_a = np.random.rand()
    b = course_lib.setup(seed=7).normal(size=3)
    legacy_b = np.random.rand()
    np.testing.assert_array_equal(a, b)
    assert legacy_a == legacy_b


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, True])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(TypeError, match="seed: expected a non-negative int"):
        course_lib.setup(seed=seed)


def test_importing_course_lib_loads_no_tensorflow_and_keras_import_is_silent():
    code = ("import sys, course_lib; assert 'tensorflow' not in sys.modules;"
            "from course_lib._keras import load_keras; load_keras(); print('ok')")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "ok"
    assert result.stderr == ""  # no oneDNN / CUDA / absl lines


SEEDING_SCRIPT = """
import json, random, sys
import numpy as np
import course_lib
from course_lib import _keras
report = {}
course_lib.setup(seed=3)
report["tf_after_setup"] = "tensorflow" in sys.modules or "keras" in sys.modules
numpy_first = np.random.rand()
python_first = random.random()
keras = _keras.load_keras()
tf = _keras.load_tensorflow()
report["numpy_stream_kept"] = np.random.rand()
report["python_stream_kept"] = random.random()
from tensorflow.python.framework import config as tf_config  # no public getter
report["op_determinism"] = tf_config.is_op_determinism_enabled()
report["tf_draw"] = float(tf.random.uniform(()))
dense = keras.layers.Dense(2); dense.build((None, 2))
report["dense_kernel"] = dense.kernel.numpy().ravel().tolist()
course_lib.setup(seed=3)  # Keras already loaded: seeded at once, streams as after the first setup
report["numpy_again"] = [np.random.rand(), np.random.rand()]
report["python_again"] = [random.random(), random.random()]
report["tf_again"] = float(tf.random.uniform(()))
dense = keras.layers.Dense(2); dense.build((None, 2))
report["dense_again"] = dense.kernel.numpy().ravel().tolist()
# the reference: what the eager setup did (Keras seeded first, then the streams)
keras.utils.set_random_seed(3); tf.config.experimental.enable_op_determinism(); random.seed(3)
report["tf_reference"] = float(tf.random.uniform(()))
report["firsts"] = [numpy_first, python_first]
print(json.dumps(report))
"""


def test_setup_imports_no_tensorflow_and_seeds_keras_when_it_loads_keeping_the_streams():
    result = subprocess.run([sys.executable, "-c", SEEDING_SCRIPT], capture_output=True,
                            text=True, check=True)
    report = __import__("json").loads(result.stdout.strip().splitlines()[-1])
    assert report["tf_after_setup"] is False  # a notebook without Keras never pays for TensorFlow
    np.random.seed(3)
    import random

    random.seed(3)
    expected_numpy = [np.random.rand(), np.random.rand()]
    expected_python = [random.random(), random.random()]
    # loading Keras (which reseeds random and numpy.random) left both streams where they were
    assert [report["firsts"][0], report["numpy_stream_kept"]] == expected_numpy
    assert [report["firsts"][1], report["python_stream_kept"]] == expected_python
    assert report["op_determinism"] is True
    # TensorFlow's stream is the one the eager setup gave, and setup reseeds a loaded Keras
    assert report["tf_draw"] == report["tf_again"] == report["tf_reference"]
    assert report["dense_kernel"] == report["dense_again"]
    assert report["numpy_again"] == expected_numpy and report["python_again"] == expected_python
    assert result.stderr == ""


@pytest.mark.parametrize(
    "value, dtype",
    [
        ([1, 2], np.float64),
        (np.arange(3), np.float64),
        (True, np.float64),
        (np.float16(1), np.float16),
        (np.zeros(2, np.float32), np.float32),
    ],
)
def test_as_float_array_dtypes(value, dtype):
    assert as_float_array(value).dtype == dtype


def test_as_float_array_copies():
    x = np.ones(3)
    y = as_float_array(x)
    y[0] = 5.0
    assert x[0] == 1.0


@pytest.mark.parametrize(
    "bad, message",
    [
        ("1.0", "got str"),
        (None, "got NoneType"),
        (1 + 2j, "got complex"),
        (np.array([1j]), "complex dtype"),
        ([1, "a"], "got dtype <U"),
        ([[1, 2], [3]], "regular"),
    ],
)
def test_as_float_array_rejects_non_real_input(bad, message):
    with pytest.raises(TypeError, match=message):
        as_float_array(bad)


def test_as_float_array_can_skip_the_copy_of_an_array():
    x = np.ones(3)
    assert as_float_array(x, copy=False) is x
    assert as_float_array([1, 2], copy=False).dtype == np.float64


def test_bfloat16_is_kept_on_request_and_otherwise_refused_with_a_cast_to_float32():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    x = np.array([1.5, -2.0], dtype=ml_dtypes.bfloat16)
    assert as_float_array(x, bfloat16=True).dtype == ml_dtypes.bfloat16
    with pytest.raises(TypeError, match=r"got dtype bfloat16; cast to float32 first"):
        as_float_array(x)
    with pytest.raises(TypeError, match=r"got dtype float8_e4m3fn; cast to float32"):
        as_float_array(np.ones(2, dtype=ml_dtypes.float8_e4m3fn), bfloat16=True)


def test_to_bfloat16_rounds_float64_once():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    tie = 1 + 2.0 ** -8  # halfway between the bfloat16 numbers 1 and 1 + 2^-7
    above = tie + 2.0 ** -30
    y = np.array([above, tie, -above, 1e39, -1e39, np.nan, 1e-45, 2.0 ** -133])
    got = to_bfloat16(y, np.dtype(ml_dtypes.bfloat16)).astype(np.float64)
    # through float32 (what a cast does) tie + 2^-30 becomes the tie, then 1.0 (ties to even)
    assert y[:1].astype(ml_dtypes.bfloat16).astype(np.float64)[0] == 1.0
    up = 1 + 2.0 ** -7
    np.testing.assert_array_equal(got, [up, 1.0, -up, np.inf, -np.inf, np.nan, 0.0, 2.0 ** -133])


def test_environment_reports_versions_and_reads_minimums_from_metadata():
    labels = [label for label, _ in environment.versions()]
    assert labels[:4] == ["Python", "NumPy", "TensorFlow", "Keras"]
    names = {r.name for r in environment.requirements()}
    assert {"numpy", "tensorflow", "keras", "jupyterlab", "ipywidgets", "matplotlib"} <= names
    assert environment.problems() == []


def test_environment_problems_names_a_missing_package(monkeypatch):
    monkeypatch.setattr(
        environment, "installed_version", lambda name: None if name == "numpy" else "999"
    )
    assert any(p.startswith("numpy is not installed") for p in environment.problems())


def test_contents_lists_the_notebooks_in_order_each_with_its_own_number():
    files = [entry[0] for entry in contents.NOTEBOOKS]
    numbers = [int(f[:2]) for f in files]
    assert files[0] == "00_start_here.ipynb" and len(files) >= 13
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", f) for f in files), files
    assert numbers == sorted(set(numbers)), "numbers increase along the table, none repeated"


def test_navigation_links_previous_contents_next():
    line = contents.navigation_markdown("03_tanh.ipynb")
    assert line.startswith("[&larr; 02 Sigmoid](02_sigmoid.ipynb)")
    assert "[Contents](00_start_here.ipynb)" in line and line.endswith("(04_relu.ipynb)")
    with pytest.raises(ValueError, match="not in the course contents"):
        contents.navigation_markdown("99_missing.ipynb")


def test_every_notebook_is_in_the_contents_and_its_navigation_is_current():
    listed = {entry[0] for entry in contents.NOTEBOOKS}
    present = {path.name for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert present <= listed, f"notebooks missing from course_lib/contents.py: {present - listed}"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "navigation.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_quick_mode_from_argument_and_environment(monkeypatch, capsys):
    monkeypatch.delenv(course_lib.QUICK_ENVIRONMENT_VARIABLE, raising=False)
    course_lib.setup(seed=0)
    assert course_lib.quick_mode() is False and capsys.readouterr().out == ""
    monkeypatch.setenv(course_lib.QUICK_ENVIRONMENT_VARIABLE, "1")
    course_lib.setup(seed=0)
    assert course_lib.quick_mode() is True
    assert "Quick mode" in capsys.readouterr().out
    course_lib.setup(seed=0, quick=False)
    assert course_lib.quick_mode() is False
    with pytest.raises(TypeError, match="quick: expected True, False or None, got 'yes'"):
        course_lib.setup(seed=0, quick="yes")
