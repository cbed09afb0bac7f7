"""The table of output formats. ``--format`` choices come from here and nowhere else.

Each row imports its module on first use, so choosing a format costs only that format's imports
(``apigov check`` must start fast).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TextIO, cast

from apigov.core.findings import Report
from apigov.report.base import Formatter, RenderOptions


class _Lazy:
    """A formatter whose class is imported when it is first used."""

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name
        self._instance: Formatter | None = None

    def _load(self) -> Formatter:
        if self._instance is None:
            cls = getattr(importlib.import_module(self._module), self._name)
            self._instance = cast(Formatter, cls())
        return self._instance

    @property
    def description(self) -> str:
        return self._load().description

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        self._load().render(report, out, options)


FORMATTERS: Final[Mapping[str, Formatter]] = MappingProxyType(
    {
        "text": _Lazy("apigov.report.text", "TextFormatter"),
        "json": _Lazy("apigov.report.json", "JsonFormatter"),
        "sarif": _Lazy("apigov.report.sarif", "SarifFormatter"),
        "junit": _Lazy("apigov.report.junit", "JunitFormatter"),
        "github": _Lazy("apigov.report.github", "GithubFormatter"),
        "markdown": _Lazy("apigov.report.markdown", "MarkdownFormatter"),
        "codequality": _Lazy("apigov.report.codequality", "CodeQualityFormatter"),
    }
)
