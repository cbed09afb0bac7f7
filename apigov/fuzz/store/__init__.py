"""Recorded fuzz runs (``apigov fuzz --record``): the :class:`FuzzRunStore` Protocol and the record.

A record (``apigov fuzz-run/1``) names the contract (subject, version, sha256 digest), the
service version, the base URL, the apigov and Schemathesis versions, the options that decide
what ran (seed, max_examples, phases, the exact check list), start and end times (UTC), the
elapsed seconds, why it stopped, the pass/fail of each check per operation, the failures
(operation, check, code, fingerprint, replayed: never a curl line or a body), the baseline's
known failures with their reasons, ``not_reproduced`` and ``passed``.

Records are immutable and content-addressed: a record's id is the sha256 of its canonical JSON
(sorted keys, no spaces), so storing the same record twice stores it once. One store per
registry backend, chosen by :func:`open_fuzz_store` from the same location as the contracts:
:class:`~apigov.fuzz.store.directory.DirectoryFuzzStore` (``<registry>/.fuzz-runs/``),
:class:`~apigov.fuzz.store.postgres.PostgresFuzzStore` (``apigov.fuzz_runs``, migration 20) and
:class:`~apigov.fuzz.store.http.HttpFuzzStore` (a remote ``apigov serve``:
``/v1/subjects/{subject}/versions/{version}/fuzz-runs``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from apigov.core.errors import InputError

if TYPE_CHECKING:
    from apigov.registry.postgres import PostgresBackend

__all__ = ["RECORD_ID", "FuzzRunStore", "check_record", "open_fuzz_store", "record_id", "store_of"]

RECORD_ID: Final = "fuzz-run/1"
_ID: Final = re.compile(r"[0-9a-f]{64}")
_DIGEST: Final = re.compile(r"sha256:[0-9a-f]{64}")
_TIME: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
MAX_RECORD_BYTES: Final = 8 * 1024 * 1024


@runtime_checkable
class FuzzRunStore(Protocol):
    @property
    def location(self) -> str: ...

    def add(self, record: dict[str, Any]) -> str:
        """Store ``record`` (checked by :func:`check_record`) and answer its id."""
        ...

    def runs(self, subject: str, version: str) -> list[dict[str, Any]]:
        """The records of the contract ``subject@version``, newest (by ``ended_at``) first, each
        with its ``id``."""
        ...


def canonical(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_id(record: dict[str, Any]) -> str:
    """The sha256 of the record's canonical JSON (without an ``id`` it may carry)."""
    body = {k: v for k, v in record.items() if k != "id"}
    return hashlib.sha256(canonical(body)).hexdigest()


def newest_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (str(r.get("ended_at", "")), str(r.get("id", ""))), reverse=True)


def _need(data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        raise InputError(f"a fuzz record needs {name!r} of type {getattr(kind, '__name__', 'number')}")
    return value


def check_record(data: object) -> dict[str, Any]:
    """``data`` when it is a well-formed ``fuzz-run/1`` record (else InputError naming the field);
    an ``id`` it carries is dropped (the store computes it)."""
    from apigov.registry.base import check_subject, parse_version

    if not isinstance(data, dict):
        raise InputError("a fuzz record is a JSON object")
    record = {k: v for k, v in data.items() if k != "id"}
    if record.get("apigov") != RECORD_ID:
        raise InputError(f"a fuzz record has 'apigov': {RECORD_ID!r}")
    contract = _need(record, "contract", dict)
    check_subject(str(contract.get("subject", "")))
    parse_version(str(contract.get("version", "")))
    if not _DIGEST.fullmatch(str(contract.get("digest", ""))):
        raise InputError("a fuzz record's contract digest is sha256:<64 hex digits>")
    for name in ("service_version", "base_url", "apigov_version", "schemathesis_version", "stopped"):
        _need(record, name, str)
    for name in ("started_at", "ended_at"):
        if not _TIME.fullmatch(str(record.get(name, ""))):
            raise InputError(f"a fuzz record's {name!r} is a UTC time (2026-01-31T12:00:00Z)")
    if record.get("seed") is not None:
        _need(record, "seed", int)
    _need(record, "max_examples", int)
    _need(record, "elapsed_seconds", (int, float))
    _need(record, "not_reproduced", int)
    _need(record, "passed", bool)
    for name in ("phases", "checks"):
        if not all(isinstance(v, str) for v in _need(record, name, list)):
            raise InputError(f"a fuzz record's {name!r} is a list of names")
    for item in _need(record, "operations", list):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("operation"), str)
            and isinstance(item.get("checks"), dict)
            and all(isinstance(v, bool) for v in item["checks"].values())
        ):
            raise InputError("a fuzz record's operations are {operation, checks: {name: bool}}")
    for name, fields in (
        ("failures", ("operation", "check", "code", "fingerprint")),
        ("known", ("operation", "check", "fingerprint", "reason")),
    ):
        for item in _need(record, name, list):
            if not (isinstance(item, dict) and all(isinstance(item.get(f), str) for f in fields)):
                raise InputError(f"a fuzz record's {name} have {', '.join(fields)}")
    if record["passed"] != (not record["failures"]):
        raise InputError("a fuzz record passed exactly when it has no failures")
    if len(canonical(record)) > MAX_RECORD_BYTES:
        raise InputError(f"a fuzz record is at most {MAX_RECORD_BYTES} bytes")
    return record


def open_fuzz_store(location: str, token: str | None = None) -> FuzzRunStore:
    """The fuzz-run store of the registry at ``location`` (a directory, postgresql:// or http(s)://)."""
    if location.lower().startswith(("http://", "https://")):
        from apigov.fuzz.store.http import HttpFuzzStore

        return HttpFuzzStore(location, token=token)
    from apigov.registry.location import open_backend

    return store_of(open_backend(location))


def store_of(backend: object) -> FuzzRunStore:
    """The fuzz-run store beside a registry backend (directory or PostgreSQL)."""
    from apigov.registry.stores import store_beside

    def directory(root: Path) -> FuzzRunStore:
        from apigov.fuzz.store.directory import DirectoryFuzzStore

        return DirectoryFuzzStore(root)

    def postgres(backend: PostgresBackend) -> FuzzRunStore:
        from apigov.fuzz.store.postgres import PostgresFuzzStore

        return PostgresFuzzStore(backend)

    return store_beside(backend, "fuzz runs", directory, postgres)
