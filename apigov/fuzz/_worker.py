"""The child process of ``apigov fuzz``: runs Schemathesis' engine and replays what failed.

``python -m apigov.fuzz._worker [SETTINGS.json]`` (without the argument: the path is read from
standard input, so that the child imports Schemathesis while the parent still loads the
contract) prints JSON lines on stdout:
``{"type": "start", "total": N}``, ``{"type": "progress", "done": D, "total": N, "failures": F}``
and last ``{"type": "result", ...}``. The parent (:mod:`apigov.fuzz.run`) bounds its time and
kills it when it overruns. Nothing here is public API.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import sys
import time
from typing import Any

_MASKED = re.compile(r"-H '([!#$%&*+.^_`|~0-9A-Za-z-]+): \[Filtered\]'")


def runnable_curl(curl: str, secrets: dict[str, str]) -> str:
    """``curl`` with each masked header (``[Filtered]``) read from an environment variable instead:
    ``-H "Authorization: Bearer $APIGOV_FUZZ_TOKEN"`` (``secrets``: lower-case header name -> the
    text to send, naming its variable); the line still runs, the secret is not in the report."""

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        value = secrets.get(name.lower()) or "$APIGOV_FUZZ_HEADER_" + re.sub(r"\W", "_", name).upper()
        return f'-H "{name}: {value}"'

    return _MASKED.sub(swap, curl)


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


def _positive(case: Any) -> bool:
    """Whether ``case`` is a request the contract allows (its own method, data generated valid;
    a case without generation data, from a link or an example, counts)."""
    if str(case.method).upper() != str(case.operation.method).upper():
        return False
    meta = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return mode is None or str(getattr(mode, "value", mode)).lower() == "positive"


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
    replay_material: dict[str, tuple[Any, Any, str, list[str]]] = {}
    secrets: dict[str, str] = dict(settings.get("curl_secrets") or {})
    untested_reasons: dict[str, str] = {}
    """operation label -> why a phase skipped it"""
    exercised: set[str] = set()
    """operations checked with a valid request of their own method (not only invalid ones or
    undeclared methods)"""
    unusable: dict[str, str] = {}
    """operation label -> the error that kept Schemathesis from testing it (fully)"""
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
            text = str(event.value).strip()
            reason = text.splitlines()[0][:200] if text else type(event.value).__name__
            errors.append(f"{event.label}: {reason}")
            unusable.setdefault(str(event.label), reason)
            continue
        skip_reason = getattr(event, "skip_reason", None)
        if isinstance(event, events.ScenarioFinished) and skip_reason and event.label:
            untested_reasons.setdefault(
                str(event.label), f"{str(skip_reason)[:200]} ({event.phase.value} phase)"
            )
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
            if nodes and _positive(case):
                exercised.add(label)
            for node in nodes:
                ok = node.failure_info is None
                per_op[node.name] = per_op.get(node.name, True) and ok
                if ok:
                    continue
                failure = node.failure_info.failure
                code = str(getattr(failure, "code", "ST900"))
                key = fingerprint(label, node.name, code)
                steps = list(node.failure_info.steps or [])
                curl = runnable_curl(
                    "\n".join(step.curl for step in steps) if steps else node.failure_info.code_sample,
                    secrets,
                )
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
                chain = [step.case_id for step in steps if step.case_id in recorder.cases]
                if case_id not in chain:
                    chain.append(case_id)
                replay_material[key] = (case, recorder, node.name, chain)
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

    # a failure counts only when its final example still fails on replay (a stateful failure:
    # when its chain of requests, replayed with the links re-applied, still fails)
    kept: list[dict[str, Any]] = []
    not_reproduced = 0
    deadline = time.monotonic() + float(settings.get("replay_budget", 0.0))
    with requests.Session() as session:
        for key, failure in found.items():
            case, recorder, check_name, chain = replay_material[key]
            if time.monotonic() > deadline:
                failure["replayed"] = False
                failure["replay_note"] = "not replayed: the run reached --max-time first"
                kept.append(failure)
                continue
            verdict = _still_fails(
                case, recorder, CHECKS.get_one(check_name), chain, settings, headers, session
            )
            if verdict is None:
                failure["replayed"] = False
                failure["replay_note"] = "not replayed: its requests could not be sent again as they were"
                kept.append(failure)
            elif verdict:
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
        "untested": untested_reasons,
        "unusable": unusable,
        "exercised": sorted(exercised),
    }


def _still_fails(
    case: Any,
    recorder: Any,
    check: Any,
    chain: list[str],
    settings: dict[str, Any],
    headers: dict[str, str],
    session: Any,
) -> bool | None:
    """Whether the failure happens again: ``None`` when it cannot be replayed."""
    base_url = settings["base_url"]
    timeout = float(settings["request_timeout"])
    replayed = recorder
    if len(chain) > 1:  # a stateful chain: each step sent again, its links taken from the new answers
        rebuilt = _replay_chain(chain, recorder, base_url, headers, timeout, session)
        if rebuilt is None:
            return None
        replayed, outputs = rebuilt
        case, response = outputs[case.id]
    else:
        try:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=timeout)
        except Exception:  # noqa: BLE001 - a request that fails on replay still fails
            return True
    try:
        case.validate_response(
            response,
            checks=[check],
            headers=headers,
            recorder=replayed,
            transport_kwargs={"base_url": base_url, "headers": headers},
        )
    except (AssertionError, BaseExceptionGroup):
        return True
    except Exception:  # noqa: BLE001 - the check could not judge the replay
        return None
    return False


def _replay_chain(
    chain: list[str], recorder: Any, base_url: str, headers: dict[str, str], timeout: float, session: Any
) -> tuple[Any, dict[str, tuple[Any, Any]]] | None:
    """Send the cases of ``chain`` (oldest first) again, each link's values extracted anew from its
    parent's new answer; a new recorder of the chain and ``{case id: (case, response)}``."""
    from schemathesis.engine.recorder import ScenarioRecorder
    from schemathesis.generation.stateful.state_machine import StepOutput

    fresh = ScenarioRecorder(label=recorder.label)
    outputs: dict[str, tuple[Any, Any]] = {}
    for case_id in chain:
        node = recorder.cases.get(case_id)
        if node is None:
            return None
        case = _copy_case(node.value)
        transition = node.transition
        parent_id = node.parent_id if node.parent_id in outputs else None
        if transition is not None and transition.parent_id in outputs:
            parent_case, parent_response = outputs[transition.parent_id]
            if not _relink(case, transition, StepOutput(parent_response, parent_case)):
                return None
        fresh.record_case(
            case=case,
            parent_id=parent_id,
            transition=transition,
            is_transition_applied=node.is_transition_applied,
        )
        try:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=timeout)
        except Exception:  # noqa: BLE001 - a step that cannot be sent: the chain is not replayed
            return None
        fresh.record_response(case_id=case.id, response=response)
        outputs[case.id] = (case, response)
    return fresh, outputs


