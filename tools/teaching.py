"""Write the teaching metadata of every notebook from its cells: nbgrader's, and the slides'.

    python tools/teaching.py            # rewrite the metadata in place (`make nav` runs it)
    python tools/teaching.py --check    # exit 1 if a notebook is stale or an exercise is malformed

Nobody writes this metadata by hand: it follows from the cells' tags and text.

nbgrader (what `make student` and `nbgrader autograde` read):
- a cell tagged `solution` (the hidden worked answer) becomes an autograded-answer cell,
  {solution: true, grade: false, locked: false, grade_id: "<topic>-<n>-solution"}, collapsed;
- a cell tagged `autograder`, whose first line reads
  `# Autograder: exercise <topic>.<n>, <P> point(s). ...`, becomes a locked autograder-tests
  cell worth P points, {grade: true, locked: true, solution: false, grade_id: "<topic>-<n>-tests"},
  neither editable nor deletable, its source collapsed;
- any other cell loses nbgrader metadata it may carry.

Slides (`slideshow.slide_type`, read by RISE in JupyterLab and by `make slides`):
- the title and each `## ` section start a slide; each `### ` heading starts a subslide, and so
  does a prose cell that follows code (the next idea of the section);
- a figure or widget comes in as a fragment after the question above it;
- the setup cell, the hidden solutions and the autograder cells are skipped;
- every other cell continues the slide ("-"; the navigation cells, written by
  tools/navigation.py, carry no slide metadata, which means the same).

The checks (`--check`, and tests/test_teaching.py): each `### Exercise N` header is followed by
exactly the learner cell (stubs and `check("<topic>.<n>", ...)`), the solution cell (everything
between `### BEGIN SOLUTION` and `### END SOLUTION`, defining `X_solution` for every name X the
learner cell defines) and the autograder cell (its first line as above, its tests between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`); nbgrader's markers appear nowhere else.
"""

import argparse
import ast
import copy
import pathlib
import re
import sys

import nbformat

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parent.parent / "notebooks"

SCHEMA_VERSION = 3
EXERCISE_HEADER = re.compile(r"^### Exercise (\d+)\b")
AUTOGRADER_LINE = re.compile(
    r"^# Autograder: exercise (?P<topic>[a-z][a-z0-9_]*)\.(?P<n>\d+), "
    r"(?P<points>[1-9]\d*) points?\. \S")
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](?P<topic>[a-z][a-z0-9_]*)\.(?P<n>\d+)["']""")
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_TESTS, END_TESTS = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_TESTS, END_TESTS)


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_solution(cell):
    return cell.cell_type == "code" and "solution" in tags(cell)


def is_autograder(cell):
    return cell.cell_type == "code" and "autograder" in tags(cell)


def autograder_header(cell):
    """Return the match of the autograder cell's first line, or None when it is malformed."""
    first_line = cell.source.split("\n", 1)[0]
    return AUTOGRADER_LINE.match(first_line)


# ----------------------------------------------------------------------------------------------
# nbgrader metadata


def nbgrader_metadata(cell):
    """Return the nbgrader metadata `cell` should carry (None for an ordinary cell).

    Raises ValueError for an autograder cell whose first line is malformed.
    """
    if is_solution(cell):
        topic, n = _solution_exercise(cell)
        return {"grade": False, "grade_id": f"{topic}-{n}-solution", "locked": False,
                "schema_version": SCHEMA_VERSION, "solution": True}
    if is_autograder(cell):
        header = autograder_header(cell)
        if header is None:
            raise ValueError(f"autograder cell's first line is not '# Autograder: exercise "
                             f"<topic>.<n>, <P> point(s). ...': {cell.source.splitlines()[0]!r}")
        return {"grade": True, "grade_id": f"{header['topic']}-{header['n']}-tests",
                "locked": True, "points": int(header["points"]),
                "schema_version": SCHEMA_VERSION, "solution": False}
    return None


def _solution_exercise(cell):
    """The (topic, n) of a solution cell, read from its check("<topic>.<n>", ...) call."""
    found = CHECK_CALL.search(cell.source)
    if found is None:
        raise ValueError("a solution cell must call check(\"<topic>.<n>\", ...) inside its "
                         f"solution region: {cell.source[:80]!r}")
    return found["topic"], found["n"]


# ----------------------------------------------------------------------------------------------
# slide metadata


