"""Tests of `make student` (tools/student.py, nbgrader_config.py) and of autograding with nbgrader.

Every notebook gets a student version: the prose, the figures and the learner cells as in the
course, no solution text, no hidden test. Notebook 14 (the cheapest to execute) is then taken
further: its student version runs top to bottom with every check saying "not attempted", and
`nbgrader autograde` gives full marks to a solved copy, zero to the untouched copy, and zero on
each exercise whose answer only calls the course_lib function the exercise asks for.
"""

import importlib.util
import os
import pathlib

import nbformat
import pytest

pytest.importorskip("nbgrader", reason="the teach extra is not installed")

# nbgrader 0.9 adds a submission during SQLAlchemy's autoflush, which SQLAlchemy 2 reports with
# an SAWarning (a RuntimeWarning, which pyproject.toml turns into an error); the grades are
# stored all the same, as the tests below read them back.
pytestmark = pytest.mark.filterwarnings("ignore:Object of type .* not in session:RuntimeWarning")

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GRADED = "14_softmax_stability"

spec = importlib.util.spec_from_file_location("student", ROOT / "tools" / "student.py")
student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student)
teaching = student.teaching


def is_answer_cell(cell):
    tags = cell.metadata.get("tags", [])
    return "solution" in tags or "autograder" in tags


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory of its own, so the tests never touch build/."""
    return tmp_path_factory.mktemp("course")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_version_keeps_the_course_and_drops_the_answers(path, course):
    [written] = student.generate([path], course_dir=course, student_dir=course / "student",
                                 log=lambda line: None)
    source, release = nbformat.read(path, as_version=4), nbformat.read(written, as_version=4)
    assert student.leaks(release) == []
    assert len(release.cells) == len(source.cells)
    for original, copy in zip(source.cells, release.cells):
        if is_answer_cell(original):
            assert copy.get("outputs") == [], "solution and autograder outputs are cleared"
            assert "BEGIN" not in copy.source and "assert" not in copy.source
        else:
            assert copy.source == original.source, "prose and learner cells as in the course"
            assert copy.get("outputs") == original.get("outputs"), "figures and tables are kept"


@pytest.fixture(scope="module")
def graded(course):
    """Notebook 14's student version, and nbgrader's API on its course directory."""
    path = ROOT / "notebooks" / f"{GRADED}.ipynb"
    [written] = student.generate([path], course_dir=course, student_dir=course / "student",
                                 log=lambda line: None)
    return nbformat.read(written, as_version=4), nbformat.read(path, as_version=4)


def test_student_version_runs_and_every_check_is_not_attempted(graded, monkeypatch):
    from nbclient import NotebookClient

    release, _ = graded
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    NotebookClient(release, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    verdicts = ["".join(output.get("text", "")) for cell in release.cells
                if cell.cell_type == "code" and 'check("' in cell.source
                for output in cell.outputs]
    assert len([v for v in verdicts if "not attempted" in v]) == 6
    assert not any("[ok]" in v or "[x]" in v for v in verdicts), verdicts


def answered(release, source, answer_of):
    """A copy of `release` whose learner cells hold answer_of(solution_source, names)."""
    notebook = nbformat.from_dict(release)
    for index, cell in enumerate(source.cells):
        if "solution" in cell.metadata.get("tags", []):
            learner = notebook.cells[index - 1]
            names = sorted(teaching.answer_names(learner.source))
            learner.source = answer_of(cell.source, names)
    return notebook


def solved(solution, names):
    """The solution's code, then X = X_solution: what a learner who solved it would have."""
    body = solution.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
    return body + "\n" + "\n".join(f"{name} = {name}_solution" for name in names)


