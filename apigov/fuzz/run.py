"""``apigov fuzz``: a contract's operations against a running service, on Schemathesis 4.

:func:`fuzz` checks the inputs (the contract loads and has operations, its patterns are RE2
patterns, the base URL answers), runs Schemathesis in a child process (:mod:`apigov.fuzz._worker`)
and bounds it: the child stops itself at ``max_time`` minus what replaying needs, and is killed at
``max_time`` plus :data:`KILL_MARGIN`. Each failure is kept only if its final example still fails
when sent again.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from apigov.core._types import JSONValue
from apigov.core.errors import InputError
from apigov.fuzz.model import (
    CHECK_NAMES,
    PHASES,
    Auth,
    Failure,
    FuzzOptions,
    FuzzResult,
    OperationOutcome,
)
from apigov.fuzz.openapi import hostile_patterns, refuse_hostile_patterns

KILL_MARGIN: Final = 5.0
"""Seconds past ``--max-time`` after which the Schemathesis process is killed."""
CONNECT_TIMEOUT: Final = 3.0
_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

__all__ = [
    "FuzzError",
    "Worker",
    "check_reachable",
    "fuzz",
    "fuzz_worker",
    "hostile_patterns",
    "select_operations",
]

Progress = Callable[[int, int, int], None]
"""``(operations done, operations total, failures so far)``"""


class FuzzError(InputError):
    """The run cannot start or cannot finish (exit code 2)."""


def select_operations(document: JSONValue, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[str]:
    """Labels (``METHOD /path``) of the operations ``include`` / ``exclude`` keep. Each filter is an
    operationId, a tag, or a path (starting with ``/``; a trailing ``*`` matches a prefix)."""
    paths = document.get("paths") if isinstance(document, dict) else None
    selected: list[str] = []
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            tags = op.get("tags")
            names = {str(op.get("operationId", ""))} | {
                str(t) for t in (tags if isinstance(tags, list) else []) if isinstance(t, str)
            }

            def hit(value: str, path: str = str(path), names: set[str] = names) -> bool:
                if value.startswith("/"):
                    return path.startswith(value[:-1]) if value.endswith("*") else path == value
                return value in names

            if include and not any(hit(v) for v in include):
                continue
            if any(hit(v) for v in exclude):
                continue
            selected.append(f"{method.upper()} {path}")
    return selected


def check_reachable(base_url: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise :class:`FuzzError` naming ``base_url`` unless a TCP connection to it opens."""
    parsed = urllib.parse.urlsplit(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise FuzzError(f"--base-url {base_url!r} is not an http(s) URL", hint="e.g. http://127.0.0.1:8000")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError as exc:
        raise FuzzError(f"--base-url {base_url!r} has an invalid port") from exc
    try:
        with socket.create_connection((parsed.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, TimeoutError | socket.timeout):
            reason = f"no answer within {timeout:g} s"
        raise FuzzError(
            f"cannot reach --base-url {base_url}: {reason}", hint="is the service running?"
        ) from exc


def auth_headers(auth: Auth | None, document: JSONValue, timeout: float) -> dict[str, str]:
    """The headers that authenticate every request (OAuth2: a token fetched now)."""
    if auth is None:
        return {}
    if auth.kind == "bearer":
        return {"Authorization": f"Bearer {auth.value}"}
    if auth.kind == "apikey":
        return {auth.name: auth.value}
    token_url = auth.token_url or _token_url(document)
    if not token_url:
        raise FuzzError("OAuth2 client credentials need a token URL", hint="give oauth2:ID:SECRET@URL")
    return {"Authorization": f"Bearer {fetch_token(auth, token_url, timeout)}"}


def _token_url(document: JSONValue) -> str:
    components = document.get("components") if isinstance(document, dict) else None
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for scheme in (schemes or {}).values() if isinstance(schemes, dict) else ():
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
        if isinstance(flow, dict) and isinstance(flow.get("tokenUrl"), str):
            return str(flow["tokenUrl"])
    return ""


TOKEN_VARIABLE: Final = "APIGOV_FUZZ_TOKEN"  # noqa: S105 - a variable name, not a secret
"""The environment variable the reproducing curl lines read the credential from."""


def curl_secrets(auth: Auth | None, headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Lower-case header name -> what a reproducing curl line sends instead of the masked value."""
    found: dict[str, str] = {}
    for name, _ in headers:
        found[name.lower()] = (
            "$APIGOV_FUZZ_HEADER_" + "".join(c if c.isalnum() else "_" for c in name).upper()
        )
    if auth is not None:
        if auth.kind == "apikey":
            found[auth.name.lower()] = f"${TOKEN_VARIABLE}"
        else:
            found["authorization"] = f"Bearer ${TOKEN_VARIABLE}"
    return found


def fetch_token(auth: Auth, token_url: str, timeout: float) -> str:
    """An access token from ``token_url`` (RFC 6749 client credentials grant)."""
    import httpx

    data = {"grant_type": "client_credentials"}
    if auth.scopes:
        data["scope"] = " ".join(auth.scopes)
    try:
        response = httpx.post(
            token_url, data=data, auth=(auth.client_id, auth.client_secret), timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise FuzzError(f"cannot get an OAuth2 token from {token_url}: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise FuzzError(f"the OAuth2 token endpoint {token_url} answered {response.status_code}")
    try:
        token = response.json()["access_token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise FuzzError(f"the OAuth2 token endpoint {token_url} sent no access_token") from exc
    return str(token)


@dataclass(frozen=True, slots=True)
class Worker:
    """The Schemathesis child of one run, started ahead (see :func:`fuzz_worker`)."""

    process: subprocess.Popen[str]
    cwd: Path


@contextlib.contextmanager
def fuzz_worker() -> Iterator[Worker]:
    """A child started now, so that it imports Schemathesis while the caller still resolves and
    loads the contract; killed on exit if it still runs (bad input, an interrupt)."""
    with tempfile.TemporaryDirectory(prefix="apigov-fuzz-") as temp:
        _unicode_cache(Path(temp), restore=True)
        process = _spawn(Path(temp))
        try:
            yield Worker(process, Path(temp))
        finally:
            if process.poll() is None:
                _kill(process)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            _unicode_cache(Path(temp), restore=False)


def _unicode_cache(run_dir: Path, *, restore: bool) -> None:
    """Keep Hypothesis' Unicode tables (``.hypothesis/unicode_data``, built in seconds on every
    fresh directory) in ``$XDG_CACHE_HOME/apigov/hypothesis-unicode`` between runs: copied into
    the run's directory before it, new files copied back (atomically) after. Advisory: any
    failure leaves the run as it was."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    cache = Path(base) / "apigov" / "hypothesis-unicode"
    local = run_dir / ".hypothesis" / "unicode_data"
    with contextlib.suppress(OSError):
        source, target = (cache, local) if restore else (local, cache)
        if not source.is_dir():
            return
        for item in source.rglob("*"):
            wanted = target / item.relative_to(source)
            if item.is_file() and not item.name.startswith(".") and not wanted.exists():
                wanted.parent.mkdir(parents=True, exist_ok=True)
                partial = wanted.parent / f".{item.name}.{os.getpid()}.tmp"
                partial.write_bytes(item.read_bytes())
                partial.replace(wanted)


def fuzz(
    contract: Path,
    options: FuzzOptions,
    *,
    label: str | None = None,
    progress: Progress | None = None,
    worker: Worker | None = None,
) -> FuzzResult:
    """Run ``contract``'s operations against ``options.base_url`` (in ``worker``, or a child
    started here; a worker runs one contract only)."""
    source = label or str(contract)
    if options.max_time <= 0:
        raise FuzzError(f"--max-time must be above 0 (got {options.max_time:g})")
    if options.max_examples < 1:
        raise FuzzError("--max-examples must be at least 1")
    unknown = [c for c in options.checks if c not in CHECK_NAMES]
    if unknown:
        raise FuzzError(f"unknown check {unknown[0]!r}", hint=f"one of: {', '.join(CHECK_NAMES)}, all")
    bad_phase = [p for p in options.phases if p not in PHASES]
    if bad_phase or not options.phases:
        raise FuzzError(
            f"unknown phase {bad_phase[0] if bad_phase else ''!r}", hint=f"some of: {','.join(PHASES)}"
        )
    if worker is None:
        with fuzz_worker() as started:
            return fuzz(contract, options, label=label, progress=progress, worker=started)
    labels, settings = _prepare(contract, source, options)
    settings_path = worker.cwd / "settings.json"
    settings["contract"] = str(worker.cwd / "contract.json")
    Path(settings["contract"]).write_text(json.dumps(settings.pop("document")), encoding="utf-8")
    settings_path.write_text(json.dumps(settings), encoding="utf-8")
    started_at = time.monotonic()
    outcome, killed = _run_worker(worker.process, settings_path, options.max_time + KILL_MARGIN, progress)
    elapsed = time.monotonic() - started_at
    result = functools.partial(
        FuzzResult,
        contract=source,
        base_url=options.base_url,
        seed=options.seed,
        checks=options.checks,
        phases=options.phases,
        operations_total=len(labels),
        elapsed=elapsed,
        allow_untested=options.allow_untested,
    )
    if outcome is None:
        if killed:
            return result(
                operations=(),
                failures=(),
                stopped="max-time",
                errors=(
                    f"the run was stopped at --max-time {options.max_time:g} s + {KILL_MARGIN:g} s before it reported",
                ),
                untested=tuple((label, "the run was stopped before it reported") for label in labels),
            )
        raise FuzzError("the Schemathesis process ended without a result")
    if outcome.get("type") == "fatal":
        raise FuzzError(f"{source}: {outcome.get('message', 'Schemathesis could not run')}")
    failures = tuple(
        Failure(
            operation=str(f["operation"]),
            check=str(f["check"]),
            code=str(f["code"]),
            title=str(f["title"]),
            message=str(f["message"]),
            curl=str(f["curl"]),
            fingerprint=str(f["fingerprint"]),
            example=str(f.get("example", "")),
            status=f.get("status"),
            phase=str(f.get("phase", "")),
            replayed=bool(f.get("replayed", True)),
            replay_note=str(f.get("replay_note", "")),
        )
        for f in outcome.get("failures", [])
    )
    operations = tuple(
        OperationOutcome(operation=op, checks=dict(checks))
        for op, checks in sorted(outcome.get("operations", {}).items())
        if checks
    )
    stopped = str(outcome.get("stopped", "completed"))
    untested = _untested(labels, operations, outcome, stopped, frozenset(f.operation for f in failures))
    return result(
        operations=operations,
        failures=failures,
        not_reproduced=int(outcome.get("not_reproduced", 0)),
        cases=int(outcome.get("cases", 0)),
        stopped=stopped,
        errors=tuple(str(e) for e in outcome.get("errors", [])),
        untested=untested,
    )


def _untested(
    labels: list[str],
    operations: tuple[OperationOutcome, ...],
    outcome: dict[str, Any],
    stopped: str,
    failing: frozenset[str] = frozenset(),
) -> tuple[tuple[str, str], ...]:
    """``(operation, reason)`` of each selected operation no check ran on, or that Schemathesis
    reported it could not generate data for (then only part of it, if any, was tested)."""
    skipped = outcome.get("untested") or {}
    unusable = outcome.get("unusable") or {}
    tested = {o.operation for o in operations}
    exercised = set(outcome.get("exercised") or ())
    found: list[tuple[str, str]] = []
    for label in labels:
        if label in unusable:
            prefix = "only partly tested: " if label in tested else ""
            found.append((label, prefix + str(unusable[label])))
        elif label in tested and label not in exercised and label not in failing:
            found.append(
                (label, "no valid request could be generated (only invalid ones or other methods were sent)")
            )
        elif label not in tested:
            reason = str(skipped.get(label) or "") or (
                "the run reached --max-time before it"
                if stopped == "max-time"
                else "no request was generated for it"
            )
            found.append((label, reason))
    return tuple(found)


def _prepare(contract: Path, source: str, options: FuzzOptions) -> tuple[list[str], dict[str, Any]]:
    """Load and check the contract and the service: the operations to run and the child's settings
    (the contract is written beside ``settings["contract"]`` by the caller)."""
    from apigov.documents.bundle import bundle_file

    bundled = bundle_file(contract, source=source)
    document = bundled.document.data
    if not (isinstance(document, dict) and ("openapi" in document or "swagger" in document)):
        raise FuzzError(f"{source}: not an OpenAPI document (apigov fuzz runs HTTP contracts)")
    refuse_hostile_patterns(document, source)
    labels = select_operations(document, options.include, options.exclude)
    if not labels:
        raise FuzzError(
            f"{source}: no operations to fuzz"
            + (" (after --include/--exclude)" if options.include or options.exclude else "")
        )
    check_reachable(options.base_url)
    headers = dict(options.headers)
    headers.update(auth_headers(options.auth, document, options.request_timeout))
    return labels, {
        "document": document,
        "base_url": options.base_url,
        "max_examples": options.max_examples,
        "max_time": options.max_time,
        "replay_budget": min(10.0, max(1.0, options.max_time * 0.2)),
        "seed": options.seed,
        "workers": options.workers,
        "phases": list(options.phases),
        "checks": list(options.checks),
        "headers": headers,
        "include_names": labels,
        "total": len(labels),
        "request_timeout": options.request_timeout,
        "max_response_bytes": options.max_response_bytes,
        "max_response_time": options.max_response_time,
        "curl_secrets": curl_secrets(options.auth, options.headers),
    }


def _spawn(cwd: Path) -> subprocess.Popen[str]:
    """The child, in ``cwd`` (Schemathesis' and Hypothesis' caches stay out of the user's
    directory); it waits for the path of its settings on standard input."""
    env = dict(os.environ)
    env.setdefault("SCHEMATHESIS_TELEMETRY", "false")
    env["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen(
        [sys.executable, "-m", "apigov.fuzz._worker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
        cwd=cwd,
    )


def _run_worker(
    process: subprocess.Popen[str], settings: Path, hard_limit: float, progress: Progress | None
) -> tuple[dict[str, Any] | None, bool]:
    """Hand the child its settings; its final JSON line, and whether it had to be killed."""
    assert process.stdin is not None
    try:
        process.stdin.write(str(settings) + "\n")
        process.stdin.close()
    except OSError:  # it died before it read them: no result, reported as such
        pass
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + hard_limit
    last: dict[str, Any] | None = None
    killed = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            killed = True
            _kill(process)
            break
        try:
            line = lines.get(timeout=min(remaining, 0.5))
        except queue.Empty:
            continue
        if line is None:
            break
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if not isinstance(message, dict):
            continue
        if message.get("type") == "progress" and progress is not None:
            progress(
                int(message.get("done", 0)), int(message.get("total", 0)), int(message.get("failures", 0))
            )
        elif message.get("type") in ("result", "fatal"):
            last = message
    try:
        process.wait(timeout=KILL_MARGIN)
    except subprocess.TimeoutExpired:
        _kill(process)
    if process.stdout is not None:
        process.stdout.close()
    return last, killed


def _kill(process: subprocess.Popen[str]) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=KILL_MARGIN)
