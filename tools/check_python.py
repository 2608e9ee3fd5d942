"""Stop `make` at once when the interpreter is outside pyproject.toml's requires-python.

Usage: python tools/check_python.py [--name NAME]   (run by the interpreter being checked)

Reads requires-python with a regular expression rather than tomllib, so that it runs on any
Python 3, the unsupported ones included (tomllib is 3.11+). Exits 0 when the running interpreter
satisfies the range; otherwise prints which Pythons are supported and how to point make at one,
and exits 1.
"""

import operator
import pathlib
import re
import sys

PYPROJECT = pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml"
COMPARISONS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
               "==": operator.eq, "!=": operator.ne}


def requires_python(text):
    """The requires-python string of a pyproject.toml's text, e.g. '>=3.10,<3.14'."""
    match = re.search(r'^requires-python\s*=\s*"([^"]+)"', text, flags=re.MULTILINE)
    if match is None:
        raise ValueError("pyproject.toml: no requires-python line found")
    return match.group(1)


def satisfies(version, specifier):
    """True when version (a tuple of ints) meets every clause of specifier ('>=3.10,<3.14')."""
    for clause in specifier.split(","):
        match = re.fullmatch(r"\s*(>=|<=|==|!=|<|>)\s*(\d+(?:\.\d+)*)\s*", clause)
        if match is None:
            raise ValueError(f"requires-python: expected clauses like '>=3.10', got {clause!r}")
        bound = tuple(int(part) for part in match.group(2).split("."))
        width = max(len(bound), 3)
        padded = lambda v: tuple(v) + (0,) * (width - len(v))  # 3.14 means 3.14.0
        if not COMPARISONS[match.group(1)](padded(version[:width]), padded(bound)):
            return False
    return True


def supported_minors(specifier):
    """The Python 3 minor versions whose first release meets the specifier, e.g. ['3.10', ...]."""
    return [f"3.{minor}" for minor in range(0, 40) if satisfies((3, minor, 0), specifier)]


def refusal(version, specifier, name):
    """The message shown when the interpreter `name` at `version` is outside the specifier."""
    minors = supported_minors(specifier)
    listed = ", ".join(minors[:-1]) + " or " + minors[-1] if len(minors) > 1 else "".join(minors)
    example = minors[-2] if len(minors) > 1 else minors[0]
    found = ".".join(str(part) for part in version[:3])
    return (
        f"Unsupported Python: {name} is Python {found}.\n"
        f"The course needs Python {specifier}: {listed}, the Pythons TensorFlow\n"
        f"publishes wheels for (the stored outputs are made with 3.11, the lock file's Python).\n"
        f"Install one of them and point make at it, for example:\n"
        f"    make lab PYTHON=python{example}\n"
        f"If .venv was made with an unsupported Python, run `make clean` first."
    )


def main(argv):
    name = argv[argv.index("--name") + 1] if "--name" in argv else sys.executable
    specifier = requires_python(PYPROJECT.read_text())
    if satisfies(tuple(sys.version_info[:3]), specifier):
        return 0
    print(refusal(tuple(sys.version_info[:3]), specifier, name), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
