"""``apigov mock``: a server answering every operation of one or more OpenAPI contracts.

Each contract is served under the path of its first server URL (``https://api.shop.example.com/orders``
-> ``/orders``). For a request the mock:

1. finds the operation (unknown path: ``404``; known path, other method: ``405`` with ``Allow``);
2. validates the path, query and header parameters and the body against the contract (an invalid
   request gets the operation's ``400``, or ``422`` when only that is documented, as a problem
   document naming each failing field in ``errors[].pointer``);
3. chooses the response: ``Prefer: code=404`` / ``Prefer: example=NAME`` when sent; else the first
   ``x-apigov-mock`` rule of the operation whose ``when`` matches the request; else an example whose
   name, or whose value's top-level property, equals a path or query parameter value; else the
   first example of the lowest documented 2xx response;
4. builds the body: that example (or one another response gives for the same schema), or, when
   there is none, an instance generated from the response schema by :mod:`apigov.schema.instances`;
   ``dynamic`` generates first and falls back on the examples. A body is always
   checked against the response schema; when none can be built the answer is a ``500`` problem
   document naming the schema (:data:`NO_INSTANCE`), never an invalid body.

With ``stateful``, a ``POST`` on a collection stores the resource it answers (the response body,
with the request's properties where the schema accepts them, and a new id), ``GET`` of its item
path returns it (``404`` for ids never created), ``PATCH`` merges, ``DELETE`` removes it, and list
responses with an ``items`` array list what was created; at most ``memory_bytes`` of resources are
kept (the oldest are forgotten).

``x-apigov-mock`` (on an operation) is a list of rules::

    x-apigov-mock:
      - when: {query: {status: cancelled}}      # also path:, header:
        respond: {status: 200, example: cancelled}
      - when: {path: {orderId: ord_00000000000000000000000000}}
        respond: {status: 404}
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NamedTuple

from apigov.core._types import JSONValue
from apigov.core.errors import InputError
from apigov.fuzz.openapi import (
    METHODS,
    Operation,
    Validator,
    coerce,
    deref,
    load_openapi,
    merge_patch,
    new_id,
    operations,
    resolve,
)
from apigov.fuzz.openapi import escape as _escape

NO_INSTANCE: Final = "https://apigov.dev/problems/mock-no-valid-instance"
"""``type`` of the 500 problem answered when no valid response body can be built."""
INVALID_REQUEST: Final = "https://apigov.dev/problems/invalid-request"
DEFAULT_MEMORY: Final = 64 * 1024 * 1024
MAX_BODY: Final = 1024 * 1024


@dataclass
class _Operation(Operation):
    """An operation with what routing to it needs."""

    regex: re.Pattern[str] = re.compile("")
    names: list[str] = field(default_factory=list)
    """path parameter names, in the order of the regex groups p0, p1, ..."""
    rules: list[Any] = field(default_factory=list)
    literal_segments: int = 0


@dataclass
class MockedContract:
    """One contract behind its base path."""

    source: str
    base_path: str
    document: dict[str, Any]
    operations: list[_Operation] = field(default_factory=list)
    validator: Validator | None = None
    examples: dict[tuple[str, str], list[tuple[str, str, Any]]] = field(default_factory=dict)
    """(operation pointer, status) -> its examples"""
    verdicts: dict[tuple[str, int], bool] = field(default_factory=dict)
    """(schema pointer, id of an example object of the document) -> it validates"""
    parameter_errors: OrderedDict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=OrderedDict)
    """the errors of recent parameter values (at most 10,000 kept)"""


def load_contract(path: Path, source: str) -> MockedContract:
    """A bundled contract, ready to be served (a pattern RE2 cannot run is refused: the mock could
    not validate requests against it)."""
    import urllib.parse

    document = load_openapi(path, source)
    servers = document.get("servers")
    base = ""
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = str(servers[0].get("url", ""))
        variables = servers[0].get("variables")
        for name, variable in (variables if isinstance(variables, dict) else {}).items():
            if isinstance(variable, dict) and isinstance(variable.get("default"), str):
                url = url.replace("{" + str(name) + "}", variable["default"])
        base = urllib.parse.urlsplit(url).path.rstrip("/")
    if "{" in base or "}" in base:  # a variable without a default: served at the root
        base = ""
    contract = MockedContract(source=source, base_path=base, document=document)
    raw_paths = document.get("paths")
    paths: dict[str, Any] = raw_paths if isinstance(raw_paths, dict) else {}
    for op in operations(document):
        names: list[str] = []
        pieces: list[str] = []
        for seg in re.split(r"(\{[^}/]+\})", op.path):
            if seg.startswith("{") and seg.endswith("}"):
                pieces.append(f"(?P<p{len(names)}>[^/]+)")
                names.append(seg[1:-1])
            elif seg:
                pieces.append(re.escape(seg))
        raw_rules = paths[op.path][op.method.lower()].get("x-apigov-mock")
        contract.operations.append(
            _Operation(
                **{name: getattr(op, name) for name in Operation.__dataclass_fields__},
                regex=re.compile("^" + "".join(pieces) + "$"),
                names=names,
                rules=raw_rules if isinstance(raw_rules, list) else [],
                literal_segments=len([s for s in op.path.split("/") if s and "{" not in s]),
            )
        )
    contract.operations.sort(key=lambda o: -o.literal_segments)
    contract.validator = Validator(document)
    return contract


def schema_errors(
    contract: MockedContract, schema_ptr: str, value: Any, limit: int = 20
) -> list[tuple[str, str]]:
    """``(JSON pointer in value, message)`` for each way ``value`` fails the schema at ``schema_ptr``."""
    assert contract.validator is not None
    return contract.validator.errors(schema_ptr, value, limit)


class _Request(NamedTuple):
    """A request matched to its operation: the parts the answer is chosen from."""

    contract: MockedContract
    op: _Operation
    path_values: dict[str, str]
    query: list[tuple[str, str]]
    headers: dict[str, str]


class MockError(Exception):
    """An answer that is a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        kind: str = "about:blank",
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.kind = status, title, detail, kind
        self.errors, self.headers, self.extra = errors, headers, extra

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            doc["errors"] = self.errors
        doc.update(self.extra or {})
        return doc


