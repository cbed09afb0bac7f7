"""The table of output formats. ``--format`` choices come from here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.report.base import Formatter
from apigov.report.github import GithubFormatter
from apigov.report.json import JsonFormatter
from apigov.report.junit import JunitFormatter
from apigov.report.markdown import MarkdownFormatter
from apigov.report.sarif import SarifFormatter
from apigov.report.text import TextFormatter

FORMATTERS: Final[Mapping[str, Formatter]] = MappingProxyType(
    {
        "text": TextFormatter(),
        "json": JsonFormatter(),
        "sarif": SarifFormatter(),
        "junit": JunitFormatter(),
        "github": GithubFormatter(),
        "markdown": MarkdownFormatter(),
    }
)
