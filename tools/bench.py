"""Print each notebook's execution time and the kernel's peak memory, and the totals.

    python tools/bench.py notebooks/*.ipynb

Each notebook runs in a fresh kernel, as under nbval; nothing is written back.
Time includes starting the kernel. Peak memory is the kernel's maximum resident
set size (ru_maxrss), read by one extra cell appended for the measurement.
"""

import argparse
import pathlib
import os
import platform
import sys

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from run_notebooks import execute  # noqa: E402  (a sibling script, not a package)

PEAK_MEMORY_CELL = nbformat.v4.new_code_cell(
    "import resource, sys\n"
    "_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(_kib // 1024 if sys.platform != 'darwin' else _kib // 2**20)"  # macOS reports bytes
)
NOTEBOOK_BUDGET_S = 60
COURSE_BUDGET_S = 300


def measure(path):
    """Run one notebook; return (seconds, peak memory in MiB)."""
    notebook, seconds = execute(path, extra_cells=[nbformat.from_dict(PEAK_MEMORY_CELL)])
    peak_mib = int(notebook.cells[-1].outputs[0]["text"])
    return seconds, peak_mib


def machine_description():
    """Return a line naming the CPU, core count and Python version, for quoting the figures."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = pathlib.Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    print(f"machine: {machine_description()}")
    print(f"{'notebook':<36} {'time (s)':>9} {'peak (MiB)':>11}")
    total, over = 0.0, []
    for path in sorted(args.notebooks):
        seconds, peak = measure(path)
        total += seconds
        flag = "  over budget" if seconds > NOTEBOOK_BUDGET_S else ""
        print(f"{path.name:<36} {seconds:9.1f} {peak:11d}{flag}", flush=True)
        if flag:
            over.append(path.name)
    print(f"{'total':<36} {total:9.1f}")
    print(f"budgets: {NOTEBOOK_BUDGET_S} s per notebook, {COURSE_BUDGET_S} s for the course: "
          + ("met" if not over and total <= COURSE_BUDGET_S else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
