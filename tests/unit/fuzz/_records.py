"""A well-formed ``fuzz-run/1`` record for the store tests."""

from __future__ import annotations

from typing import Any

from apigov.fuzz.model import DEFAULT_CHECKS


def run_record(
    *,
    subject: str = "orders",
    version: str = "1.0.0",
    service: str = "1.4.0",
    passed: bool = True,
    ended: str = "2026-12-05T10:00:01Z",
) -> dict[str, Any]:
    failures = (
        []
        if passed
        else [
            {
                "operation": "GET /orders",
                "check": "not_a_server_error",
                "code": "ST100",
                "fingerprint": "ab12cd34",
                "replayed": True,
            }
        ]
    )
    return {
        "apigov": "fuzz-run/1",
        "contract": {"subject": subject, "version": version, "digest": "sha256:" + "0" * 64},
        "service_version": service,
        "base_url": "http://127.0.0.1:8001",
        "apigov_version": "0.1.0",
        "schemathesis_version": "4.32.0",
        "seed": 1,
        "max_examples": 2,
        "phases": ["examples"],
        "checks": list(DEFAULT_CHECKS),
        "started_at": "2026-12-05T10:00:00Z",
        "ended_at": ended,
        "elapsed_seconds": 1.0,
        "stopped": "completed",
        "operations": [{"operation": "GET /orders", "checks": {"not_a_server_error": passed}}],
        "failures": failures,
        "known": [],
        "not_reproduced": 0,
        "passed": passed,
    }  # fmt: skip
