"""The environment check of notebook 00: which versions are installed, and are they recent enough?

The minimum versions are read from course_lib's own package metadata (pyproject.toml),
so they are written in one place only.
"""

import importlib.metadata
import platform

from packaging.requirements import Requirement
from packaging.version import Version

# What the report lists, in this order: (label, distribution name on PyPI)
REPORTED = (
    ("Python", None),
    ("NumPy", "numpy"),
    ("TensorFlow", "tensorflow"),
    ("Keras", "keras"),
    ("JupyterLab", "jupyterlab"),
    ("ipywidgets", "ipywidgets"),
    ("jupyterlab_widgets", "jupyterlab_widgets"),
    ("Matplotlib", "matplotlib"),
    ("SymPy", "sympy"),
)
COURSE_DISTRIBUTION = "course-lib"


def installed_version(distribution):
    """Return the installed version string of `distribution`, or None when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions():
    """Return [(label, version or None)] for Python and the packages the course relies on."""
    return [(label, platform.python_version() if dist is None else installed_version(dist))
            for label, dist in REPORTED]


def requirements(extras=("lab",)):
    """Return course_lib's requirements (with those of `extras`) as packaging Requirement
    objects."""
    found = []
    for line in importlib.metadata.requires(COURSE_DISTRIBUTION) or []:
        requirement = Requirement(line)
        if requirement.marker is None or any(
            requirement.marker.evaluate({"extra": e}) for e in extras
        ):
            found.append(requirement)
    return found


def problems(extras=("lab",)):
    """Return a list of readable problems: packages missing or older than the course needs (empty =
    fine)."""
    found = []
    for requirement in requirements(extras):
        version = installed_version(requirement.name)
        if version is None:
            found.append(f"{requirement.name} is not installed (the course needs {requirement})")
        elif not requirement.specifier.contains(Version(version), prereleases=True):
            found.append(f"{requirement.name} {version} is installed, the course needs "
                         f"{requirement}")
    return found
