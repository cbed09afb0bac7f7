"""The ``fuzz-run/1`` record of a run (what ``apigov fuzz --record`` stores; see
:mod:`apigov.fuzz.store`) and the digest of a plain contract file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apigov.fuzz.model import FuzzResult
from apigov.fuzz.store import RECORD_ID

__all__ = ["ContractId", "build_record", "file_digest", "utc_now"]


@dataclass(frozen=True, slots=True)
class ContractId:
    subject: str
    version: str
    digest: str
    """``sha256:<hex>``"""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def file_digest(path: Path, source: str) -> str:
    """The sha256 of the bundled document's canonical JSON (sorted keys, no spaces): the same
    for the same contract however its files are split or formatted."""
    from apigov.documents.bundle import bundle_file

    data = bundle_file(path, source=source).document.data
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _public_url(url: str) -> str:
    """``url`` without credentials (user:password@) and without its query: a record is shared."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _versions() -> tuple[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    from apigov import __version__

    try:
        schemathesis = version("schemathesis")
    except PackageNotFoundError:
        schemathesis = ""
    return __version__, schemathesis


def build_record(
    result: FuzzResult,
    contract: ContractId,
    *,
    service_version: str,
    max_examples: int,
    started_at: str,
    ended_at: str,
) -> dict[str, Any]:
    apigov_version, schemathesis_version = _versions()
    return {
        "apigov": RECORD_ID,
        "contract": {"subject": contract.subject, "version": contract.version, "digest": contract.digest},
        "service_version": service_version,
        "base_url": _public_url(result.base_url),
        "apigov_version": apigov_version,
        "schemathesis_version": schemathesis_version,
        "seed": result.seed,
        "max_examples": max_examples,
        "phases": list(result.phases),
        "checks": list(result.checks),
        "started_at": started_at,
        "ended_at": ended_at,
        "elapsed_seconds": round(result.elapsed, 3),
        "stopped": result.stopped,
        "operations": [
            {"operation": o.operation, "checks": dict(sorted(o.checks.items()))} for o in result.operations
        ],
        "failures": [
            {
                "operation": f.operation,
                "check": f.check,
                "code": f.code,
                "fingerprint": f.fingerprint,
                "replayed": f.replayed,
            }
            for f in result.failures
        ],
        "known": [
            {"operation": f.operation, "check": f.check, "fingerprint": f.fingerprint, "reason": reason}
            for f, reason in result.known
        ],
        "not_reproduced": result.not_reproduced,
        "passed": result.passed,
    }