def slide_types(notebook):
    """Return the slide type of each cell of `notebook`, in order."""
    types = []
    setup_seen = False
    previous = None
    for cell in notebook.cells:
        text = cell.source.lstrip()
        if cell.cell_type == "markdown":
            if text.startswith("# ") or text.startswith("## "):
                kind = "slide"
            elif text.startswith("### "):
                kind = "subslide"
            elif "navigation" in tags(cell):
                kind = "-"
            elif previous is not None and previous.cell_type == "code":
                kind = "subslide"
            else:
                kind = "-"
        elif is_solution(cell) or is_autograder(cell):
            kind = "skip"
        elif not setup_seen and "setup(" in cell.source:
            setup_seen = True
            kind = "skip"
        elif _shows_a_picture(cell) and previous is not None and previous.cell_type == "markdown":
            kind = "fragment"
        else:
            kind = "-"
        types.append(kind)
        if kind != "skip":
            previous = cell
    return types


def _shows_a_picture(cell):
    """True when a code cell's stored outputs hold a figure or a widget."""
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data or "image/svg+xml" in data or \
                "application/vnd.jupyter.widget-view+json" in data:
            return True
    return False


# ----------------------------------------------------------------------------------------------
# the whole notebook


def updated(notebook):
    """Return a copy of `notebook` whose nbgrader and slide metadata follow from its cells."""
    notebook = copy.deepcopy(notebook)
    for cell, kind in zip(notebook.cells, slide_types(notebook)):
        metadata = cell.metadata
        grading = nbgrader_metadata(cell)
        if grading is None:
            metadata.pop("nbgrader", None)
        else:
            metadata["nbgrader"] = grading
            jupyter = metadata.setdefault("jupyter", {})
            jupyter["source_hidden"] = True
            if is_solution(cell):
                jupyter["outputs_hidden"] = True
            else:
                metadata["editable"] = False
                metadata["deletable"] = False
        if "navigation" in tags(cell):
            # tools/navigation.py owns these cells and writes them afresh; with no slide type
            # they continue the slide (the default "-"), as the title's or the last exercise's
            metadata.pop("slideshow", None)
        else:
            metadata["slideshow"] = {"slide_type": kind}
    return notebook


def problems(notebook):
    """Return what is wrong with the exercises of `notebook` (a list of sentences; [] if none)."""
    found = []
    cells = notebook.cells
    for index, cell in enumerate(cells):
        found += [f"cell {index}: {problem}" for problem in _marker_problems(cell)]
        if is_autograder(cell) and autograder_header(cell) is None:
            first = cell.source.split("\n", 1)[0]
            found.append(f"cell {index}: autograder's first line {first!r} is not "
                         "'# Autograder: exercise <topic>.<n>, <P> point(s). ...'")
    for index, cell in enumerate(cells):
        header = EXERCISE_HEADER.match(cell.source) if cell.cell_type == "markdown" else None
        if header is not None:
            found += [f"Exercise {header[1]}: {problem}"
                      for problem in _exercise_problems(cells, index, int(header[1]))]
    exercise_cells = {id(c) for i, c in enumerate(cells)
                      if (is_solution(c) or is_autograder(c))}
    claimed = set()
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and EXERCISE_HEADER.match(cell.source):
            claimed |= {id(c) for c in _following_code(cells, index)[:3]}
    for index, cell in enumerate(cells):
        if id(cell) in exercise_cells - claimed:
            found.append(f"cell {index}: a solution/autograder cell outside an exercise "
                         "(the order is: header, learner cell, solution cell, autograder cell)")
    return found


def _marker_problems(cell):
    """nbgrader's markers belong to solution cells (solution ones) and autograder cells (tests)."""
    text = cell.source
    problems_ = []
    for marker in MARKERS:
        count = text.count(marker)
        allowed = ((marker in (BEGIN_SOLUTION, END_SOLUTION) and is_solution(cell)) or
                   (marker in (BEGIN_TESTS, END_TESTS) and is_autograder(cell)))
        if count and not allowed:
            problems_.append(f"{marker!r} outside a cell tagged "
                             f"{'solution' if 'SOLUTION' in marker else 'autograder'} "
                             "(nbgrader would cut it out; quote it differently)")
        elif allowed and count != 1:
            problems_.append(f"{marker!r} appears {count} times; once expected")
    return problems_


