"""``--format text``: findings grouped by file, ``file:line:col`` first, colour only on a TTY."""

from __future__ import annotations

from itertools import groupby
from typing import Final, TextIO

from apigov.core.findings import Level, Report
from apigov.report.base import RenderOptions

_COLORS: Final = {
    Level.ERROR: "\x1b[31m",
    Level.BREAKING: "\x1b[31m",
    Level.WARNING: "\x1b[33m",
    Level.INFO: "\x1b[36m",
}
_DIM: Final = "\x1b[2m"
_BOLD: Final = "\x1b[1m"
_RESET: Final = "\x1b[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class TextFormatter:
    description = "human-readable, grouped by file (default)"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        def paint(text: str, code: str) -> str:
            return f"{code}{text}{_RESET}" if options.color else text

        kinds = {d.source: d for d in report.documents}
        for file, group in groupby(report.findings, key=lambda f: f.location.file):
            info = kinds.get(file)
            header = file
            if info is not None:
                described = " ".join(p for p in (info.title, info.version) if p)
                header += f"  ({info.kind}{': ' + described if described else ''})"
            out.write(paint(header, _BOLD) + "\n")
            for finding in group:
                loc = finding.location
                where = f"{file}:{loc.line or 1}:{loc.column or 1}"
                level = paint(f"{finding.level.value:<8}", _COLORS[finding.level])
                out.write(f"  {where}  {level} {finding.message}  {paint(finding.rule_id, _DIM)}\n")
            out.write("\n")
        summary = report.summary()
        errors = summary["error"] + summary["breaking"]
        files = len(report.documents)
        problems = len(report.findings)
        if problems == 0:
            out.write(paint("✔", "\x1b[32m") + f" no problems in {_plural(files, 'file')}\n")
            return
        mark = paint("✖", "\x1b[31m") if errors else paint("!", "\x1b[33m")
        out.write(
            f"{mark} {_plural(problems, 'problem')} ({_plural(errors, 'error')}, "
            f"{_plural(summary['warning'], 'warning')}, {summary['info']} info) in {_plural(files, 'file')}\n"
        )
