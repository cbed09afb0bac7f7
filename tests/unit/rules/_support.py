"""Run ``apigov diff`` on small documents written in the tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from apigov.config.project import Config
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Report
from apigov.rules.run import DiffRequest, diff_sources

TODAY = date(2026, 11, 21)


def diff_documents(tmp_path: Path, base: JSONValue, revision: JSONValue, **options: object) -> Report:
    """Write both documents as JSON and diff them (``today`` fixed, so sunset tests are stable)."""
    for name, data in (("base", base), ("revision", revision)):
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
        (tmp_path / name / "api.json").write_text(json.dumps(data))
    request = DiffRequest(
        base=str(tmp_path / "base" / "api.json"),
        revision=str(tmp_path / "revision" / "api.json"),
        today=TODAY,
        **options,  # type: ignore[arg-type]
    )
    return diff_sources(request, Config(root=tmp_path))


def ids(report: Report) -> set[str]:
    return {f.rule_id for f in report.findings}


def by_id(report: Report, rule_id: str) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]
