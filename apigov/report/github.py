"""``--format github``: GitHub Actions workflow commands, so findings show as annotations.

One ``::error``/``::warning``/``::notice`` command per finding, then a plain summary line.
Values are escaped as the Actions runner expects (``%`` ``\\r`` ``\\n`` everywhere, and ``:``
``,`` in properties), so a message can never end the command and start another one. Other
control characters are shown as escapes. ``line`` and ``col`` are left out when unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import Finding, Level, Report
from apigov.report._common import printable, summary_sentence
from apigov.report.base import RenderOptions

_COMMANDS: Final[Mapping[Level, str]] = MappingProxyType(
    {Level.ERROR: "error", Level.BREAKING: "error", Level.WARNING: "warning", Level.INFO: "notice"}
)


def escape_data(text: str) -> str:
    """Escape a command's message (after ``::``)."""
    text = printable(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (``file=``, ``title=`` ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    location = finding.location
    properties = {"file": location.file}
    if location.line is not None:
        properties["line"] = str(location.line)
        if location.column is not None:
            properties["col"] = str(location.column)
    properties["title"] = finding.rule_id
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::{_COMMANDS[finding.level]} {joined}::{escape_data(finding.message)}"


class GithubFormatter:
    description = "GitHub Actions annotations (workflow commands) and a summary line"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        for finding in report.findings:
            out.write(command(finding) + "\n")
        out.write(f"apigov {report.command}: {summary_sentence(report)}\n")
