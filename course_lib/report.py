"""Small tables for notebooks: Markdown for the reader, aligned plain text for nbval and the
terminal.

A notebook shows a table by ending a cell with ``markdown_table(rows)``. JupyterLab
renders the Markdown; the stored ``text/plain`` form (what nbval compares) is an
aligned text table built from the same strings, so both are deterministic.
"""

import numbers
import warnings

import numpy as np
from IPython.display import Markdown

MISSING = "-"


def format_cell(value, floatfmt=".3g"):
    """Return `value` as table text: floats with `floatfmt`, bools as yes/no, None as "-"."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return format(float(value), floatfmt)
    return str(value)


class Table(Markdown):
    """A Markdown table whose plain-text form is the same table, aligned (not an object address)."""

    def __init__(self, columns, cells):
        self.columns, self.cells = list(columns), [list(row) for row in cells]
        lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        lines += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in self.cells
        ]
        super().__init__("\n".join(lines))

    def __repr__(self):
        widths = [max(len(text) for text in column) for column in zip(self.columns, *self.cells)]
        rows = [self.columns] + self.cells
        lines = [
            "  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))


def markdown_table(rows, columns=None, floatfmt=".3g"):
    """Return a `Table` (rendered as Markdown, printed as aligned text) of `rows`.

    `rows` is a list of dicts (columns default to the first row's keys) or of
    sequences (then `columns` is required). Floats are written with `floatfmt`
    (a format spec such as ".3g" or ".2f"), bools as yes/no and None as "-".
    """
    rows = list(rows)
    if columns is None:
        if not rows or not isinstance(rows[0], dict):
            raise ValueError("columns: required unless rows is a non-empty list of dicts")
        columns = list(rows[0])
    columns = [str(column) for column in columns]
    cells = []
    for i, row in enumerate(rows):
        values = [row.get(column) for column in columns] if isinstance(row, dict) else list(row)
        if len(values) != len(columns):
            raise ValueError(f"rows[{i}]: expected {len(columns)} values ({', '.join(columns)}), "
                             f"got {len(values)}")
        cells.append([format_cell(value, floatfmt) for value in values])
    return Table(columns, cells)


def properties_table(names):
    """Return the properties table of notebooks 02-08 for the course activations `names`.

    Columns: range, takes both signs?, mean f(z) for z ~ N(0, 1), monotonic?, saturates where?,
    max f' (from the registry, at its default parameters). The cost relative to ReLU is
    measured separately (course_lib.timing), because it depends on the machine.
    """
    from course_lib import activations

    rows = []
    for name in names:
        entry = activations.get(name)
        rows.append({
            "activation": entry.name,
            "range": f"${entry.output_range}$",
            "takes both signs?": entry.properties.takes_both_signs,
            "mean f(z), z ~ N(0, 1)": activations.mean_output(entry),
            "monotonic?": entry.properties.monotonic,
            "saturates where?": entry.properties.saturates,
            "max f'": entry.derivative_max,
        })
    return markdown_table(rows, floatfmt=".4g")


def run_recording_warnings(function, *args, **kwargs):
    """Return (function(*args, **kwargs), the sorted distinct messages of the warnings it raised).

    For showing a naive formula failing: the messages print the same on every machine, where
    the raw warning on stderr would carry a file path and a line number.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, sorted({str(warning.message) for warning in caught})


def order_of_magnitude(value):
    """Return a small error as the power of ten just above it ("< 1e-10"), a larger one (>= 0.01)
    with two decimals, and exactly 0 as "0".

    For stored outputs that must not depend on the last bits a particular CPU rounds: an error of
    3.2e-11 on one machine may be 2.9e-11 on another, but both print "< 1e-10" (the bound is
    strict: 1e-10 itself prints "< 1e-09"). Raises ValueError for a negative or non-finite value.
    """
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"expected a finite error >= 0, got {value!r}")
    if value == 0:
        return "0"
    if value >= 0.01:
        return f"{value:.2f}"
    return f"< 1e{int(np.floor(np.log10(value))) + 1:+03d}"
