"""requirements.lock agrees with pyproject.toml: every declared dependency is pinned, in range.

Without this, a dependency added to pyproject.toml but not to the lock would be installed by
`pip install -r requirements.txt` (through `-e .`) at whatever version is newest that day.
"""

import pathlib
import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")  # Python 3.11+, the lock's Python

ROOT = pathlib.Path(__file__).resolve().parent.parent


def locked_versions():
    """{canonical name: version} of the lock's pins (environment markers dropped)."""
    text = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", text, flags=re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def locked_extras():
    """The extras the Makefile's `make lock` resolves (LOCK_EXTRAS)."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(r"^LOCK_EXTRAS\s*:=\s*(.*)$", text, flags=re.MULTILINE)
    return match.group(1).split()


def declared_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"]] + [
        Requirement(r) for extra in locked_extras() for r in extras[extra]]


@pytest.mark.parametrize("requirement", declared_requirements(), ids=str)
def test_every_declared_dependency_is_pinned_within_its_range(requirement):
    pins = locked_versions()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement}: in pyproject.toml, not in requirements.lock (make lock)"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"requirements.lock pins {name}=={pins[name]}, outside pyproject.toml's {requirement}")

