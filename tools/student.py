"""Build the student version of every notebook with nbgrader: `make student`.

    python tools/student.py                       # every notebook -> build/student/
    python tools/student.py notebooks/14_*.ipynb  # some of them

Each notebook becomes one nbgrader assignment named after it, in the course directory
build/nbgrader (nbgrader_config.py, at the repository's root, configures it):

1. its teaching metadata is brought up to date (tools/teaching.py; a notebook with a malformed
   exercise stops the build) and it is copied to source/<name>/<name>.ipynb;
2. `nbgrader generate_assignment` writes release/<name>/<name>.ipynb: each solution cell's code
   becomes a comment, the hidden tests are removed, the outputs of solution and autograder cells
   are cleared, and every other output (figures, tables) stays;
3. the release is checked (no solution text, no hidden test, no `_solution` name) and copied to
   build/student/, all notebooks side by side so their navigation links work.

The gradebook (build/nbgrader/gradebook.db) then knows every assignment, ready for
`nbgrader autograde` (INSTRUCTORS.md).
"""

import argparse
import contextlib
import importlib.util
import logging
import os
import pathlib
import re
import shutil
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
COURSE_DIR = ROOT / "build" / "nbgrader"
STUDENT_DIR = ROOT / "build" / "student"

_spec = importlib.util.spec_from_file_location("teaching", ROOT / "tools" / "teaching.py")
teaching = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(teaching)

# What a student version must not contain.
LEAKS = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|"
                   r"\b\w+_solution\b")


def nbgrader_config(course_dir=COURSE_DIR):
    """The repository's nbgrader_config.py, with the course directory set to `course_dir`."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(pathlib.Path(course_dir).resolve())
    return config


def nbgrader_api(course_dir=COURSE_DIR):
    """An nbgrader API object on `course_dir`, configured by nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    # nbgrader runs the `alembic` command to create a new gradebook: the one of this environment,
    # which is on PATH only when the environment is activated (`make` does not activate it).
    scripts = str(pathlib.Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    config = nbgrader_config(course_dir)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def leaks(notebook):
    """Return the solution text and hidden tests a student version still holds (a list)."""
    found = []
    for index, cell in enumerate(notebook.cells):
        texts = [cell.source] + ["".join(output.get("text", "")) + str(output.get("data", ""))
                                 for output in cell.get("outputs", [])]
        for text in texts:
            found += [f"cell {index}: {match}" for match in LEAKS.findall(text)]
    return found


def generate(paths, course_dir=COURSE_DIR, student_dir=STUDENT_DIR, log=print):
    """Build the student versions of the notebooks at `paths`; return their paths.

    Raises RuntimeError naming the notebooks that failed (malformed exercises, an nbgrader
    error, or solution text left in the student version).
    """
    course_dir, student_dir = pathlib.Path(course_dir), pathlib.Path(student_dir)
    student_dir.mkdir(parents=True, exist_ok=True)
    api = nbgrader_api(course_dir)
    written, failed = [], []
    for path in sorted(pathlib.Path(p) for p in paths):
        name = path.stem
        notebook = nbformat.read(path, as_version=4)
        problems = teaching.problems(notebook)
        if problems:
            failed.append(f"{path.name}: malformed exercises ({'; '.join(problems)})")
            continue
        source = course_dir / "source" / name / path.name
        if source.parent.exists():
            shutil.rmtree(source.parent)
        source.parent.mkdir(parents=True)
        nbformat.write(teaching.updated(notebook), source)
        with _quiet_nbgrader():
            result = api.generate_assignment(name, force=True, create=True)
        release = course_dir / "release" / name / path.name
        if not result["success"] or not release.exists():
            failed.append(f"{path.name}: nbgrader generate_assignment failed:\n"
                          f"{result.get('error') or result.get('log', '')}")
            continue
        left = leaks(nbformat.read(release, as_version=4))
        if left:
            failed.append(f"{path.name}: the student version still holds {', '.join(left)}")
            continue
        target = student_dir / path.name
        shutil.copyfile(release, target)
        written.append(target)
        log(f"{path.name:<36} student version written")
    if failed:
        raise RuntimeError("student versions failed:\n" + "\n".join(failed))
    return written


@contextlib.contextmanager
def _quiet_nbgrader():
    """nbgrader logs every step at INFO; keep its warnings and errors only."""
    logger = logging.getLogger("traitlets")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="notebooks (default: every notebook in notebooks/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    try:
        written = generate(paths)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(written)} student version(s) in {STUDENT_DIR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
