"""Pacts of a remote ``apigov serve``, through its Pact Broker API under ``/pact``.

Reads use apigov's extension of that API (``GET /pact/apigov/state``: every record;
``GET /pact/apigov/contents/{digest}``: a pact). A change is applied to a copy of the remote
state, checked there by the same rules as every store (:class:`~apigov.contract.model.PactState`),
and what it added is sent as the Pact Broker requests the official tools make: pacts
(``PUT /pacts/provider/P/consumer/C/version/V``), branches and tags, environments, verification
results, deployments and releases, undeployments. The server judges each request again, so a
change another client made in between is refused there, never overwritten. A change of several
pacts is several requests (each atomic on the server; a refused one stops the rest).

The token comes from ``APIGOV_TOKEN`` (the one of the registry's HTTP backend).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from apigov.contract.model import Environment, PactState
from apigov.core.errors import BackendUnavailable, InputError, RegistryError, UnknownSubject, VersionExists
from apigov.registry.stores import TOKEN_ENV, remote_client

__all__ = ["HttpPactStore"]

T = TypeVar("T")


def _q(text: str) -> str:
    return quote(text, safe="")


class HttpPactStore:
    def __init__(self, url: str, *, token: str | None = None, client: httpx.Client | None = None) -> None:
        self._base = url.rstrip("/")
        if not self._base.endswith("/pact"):
            self._base += "/pact"
        self._client = remote_client(token, client)

    @property
    def location(self) -> str:
        return self._base

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            answer = self._client.request(method, self._base + path, **kwargs)
        except httpx.HTTPError as exc:
            raise BackendUnavailable(f"cannot reach {self._base}: {exc}") from None
        if answer.status_code < 400:
            return answer
        try:
            body = answer.json()
            message = body.get("error", {}).get("message") or "; ".join(
                f"{k}: {' '.join(v)}" for k, v in (body.get("errors") or {}).items()
            )
        except (ValueError, AttributeError):
            message = answer.text[:200]
        text = f"{self._base} answered {answer.status_code}: {message}"
        if answer.status_code == 404:
            raise UnknownSubject(text)
        if answer.status_code == 409:
            raise VersionExists(text)
        if answer.status_code in (401, 403):
            raise RegistryError(text, hint=f"give a token of the right scope in {TOKEN_ENV}")
        if answer.status_code >= 500:
            raise BackendUnavailable(text)
        raise InputError(text)

    def snapshot(self) -> PactState:
        try:
            return PactState.from_json(self._call("GET", "/apigov/state").json())
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryError(f"{self._base} answered a pact state apigov cannot read: {exc}") from None

    def content(self, digest: str) -> bytes:
        return self._call("GET", f"/apigov/contents/{_q(digest)}").content

    def change(self, contents: dict[str, bytes], step: Callable[[PactState], T]) -> T:
        before = self.snapshot()
        after = before.copy()
        result = step(after)
        for name, env in after.environments.items():
            if name not in before.environments:
                self._call(
                    "POST",
                    "/environments",
                    json={
                        "name": name,
                        "displayName": env.display_name or name,
                        "production": env.production,
                    },
                )
        for key, pub in after.publications.items():
            if key not in before.publications:
                self._call(
                    "PUT",
                    f"/pacts/provider/{_q(pub.provider)}/consumer/{_q(pub.consumer)}/version/{_q(pub.consumer_version)}",
                    content=contents[pub.digest],
                    headers={"Content-Type": "application/json"},
                )
        for vkey, v in after.versions.items():
            old = before.versions.get(vkey)
            new_branches = [b for b in v.branches if old is None or b not in old.branches]
            new_tags = [t for t in v.tags if old is None or t not in old.tags]
            if old is None and not new_branches:
                self._call("PUT", f"/pacticipants/{_q(v.pacticipant)}/versions/{_q(v.version)}", json={})
            for branch in new_branches:
                self._call(
                    "PUT",
                    f"/pacticipants/{_q(v.pacticipant)}/branches/{_q(branch)}/versions/{_q(v.version)}",
                    json={},
                )
            for tag in new_tags:
                self._call(
                    "PUT",
                    f"/pacticipants/{_q(v.pacticipant)}/versions/{_q(v.version)}/tags/{_q(tag)}",
                    json={},
                )
        known = {r.id for r in before.verifications}
        for r in after.verifications:
            if r.id not in known:
                self._call(
                    "POST",
                    f"/pacts/provider/{_q(r.provider)}/consumer/{_q(r.consumer)}/pact-version/{r.digest}/verification-results",
                    json={
                        "success": r.success,
                        "providerApplicationVersion": r.provider_version,
                        "verifiedBy": {"implementation": r.verifier or "apigov"},
                        "testResults": [
                            {
                                "interactionDescription": f.interaction,
                                "success": False,
                                "mismatches": [{"description": f.message}],
                            }
                            for f in r.failures
                        ],
                    },
                )
        old_deployments = {d.id: d for d in before.deployments}
        for d in after.deployments:
            was = old_deployments.get(d.id)
            kind = "deployed-versions" if d.kind == "deployment" else "released-versions"
            if was is None:
                uuid = Environment(d.environment).uuid
                self._call(
                    "POST",
                    f"/pacticipants/{_q(d.pacticipant)}/versions/{_q(d.version)}/{kind}/environment/{uuid}",
                    json={"applicationInstance": d.instance} if d.instance else {},
                )
            elif was.current and not d.current:
                flag = "currentlyDeployed" if d.kind == "deployment" else "currentlySupported"
                self._call("PATCH", f"/{kind}/{d.id}", json={flag: False})
        return result
