"""``apigov pact verify``: replay consumers' pacts against a running provider with pact-python 4's
Verifier (the Rust verifier in its wheel), one pact content at a time so each result belongs to
one pact digest, and record the results when asked.

pact-python is imported inside :func:`verify_provider` only (the ``contract`` extra).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from apigov.contract.model import Failure, PactState, Verification, check_name, check_version
from apigov.contract.selectors import Chosen, select_pacts
from apigov.contract.store import PactStore
from apigov.core.errors import ConfigError, InputError

__all__ = ["PactResult", "VerifyOutcome", "failures_of", "verify_provider"]

_ANSI: Final = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True, slots=True)
class PactResult:
    chosen: Chosen
    success: bool
    failures: tuple[Failure, ...]
    output: str
    interactions: int


@dataclass(slots=True)
class VerifyOutcome:
    provider: str
    provider_version: str
    results: list[PactResult] = field(default_factory=list)
    recorded: list[Verification] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)


def failures_of(results: dict[str, Any]) -> tuple[Failure, ...]:
    """The failed interactions in a Verifier's JSON results: description and, per mismatch,
    ``path: expected ... actual ...`` as Pact reports it."""
    found: list[Failure] = []
    for item in results.get("interactionResults", []) or []:
        if not isinstance(item, dict) or str(item.get("result")).lower() in ("ok", "true", "success"):
            continue
        if item.get("pending"):
            continue
        mismatch = item.get("mismatch") or {}
        lines = []
        if isinstance(mismatch, dict):
            for m in mismatch.get("mismatches", []) or []:
                if isinstance(m, dict):
                    where = f"{m.get('path')}: " if m.get("path") else ""
                    lines.append(
                        f"{m.get('type', 'Mismatch')} {where}{m.get('mismatch', '')}"
                        f" (expected {m.get('expected', '?')}, actual {m.get('actual', '?')})"
                    )
            if not lines and mismatch.get("message"):
                lines.append(str(mismatch.get("message")))
        found.append(Failure(str(item.get("description", "?")), "; ".join(lines)[:4000] or "failed"))
    return tuple(found)


def verify_provider(
    store: PactStore,
    *,
    provider: str,
    base_url: str,
    provider_version: str,
    provider_branch: str = "",
    state_change_url: str = "",
    selectors: Sequence[dict[str, object]] = (),
    publish: bool = False,
    verifier_name: str = "apigov pact verify",
    at: str,
) -> VerifyOutcome:
    check_name(provider, "provider")
    check_version(provider_version, "provider version")
    if not base_url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"--base-url {base_url[:80]!r} is not an http(s) URL")
    state = store.snapshot()
    if not any(p.provider == provider for p in state.publications.values()):
        raise InputError(
            f"no pact names {provider!r} as its provider",
            hint="publish the consumers' pacts first (apigov pact publish)",
        )
    chosen = select_pacts(state, provider, list(selectors), provider_branch)
    outcome = VerifyOutcome(provider, provider_version)
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    from pact import Verifier

    host = "127.0.0.1" if "127.0.0.1" in base_url else None
    with tempfile.TemporaryDirectory(prefix="apigov-verify-") as tmp:
        for index, choice in enumerate(chosen):
            content = store.content(choice.publication.digest)
            path = Path(tmp) / f"pact-{index}.json"
            path.write_bytes(content)
            verifier = Verifier(provider, host=host).add_transport(url=base_url).add_source(str(path))
            if state_change_url:
                verifier.state_handler(state_change_url, body=True, teardown=False)
            with contextlib.suppress(RuntimeError):  # the results say what failed
                verifier.verify()
            results = verifier.results
            failures = failures_of(results)
            success = bool(results.get("result")) and not failures
            if not success and not failures:
                errors = results.get("errors") or []
                failures = (
                    Failure("(verification)", _ANSI.sub("", str(errors)[:2000]) or "the verifier failed"),
                )
            interactions = len(results.get("interactionResults", []) or [])
            outcome.results.append(
                PactResult(choice, success, failures, verifier.output(strip_ansi=True), interactions)
            )
    if publish and outcome.results:

        def step(state: PactState) -> list[Verification]:
            return [
                state.record_verification(
                    Verification(
                        r.chosen.publication.digest,
                        r.chosen.publication.consumer,
                        provider,
                        provider_version,
                        r.success,
                        r.failures,
                        verifier_name,
                        "",
                        at,
                    ),
                    branch=provider_branch,
                )
                for r in outcome.results
            ]

        outcome.recorded = store.change({}, step)
    return outcome
