"""Writing a report with the chosen formatter, to standard output or atomically to a file."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from apigov.cli.options import settings
from apigov.core.atomic import atomic_text_writer
from apigov.core.errors import InputError
from apigov.core.findings import Report
from apigov.report.base import RenderOptions
from apigov.report.formatters import FORMATTERS


def refuse_overwriting(output: Path, inputs: Iterable[Path]) -> None:
    """An output file must never replace one of the contracts it was made from."""
    target = output.resolve()
    for path in inputs:
        if path.resolve() == target:
            raise InputError(
                f"--output {output} is one of the input files", hint="write the result elsewhere"
            )


def emit(report: Report, output_format: str, output: Path | None, *, fail_on: str | None = None) -> None:
    """Render ``report``; ``fail_on`` (the gate's threshold) lets summaries say why the gate failed."""
    formatter = FORMATTERS[output_format.lower()]
    if output is not None:
        refuse_overwriting(
            output,
            [Path(d.source) for d in report.documents] + [Path(f.location.file) for f in report.findings],
        )
    if output is None:
        options = RenderOptions(color=settings().use_color(sys.stdout), fail_on=fail_on)
        formatter.render(report, sys.stdout, options)
        return
    with atomic_text_writer(output) as handle:
        formatter.render(report, handle, RenderOptions(color=False, fail_on=fail_on))
