"""Static checks of every notebook's shape and stored outputs (nbval checks that they reproduce).

These read the .ipynb files; they execute nothing.
"""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_BYTES = 1_500_000
MACHINE_PATH = re.compile(r"(^|[\s\"'(])/(work|root|tmp|home/\w+|Users/\w+)/|site-packages|[A-Z]:\\\\")
TF_NOISE = re.compile(r"I0000 |W0000 |E0000 |oneDNN custom operations|absl::InitializeLog|cuda_|Unable to register")


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_skeleton(path):
    nb = cells(path)
    assert nb[0]["cell_type"] == "markdown" and source(nb[0]).startswith("# "), "first cell: the title"
    assert "navigation" in tags(nb[1]) and "navigation" in tags(nb[-1]), "navigation at top and bottom"
    code = [c for c in nb if c["cell_type"] == "code"]
    assert "setup(seed=" in source(code[0]), "the first code cell calls course_lib's setup"
    text = "\n".join(source(c) for c in nb if c["cell_type"] == "markdown")
    assert "## What you'll learn" in text and "## Summary" in text
    assert "sys.path" not in "\n".join(source(c) for c in code), "import course_lib as an installed package"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_clean_and_executed_in_order(path):
    code = [c for c in cells(path) if c["cell_type"] == "code" and source(c).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "run top to bottom in one fresh kernel (make notebooks)"
    for i, cell in enumerate(code):
        for output in cell["outputs"]:
            text = json.dumps(output)
            assert output["output_type"] != "error", f"code cell {i} stores an error"
            assert not MACHINE_PATH.search(text), f"code cell {i} shows a machine path"
            if output.get("name") == "stderr":
                assert not TF_NOISE.search(text), f"code cell {i} shows TensorFlow log noise"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_are_hidden_marked_and_checked(path):
    for cell in cells(path):
        if "solution" in tags(cell):
            text = source(cell)
            assert cell["metadata"].get("jupyter", {}).get("source_hidden"), "solution cells start hidden"
            assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text
            assert "check(" in text.split("### BEGIN SOLUTION")[1], "each solution proves itself with its check"
            outputs = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert "[ok]" in outputs and "[x]" not in outputs, "the stored solution passes its check"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_small_enough_to_read_on_the_web(path):
    assert path.stat().st_size < MAX_BYTES