def _copy_case(case: Any) -> Any:
    """A copy whose containers can change without touching the recorded case (slot by slot:
    ``copy.copy`` would set them through the case's change tracking before it exists)."""
    copied = object.__new__(type(case))
    for cls in type(case).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if hasattr(case, slot):
                object.__setattr__(copied, slot, getattr(case, slot))
    for name in ("path_parameters", "query", "headers", "cookies"):
        value = getattr(case, name, None)
        if value is not None:
            object.__setattr__(copied, name, copy.copy(value))
    if isinstance(case.body, dict | list):
        object.__setattr__(copied, "body", copy.deepcopy(case.body))
    return copied


def _relink(case: Any, transition: Any, output: Any) -> bool:
    """Put the values the links of ``transition`` extract from ``output`` where the old ones were."""
    from schemathesis.specs.openapi import expressions

    evaluate = expressions.evaluate_wildcard if transition.is_inferred else expressions.evaluate
    for container_name, params in transition.parameters.items():
        container = getattr(case, str(container_name), None)
        for name, extracted in params.items():
            old = _value(extracted)
            if old is _MISSING or container is None or name not in container:
                continue
            try:
                new = evaluate(extracted.definition, output)
            except Exception:  # noqa: BLE001 - the new answer lacks what the link reads
                return False
            if type(new).__name__ in ("Unresolvable", "MultiMatch"):
                return False
            if container[name] == old or str(container[name]) == str(old):
                container[name] = new
    body = transition.request_body
    if body is not None and _value(body) is not _MISSING:
        try:
            if transition.is_inferred:
                new_body = expressions.evaluate_wildcard(body.definition, output)
            else:
                new_body = expressions.evaluate(body.definition, output, evaluate_nested=True)
        except Exception:  # noqa: BLE001
            return False
        pairs: dict[str, Any] = {}
        _pair_leaves(_value(body), new_body, pairs)
        if pairs:
            case.body = _swap_leaves(case.body, pairs)
    return True


_MISSING = object()


def _value(extracted: Any) -> Any:
    result = extracted.value
    return result.ok() if hasattr(result, "ok") else _MISSING


def _pair_leaves(old: Any, new: Any, pairs: dict[str, Any]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() & new.keys():
            _pair_leaves(old[key], new[key], pairs)
    elif isinstance(old, list) and isinstance(new, list):
        for a, b in zip(old, new, strict=False):
            _pair_leaves(a, b, pairs)
    elif isinstance(old, str | int | float) and not isinstance(old, bool) and old != new:
        pairs[json.dumps(old)] = new


def _swap_leaves(value: Any, pairs: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _swap_leaves(v, pairs) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap_leaves(v, pairs) for v in value]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return pairs.get(json.dumps(value), value)
    return value


def _preload() -> None:
    """Import what :func:`run` needs while the parent still loads the contract."""
    import requests  # noqa: F401
    import schemathesis  # noqa: F401
    from schemathesis.checks import load_all_checks
    from schemathesis.cli.loaders import into_event_stream  # noqa: F401
    from schemathesis.engine import from_schema  # noqa: F401

    load_all_checks()


def main() -> None:
    _preload()
    where = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline().strip()
    if not where:  # the parent gave up (bad input): nothing to run
        os._exit(0)
    with open(where, encoding="utf-8") as handle:  # noqa: PTH123
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
