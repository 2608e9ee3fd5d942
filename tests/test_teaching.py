"""Tests of tools/teaching.py: the nbgrader and slide metadata it writes, and what it refuses.

Synthetic notebooks show each rule; the last tests hold every notebook of the course to them
(metadata up to date, every exercise in the four-cell shape).
"""

import importlib.util
import pathlib
import re
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
spec = importlib.util.spec_from_file_location("teaching", ROOT / "tools" / "teaching.py")
teaching = importlib.util.module_from_spec(spec)
spec.loader.exec_module(teaching)

LEARNER = 'def double(x):\n    return ...  # your code here\n\ncheck("demo.1", double)'
SOLUTION = ('### BEGIN SOLUTION\ndef double_solution(x):\n    return 2 * x\n\n'
            'check("demo.1", double_solution)\n### END SOLUTION')
AUTOGRADER = ('# Autograder: exercise demo.1, 3 points. It runs only when nbgrader grades this '
              'notebook.\n### BEGIN HIDDEN TESTS\nif autograding():\n'
              '    assert by_hand(double)(2) == 4\n### END HIDDEN TESTS')


CHECK_AFTER_THE_REGION = SOLUTION.replace('\ncheck("demo.1", double_solution)\n### END SOLUTION',
                                          '\n### END SOLUTION\ncheck("demo.1", double_solution)')


def code(source, *tags, outputs=()):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell.outputs = list(outputs)
    return cell


def markdown(source, *tags):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})


FIGURE = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                      "text/plain": "<Figure>"})


def notebook(*exercise_cells):
    """A small course notebook: title, navigation, setup, a section, a figure, exercises."""
    cells = [markdown("# Double a number"),
             markdown("[Contents](00_start_here.ipynb)", "navigation"),
             markdown("## What you'll learn\n\n- doubling"),
             code("from course_lib import setup\nrng = setup(seed=0)"),
             markdown("## 1. Doubling"), code("x = 2 * 3\nprint(x)"),
             markdown("What does the curve look like?"), code("plt.plot([1, 2])", outputs=[FIGURE]),
             markdown("That is a line."),
             markdown("## Exercises"), markdown("### Exercise 1: double it\n\nWrite `double(x)`."),
             *exercise_cells,
             markdown("[Contents](00_start_here.ipynb)", "navigation")]
    return nbformat.v4.new_notebook(cells=cells)


def good():
    return notebook(code(LEARNER), code(SOLUTION, "solution"), code(AUTOGRADER, "autograder"))


def test_a_well_formed_exercise_has_no_problems():
    assert teaching.problems(good()) == []


def test_solution_cell_gets_nbgrader_metadata_and_is_collapsed():
    cell = teaching.updated(good()).cells[12]
    assert cell.metadata.nbgrader == {"grade": False, "grade_id": "demo-1-solution",
                                      "locked": False, "schema_version": 3, "solution": True}
    assert cell.metadata.jupyter == {"source_hidden": True, "outputs_hidden": True}


def test_autograder_cell_is_locked_and_worth_its_points():
    cell = teaching.updated(good()).cells[13]
    assert cell.metadata.nbgrader == {"grade": True, "grade_id": "demo-1-tests", "locked": True,
                                      "points": 3, "schema_version": 3, "solution": False}
    assert cell.metadata.editable is False and cell.metadata.deletable is False
    assert cell.metadata.jupyter["source_hidden"] is True


def test_ordinary_cells_lose_stale_nbgrader_metadata():
    nb = good()
    nb.cells[11].metadata["nbgrader"] = {"solution": True}
    assert "nbgrader" not in teaching.updated(nb).cells[11].metadata


def test_slides_follow_the_headings():
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-")
             for c in teaching.updated(good()).cells]
    assert kinds == ["slide", "-", "slide", "skip",           # title, nav, learn, setup
                     "slide", "-", "subslide", "fragment",     # section, code, question, figure
                     "subslide",                               # the reading after the figure
                     "slide", "subslide", "-", "skip", "skip",  # exercises: answers are skipped
                     "-"]


def test_updating_twice_changes_nothing():
    once = teaching.updated(good())
    assert teaching.updated(once) == once


