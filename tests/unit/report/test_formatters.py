"""Every formatter against every report case: golden files, and properties all outputs share."""

from __future__ import annotations

import io
import itertools
import re

import pytest

from apigov.core.findings import Report
from apigov.report.base import RenderOptions
from apigov.report.formatters import FORMATTERS

from ._cases import CASES
from ._golden import GOLDEN_ROOT, assert_golden
from .test_diff_formats import golden_names as diff_golden_names

GOLDEN_DIR = GOLDEN_ROOT / "report"
PAIRS = list(itertools.product(CASES, FORMATTERS))
#: Characters no output may contain: C0 controls but tab, LF and CR; DEL; C1 controls; ESC.
_RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def render(report: Report, output_format: str, *, color: bool = False) -> str:
    out = io.StringIO()
    FORMATTERS[output_format].render(report, out, RenderOptions(color=color))
    return out.getvalue()


@pytest.mark.parametrize(("case", "output_format"), PAIRS)
def test_output_matches_golden(case: str, output_format: str) -> None:
    assert_golden(GOLDEN_DIR / f"{case}.{output_format}", render(CASES[case], output_format))


@pytest.mark.parametrize(("case", "output_format"), PAIRS)
def test_every_formatter_renders_every_case(case: str, output_format: str) -> None:
    text = render(CASES[case], output_format)
    assert text.endswith("\n")
    assert not _RAW_CONTROLS.search(text), "raw control characters reached the output"
    text.encode("utf-8")  # no lone surrogate survives


@pytest.mark.parametrize("output_format", list(FORMATTERS))
def test_every_formatter_describes_itself(output_format: str) -> None:
    assert FORMATTERS[output_format].description.strip()


@pytest.mark.parametrize("output_format", list(FORMATTERS))
def test_format_names_are_kebab_case(output_format: str) -> None:
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", output_format)


def test_no_stale_goldens() -> None:
    expected = {f"{case}.{output_format}" for case, output_format in PAIRS} | diff_golden_names()
    present = {path.name for path in GOLDEN_DIR.iterdir()}
    assert present <= expected, f"goldens without a case or format: {sorted(present - expected)}"