@dataclass
class Answer:
    status: int
    body: Any
    media_type: str | None
    headers: dict[str, str] = field(default_factory=dict)


class Store:
    """Resources created through a stateful mock, bounded in bytes (oldest first out)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[tuple[str, str], tuple[Any, int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.collections: set[str] = set()
        """collections something was ever created in (their unknown ids are 404)"""

    def put(self, collection: str, key: str, value: Any) -> None:
        cost = len(json.dumps(value, default=str))
        with self.lock:
            old = self.items.pop((collection, key), None)
            if old is not None:
                self.size -= old[1]
            self.items[(collection, key)] = (value, cost)
            self.collections.add(collection)
            self.size += cost
            while self.size > self.limit and self.items:
                _, (_, freed) = self.items.popitem(last=False)
                self.size -= freed

    def get(self, collection: str, key: str) -> Any:
        with self.lock:
            found = self.items.get((collection, key))
            return copy.deepcopy(found[0]) if found else None

    def delete(self, collection: str, key: str) -> bool:
        with self.lock:
            old = self.items.pop((collection, key), None)
            if old is not None:
                self.size -= old[1]
            return old is not None

    def listing(self, collection: str) -> list[Any]:
        with self.lock:
            return [copy.deepcopy(v) for (c, _), (v, _) in self.items.items() if c == collection]


class Mock:
    """The request handling of ``apigov mock``, independent of the web framework."""

    def __init__(
        self,
        contracts: list[MockedContract],
        *,
        dynamic: bool = False,
        stateful: bool = False,
        memory_bytes: int = DEFAULT_MEMORY,
    ) -> None:
        self.contracts = sorted(contracts, key=lambda c: -len(c.base_path))
        self.dynamic = dynamic
        self.store = Store(memory_bytes) if stateful else None

    def find(self, method: str, path: str) -> tuple[MockedContract, _Operation, dict[str, str]]:
        allowed: list[str] = []
        for contract in self.contracts:
            base = contract.base_path
            if base and not (path == base or path.startswith(base + "/")):
                continue
            inner = path[len(base) :] or "/"
            for op in contract.operations:
                match = op.regex.match(inner)
                if match is None:
                    continue
                if op.method == method or (method == "HEAD" and op.method == "GET"):
                    values = {op.names[int(k[1:])]: v for k, v in match.groupdict().items()}
                    return contract, op, values
                allowed.append(op.method)
            if allowed:
                raise MockError(
                    405,
                    "Method not allowed",
                    f"{method} is not an operation of {inner[:200]}",
                    headers={"Allow": ", ".join(sorted(set(allowed)))},
                )
        raise MockError(404, "Not found", f"no operation at {path[:200]}")

    def answer(
        self, method: str, path: str, query: list[tuple[str, str]], headers: dict[str, str], body: bytes
    ) -> Answer:
        import urllib.parse

        contract, op, raw_path = self.find(method, path)
        path_values = {k: urllib.parse.unquote(v) for k, v in raw_path.items()}
        request = _Request(contract, op, path_values, query, headers)
        parsed_body = self._validate(request, body)
        prefer = _prefer(headers.get("prefer", ""))
        status, example = self._choose(request, prefer)
        answer = self._build(contract, op, status, example)
        if self.store is not None:
            answer = self._stateful(request, parsed_body, answer, prefer)
        return answer

    # -- validation

    def _validate(self, request: _Request, body: bytes) -> Any:
        contract, op, path_values, query, headers = request
        errors: list[dict[str, str]] = []
        for p in op.parameters:
            if p.where == "path":
                raw: str | None = path_values.get(p.name)
            elif p.where == "query":
                values = [v for k, v in query if k == p.name]
                raw = ",".join(values) if values else None
            else:
                raw = headers.get(p.name.lower())
            if raw is None:
                if p.required:
                    errors.append({"pointer": f"/{p.where}/{p.name}", "detail": "is required"})
                continue
            cache_key = (p.schema_ptr, raw)
            found = contract.parameter_errors.get(cache_key)
            if found is None:
                found = schema_errors(contract, p.schema_ptr, coerce(raw, p.schema, contract.document))
                contract.parameter_errors[cache_key] = found
                if len(contract.parameter_errors) > 10_000:
                    contract.parameter_errors.popitem(last=False)
            for where, message in found:
                errors.append({"pointer": f"/{p.where}/{p.name}{where}", "detail": message})
        parsed: Any = None
        if op.bodies:
            media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if not body:
                if op.body_required:
                    errors.append({"pointer": "/body", "detail": "a request body is required"})
            elif media not in op.bodies and not any(m.endswith("/*") or m == "*/*" for m in op.bodies):
                errors.append(
                    {
                        "pointer": "/body",
                        "detail": f"media type {media[:60]!r} is not one of {', '.join(op.bodies)}",
                    }
                )
            else:
                schema_ptr = op.bodies.get(media) or next(iter(op.bodies.values()))
                if "json" in media or media.endswith("+json"):
                    try:
                        parsed = json.loads(body)
                    except (ValueError, UnicodeDecodeError):
                        errors.append({"pointer": "/body", "detail": "the body is not JSON"})
                    else:
                        errors += [
                            {"pointer": where or "/", "detail": message}
                            for where, message in schema_errors(contract, schema_ptr, parsed)
                        ]
        if errors:
            status = 422 if "422" in op.responses and "400" not in op.responses else 400
            first = errors[0]
            raise MockError(
                status,
                "The request is invalid",
                f"{first['pointer']}: {first['detail']}"
                + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
                kind=INVALID_REQUEST,
                errors=errors,
            )
        return parsed

    # -- choosing and building the response

    def _examples(self, contract: MockedContract, op: _Operation, status: str) -> list[tuple[str, str, Any]]:
        """``(media type, name, value)`` of the examples of one documented response."""
        cached = contract.examples.get((op.pointer, status))
        if cached is not None:
            return cached
        resp = op.responses.get(status)
        if not resp:
            return []
        found: list[tuple[str, str, Any]] = []
        contract.examples[(op.pointer, status)] = found
        for media, content in (resp.get("content") or {}).items():
            if not isinstance(content, dict):
                continue
            c_ptr = f"{resp['pointer']}/content/{_escape(media)}"
            for name, raw in (content.get("examples") or {}).items():
                _, ex = deref(contract.document, f"{c_ptr}/examples/{_escape(str(name))}", raw)
                if isinstance(ex, dict) and "value" in ex:
                    found.append((media, str(name), ex["value"]))
            if "example" in content:
                found.append((media, "example", content["example"]))
        return found

    def _choose(self, request: _Request, prefer: dict[str, str]) -> tuple[str, str | None]:
        contract, op, path_values, query, _ = request
        documented = sorted(op.responses)
        if "code" in prefer:
            if prefer["code"] not in op.responses:
                raise MockError(
                    400,
                    "Not a documented status",
                    f"Prefer: code={prefer['code'][:10]} is not documented",
                    kind=INVALID_REQUEST,
                )
            return prefer["code"], prefer.get("example")
        if "example" in prefer:
            for status in documented:
                if any(name == prefer["example"] for _, name, _ in self._examples(contract, op, status)):
                    return status, prefer["example"]
            raise MockError(
                400,
                "Unknown example",
                f"Prefer: example={prefer['example'][:60]} names no example",
                kind=INVALID_REQUEST,
            )
        for rule in op.rules:
            if isinstance(rule, dict) and _rule_matches(rule.get("when"), request):
                raw_respond = rule.get("respond")
                respond: dict[str, Any] = raw_respond if isinstance(raw_respond, dict) else {}
                status = str(respond.get("status", ""))
                if status in op.responses:
                    example = respond.get("example")
                    return status, str(example) if example is not None else None
        successes = (
            [s for s in documented if s.startswith("2")]
            or [s for s in documented if s == "default"]
            or documented
        )
        if not successes:
            raise MockError(
                500,
                "No response documented",
                f"{op.method} {op.path} documents no response",
                kind=NO_INSTANCE,
                extra={"schema": "#" + op.pointer + "/responses"},
            )
        wanted = set(path_values.values()) | {v for _, v in query}
        for status in successes:
            for _, name, value in self._examples(contract, op, status):
                if name in wanted:
                    return status, name
                if isinstance(value, dict) and any(
                    isinstance(v, str | int) and str(v) in wanted for v in value.values()
                ):
                    return status, name
        return successes[0], None

    def _build(self, contract: MockedContract, op: _Operation, status: str, example: str | None) -> Answer:
        resp = op.responses[status]
        code = int(status) if status.isdigit() else 200
        content = resp.get("content") or {}
        if not isinstance(content, dict) or not content:
            return Answer(code, None, None)
        media = next((m for m in content if "json" in m), next(iter(content)))
        schema_ptr = f"{resp['pointer']}/content/{_escape(media)}/schema"
        has_schema = isinstance(content.get(media), dict) and "schema" in content[media]
        candidates: list[Any] = []
        if self.dynamic and has_schema:
            built = self._generate(contract, schema_ptr)
            if built is not None:
                return Answer(code, built, media)
        # the examples (with --dynamic: when no instance of the schema could be generated)
        examples = [(n, v) for m, n, v in self._examples(contract, op, status) if m == media]
        chosen = [v for n, v in examples if n == example] if example else []
        candidates += chosen + [v for _, v in examples]
        if has_schema:
            _, schema = deref(contract.document, schema_ptr, content[media]["schema"])
            if isinstance(schema, dict) and "example" in schema:
                candidates.append(schema["example"])
            raw_schema = content[media]["schema"]
            if isinstance(raw_schema, dict) and isinstance(raw_schema.get("$ref"), str):
                # the examples other responses give for the same schema ($ref)
                candidates += self._examples_by_schema(contract).get(raw_schema["$ref"], [])
        for candidate in candidates:
            if not has_schema or self._valid_example(contract, schema_ptr, candidate):
                return Answer(code, candidate, media)  # shared: copied before anything changes it
        if has_schema and not self.dynamic:
            built = self._generate(contract, schema_ptr)
            if built is not None:
                return Answer(code, built, media)
        raise MockError(
            500,
            "No valid response could be built",
            f"no example of {op.method} {op.path} {status} validates and no instance of its schema could be built",
            kind=NO_INSTANCE,
            extra={"schema": f"{contract.source}#{schema_ptr}"},
        )

    def _valid_example(self, contract: MockedContract, schema_ptr: str, example: Any) -> bool:
        """Whether an example of the contract validates (asked once per example: it never changes)."""
        key = (schema_ptr, id(example))
        known = contract.verdicts.get(key)
        if known is None:
            known = contract.verdicts[key] = not schema_errors(contract, schema_ptr, example, limit=1)
        return known

    def _examples_by_schema(self, contract: MockedContract) -> dict[str, list[Any]]:
        found = getattr(contract, "_by_schema", None)
        if found is None:
            found = {}
            for op in contract.operations:
                for status, resp in op.responses.items():
                    for media, content in (resp.get("content") or {}).items():
                        ref = (
                            content.get("schema", {}).get("$ref")
                            if isinstance(content, dict) and isinstance(content.get("schema"), dict)
                            else None
                        )
                        if isinstance(ref, str):
                            found.setdefault(ref, []).extend(
                                v for m, _, v in self._examples(contract, op, status) if m == media
                            )
            contract._by_schema = found  # type: ignore[attr-defined]
        return found

    def _generate(self, contract: MockedContract, schema_ptr: str) -> Any:
        from apigov.schema import instances
        from apigov.schema.model import MemoResolver

        def local(ref: str) -> JSONValue:
            if ref.startswith("#"):
                return resolve(contract.document, ref[1:])  # type: ignore[no-any-return]
            raise LookupError(ref)

        try:
            schema = resolve(contract.document, schema_ptr)
            built = instances.example(schema, MemoResolver(local))
        except (LookupError, ValueError, TypeError, RecursionError):
            return None
        if isinstance(built, type(instances.NONE)):
            return None
        if schema_errors(contract, schema_ptr, built, limit=1):
            return None
        return built

    # -- state

    def _stateful(self, request: _Request, body: Any, answer: Answer, prefer: dict[str, str]) -> Answer:
        contract, op, path_values, _, _ = request
        assert self.store is not None
        if prefer or not (200 <= answer.status < 300):
            return answer
        answer.body = copy.deepcopy(answer.body)  # it may be an example of the contract
        names = op.names
        collection_of_item = contract.base_path + op.path.rsplit("/", 1)[0]
        if op.method == "POST" and not op.path.endswith("}") and isinstance(answer.body, dict):
            created = copy.deepcopy(answer.body)
            key = next((k for k in ("id", *(n for n in names)) if k in created), "id")
            created[key] = new_id(answer.body.get(key))
            resp_ptr = f"{op.responses[str(answer.status)]['pointer']}/content/{_escape(answer.media_type or '')}/schema"
            if schema_errors(contract, resp_ptr, created, limit=1):
                return answer
            for name, value in body.items() if isinstance(body, dict) else ():
                if name == key:
                    continue
                trial = dict(created, **{name: copy.deepcopy(value)})
                if not schema_errors(
                    contract, resp_ptr, trial, limit=1
                ):  # the request's values where they fit
                    created = trial
            self.store.put(contract.base_path + op.path, str(created[key]), created)
            answer.headers["Location"] = f"{contract.base_path}{op.path.rstrip('/')}/{created[key]}"
            answer.body = created
            return answer
        if op.path.endswith("}") and names:
            item_id = path_values.get(names[-1], "")
            stored = self.store.get(collection_of_item, item_id)
            known = collection_of_item in self.store.collections
            if op.method == "GET" and stored is not None:
                answer.body = stored
            elif op.method == "DELETE" and stored is not None:
                self.store.delete(collection_of_item, item_id)
            elif op.method in ("PATCH", "PUT") and stored is not None and isinstance(body, dict):
                merged = merge_patch(stored, body) if op.method == "PATCH" else dict(stored, **body)
                resp_ptr = f"{op.responses[str(answer.status)]['pointer']}/content/{_escape(answer.media_type or '')}/schema"
                if answer.media_type and not schema_errors(contract, resp_ptr, merged, limit=1):
                    self.store.put(collection_of_item, item_id, merged)
                    answer.body = merged
            elif stored is None and known and "404" in op.responses:
                raise MockError(404, "Not found", f"{item_id[:80]} was never created (or was deleted)")
            return answer
        if (
            op.method == "GET"
            and isinstance(answer.body, dict)
            and isinstance(answer.body.get("items"), list)
        ):
            listed = self.store.listing(contract.base_path + op.path)
            if listed:
                answer.body["items"] = listed
        return answer


def _prefer(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in header.split(","):
        for item in part.split(";"):
            key, _, value = item.strip().partition("=")
            if key.strip().lower() in ("code", "example") and value:
                found[key.strip().lower()] = value.strip().strip('"')
    return found


def _rule_matches(when: Any, request: _Request) -> bool:
    if not isinstance(when, dict):
        return when is None
    _, _, path_values, query, headers = request
    sources: dict[str, Callable[[str], str | None]] = {
        "path": path_values.get,
        "query": lambda name: next((v for k, v in query if k == name), None),
        "header": lambda name: headers.get(name.lower()),
    }
    for where, wanted in when.items():
        lookup = sources.get(str(where))
        if lookup is None or not isinstance(wanted, dict):
            return False
        for name, value in wanted.items():
            if lookup(str(name)) != str(value):
                return False
    return True


def build_app(mock: Mock) -> Any:
    """The ASGI (Starlette) application serving ``mock``."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def endpoint(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:  # refused before it is read
            problem = MockError(413, "Request body too large", f"at most {MAX_BODY} bytes")
            return JSONResponse(problem.document(), status_code=413, media_type="application/problem+json")
        body = await request.body()
        try:
            if len(body) > MAX_BODY:
                raise MockError(413, "Request body too large", f"at most {MAX_BODY} bytes")
            answer = mock.answer(
                request.method,
                request.url.path,
                list(request.query_params.multi_items()),
                {k.lower(): v for k, v in request.headers.items()},
                body,
            )
        except MockError as exc:
            return JSONResponse(
                exc.document(),
                status_code=exc.status,
                media_type="application/problem+json",
                headers=exc.headers,
            )
        if answer.body is None or request.method == "HEAD":
            return Response(status_code=answer.status, headers=answer.headers, media_type=answer.media_type)
        if answer.media_type and "json" not in answer.media_type and isinstance(answer.body, str):
            return Response(
                answer.body, status_code=answer.status, headers=answer.headers, media_type=answer.media_type
            )
        return JSONResponse(
            answer.body,
            status_code=answer.status,
            headers=answer.headers,
            media_type=answer.media_type or "application/json",
        )

    methods = [m.upper() for m in METHODS]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])


def serve(
    contracts: list[MockedContract],
    *,
    host: str,
    port: int,
    dynamic: bool,
    stateful: bool,
    memory_bytes: int,
    ready: Callable[[str], None],
) -> None:
    """Serve until interrupted; ``ready`` gets the base URL once the socket listens."""
    import socket

    import uvicorn

    app = build_app(Mock(contracts, dynamic=dynamic, stateful=stateful, memory_bytes=memory_bytes))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP (with proto 0 every
    # answer waited 40 ms for a delayed ACK)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    real = sock.getsockname()[1]
    ready(f"http://{host}:{real}")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
