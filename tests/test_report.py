"""Tests of course_lib.report."""

import pytest
from IPython.core.formatters import PlainTextFormatter
from IPython.display import Markdown

from course_lib import report


def test_markdown_table_from_dicts_renders_markdown_and_aligned_text():
    table = report.markdown_table(
        [{"name": "relu", "cost": 1.0}, {"name": "sigmoid", "cost": 2.345}]
    )
    assert isinstance(table, Markdown)
    assert table.data.splitlines() == [
        "| name | cost |",
        "|---|---|",
        "| relu | 1 |",
        "| sigmoid | 2.35 |",
    ]
    assert repr(table).splitlines() == [
        "name     cost",
        "-------  ----",
        "relu     1",
        "sigmoid  2.35",
    ]


def test_the_plain_text_nbval_compares_is_the_table_not_an_address():
    table = report.markdown_table([("a", 1)], columns=["x", "y"])
    assert PlainTextFormatter()(table) == repr(table)
    assert "object at 0x" not in PlainTextFormatter()(table)


def test_markdown_table_formats_floats_bools_none_and_pipes():
    table = report.markdown_table(
        [(0.123456, True, None, "a|b", 3)], columns="abcde", floatfmt=".2f"
    )
    assert table.cells == [["0.12", "yes", "-", "a|b", "3"]]
    assert r"a\|b" in table.data


def test_markdown_table_rejects_missing_columns_and_ragged_rows():
    with pytest.raises(ValueError, match="columns: required"):
        report.markdown_table([(1, 2)])
    with pytest.raises(ValueError, match=r"rows\[1\]: expected 2 values"):
        report.markdown_table([(1, 2), (3,)], columns=["a", "b"])


def test_properties_table_reads_the_registry():
    table = report.properties_table(["sigmoid", "tanh"])
    assert table.columns == [
        "activation",
        "range",
        "takes both signs?",
        "mean f(z), z ~ N(0, 1)",
        "monotonic?",
        "saturates where?",
        "max f'",
    ]
    sigmoid, tanh = table.cells
    assert sigmoid[:5] == ["sigmoid", "$(0, 1)$", "no", "0.5", "yes"] and sigmoid[-1] == "0.25"
    assert tanh[:4] == ["tanh", "$(-1, 1)$", "yes", "0"] and tanh[-1] == "1"


def test_run_recording_warnings_returns_the_result_and_the_messages():
    import numpy as np

    value, messages = report.run_recording_warnings(
        lambda x: 1 / (1 + np.exp(-x)), np.float64(-1000)
    )
    assert value == 0.0 and messages == ["overflow encountered in exp"]
    value, messages = report.run_recording_warnings(np.exp, 1.0)
    assert messages == [] and value == np.exp(1.0)


@pytest.mark.parametrize("value, text", [
    (0.0, "0"), (3.2e-11, "< 1e-10"), (2.9e-11, "< 1e-10"), (1e-10, "< 1e-09"),
    (9.9e-3, "< 1e-02"), (0.01, "0.01"), (0.1049, "0.10"), (2.5, "2.50"), (5e-324, "< 1e-323"),
])
def test_order_of_magnitude_rounds_up_to_a_power_of_ten(value, text):
    assert report.order_of_magnitude(value) == text


@pytest.mark.parametrize("value", [-1e-9, float("nan"), float("inf")])
def test_order_of_magnitude_rejects_what_is_not_an_error(value):
    with pytest.raises(ValueError, match="expected a finite error >= 0"):
        report.order_of_magnitude(value)
