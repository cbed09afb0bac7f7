"""``apigov can-i-deploy --require-fuzz``: does the contract version a pacticipant version provides
have a passing recorded fuzz run?

Which contract version a pacticipant version provides:

- ``--contract SUBJECT@VERSION`` (one per ``--pacticipant``, in the same order) names it;
- without it, the subject is named like the pacticipant, and the version is the contract version
  of the newest run recorded with ``--service-version`` equal to the pacticipant version.

The newest run of that contract version (by its end time, whichever service version it
fuzzed) must have passed, with checks covering at least the default set
(:data:`~apigov.fuzz.model.DEFAULT_CHECKS`). Otherwise the answer is no, with a reason naming
the run (or saying there is none).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apigov.core.errors import UnknownSubject
from apigov.fuzz.model import DEFAULT_CHECKS
from apigov.fuzz.store import FuzzRunStore

__all__ = ["FuzzVerdict", "require_fuzz"]


@dataclass(frozen=True, slots=True)
class FuzzVerdict:
    pacticipant: str
    version: str
    contract: str
    """``subject@version``, or ``""`` when none was found"""
    run: dict[str, Any] | None
    ok: bool
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "pacticipant": self.pacticipant,
            "version": self.version,
            "contract": self.contract,
            "run": None if self.run is None else self.run.get("id"),
            "ok": self.ok,
            "reason": self.reason,
        }


def _versions_of(location: str, subject: str) -> list[str]:
    from apigov.registry.location import open_backend

    try:
        info = open_backend(location).subject(subject)
    except UnknownSubject:
        return []
    return [str(v) for v in info.versions]


def require_fuzz(
    store: FuzzRunStore, location: str, pacticipant: str, version: str, contract: str | None
) -> FuzzVerdict:
    """The verdict for ``pacticipant@version`` (see the module docstring)."""
    from apigov.registry.refs import parse_ref

    who = f"{pacticipant}@{version}"
    if contract:
        ref = parse_ref(contract)
        if ref.version is None:
            versions = _versions_of(location, ref.subject)
            if not versions:
                return FuzzVerdict(
                    pacticipant, version, contract, None, False, f"{who}: no contract {contract}"
                )
            cversion = versions[-1]
        else:
            cversion = str(ref.version)
        subject = ref.subject
    else:
        subject, cversion = pacticipant, ""
        newest: dict[str, Any] | None = None
        for candidate in _versions_of(location, subject):
            for run in store.runs(subject, candidate):
                if run.get("service_version") == version and (
                    newest is None or str(run.get("ended_at", "")) > str(newest.get("ended_at", ""))
                ):
                    newest, cversion = run, candidate
        if newest is None:
            return FuzzVerdict(
                pacticipant,
                version,
                "",
                None,
                False,
                f"{who}: no fuzz run of a version of contract {subject} is recorded for service version "
                f"{version} (name the contract with --contract SUBJECT@VERSION)",
            )
    name = f"{subject}@{cversion}"
    runs = store.runs(subject, cversion)
    if not runs:
        return FuzzVerdict(
            pacticipant, version, name, None, False, f"{who}: no fuzz run of {name} is recorded"
        )
    run = runs[0]
    label = f"fuzz run {str(run.get('id', ''))[:12]} of {name} ({run.get('ended_at')}, service {run.get('service_version')})"
    if not run.get("passed"):
        count = len(run.get("failures") or [])
        return FuzzVerdict(
            pacticipant, version, name, run, False, f"{who}: {label} failed with {count} failure(s)"
        )
    missing = [c for c in DEFAULT_CHECKS if c not in (run.get("checks") or [])]
    if missing:
        return FuzzVerdict(
            pacticipant,
            version,
            name,
            run,
            False,
            f"{who}: {label} passed without the default check(s) {', '.join(missing)}",
        )
    return FuzzVerdict(pacticipant, version, name, run, True, f"{who}: {label} passed")