# Answers that only call course_lib's own function (exercise 4 asks for a number: solved).
CALLS_COURSE_LIB = {
    "softmax_rows": "def softmax_rows(z):\n    return softmax(z, axis=1)",
    "logsumexp_1d": "def logsumexp_1d(z):\n    return logsumexp(z)",
    "ce_gradient": "def ce_gradient(z, y):\n    return cross_entropy_from_logits_grad(z, y)",
    "online_step": ("def online_step(m, l, block):\n"
                    "    steps = online_softmax_steps(block, block_size=block.size)\n"
                    "    new_m = max(m, steps.running_max[-1])\n"
                    "    return new_m, (l * np.exp(m - new_m)\n"
                    "                   + steps.running_sum[-1]"
                    " * np.exp(steps.running_max[-1] - new_m))"),
    "masked_softmax": "def masked_softmax(z, mask):\n    return softmax(z, where=mask)",
}


def test_the_answers_that_call_course_lib_would_be_right():
    """So that their zero comes from by_hand, not from a wrong answer."""
    import numpy as np
    from course_lib.softmax import (cross_entropy_from_logits_grad, logsumexp,
                                    online_softmax_steps, softmax)

    namespace = {"np": np, "softmax": softmax, "logsumexp": logsumexp,
                 "cross_entropy_from_logits_grad": cross_entropy_from_logits_grad,
                 "online_softmax_steps": online_softmax_steps}
    for answer in CALLS_COURSE_LIB.values():
        exec(answer, namespace)
    z = np.array([[1000.0, 999.0, 0.0], [2.0, 1.0, 0.1]])
    np.testing.assert_allclose(namespace["softmax_rows"](z).sum(axis=1), 1.0)
    assert np.isclose(namespace["logsumexp_1d"](z[0]), 1000 + np.log1p(np.exp(-1.0)))
    gradient = namespace["ce_gradient"](z[1], 0)
    assert np.isclose(gradient.sum(), 0.0) and gradient[0] < 0
    new_m, new_l = namespace["online_step"](3.0, 1.5, np.array([1.0, 5.0, 2.0]))
    assert new_m == 5.0 and np.isclose(new_l, 1.5 * np.exp(-2) + np.exp(-4) + 1 + np.exp(-3))
    p = namespace["masked_softmax"](z[1], np.array([True, False, True]))
    assert p[1] == 0 and np.isclose(p.sum(), 1.0)


def calls_course_lib(solution, names):
    if names == ["T_half"]:
        return solved(solution, names)
    return "\n".join(CALLS_COURSE_LIB[name] for name in names)


@pytest.fixture(scope="module")
def scores(graded, course):
    """Autograde three submissions of notebook 14; return {student: {grade_id: (score, max)}}."""
    from nbgrader.api import Gradebook

    release, source = graded
    submissions = {"solved": answered(release, source, solved), "untouched": release,
                   "calls-course-lib": answered(release, source, calls_course_lib)}
    api = student.nbgrader_api(course)
    old = os.environ.pop("NBGRADER_EXECUTION", None)
    try:
        for student_id, notebook in submissions.items():
            path = course / "submitted" / student_id / GRADED / f"{GRADED}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, path)
            result = api.autograde(GRADED, student_id, force=True, create=True)
            assert result["success"], result.get("log", "") + str(result.get("error"))
    finally:
        if old is not None:
            os.environ["NBGRADER_EXECUTION"] = old
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        return {student_id: {grade.name: (grade.score, grade.max_score) for grade in
                             gradebook.find_submission_notebook(GRADED, GRADED, student_id).grades}
                for student_id in submissions}


def test_autograder_gives_full_marks_to_the_solutions(scores):
    grades = scores["solved"]
    assert len(grades) == 6 and sum(maximum for _, maximum in grades.values()) == 11
    assert all(score == maximum for score, maximum in grades.values()), grades


def test_autograder_gives_zero_to_the_untouched_notebook(scores):
    assert all(score == 0 for score, _ in scores["untouched"].values()), scores["untouched"]


def test_autograder_gives_zero_to_answers_that_only_call_course_lib(scores):
    grades = scores["calls-course-lib"]
    assert grades.pop("softmax-4-tests") == (1, 1), "the one honest answer still scores"
    assert all(score == 0 for score, _ in grades.values()), grades
