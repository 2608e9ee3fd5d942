"""Execute notebooks top to bottom and save them in place, the way nbval will check them.

    python tools/run_notebooks.py notebooks/*.ipynb

Each notebook runs in a fresh kernel of this Python environment, with the
notebook's folder as working directory (as under nbval). Cell timing metadata
is not recorded, so a re-run changes a notebook only where its outputs change.
"""

import argparse
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

CELL_TIMEOUT_S = 300


def execute(path, extra_cells=()):
    """Run the notebook at `path` (plus any `extra_cells` at the end) in a fresh kernel.

    Returns (executed notebook, seconds).
    """
    path = pathlib.Path(path)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.extend(extra_cells)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        # The kernel's own log lines (e.g. "Kernel is running over TCP without encryption")
        # go to this terminal, not to the notebook; keep only its errors.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    for path in sorted(args.notebooks):
        notebook, seconds = execute(path)
        nbformat.write(notebook, path)
        print(f"{path.name:<36} {seconds:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
