"""What every part of the Pact Broker API (:mod:`apigov.server.routers.pact`) shares: the
store, authorisation, bodies and path values, and the Pact Broker's error bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response

from apigov.contract.model import (
    PactPublication,
    PactState,
    check_name,
    check_version,
)
from apigov.contract.store import PactStore, pact_store_of
from apigov.core.errors import InputError
from apigov.registry.tokens import TokenRecord, write_refusal
from apigov.server._http import MalformedBody, Problem, Shared, json_object, media_type, read_body
from apigov.server.routers._pact_json import pact_links

__all__ = ["BASE", "HAL", "Broker", "BrokerError", "Handler", "endpoint", "hal"]

BASE: Final = "/pact"
HAL: Final = "application/hal+json"


class BrokerError(Exception):
    def __init__(
        self, status: int, message: str, field: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.field, self.headers = status, message, field, headers

    def response(self) -> Response:
        body: dict[str, object]
        if self.field is not None:
            body = {"errors": {self.field: [self.message]}}
        else:
            body = {"error": {"message": self.message}}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else {}
        headers.update(self.headers or {})
        return Response(orjson.dumps(body), self.status, headers, media_type="application/json")


def hal(value: object, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status, media_type=HAL)


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(
    name: str, handler: Callable[[Request], Awaitable[Response]]
) -> Callable[[Request], Awaitable[Response]]:
    async def answer(request: Request) -> Response:
        try:
            return await handler(request)
        except BrokerError as error:
            return error.response()
        except Problem as problem:
            status = 404 if problem.code == "not-found" else problem.status
            if problem.code == "version-exists":
                status = 409
            return BrokerError(status, problem.detail).response()

    answer.__name__ = name
    return answer


class Broker:
    """The shared state and helpers of the broker's handlers (one per server)."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self._holder: list[PactStore] = []

    def store(self) -> PactStore:
        if not self._holder:
            self._holder.append(pact_store_of(self.shared.backend))
        return self._holder[0]

    def base(self, request: Request) -> str:
        return str(request.base_url).rstrip("/") + BASE

    async def snapshot(self) -> PactState:
        peek = getattr(self.store(), "peek", None)  # a store that keeps the state in memory (PostgreSQL)
        kept = peek() if callable(peek) else None
        if isinstance(kept, PactState):
            return kept
        return await self.shared.read(lambda: self.store().snapshot())  # type: ignore[no-any-return]

    async def change(self, contents: dict[str, bytes], step: Callable[[PactState], Any]) -> Any:
        return await self.shared.call(lambda: self.store().change(contents, step))

    async def authorize(
        self, request: Request, needed: str, pacticipants: tuple[str, ...] = ()
    ) -> TokenRecord | None:
        try:
            record = await self.shared.authorize(request, needed)
        except Problem as problem:
            raise BrokerError(problem.status, problem.detail, headers=problem.headers) from None
        if needed != "read":
            refusal = write_refusal(record, pacticipants=pacticipants)
            if refusal is not None:
                raise BrokerError(403, refusal)
        return record

    async def body(self, request: Request) -> dict[str, Any]:
        try:
            return json_object(await self.raw_body(request), empty={})
        except MalformedBody as exc:
            raise BrokerError(400, str(exc)) from None

    async def raw_body(self, request: Request) -> bytes:
        """The body of a JSON request (a missing Content-Type is taken as JSON, as pact clients
        send; another media type is refused with 415)."""
        media, _ = media_type(request)
        if media is not None and media != "application/json" and not media.endswith("+json"):
            raise BrokerError(415, f"unsupported content type {media[:80]!r}; send application/json")
        try:
            return await read_body(request, self.shared.settings.max_body)
        except Problem as problem:
            raise BrokerError(problem.status, problem.detail) from None

    def name_of(self, request: Request, key: str, what: str = "pacticipant") -> str:
        try:
            return check_name(str(request.path_params[key]), what)
        except InputError as exc:
            raise BrokerError(400, str(exc), key) from None

    def version_of(self, request: Request, key: str = "version") -> str:
        try:
            return check_version(str(request.path_params[key]))
        except InputError as exc:
            raise BrokerError(400, str(exc), key) from None

    async def guarded(self, func: Callable[[], Awaitable[Any]]) -> Any:
        try:
            return await func()
        except Problem as problem:
            raise BrokerError(
                problem.status if problem.code != "not-found" else 404, problem.detail
            ) from None

    async def pact_response(self, request: Request, p: PactPublication) -> Response:
        raw = await self.shared.call(lambda: self.store().content(p.digest))
        document = orjson.loads(raw)
        document["createdAt"] = p.published_at
        document["_links"] = pact_links(self.base(request), p)
        return hal(document)
