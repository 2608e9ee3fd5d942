"""Write the generated navigation line (previous | contents | next) at the top and bottom of every
notebook.

    python tools/navigation.py            # rewrite in place
    python tools/navigation.py --check    # exit 1 if anything is out of date (used by the tests)

Generated cells are markdown cells tagged "navigation"; the text comes from
course_lib.contents, so a title changes in one place only.
"""

import argparse
import copy
import pathlib
import sys

import nbformat

from course_lib.contents import NOTEBOOKS, navigation_markdown

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parent.parent / "notebooks"


def _tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def _generated_cell(source, tag):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": [tag]})


def updated(notebook, file):
    """Return a copy of `notebook` whose navigation cells are current."""
    notebook = copy.deepcopy(notebook)
    nav = navigation_markdown(file)
    cells = [c for c in notebook.cells if not _tagged(c, "navigation")]
    # top: just after the title cell; bottom: the last cell
    cells.insert(1, _generated_cell(nav, "navigation"))
    cells.append(_generated_cell(nav, "navigation"))
    old_ids = [c.get("id") for c in notebook.cells if _tagged(c, "navigation")]
    for cell, old_id in zip([c for c in cells if _tagged(c, "navigation")], old_ids):
        cell["id"] = old_id  # keep cell ids stable so a re-run makes no diff
    notebook.cells = cells
    return notebook


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="report stale notebooks instead of writing"
    )
    args = parser.parse_args(argv)
    stale = []
    for file, _, _ in NOTEBOOKS:
        path = NOTEBOOK_DIR / file
        if not path.exists():
            continue
        notebook = nbformat.read(path, as_version=4)
        new = updated(notebook, file)
        if new != notebook:
            stale.append(file)
            if not args.check:
                nbformat.write(new, path)
    if args.check and stale:
        print("navigation out of date in: " + ", ".join(stale) + " (run `make nav`)")
        return 1
    print(f"navigation {'checked' if args.check else 'written'}: {len(stale)} notebook(s) "
          f"{'stale' if args.check else 'updated'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