@pytest.mark.parametrize("cells, problem", [
    ([code(LEARNER), code(SOLUTION, "solution")], "expected 3 code cells"),
    ([code(LEARNER), code(AUTOGRADER, "autograder"), code(SOLUTION, "solution")],
     "second cell must be the solution"),
    ([code(LEARNER), code(SOLUTION, "solution"),
      code(AUTOGRADER.replace("3 points.", "3 pts"), "autograder")], "first line"),
    ([code(LEARNER), code(SOLUTION, "solution"),
      code(AUTOGRADER.replace("demo.1,", "demo-1,"), "autograder")], "first line"),
    ([code(LEARNER), code(SOLUTION.replace("double_solution", "double_answer"), "solution"),
      code(AUTOGRADER, "autograder")], "must define double_solution"),
    ([code(LEARNER.replace("double", "double_solution")),
      code(SOLUTION, "solution"), code(AUTOGRADER, "autograder")], "learner names have no"),
    ([code(LEARNER), code(CHECK_AFTER_THE_REGION, "solution"), code(AUTOGRADER, "autograder")],
     "inside the region"),
    ([code(LEARNER), code(SOLUTION, "solution"),
      code(AUTOGRADER.replace("demo.1,", "demo.2,"), "autograder")], "grades exercise demo.2"),
    ([code(LEARNER.replace("demo.1", "demo.2")), code(SOLUTION, "solution"),
      code(AUTOGRADER, "autograder")], "under the header Exercise 1"),
    ([code(LEARNER), code(SOLUTION, "solution"),
      code(AUTOGRADER.replace("### END HIDDEN TESTS", ""), "autograder")], "HIDDEN TESTS"),
])
def test_malformed_exercises_are_reported(cells, problem):
    found = teaching.problems(notebook(*cells))
    assert any(problem in line for line in found), found


def test_markers_quoted_in_prose_are_reported():
    nb = good()
    nb.cells.insert(2, markdown("Solutions sit in `### BEGIN SOLUTION` and `### END SOLUTION`"))
    found = teaching.problems(nb)
    assert any("outside a cell tagged solution" in line for line in found), found


def test_check_mode_fails_on_a_stale_notebook_and_passes_once_written(tmp_path):
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(good(), path)
    assert teaching.main(["--check", str(path)]) == 1
    assert teaching.main([str(path)]) == 0
    assert teaching.main(["--check", str(path)]) == 0
    broken = notebook(code(LEARNER), code(SOLUTION, "solution"))
    nbformat.write(broken, path)
    assert teaching.main([str(path)]) == 1
    assert nbformat.read(path, as_version=4) == broken, "a malformed notebook is left as it was"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_the_four_cell_shape(path):
    assert teaching.problems(nbformat.read(path, as_version=4)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_teaching_metadata_is_up_to_date(path):
    nb = nbformat.read(path, as_version=4)
    assert teaching.updated(nb) == nb, "run `make nav` (tools/teaching.py writes this metadata)"


def test_slides_of_a_notebook_load_nothing_from_the_network_and_skip_the_answers():
    spec = importlib.util.spec_from_file_location("slides", ROOT / "tools" / "slides.py")
    slides = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(slides)
    notebook = teaching.updated(good())
    body, _ = slides.exporter(offline=True).from_notebook_node(notebook)
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert not [url for url in sources if url.startswith(("http:", "https:", "//"))], sources
    assert "vendor/node_modules/reveal.js/dist/reveal.js" in body
    assert "double_solution" not in body and "Autograder" not in body
    assert "Double a number" in body and "Exercise 1: double it" in body


def test_rise_is_installed_and_its_jupyterlab_extension_is_there():
    """The teach extra brings RISE: JupyterLab finds its extension in this environment."""
    from importlib.metadata import version

    assert version("jupyterlab-rise")
    package = pathlib.Path(sys.prefix) / "share/jupyter/labextensions/jupyterlab-rise/package.json"
    assert package.exists(), "jupyterlab-rise's extension is missing from this environment"


def test_answer_names_are_the_placeholders_not_the_data_the_cell_sets_up():
    source = ("x_data, _ = make_data()\nw = np.array([1.0, -2.0])\nb_dead = ...  # your answer\n\n"
              "def f(x):\n    return ...  # your code here\n\ncheck('relu.2', b_dead)\n")
    assert teaching.answer_names(source) == {"b_dead", "f"}
    assert teaching.defined_names(source) == {"x_data", "_", "w", "b_dead", "f"}
