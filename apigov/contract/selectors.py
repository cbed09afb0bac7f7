"""Consumer version selectors: which pacts a provider verifies.

A selector is a JSON object as the Pact Broker takes it: ``{"mainBranch": true}``,
``{"branch": "feat-x"}``, ``{"deployedOrReleased": true}``, ``{"deployed": true}``,
``{"released": true}``, ``{"environment": "production"}`` (with ``deployed``/``released`` or
alone), ``{"latest": true}``, ``{"tag": "prod", "latest": true}``, ``{"matchingBranch": true}``
(with a provider branch), each optionally restricted by ``"consumer": NAME``. No selectors means
``{"latest": true}`` of every consumer. A main branch is ``main`` or ``master``. Pacts with the
same content are verified once; each result names every selector that chose it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Final

from apigov.contract.model import PactPublication, PactState
from apigov.core.errors import InputError

__all__ = ["Chosen", "parse_selectors", "select_pacts"]

_KEYS: Final = frozenset(
    {
        "mainBranch",
        "branch",
        "deployedOrReleased",
        "deployed",
        "released",
        "environment",
        "latest",
        "tag",
        "consumer",
        "matchingBranch",
        "fallbackTag",
        "fallbackBranch",
    }
)
_MAIN: Final = ("main", "master")


@dataclass(slots=True)
class Chosen:
    publication: PactPublication
    why: list[str] = field(default_factory=list)


def parse_selectors(value: object) -> list[dict[str, object]]:
    """Selectors from parsed JSON (a list of objects), or an InputError naming the problem."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InputError(
                "consumer version selectors must be JSON", hint='for example [{"mainBranch": true}]'
            ) from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(s, dict) for s in value):
        raise InputError(
            "consumer version selectors must be a list of objects", hint='for example [{"deployed": true}]'
        )
    for s in value:
        unknown = sorted(set(s) - _KEYS)
        if unknown:
            raise InputError(
                f"unknown consumer version selector key {unknown[0][:40]!r}",
                hint="use " + ", ".join(sorted(_KEYS)),
            )
    return list(value)


def _describe(s: dict[str, object]) -> str:
    return json.dumps(s, sort_keys=True, separators=(",", ":"))


def select_pacts(
    state: PactState, provider: str, selectors: list[dict[str, object]], provider_branch: str = ""
) -> list[Chosen]:
    pubs = [p for p in state.publications.values() if p.provider == provider]
    if not selectors:
        selectors = [{"latest": True}]
    chosen: dict[str, Chosen] = {}

    def pick(p: PactPublication, s: dict[str, object]) -> None:
        entry = chosen.setdefault(p.digest, Chosen(p))
        if p.publication_order() > entry.publication.publication_order():
            entry.publication = p
        text = _describe(s)
        if text not in entry.why:
            entry.why.append(text)

    for s in selectors:
        candidates = pubs
        if isinstance(s.get("consumer"), str):
            candidates = [p for p in candidates if p.consumer == s["consumer"]]
        env = s.get("environment")
        if s.get("deployedOrReleased") or s.get("deployed") or s.get("released") or isinstance(env, str):
            kinds = {"deployment", "release"}
            if s.get("deployed") and not s.get("released"):
                kinds = {"deployment"}
            elif s.get("released") and not s.get("deployed"):
                kinds = {"release"}
            live = {
                (d.pacticipant, d.version)
                for d in state.deployments
                if d.current and d.kind in kinds and (not isinstance(env, str) or d.environment == env)
            }
            for p in candidates:
                if (p.consumer, p.consumer_version) in live:
                    pick(p, s)
            continue
        branch: str | None = None
        if s.get("mainBranch"):
            branch = "main"
        elif isinstance(s.get("branch"), str):
            branch = str(s["branch"])
        elif s.get("matchingBranch"):
            if not provider_branch:
                continue
            branch = provider_branch
        tag = s.get("tag") if isinstance(s.get("tag"), str) else None

        def fits(
            p: PactPublication, s: dict[str, object] = s, branch: str | None = branch, tag: object = tag
        ) -> bool:
            v = state.versions.get((p.consumer, p.consumer_version))
            if v is None:
                return False
            if branch is not None:
                wanted = _MAIN if branch == "main" and s.get("mainBranch") else (branch,)
                if not any(b in v.branches for b in wanted):
                    return False
            return tag is None or tag in v.tags

        matching = [p for p in candidates if fits(p)]
        latest_only = (
            s.get("latest") is True
            or (branch is not None and s.get("latest") is not False)
            or (tag is None and branch is None)
        )
        if latest_only:
            newest: dict[str, PactPublication] = {}
            for p in matching:
                if p.consumer not in newest or p.publication_order() > newest[p.consumer].publication_order():
                    newest[p.consumer] = p
            matching = list(newest.values())
        for p in matching:
            pick(p, s)
    return sorted(chosen.values(), key=lambda c: (c.publication.consumer, c.publication.consumer_version))
