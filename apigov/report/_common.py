"""What several formatters share: findings grouped by file, counts, and making untrusted text safe.

Everything a finding says may come from a hostile spec (messages quote keys and values), so a
formatter never writes a finding's text unchanged: :func:`printable` makes control characters,
bidirectional overrides and lone surrogates visible, :func:`without_surrogates` keeps JSON
outputs encodable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final, TextIO

import orjson

from apigov.core._types import JSONValue
from apigov.core.findings import DocumentInfo, Finding, Level, Report

#: C0 and C1 controls, the Unicode line and paragraph separators (U+2028/9: a line break to some
#: viewers), bidirectional marks/overrides/isolates (Trojan Source) and lone surrogates.
_UNPRINTABLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: What JSON may hold raw but a terminal or viewer would act on: DEL, C1 controls, bidi, U+2028/9.
_JSON_ESCAPED: Final = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True, slots=True)
class FileGroup:
    """The findings of one file, with what the report knows about the file (if it was checked)."""

    file: str
    document: DocumentInfo | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Counts:
    """Finding counts; ``errors`` counts ``error`` and ``breaking`` (they rank the same)."""

    errors: int
    warnings: int
    info: int
    files: int

    @property
    def problems(self) -> int:
        return self.errors + self.warnings + self.info


def by_file(report: Report, *, include_clean: bool) -> list[FileGroup]:
    """Findings grouped by file: checked documents first (in report order), then other files.

    Files keep their findings in report order even when the report is not sorted by file.
    ``include_clean`` also lists checked documents that have no finding.
    """
    grouped: dict[str, list[Finding]] = {document.source: [] for document in report.documents}
    for finding in report.findings:
        grouped.setdefault(finding.location.file, []).append(finding)
    documents = {document.source: document for document in report.documents}
    return [
        FileGroup(file=file, document=documents.get(file), findings=tuple(findings))
        for file, findings in grouped.items()
        if findings or include_clean
    ]


def counts(report: Report) -> Counts:
    summary = report.summary()
    return Counts(
        errors=summary[Level.ERROR] + summary[Level.BREAKING],
        warnings=summary[Level.WARNING],
        info=summary[Level.INFO],
        files=len(report.documents),
    )


def worst_level(report: Report) -> Level | None:
    """The most serious level in the report (``None`` when it has no finding)."""
    return max((finding.level for finding in report.findings), key=lambda level: level.rank, default=None)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary_sentence(report: Report) -> str:
    """``3 problems (1 error, 1 warning, 1 info) in 2 files`` or ``no problems in 2 files``."""
    total = counts(report)
    files = plural(total.files, "file")
    if total.problems == 0:
        return f"no problems in {files}"
    return (
        f"{plural(total.problems, 'problem')} ({plural(total.errors, 'error')}, "
        f"{plural(total.warnings, 'warning')}, {total.info} info) in {files}"
    )


def ignored_sentence(count: int) -> str:
    """``2 changes ignored (see --ignore file)``: what formatters say about suppressed findings."""
    return f"{plural(count, 'change')} ignored (see --ignore file)"


def _escape(char: str) -> str:
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with control characters (except those in ``keep``) shown as escapes (``\\n``, ``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda match: match[0] if match[0] in keep else _escape(match[0]), text)


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (valid in JSON input, unencodable in UTF-8) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def dump_json(value: JSONValue, out: TextIO) -> None:
    """Write ``value`` indented with a final newline, keeping non-ASCII text readable.

    Lone surrogates become U+FFFD; DEL, C1 controls and bidi controls, which JSON allows raw,
    are written as ``\\uXXXX`` escapes so the file is safe to ``cat``.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # an integer beyond 64 bits, a lone surrogate: the standard encoder takes them
        text = without_surrogates(json.dumps(value, indent=2, ensure_ascii=False))
    out.write(_JSON_ESCAPED.sub(lambda match: f"\\u{ord(match[0]):04x}", text) + "\n")
