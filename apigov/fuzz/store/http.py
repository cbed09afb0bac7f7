"""Fuzz runs of a remote ``apigov serve``: ``GET``/``POST
/v1/subjects/{subject}/versions/{version}/fuzz-runs`` (the token comes from ``APIGOV_TOKEN``;
recording needs scope publish)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from apigov.core.errors import BackendUnavailable, InputError, RegistryError, UnknownSubject
from apigov.fuzz.store import check_record
from apigov.registry.stores import TOKEN_ENV, remote_client

__all__ = ["HttpFuzzStore"]


class HttpFuzzStore:
    def __init__(self, url: str, *, token: str | None = None, client: httpx.Client | None = None) -> None:
        self._base = url.rstrip("/")
        self._client = remote_client(token, client)

    @property
    def location(self) -> str:
        return self._base

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpFuzzStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _path(self, subject: str, version: str) -> str:
        return (
            f"{self._base}/v1/subjects/{quote(subject, safe='')}/versions/{quote(version, safe='')}/fuzz-runs"
        )

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            answer = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise BackendUnavailable(f"cannot reach {self._base}: {exc}") from None
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code < 400 and isinstance(body, dict):
            return body
        detail = body.get("detail") if isinstance(body, dict) else None
        text = f"{self._base} answered {answer.status_code}: {detail or answer.text[:200]}"
        if answer.status_code == 404:
            raise UnknownSubject(text)
        if answer.status_code in (401, 403):
            raise RegistryError(text, hint=f"give a token of the right scope in {TOKEN_ENV}")
        if answer.status_code >= 500 or answer.status_code < 400:
            raise BackendUnavailable(text)
        raise InputError(text)

    def add(self, record: dict[str, Any]) -> str:
        record = check_record(record)
        contract = record["contract"]
        body = self._call("POST", self._path(contract["subject"], contract["version"]), json=record)
        return str(body.get("id", ""))

    def runs(self, subject: str, version: str) -> list[dict[str, Any]]:
        body = self._call("GET", self._path(subject, version))
        runs = body.get("runs")
        if not isinstance(runs, list):
            raise RegistryError(f"{self._base} answered fuzz runs apigov cannot read")
        return [r for r in runs if isinstance(r, dict)]
