"""Tests of tools/check_python.py and of the Makefile's refusal of an unsupported Python."""

import importlib.util
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_python", ROOT / "tools" / "check_python.py")
check_python = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_python)


def test_requires_python_is_read_from_pyproject():
    text = '[project]\nrequires-python = ">=3.10,<3.14"\n'
    assert check_python.requires_python(text) == ">=3.10,<3.14"
    with pytest.raises(ValueError, match="no requires-python"):
        check_python.requires_python("[project]\nname = 'x'\n")


@pytest.mark.parametrize("version, expected", [
    ((3, 9, 18), False), ((3, 10, 0), True), ((3, 11, 7), True), ((3, 13, 9), True),
    ((3, 14, 0), False),
])
def test_satisfies_the_range_tensorflow_supports(version, expected):
    assert check_python.satisfies(version, ">=3.10,<3.14") is expected


def test_satisfies_rejects_a_clause_it_cannot_read():
    with pytest.raises(ValueError, match="expected clauses like '>=3.10', got '~=3.10'"):
        check_python.satisfies((3, 11, 0), "~=3.10")


def test_refusal_names_the_supported_versions_and_the_make_variable():
    message = check_python.refusal((3, 14, 0), ">=3.10,<3.14", "python3")
    assert "python3 is Python 3.14.0" in message
    assert "3.10, 3.11, 3.12 or 3.13" in message
    assert "make lab PYTHON=python3.12" in message


def test_pyproject_range_is_the_one_the_makefile_and_readme_promise():
    specifier = check_python.requires_python((ROOT / "pyproject.toml").read_text())
    assert check_python.supported_minors(specifier) == ["3.10", "3.11", "3.12", "3.13"]


def _fake_python(directory, version):
    """An executable that runs the real interpreter but reports `version` in sys.version_info."""
    path = directory / f"python{version[0]}.{version[1]}"
    pretend = (f"import runpy, sys; sys.version_info = {tuple(version) + ('final', 0)!r}; "
               "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
    path.write_text(f"#!/bin/sh\nexec {sys.executable} -c \"{pretend}\" \"$@\"\n")
    path.chmod(0o755)
    return path


def _make(directory, *arguments):
    return subprocess.run(["make", *arguments], cwd=directory, capture_output=True, text=True,
                          env={**os.environ, "MAKEFLAGS": ""}, timeout=60)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["lab", "test", "test-min"])
def test_make_stops_at_once_on_python_3_14_with_the_message(tmp_path, target):
    for name in ["Makefile", "pyproject.toml", "requirements.txt", "requirements.lock"]:
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "check_python.py", tmp_path / "tools")
    fake = _fake_python(tmp_path, (3, 14, 0))
    run = _make(tmp_path, target, f"PYTHON={fake}")
    assert run.returncode != 0
    assert "is Python 3.14.0" in run.stderr and "3.10, 3.11, 3.12 or 3.13" in run.stderr
    assert "make lab PYTHON=python3.12" in run.stderr
    assert not any(tmp_path.glob(".venv*")), "nothing is installed before the check"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_names_a_missing_interpreter(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ["pyproject.toml", "requirements.txt", "requirements.lock"]:
        shutil.copy(ROOT / name, tmp_path / name)
    run = _make(tmp_path, "lab", "PYTHON=python3.99")
    assert run.returncode != 0 and "no Python called 'python3.99'" in run.stderr
