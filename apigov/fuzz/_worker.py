"""The child process of ``apigov fuzz``: runs Schemathesis' engine and replays what failed.

``python -m apigov.fuzz._worker SETTINGS.json`` prints JSON lines on stdout:
``{"type": "start", "total": N}``, ``{"type": "progress", "done": D, "total": N, "failures": F}``
and last ``{"type": "result", ...}``. The parent (:mod:`apigov.fuzz.run`) bounds its time and
kills it when it overruns. Nothing here is public API.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from typing import Any

_STATEFUL_CHECKS = frozenset({"use_after_free", "ensure_resource_availability"})


def _emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def fingerprint(operation: str, check: str, code: str) -> str:
    """Short, stable identity of a failure (what a baseline entry matches)."""
    return hashlib.sha256(f"{operation}\n{check}\n{code}".encode()).hexdigest()[:12]


def _bound_responses(limit: int) -> None:
    """Responses are read up to ``limit`` bytes: a larger body ends that request in an error."""
    import requests

    original: Any = requests.models.Response.iter_content

    def bounded(self: Any, chunk_size: int = 1, decode_unicode: bool = False) -> Any:
        declared = self.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise requests.exceptions.ContentDecodingError(
                f"response body of {declared} bytes is over {limit}"
            )
        seen = 0
        for chunk in original(self, chunk_size, decode_unicode):
            seen += len(chunk)
            if seen > limit:
                raise requests.exceptions.ContentDecodingError(f"response body over {limit} bytes")
            yield chunk

    requests.models.Response.iter_content = bounded  # type: ignore[method-assign,assignment]


def _example(case: Any) -> str:
    parts = [f"{case.method} {case.formatted_path}"]
    if case.query:
        parts.append(f"query: {json.dumps(case.query, default=str, sort_keys=True)}")
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in ("authorization", "cookie")}
    if headers:
        parts.append(f"headers: {json.dumps(headers, default=str, sort_keys=True)}")
    if case.body is not None and not type(case.body).__name__.startswith("NotSet"):
        try:
            parts.append(f"body: {json.dumps(case.body, default=str)[:2000]}")
        except (TypeError, ValueError):
            parts.append(f"body: {str(case.body)[:2000]}")
    return "\n".join(parts)


def run(settings: dict[str, Any]) -> dict[str, Any]:
    import requests
    import schemathesis
    from schemathesis.checks import CHECKS, load_all_checks
    from schemathesis.cli.loaders import into_event_stream
    from schemathesis.engine import events, from_schema

    load_all_checks()
    _bound_responses(int(settings["max_response_bytes"]))
    config = schemathesis.Config()
    # not Schemathesis' max_time: under it, its phases repeat until the time is used up; here the
    # run ends after --max-examples, and the parent bounds the time (soft deadline below, then a kill)
    config.update(seed=settings.get("seed"), max_failures=None)
    started = time.monotonic()
    soft_deadline = started + float(settings["max_time"]) - float(settings.get("replay_budget", 0.0))
    project = config.projects.override
    headers: dict[str, str] = dict(settings.get("headers") or {})
    project.update(
        base_url=settings["base_url"],
        headers=headers or None,
        workers=int(settings.get("workers") or 1),
        request_timeout=float(settings["request_timeout"]),
        request_retries=0,
    )
    project.phases.update(phases=list(settings["phases"]))
    checks = list(settings["checks"])
    project.checks.update(
        included_check_names=checks,
        max_response_time=settings.get("max_response_time"),
    )
    project.generation.update(max_examples=int(settings["max_examples"]))
    filters: dict[str, Any] = {
        f"{mode}_{by}": ()
        for mode in ("include", "exclude")
        for by in ("path", "method", "name", "tag", "operation_id")
    }
    filters.update(
        {
            f"{mode}_{by}_regex": None
            for mode in ("include", "exclude")
            for by in ("path", "method", "name", "tag", "operation_id")
        }
    )
    filters.update({"include_by": None, "exclude_by": None, "exclude_deprecated": False})
    filters["include_name"] = tuple(settings.get("include_names") or ())

    stream = into_event_stream(
        location=settings["contract"],
        config=config.projects.get_default(),
        filter_set=filters,
        engine_callback=lambda schema: from_schema(schema).execute(),
    )
    total = int(settings.get("total") or 0)
    done: set[str] = set()
    found: dict[str, dict[str, Any]] = {}
    replay_material: dict[str, tuple[Any, Any, str]] = {}
    outcomes: dict[str, dict[str, bool]] = {}
    errors: list[str] = []
    cases = 0
    stopped = "completed"
    fatal: str | None = None
    _emit({"type": "start", "total": total})
    for event in stream:
        if time.monotonic() > soft_deadline:
            stopped = "max-time"
            break
        if isinstance(event, events.FatalError):
            fatal = (
                str(event.exception).strip().splitlines()[0][:300]
                if str(event.exception).strip()
                else type(event.exception).__name__
            )
            break
        if isinstance(event, events.NonFatalError):
            errors.append(
                f"{event.label}: {str(event.value).strip().splitlines()[0][:200] if str(event.value).strip() else type(event.value).__name__}"
            )
            continue
        if isinstance(event, events.EngineFinished):
            if str(event.stop_reason.value) == "max_time":
                stopped = "max-time"
            continue
        recorder = getattr(event, "recorder", None)
        if recorder is None:
            continue
        phase = str(getattr(event, "phase", "") or "")
        cases += len(recorder.cases)
        for case_id, nodes in recorder.checks.items():
            node_case = recorder.cases.get(case_id)
            if node_case is None:
                continue
            case = node_case.value
            label = case.operation.label
            per_op = outcomes.setdefault(label, {})
            for node in nodes:
                ok = node.failure_info is None
                per_op[node.name] = per_op.get(node.name, True) and ok
                if ok:
                    continue
                failure = node.failure_info.failure
                code = str(getattr(failure, "code", "ST900"))
                key = fingerprint(label, node.name, code)
                steps = list(node.failure_info.steps or [])
                curl = "\n".join(step.curl for step in steps) if steps else node.failure_info.code_sample
                response = recorder.find_response(case_id=case_id)
                found[key] = {
                    "operation": label,
                    "check": node.name,
                    "code": code,
                    "title": str(failure.title),
                    "message": str(failure.message).strip()[:2000],
                    "curl": curl,
                    "fingerprint": key,
                    "example": _example(case),
                    "status": response.status_code if response is not None else None,
                    "phase": phase,
                }
                replay_material[key] = (case, recorder, node.name)
        if recorder.label and (recorder.label in outcomes or recorder.cases):
            done.add(recorder.label)
            _emit(
                {
                    "type": "progress",
                    "done": min(len(done), total or len(done)),
                    "total": total,
                    "failures": len(found),
                }
            )
    if fatal is not None:
        return {"type": "fatal", "message": fatal}

    # a failure counts only when its final example still fails on replay
    kept: list[dict[str, Any]] = []
    not_reproduced = 0
    deadline = time.monotonic() + float(settings.get("replay_budget", 0.0))
    with requests.Session() as session:
        for key, failure in found.items():
            case, recorder, check_name = replay_material[key]
            if (
                check_name in _STATEFUL_CHECKS
                or failure["phase"].lower().endswith("stateful")
                or check_name == "max_response_time"
            ):
                failure["replayed"] = False  # a chain of requests: reported as found
                kept.append(failure)
                continue
            if time.monotonic() > deadline:
                failure["replayed"] = False
                kept.append(failure)
                continue
            if _still_fails(case, recorder, CHECKS.get_one(check_name), settings, headers, session):
                failure["replayed"] = True
                kept.append(failure)
            else:
                not_reproduced += 1
    return {
        "type": "result",
        "failures": kept,
        "not_reproduced": not_reproduced,
        "found": len(found),
        "operations": outcomes,
        "cases": cases,
        "stopped": stopped,
        "errors": errors[:50],
    }


def _still_fails(
    case: Any, recorder: Any, check: Any, settings: dict[str, Any], headers: dict[str, str], session: Any
) -> bool:
    base_url = settings["base_url"]
    try:
        response = case.call(
            base_url=base_url, session=session, headers=headers, timeout=float(settings["request_timeout"])
        )
    except Exception:  # noqa: BLE001 - a request that fails on replay still fails
        return True
    try:
        case.validate_response(
            response,
            checks=[check],
            headers=headers,
            recorder=recorder,
            transport_kwargs={"base_url": base_url, "headers": headers},
        )
    except (AssertionError, BaseExceptionGroup):
        return True
    except Exception:  # noqa: BLE001 - the check could not judge the replay: keep what was found
        return True
    return False


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:  # noqa: PTH123
        settings = json.load(handle)
    try:
        outcome = run(settings)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        outcome = {"type": "fatal", "message": f"{type(exc).__name__}: {str(exc).strip()[:300]}"}
    _emit(outcome)
    sys.stderr.flush()
    os._exit(0)  # the engine's threads may still wait on a hanging server: the result is out


if __name__ == "__main__":
    main()
