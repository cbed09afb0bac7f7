"""Recorded fuzz runs of a contract version, as ``apigov registry show --fuzz-runs`` prints them."""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

__all__ = ["render_runs", "runs_of"]


def runs_of(location: str, ref: str) -> tuple[str, str, list[dict[str, Any]]]:
    """Subject, version (``latest`` resolved) and the runs of the registry ref ``ref``, newest first."""
    from apigov.fuzz.store import open_fuzz_store
    from apigov.registry.location import open_backend
    from apigov.registry.refs import parse_ref, resolve_version

    parsed = parse_ref(ref)
    version = str(resolve_version(open_backend(location), parsed))
    store = open_fuzz_store(location, token=os.environ.get("APIGOV_TOKEN"))
    return parsed.subject, version, store.runs(parsed.subject, version)


def _plain(value: object) -> str:
    """``value`` as one line of printable text (records may come from a remote server)."""
    return "".join(c if c.isprintable() else "?" for c in str(value))[:200]


def describe(run: dict[str, Any]) -> str:
    """``3f2a9c1b0e7d 2026-12-05T20:40:01Z service 1.4.0 passed, 0 failure(s), seed 7, 11 checks``"""
    failures = run.get("failures") or []
    verdict = "passed" if run.get("passed") else "FAILED"
    return _plain(
        f"{str(run.get('id', ''))[:12]} {run.get('ended_at', '')} service {run.get('service_version', '')} "
        f"{verdict}, {len(failures)} failure(s), seed {run.get('seed')}, {len(run.get('checks') or [])} checks"
    )


def render_runs(
    subject: str, version: str, runs: list[dict[str, Any]], output_format: str, out: TextIO
) -> None:
    if output_format == "json":
        json.dump({"subject": subject, "version": version, "runs": runs}, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    if not runs:
        out.write(f"{subject}@{version}: no recorded fuzz runs\n")
        return
    out.write(f"{subject}@{version}: {len(runs)} recorded fuzz run(s), newest first\n")
    for run in runs:
        out.write(f"  {describe(run)}\n")
        for failure in run.get("failures") or []:
            line = f"{failure.get('operation')}: {failure.get('check')} ({failure.get('fingerprint')})"
            out.write(f"    {_plain(line)}\n")
