"""can-i-deploy: may these pacticipant versions go to an environment?

The answer comes from the verification matrix and what the environment holds now. For the
pacticipant ``S`` at version ``V`` going to environment ``E`` (others named in the same question
count at the versions given, not at what ``E`` holds):

* **as a consumer**: for each provider of a pact ``S@V`` published, every version of that
  provider currently deployed or released in ``E`` must have verified that pact's content
  successfully. A provider with no version in ``E`` is a *no* ("nothing in E would serve it").
* **as a provider**: for each consumer version currently in ``E`` with a pact with ``S``,
  ``S@V`` must have verified that pact's content successfully.
* ``S`` has **no integrations** (no pact names it): the answer is *yes*, with the reason saying
  so (nothing can break that no pact describes).
* ``V`` is unknown while ``S`` has pacts as a consumer: *no*, no pacts were published for ``V``.

Every row of the answer names the selector that brought it (``to deploy`` or ``in E``), the
environment and the verification (id, result, time) that decided it; every *no* has a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apigov.contract.model import PactPublication, PactState, Verification, check_name
from apigov.core.errors import InputError, UnknownSubject

__all__ = ["Answer", "Row", "can_i_deploy", "latest_verification"]


@dataclass(frozen=True, slots=True)
class Row:
    consumer: str
    consumer_version: str
    provider: str
    provider_version: str | None
    selector: str
    """Why this row is asked: ``to deploy``, ``deployed in E`` or ``released in E``."""
    digest: str
    verification: Verification | None
    ok: bool
    reason: str = ""

    def to_json(self) -> dict[str, object]:
        v = self.verification
        return {
            "consumer": {"name": self.consumer, "version": self.consumer_version},
            "provider": {"name": self.provider, "version": self.provider_version},
            "selector": self.selector,
            "pact_digest": self.digest,
            "verification": None
            if v is None
            else {"id": v.id, "success": v.success, "verified_at": v.verified_at, "verifier": v.verifier},
            "ok": self.ok,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Answer:
    deployable: bool
    environment: str
    asked: list[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.deployable:
            return "yes: " + (
                "; ".join(self.notices)
                if self.notices
                else "all required verification results are published and successful"
            )
        return "no: " + "; ".join(self.reasons)

    def to_json(self) -> dict[str, object]:
        return {
            "apigov": "can-i-deploy/1",
            "deployable": self.deployable,
            "environment": self.environment,
            "pacticipants": [{"name": n, "version": v} for n, v in self.asked],
            "summary": self.summary(),
            "reasons": list(self.reasons),
            "notices": list(self.notices),
            "rows": [r.to_json() for r in self.rows],
        }


def latest_verification(state: PactState, digest: str, provider: str, version: str) -> Verification | None:
    found = None
    for v in state.verifications:
        if v.digest == digest and v.provider == provider and v.provider_version == version:
            found = v  # ids grow: the last one wins
    return found


def _in_environment(state: PactState, pacticipant: str, environment: str) -> list[tuple[str, str]]:
    """``(version, selector)`` of the versions of ``pacticipant`` currently in ``environment``."""
    seen: dict[str, str] = {}
    for d in state.deployments:
        if d.current and d.pacticipant == pacticipant and d.environment == environment:
            seen.setdefault(
                d.version, f"{'deployed' if d.kind == 'deployment' else 'released'} in {environment}"
            )
    return sorted(seen.items(), key=lambda item: _seq(state, pacticipant, item[0]))


def _seq(state: PactState, pacticipant: str, version: str) -> int:
    known = state.versions.get((pacticipant, version))
    return known.seq if known else 0


def latest_version(state: PactState, pacticipant: str, branch: str = "") -> str:
    best = None
    for v in state.versions.values():
        if (
            v.pacticipant == pacticipant
            and (not branch or branch in v.branches)
            and (best is None or v.seq > best.seq)
        ):
            best = v
    if best is None:
        raise UnknownSubject(
            f"{pacticipant} has no versions" + (f" on branch {branch}" if branch else ""),
            hint="publish pacts or verification results for it first",
        )
    return best.version


def _row(
    state: PactState, pub: PactPublication, provider_version: str, selector: str, environment: str
) -> Row:
    found = latest_verification(state, pub.digest, pub.provider, provider_version)
    consumer_at = f"{pub.consumer}@{pub.consumer_version}"
    provider_at = f"{pub.provider}@{provider_version}"
    if found is None:
        reason = f"the pact {consumer_at} -> {pub.provider} (sha256 {pub.digest[:12]}) was never verified by {provider_at} ({selector})"
    elif not found.success:
        failed = ", ".join(repr(f.interaction) for f in found.failures[:3]) or "no detail"
        reason = (
            f"verification #{found.id} of {consumer_at} by {provider_at} ({selector}) failed at "
            f"{found.verified_at}: {failed}"
        )
    else:
        reason = ""
    ok = found is not None and found.success
    return Row(
        pub.consumer,
        pub.consumer_version,
        pub.provider,
        provider_version,
        selector,
        pub.digest,
        found,
        ok,
        reason,
    )


def can_i_deploy(state: PactState, asked: list[tuple[str, str]], environment: str) -> Answer:
    """Answer for the pacticipant versions ``asked`` going to ``environment`` together."""
    check_name(environment, "environment")
    if not asked:
        raise InputError("name at least one pacticipant", hint="--pacticipant NAME --version V")
    together = dict(asked)
    if len(together) != len(asked):
        raise InputError("a pacticipant is named twice")
    names = {v.pacticipant for v in state.versions.values()} | {
        p.provider for p in state.publications.values()
    }
    for name, _ in asked:
        check_name(name)
        if name not in names:
            raise UnknownSubject(
                f"unknown pacticipant {name!r}", hint="publish its pacts or verification results first"
            )
    answer = Answer(True, environment, list(asked))

    def versions_of(pacticipant: str) -> list[tuple[str, str]]:
        if pacticipant in together:
            return [(together[pacticipant], "to deploy")]
        return _in_environment(state, pacticipant, environment)

    for name, version in asked:
        as_consumer = [p for p in state.publications.values() if p.consumer == name]
        as_provider = [p for p in state.publications.values() if p.provider == name]
        if not as_consumer and not as_provider:
            answer.notices.append(
                f"{name} has no integrations: no pact names it as a consumer or a provider, so no "
                "consumer or provider can be broken by deploying it"
            )
            continue
        mine = [p for p in as_consumer if p.consumer_version == version]
        if as_consumer and not mine:
            answer.reasons.append(
                f"no pacts were published for {name}@{version} (it is a consumer of "
                f"{', '.join(sorted({p.provider for p in as_consumer}))})"
            )
        for pub in sorted(mine, key=lambda p: p.provider):
            providers = versions_of(pub.provider)
            if not providers:
                answer.reasons.append(
                    f"no version of {pub.provider} is deployed or released in {environment}, so nothing "
                    f"there verified the pact {name}@{version} -> {pub.provider}"
                )
            for provider_version, selector in providers:
                answer.rows.append(_row(state, pub, provider_version, selector, environment))
        consumers = sorted({p.consumer for p in as_provider if p.consumer != name})
        for consumer in consumers:
            for consumer_version, selector in versions_of(consumer):
                theirs = state.publications.get((consumer, name, consumer_version))
                if theirs is None:
                    continue  # that consumer version has no pact with this provider
                answer.rows.append(_row(state, theirs, version, selector, environment))
    answer.reasons.extend(r.reason for r in answer.rows if not r.ok)
    answer.deployable = not answer.reasons
    if answer.deployable and not answer.rows and not answer.notices:
        answer.notices.append(
            f"no integration of {', '.join(n for n, _ in asked)} has a counterpart in {environment}"
        )
    return answer
