"""Writing a report with the chosen formatter, to standard output or atomically to a file."""

from __future__ import annotations

import sys
from pathlib import Path

from apigov.cli.options import settings
from apigov.core.atomic import atomic_text_writer
from apigov.core.findings import Report
from apigov.report.base import RenderOptions
from apigov.report.formatters import FORMATTERS


def emit(report: Report, output_format: str, output: Path | None) -> None:
    formatter = FORMATTERS[output_format.lower()]
    if output is None:
        options = RenderOptions(color=settings().use_color(sys.stdout))
        formatter.render(report, sys.stdout, options)
        return
    with atomic_text_writer(output) as handle:
        formatter.render(report, handle, RenderOptions(color=False))