def _following_code(cells, index):
    """The code cells after the markdown cell at `index`, up to the next markdown cell."""
    following = []
    for cell in cells[index + 1:]:
        if cell.cell_type != "code":
            break
        following.append(cell)
    return following


def _exercise_problems(cells, index, number):
    """The problems of the exercise whose header is the markdown cell at `index`."""
    code = _following_code(cells, index)
    if len(code) != 3:
        return [f"expected 3 code cells after its header (learner, solution, autograder), "
                f"found {len(code)}"]
    learner, solution, grader = code
    found = []
    if is_solution(learner) or is_autograder(learner):
        found.append("the first cell after the header must be the learner's (untagged)")
    if not is_solution(solution):
        found.append("the second cell must be the solution, tagged 'solution'")
    if not is_autograder(grader):
        found.append("the third cell must be the autograder, tagged 'autograder'")
    if found:
        return found
    check_call = CHECK_CALL.search(learner.source)
    if check_call is None:
        return ['the learner cell must end with check("<topic>.<n>", ...)']
    exercise_id = f"{check_call['topic']}.{check_call['n']}"
    if int(check_call["n"]) != number:
        found.append(f"the learner cell checks {exercise_id}, under the header Exercise {number}")
    found += _solution_problems(learner, solution, exercise_id)
    header = autograder_header(grader)
    if header is not None and f"{header['topic']}.{header['n']}" != exercise_id:
        found.append(f"the autograder grades exercise {header['topic']}.{header['n']}, "
                     f"the learner cell checks {exercise_id}")
    if BEGIN_TESTS not in grader.source or END_TESTS not in grader.source:
        found.append("the autograder's tests must sit between ### BEGIN HIDDEN TESTS and "
                     "### END HIDDEN TESTS")
    return found


def _solution_problems(learner, solution, exercise_id):
    """The solution cell: all inside the region, its check, and X_solution for each X."""
    text = solution.source
    if BEGIN_SOLUTION not in text or END_SOLUTION not in text:
        return ["the solution must sit between ### BEGIN SOLUTION and ### END SOLUTION"]
    before, rest = text.split(BEGIN_SOLUTION, 1)
    inside, after = rest.split(END_SOLUTION, 1)
    found = []
    if before.strip() or after.strip():
        found.append("everything in the solution cell (the check too) goes inside the region")
    if not re.search(r"""\bcheck\(\s*["']""" + re.escape(exercise_id) + r"""["']""", inside):
        found.append(f'the solution must prove itself with check("{exercise_id}", ...)')
    learner_names = answer_names(learner.source)
    solution_names = defined_names(inside)
    if not learner_names:
        found.append("the learner cell defines no name for the check")
    for name in sorted(learner_names):
        if name.endswith("_solution"):
            found.append(f"the learner cell defines {name}: learner names have no _solution")
        elif f"{name}_solution" not in solution_names:
            found.append(f"the learner cell defines {name}; the solution must define "
                         f"{name}_solution")
    return found


def defined_names(source):
    """The names a cell binds at top level (def, class, assignments), as a set."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def answer_names(source):
    """The names the learner must fill in: those `defined_names` binds to something holding the
    `...` placeholder (a stub function, `x = ...`). Data the cell sets up for the check (say,
    `w = np.array(...)`) is not an answer and needs no X_solution."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if not any(isinstance(n, ast.Constant) and n.value is Ellipsis for n in ast.walk(node)):
            continue
        names |= defined_names(ast.unparse(node))
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report stale or malformed notebooks instead of writing")
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="notebooks (default: every notebook in notebooks/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    stale, broken = [], []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        found = problems(notebook)
        if found:
            broken.append(path.name)
            print(f"{path.name}:\n  " + "\n  ".join(found), file=sys.stderr)
            continue
        new = updated(notebook)
        if new != notebook:
            stale.append(path.name)
            if not args.check:
                nbformat.write(new, path)
    if args.check and stale:
        print("teaching metadata out of date in: " + ", ".join(stale) + " (run `make nav`)",
              file=sys.stderr)
    done = "checked" if args.check else "written"
    print(f"teaching metadata {done}: {len(stale)} notebook(s) "
          f"{'stale' if args.check else 'updated'}, {len(broken)} with malformed exercises")
    return 1 if broken or (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
