"""The deploy view: for each consumer and provider with a pact, the matrix of consumer versions
(rows) by provider versions (columns), each cell the latest verification of that consumer
version's pact by that provider version (verified, failed, or missing), as can-i-deploy reads
them (:func:`apigov.contract.matrix.latest_verification`); versions currently in the chosen
environment are marked, and the can-i-deploy answer for each pacticipant version there is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from apigov.contract.matrix import Answer, can_i_deploy, latest_verification
from apigov.contract.model import PactState, Verification
from apigov.core.errors import InputError

__all__ = ["Cell", "Matrix", "Placed", "matrices", "placed"]

_VERSIONS: Final = 8
"""Versions shown per side of a matrix (the newest)."""


@dataclass(frozen=True, slots=True)
class Cell:
    status: str
    """``verified``, ``failed``, ``missing`` or ``none`` (no pact of that consumer version)."""
    verification: Verification | None = None


@dataclass(slots=True)
class Matrix:
    consumer: str
    provider: str
    consumer_versions: list[str] = field(default_factory=list)
    provider_versions: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    in_environment: set[tuple[str, str]] = field(default_factory=set)
    """(pacticipant, version) currently in the environment."""

    def cell(self, consumer_version: str, provider_version: str) -> Cell:
        return self.cells.get((consumer_version, provider_version), Cell("none"))


@dataclass(frozen=True, slots=True)
class Placed:
    """A pacticipant version currently in the environment, with can-i-deploy's answer for it."""

    pacticipant: str
    version: str
    kind: str
    since: str
    answer: Answer | None
    error: str = ""


def _seq(state: PactState, pacticipant: str, version: str) -> int:
    known = state.versions.get((pacticipant, version))
    return known.seq if known else 0


def _current(state: PactState, environment: str) -> set[tuple[str, str]]:
    return {
        (d.pacticipant, d.version) for d in state.deployments if d.current and d.environment == environment
    }


def matrices(state: PactState, environment: str) -> list[Matrix]:
    """One matrix per (consumer, provider) pair with a pact, by name."""
    current = _current(state, environment) if environment else set()
    pairs: dict[tuple[str, str], Matrix] = {}
    for pub in state.publications.values():
        matrix = pairs.setdefault((pub.consumer, pub.provider), Matrix(pub.consumer, pub.provider))
        if pub.consumer_version not in matrix.consumer_versions:
            matrix.consumer_versions.append(pub.consumer_version)
    for v in state.verifications:
        verified = pairs.get((v.consumer, v.provider))
        if verified is not None and v.provider_version not in verified.provider_versions:
            verified.provider_versions.append(v.provider_version)
    for pacticipant, version in current:
        for matrix in pairs.values():
            if matrix.provider == pacticipant and version not in matrix.provider_versions:
                matrix.provider_versions.append(version)
    for matrix in pairs.values():
        matrix.in_environment = {pv for pv in current if pv[0] in (matrix.consumer, matrix.provider)}

        def newest(pacticipant: str, versions: list[str]) -> list[str]:
            ordered = sorted(versions, key=lambda v: -_seq(state, pacticipant, v))
            kept = ordered[:_VERSIONS]
            kept += [v for v in ordered[_VERSIONS:] if (pacticipant, v) in current]
            return kept

        matrix.consumer_versions = newest(matrix.consumer, matrix.consumer_versions)
        matrix.provider_versions = newest(matrix.provider, matrix.provider_versions)
        for cv in matrix.consumer_versions:
            published = state.publications.get((matrix.consumer, matrix.provider, cv))
            if published is None:
                continue
            for pv in matrix.provider_versions:
                found = latest_verification(state, published.digest, matrix.provider, pv)
                status = "missing" if found is None else ("verified" if found.success else "failed")
                matrix.cells[(cv, pv)] = Cell(status, found)
    return [pairs[key] for key in sorted(pairs)]


def placed(state: PactState, environment: str) -> list[Placed]:
    """What is in ``environment`` now, each with can-i-deploy's answer (it is asked as if it
    were deployed again, so a *no* says the environment changed under it)."""
    found = []
    for d in sorted(state.deployments, key=lambda d: (d.pacticipant, d.version)):
        if not d.current or d.environment != environment:
            continue
        try:
            answer: Answer | None = can_i_deploy(state, [(d.pacticipant, d.version)], environment)
            error = ""
        except InputError as exc:
            answer, error = None, str(exc)
        found.append(Placed(d.pacticipant, d.version, d.kind, d.started_at, answer, error))
    return found
