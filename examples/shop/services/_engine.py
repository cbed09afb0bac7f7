"""The machinery every shop service shares: contract loading, request validation, in-memory
resources, provider states and the deliberately buggy variants.

A service is a :class:`ServiceSpec` (its name and the few business rules that the contract
cannot say: which status an action moves a resource to, in which statuses it conflicts) run
through :func:`build_app`. Everything else follows the contract of the chosen version:

* every operation of the contract is routed; unknown paths answer ``404``, known paths with an
  unknown method ``405`` (problem documents);
* operations with a security requirement need ``Authorization: Bearer shop-token`` (the tokens in
  ``APIGOV_SHOP_TOKENS``, comma-separated, when set; ``shop-forbidden`` gets ``403``), otherwise ``401``;
* path, query and header parameters and request bodies are validated against their schemas; an
  invalid request gets the operation's documented ``400`` (or ``422``, or else ``404``) problem document with one
  ``errors[]`` entry per failing field (``pointer`` names it: ``/lines/0/quantity``,
  ``/query/limit``, ``/header/Idempotency-Key``); an invalid path parameter is ``404``;
* resources live in memory, seeded from the contract's examples: ``POST`` on a collection creates
  (``Location`` header, ``Idempotency-Key`` replays), ``GET``/``PATCH`` (JSON merge patch)/``DELETE``
  on an item read, change and remove it, actions (``/cancel``, ``/capture``...) move its status;
* every response body is checked against the response schema before it is sent.

``APIGOV_SHOP_BUG=<bug-class>`` switches on one deliberate bug (see :data:`BUG_CLASSES`).
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apigov.fuzz import openapi

SHOP = Path(__file__).resolve().parents[1]

BUG_CLASSES: dict[str, str] = {
    "server-error": "list operations crash (500) when the page size is the largest the contract allows",
    "invalid-response": "getting one resource answers a body without the first required property of its schema",
    "undocumented-status": "getting a resource that does not exist answers 410 Gone, which the contract does not document",
    "accepted-invalid-request": "request bodies are not validated: invalid ones are accepted",
    "missing-required-header": "required request headers (Idempotency-Key) are not required",
    "broken-link": "a created resource's id and Location point at nothing: GET of it answers 404",
}
"""The deliberate bugs of ``APIGOV_SHOP_BUG``: one per class of contract violation."""

PROVIDER_STATES_PATH = "/_pact/provider-states"
DEFAULT_TOKEN = "shop-token"  # noqa: S105 - the demo services' documented token
FORBIDDEN_TOKEN = "shop-forbidden"  # noqa: S105 - a demo token that may call nothing
"""A bearer token the services know but that may call nothing (403 where documented)."""


def accepted_tokens() -> list[str]:
    """The bearer tokens the services accept: ``APIGOV_SHOP_TOKENS`` (comma-separated) or ``shop-token``."""
    raw = os.environ.get("APIGOV_SHOP_TOKENS", DEFAULT_TOKEN)
    return [t.strip() for t in raw.split(",") if t.strip()]

_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
_TIMESTAMPS = ("createdAt", "updatedAt", "requestedAt")
MAX_RESOURCES = 10_000
"""Per collection; the oldest resources are forgotten beyond it (fuzzers create many)."""


@dataclass(frozen=True)
class ServiceSpec:
    """What a service adds to its contract.

    ``actions`` maps an operationId to ``(new status, statuses in which it conflicts)``;
    ``frozen`` lists the statuses in which a resource may no longer be changed (``PATCH`` 409)."""

    name: str
    actions: dict[str, tuple[str | None, tuple[str, ...]]] = field(default_factory=dict)
    frozen: tuple[str, ...] = ()
    deletable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """operationId of a DELETE -> statuses in which the resource can no longer be deleted (409)."""


def contract_path(service: str, version: int) -> Path:
    """The OpenAPI document of ``service`` at major ``version``."""
    return SHOP / service / f"v{version}" / "openapi.yaml"


# ----------------------------------------------------------------------------- the contract
# (read with apigov's public apigov.fuzz.openapi, the module apigov mock is built on)


@dataclass
class Operation(openapi.Operation):
    """An operation with what the service makes of it: ``kind`` (``list``, ``create``, ``get``,
    ``patch``, ``delete``, ``action``, ``patch-document``, ``view``) and the collection it works on."""

    kind: str = "view"
    collection: str = ""

    @property
    def body_types(self) -> dict[str, str]:
        return self.bodies


class Contract:
    """The parts of an OpenAPI document a service needs, with validators over its pointers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = openapi.load_openapi(path, str(path), what="a shop service")
        self._validator = openapi.Validator(self.doc)
        self.operations = [
            Operation(**{name: getattr(op, name) for name in openapi.Operation.__dataclass_fields__})
            for op in openapi.operations(self.doc)
        ]
        self._classify()

    # -- references and validation

    def resolve(self, pointer: str) -> Any:
        return openapi.resolve(self.doc, pointer)

    def deref(self, pointer: str, node: Any) -> tuple[str, Any]:
        """Follow local ``$ref`` s: the pointer and the object they end at."""
        return openapi.deref(self.doc, pointer, node)

    def errors(self, schema_ptr: str, value: Any) -> list[tuple[str, str]]:
        """``(JSON pointer in the value, message)`` for each way ``value`` fails the schema."""
        return self._validator.errors(schema_ptr, value)

    def valid(self, schema_ptr: str, value: Any) -> bool:
        return self._validator.valid(schema_ptr, value)

    # -- examples

    def examples_of(self, content_ptr: str) -> list[tuple[str, Any]]:
        """The named examples of a media type object (``example`` is named ``example``)."""
        content = self.resolve(content_ptr)
        found: list[tuple[str, Any]] = []
        for name, raw in (content.get("examples") or {}).items():
            _, ex = self.deref(content_ptr + "/examples/" + openapi.escape(name), raw)
            if isinstance(ex, dict) and "value" in ex:
                found.append((name, ex["value"]))
        if "example" in content:
            found.append(("example", content["example"]))
        return found

    def _classify(self) -> None:
        items = {op.path for op in self.operations if op.method == "GET" and op.path.endswith("}")}
        for op in self.operations:
            last_param = op.path.endswith("}")
            parent = op.path.rsplit("/", 1)[0] or "/"
            if op.method == "GET" and not last_param and self._is_page(op):
                op.kind, op.collection = "list", op.path
            elif op.method == "POST" and not last_param and any(i.rsplit("/", 1)[0] == op.path for i in items):
                op.kind, op.collection = "create", op.path
            elif last_param and op.method in ("GET", "PATCH", "DELETE", "PUT"):
                op.kind, op.collection = {"GET": "get", "PATCH": "patch", "DELETE": "delete", "PUT": "patch"}[op.method], parent
            elif op.method == "POST" and "}" in op.path:
                item = op.path[: op.path.rindex("}") + 1]
                op.kind, op.collection = "action", item.rsplit("/", 1)[0]
            elif op.method == "POST":
                op.kind, op.collection = "action", parent
            elif op.method == "PATCH":
                op.kind, op.collection = "patch-document", op.path
            else:
                op.kind, op.collection = "view", parent

    def _is_page(self, op: Operation) -> bool:
        ok = op.responses.get("200", {})
        for media in (ok.get("content") or {}):
            _, schema = self.deref(ok["pointer"] + "/content/" + media.replace("/", "~1") + "/schema",
                                   ok["content"][media].get("schema"))
            if isinstance(schema, dict) and "items" in (schema.get("properties") or {}):
                return True
        return False

    def success(self, op: Operation) -> tuple[int, str | None, str | None]:
        """The documented success status, its media type and the pointer of its schema."""
        for code in sorted(op.responses):
            if code.startswith("2"):
                resp = op.responses[code]
                for media in resp.get("content") or {}:
                    return int(code), media, resp["pointer"] + "/content/" + media.replace("~", "~0").replace("/", "~1")
                return int(code), None, None
        return 200, None, None


# ----------------------------------------------------------------------------- the service


class ProblemError(Exception):
    def __init__(self, status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors, self.headers = status, title, detail, errors, headers


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Service:
    """One running service: its contract, its resources and its bug."""

    def __init__(self, spec: ServiceSpec, version: int = 1, bug: str | None = None) -> None:
        if bug is not None and bug not in BUG_CLASSES:
            raise ValueError(f"unknown APIGOV_SHOP_BUG {bug!r}; one of: {', '.join(BUG_CLASSES)}")
        self.spec, self.version, self.bug = spec, version, bug
        self.contract = Contract(contract_path(spec.name, version))
        self.lock = threading.Lock()
        self.store: dict[str, dict[str, dict[str, Any]]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, tuple[Any, int, dict[str, Any], dict[str, str]]] = {}
        self.templates: dict[str, tuple[str, Any]] = {}
        """collection -> (id property, example resource) for building new resources."""
        self._prepare_templates()
        self.reset()

    # -- state

    def _prepare_templates(self) -> None:
        c = self.contract
        order = {"create": 0, "get": 1, "list": 2}
        for op in sorted(c.operations, key=lambda o: order.get(o.kind, 3)):
            if op.kind not in ("get", "create", "list"):
                continue
            _code, _, content_ptr = c.success(op)
            if content_ptr is None:
                continue
            for _, value in c.examples_of(content_ptr):
                resource = value["items"][0] if op.kind == "list" and isinstance(value, dict) and value.get("items") else value
                if op.kind == "list" and not (isinstance(value, dict) and value.get("items")):
                    continue
                if isinstance(resource, dict) and op.collection not in self.templates:
                    key = self._id_property(op.collection, resource)
                    if key:
                        self.templates[op.collection] = (key, resource)

    def _id_property(self, collection: str, resource: dict[str, Any]) -> str | None:
        for op in self.contract.operations:
            if op.kind == "get" and op.collection == collection:
                name = op.path.rsplit("{", 1)[-1].rstrip("}")
                return name if name in resource else ("id" if "id" in resource else None)
        return "id" if "id" in resource else None

    def reset(self, *, empty: bool = False) -> None:
        with self.lock:
            self.store = {col: {} for col in self.templates}
            self.documents = {}
            self.idempotency = {}
            if empty:
                return
            c = self.contract
            for op in c.operations:
                _code, _, content_ptr = c.success(op)
                if content_ptr is None or op.method != "GET":
                    continue
                for _, value in c.examples_of(content_ptr):
                    if op.kind == "get" and isinstance(value, dict):
                        self._remember(op.collection, copy.deepcopy(value))
                    elif op.kind == "list" and isinstance(value, dict):
                        for item in value.get("items") or []:
                            if isinstance(item, dict):
                                self._remember(op.collection, copy.deepcopy(item))
                    elif op.kind == "view" and "{" in op.path and op.method == "GET":
                        concrete = self._example_path(op)
                        if concrete and "patch-document" in {o.kind for o in c.operations if o.path == op.path}:
                            self.documents.setdefault(concrete, copy.deepcopy(value))

    def _example_path(self, op: Operation) -> str | None:
        path = op.path
        for p in op.parameters:
            if p.where == "path":
                raw = self.contract.resolve(p.schema_ptr.rsplit("/", 1)[0])
                example = raw.get("example", (raw.get("schema") or {}).get("example"))
                if example is None:
                    return None
                path = path.replace("{" + p.name + "}", str(example))
        return path

    def _remember(self, collection: str, resource: dict[str, Any]) -> None:
        key = self.templates.get(collection, ("id", None))[0]
        if key not in resource:
            return
        items = self.store.setdefault(collection, {})
        items[str(resource[key])] = resource
        while len(items) > MAX_RESOURCES:
            items.pop(next(iter(items)))

    def provider_state(self, body: Any) -> dict[str, Any]:
        """Pact provider states: see README.md. Returns what the state set up."""
        if not isinstance(body, dict):
            raise ProblemError(400, "Bad provider state", "send a JSON object {state, params, action}")
        action = body.get("action", "setup")
        state = str(body.get("state") or "")
        params = body.get("params") or {}
        if action == "teardown" or state in ("", "reset", "default"):
            self.reset()
            return {}
        if state in ("empty", "no resources"):
            self.reset(empty=True)
            return {}
        if not isinstance(params, dict):
            raise ProblemError(400, "Bad provider state", "params must be an object")
        made: dict[str, Any] = {}
        with self.lock:
            for collection, (key, template) in self.templates.items():
                name = self._path_param_of(collection)
                wanted = params.get(name) if name else None
                if wanted is None and key in params and collection.strip("/").split("/")[-1].rstrip("s") in state:
                    wanted = params[key]
                if wanted is None:
                    continue
                resource = copy.deepcopy(self.store.get(collection, {}).get(str(wanted), template))
                resource[key] = wanted
                for prop, value in params.items():
                    if prop in template and prop != key:
                        resource[prop] = value
                self._remember(collection, resource)
                made[collection] = resource
        return made

    def _path_param_of(self, collection: str) -> str | None:
        for op in self.contract.operations:
            if op.kind == "get" and op.collection == collection:
                return op.path.rsplit("{", 1)[-1].rstrip("}")
        return None

    # -- requests

    def validate_request(self, op: Operation, path_params: dict[str, str], query: Any, headers: Any,
                         raw_body: bytes, content_type: str) -> Any:
        c = self.contract
        # an operation that documents neither 400 nor 422 (getShipmentLabel?format=AAA) answers
        # its documented 404: there is nothing in the representation asked for
        bad = op.documented(400, 422, 404) or 400
        errors: list[dict[str, str]] = []
        for p in op.parameters:
            if p.where == "path":
                value = _coerce(path_params.get(p.name, ""), p.schema, c)
                if c.errors(p.schema_ptr, value):
                    raise ProblemError(404 if op.documented(404) else bad, "Not found",
                                       f"no resource at {p.name}={str(path_params.get(p.name))[:80]}")
            elif p.where == "query":
                values = query.getlist(p.name)
                if not values:
                    if p.required:
                        errors.append({"pointer": f"/query/{p.name}", "detail": "is required"})
                    continue
                value = _coerce_all(values, p.schema, c)
                errors += [{"pointer": f"/query/{p.name}{w}", "detail": m} for w, m in c.errors(p.schema_ptr, value)]
            elif p.where == "header":
                raw = headers.get(p.name)
                if raw is None:
                    if p.required and self.bug != "missing-required-header":
                        errors.append({"pointer": f"/header/{p.name}", "detail": "is required"})
                    continue
                value = _coerce(raw, p.schema, c)
                errors += [{"pointer": f"/header/{p.name}{w}", "detail": m} for w, m in c.errors(p.schema_ptr, value)]
        body: Any = None
        if op.body_types:
            media = content_type.split(";", 1)[0].strip().lower()
            if not raw_body:
                if op.body_required and self.bug != "accepted-invalid-request":
                    errors.append({"pointer": "", "detail": "a request body is required"})
            elif media not in op.body_types and self.bug != "accepted-invalid-request":
                errors.append({"pointer": "", "detail": f"unsupported media type; send one of {', '.join(op.body_types)}"})
            else:
                try:
                    body = json.loads(raw_body)
                except (ValueError, UnicodeDecodeError):
                    if self.bug != "accepted-invalid-request":
                        errors.append({"pointer": "", "detail": "the body is not valid JSON"})
                else:
                    schema_ptr = op.body_types.get(media) or next(iter(op.body_types.values()))
                    if self.bug != "accepted-invalid-request":
                        errors += [{"pointer": w, "detail": m} for w, m in c.errors(schema_ptr, body)]
        elif raw_body and self.bug != "accepted-invalid-request" and content_type:
            pass  # a body on an operation without one is ignored, like most servers do
        if errors:
            raise ProblemError(bad, "The request is invalid", f"{len(errors)} field(s) invalid", errors)
        return body

    def handle(self, op: Operation, path_params: dict[str, str], query: Any, headers: Any, body: Any,
               concrete_path: str) -> tuple[int, Any, dict[str, str]]:
        """``(status, body or None, headers)`` of a valid request."""
        c = self.contract
        code, _media, content_ptr = c.success(op)
        schema_ptr = content_ptr + "/schema" if content_ptr else None
        items = self.store.get(op.collection)
        key = self.templates.get(op.collection, ("id", None))[0]
        item_id = path_params.get(op.path.rsplit("{", 1)[-1].rstrip("}")) if op.path.endswith("}") else None
        with self.lock:
            if op.kind == "list":
                return self._list(op, query, code, schema_ptr, content_ptr)
            if op.kind == "create":
                return self._create(op, headers, body, code, schema_ptr, content_ptr, concrete_path)
            parent_missing = self._parent_missing(op, path_params, itself=op.kind not in ("get", "patch", "delete"))
            if parent_missing:
                raise ProblemError(404, "Not found", parent_missing)
            if op.kind in ("get", "patch", "delete"):
                resource = (items or {}).get(str(item_id)) if items is not None else None
                if resource is None:
                    if self.bug == "undocumented-status" and op.kind == "get":
                        raise ProblemError(410, "Gone", f"{op.collection.strip('/')} {str(item_id)[:80]} is gone")
                    raise ProblemError(404, "Not found", f"{op.collection.strip('/')} {str(item_id)[:80]} does not exist")
                if op.kind == "get":
                    out = copy.deepcopy(resource)
                    if self.bug == "invalid-response" and schema_ptr:
                        required = (c.deref(schema_ptr, c.resolve(schema_ptr))[1] or {}).get("required") or []
                        for name in required[:1]:
                            out.pop(name, None)
                    return code, out, {}
                if op.kind == "delete":
                    status = resource.get("status")
                    if status in self.spec.deletable.get(op.op_id, ()) and op.documented(409):
                        raise ProblemError(409, "Conflict", f"a resource in status {status} cannot be removed")
                    items.pop(str(item_id), None)  # type: ignore[union-attr]
                    return code, None, {}
                status = resource.get("status")
                if status in self.spec.frozen and op.documented(409):
                    raise ProblemError(409, "Conflict", f"a resource in status {status} can no longer be changed")
                changed = openapi.merge_patch(resource, body if isinstance(body, dict) else {})
                if "updatedAt" in changed:
                    changed["updatedAt"] = _now()
                changed[key] = resource[key]
                changed = self._conform(schema_ptr, changed, resource)
                items[str(item_id)] = changed  # type: ignore[index]
                return code, copy.deepcopy(changed), {}
            if op.kind == "patch-document":
                current = self.documents.get(concrete_path)
                if current is None:
                    raise ProblemError(404, "Not found", f"nothing at {concrete_path[:120]}")
                changed = self._conform(schema_ptr, openapi.merge_patch(current, body or {}), current)
                self.documents[concrete_path] = changed
                return code, copy.deepcopy(changed), {}
            if op.kind == "view" and concrete_path in self.documents:
                return code, copy.deepcopy(self.documents[concrete_path]), {}
            if op.kind == "view" and "patch-document" in {o.kind for o in c.operations if o.path == op.path}:
                raise ProblemError(404, "Not found", f"nothing at {concrete_path[:120]}")
            if op.kind == "action":
                return self._action(op, path_params, body, code, schema_ptr, content_ptr)
            return code, self._from_example(op, path_params, schema_ptr, content_ptr, body), {}

    def _parent_missing(self, op: Operation, path_params: dict[str, str], *, itself: bool = True) -> str | None:
        """Why the resource an operation works below (or on, when ``itself``) does not exist, if it does not."""
        for template in self._ancestors(op.path):
            if not itself and template == op.path:
                continue
            collection = template.rsplit("/", 1)[0]
            if collection not in self.store:
                continue
            name = template.rsplit("{", 1)[-1].rstrip("}")
            if str(path_params.get(name)) not in self.store[collection]:
                return f"{collection.strip('/')} {str(path_params.get(name))[:80]} does not exist"
        return None

    @staticmethod
    def _ancestors(path: str) -> Iterator[str]:
        parts = path.split("/")
        for i in range(2, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if prefix.endswith("}"):
                yield prefix

    def _conform(self, schema_ptr: str | None, candidate: Any, fallback: Any) -> Any:
        """``candidate`` made valid by taking back, key by key, what the schema refuses."""
        if schema_ptr is None:
            return candidate
        for _ in range(32):
            errors = self.contract.errors(schema_ptr, candidate)
            if not errors:
                return candidate
            if not isinstance(candidate, dict) or not isinstance(fallback, dict):
                return fallback
            where = errors[0][0]
            top = where.split("/")[1].replace("~1", "/").replace("~0", "~") if where.count("/") >= 1 and where else None
            if top is None or top not in candidate:
                return fallback
            if top in fallback:
                candidate[top] = copy.deepcopy(fallback[top])
                if candidate[top] == fallback[top] and self.contract.errors(schema_ptr, candidate) == errors:
                    return fallback
            else:
                del candidate[top]
        return fallback

    def _base_example(self, content_ptr: str | None, collection: str | None = None) -> Any:
        if collection and collection in self.templates:
            return copy.deepcopy(self.templates[collection][1])
        if content_ptr is None:
            return None
        found = self.contract.examples_of(content_ptr)
        if found:
            return copy.deepcopy(found[0][1])
        return None

    def _list(self, op: Operation, query: Any, code: int, schema_ptr: str | None,
              content_ptr: str | None) -> tuple[int, Any, dict[str, str]]:
        c = self.contract
        limit_param = next((p for p in op.parameters if p.name in ("limit", "pageSize")), None)
        limit = 20
        if limit_param is not None:
            raw = query.get(limit_param.name)
            limit = int(raw) if raw is not None else int(limit_param.schema.get("default", 20))
            if self.bug == "server-error" and limit == limit_param.schema.get("maximum"):
                raise RuntimeError("page size at its maximum overflowed the page buffer")
        resources = list((self.store.get(op.collection) or {}).values())
        for p in op.parameters:
            if p.where != "query" or query.get(p.name) is None:
                continue
            value = _coerce_all(query.getlist(p.name), p.schema, c)
            if p.name != "q" and all(isinstance(r, dict) and p.name in r for r in resources):
                resources = [r for r in resources if r.get(p.name) == value]
        page = self._base_example(content_ptr) or {}
        if not isinstance(page, dict):
            page = {}
        start = 0
        if "page" in {p.name for p in op.parameters}:
            number = int(query.get("page") or 1)
            start = (number - 1) * limit
            page.update({"page": number, "pageSize": limit, "totalItems": len(resources)})
        cursor = query.get("cursor")
        if cursor and cursor.isdigit():
            start = int(cursor)
        chunk = resources[start : start + limit]
        page["items"] = copy.deepcopy(chunk)
        if "nextCursor" in page or "page" not in {p.name for p in op.parameters}:
            page["nextCursor"] = str(start + limit) if start + limit < len(resources) else None
        page = self._conform(schema_ptr, page, {"items": [], **{k: v for k, v in page.items() if k != "items"}})
        return code, page, {}

    def _create(self, op: Operation, headers: Any, body: Any, code: int, schema_ptr: str | None,
                content_ptr: str | None, concrete_path: str) -> tuple[int, Any, dict[str, str]]:
        replay_key = headers.get("idempotency-key")
        if replay_key:
            known = self.idempotency.get(op.op_id + " " + replay_key)
            if known is not None:
                if known[0] != body:
                    if op.documented(409):
                        raise ProblemError(409, "Conflict", "this Idempotency-Key was used with another body")
                else:
                    return known[1], copy.deepcopy(known[2]), dict(known[3])
        key, template = self.templates.get(op.collection, ("id", self._base_example(content_ptr)))
        resource = copy.deepcopy(template) if isinstance(template, dict) else {}
        base = copy.deepcopy(resource)
        if isinstance(body, dict):
            resource.update(copy.deepcopy(body))
        resource[key] = openapi.new_id(base.get(key))
        base[key] = resource[key]
        for stamp in _TIMESTAMPS:
            if stamp in resource:
                resource[stamp] = base[stamp] = _now()
        resource = self._conform(schema_ptr, resource, base)
        stored_id = str(resource.get(key))
        shown = resource
        if self.bug == "broken-link":
            shown = dict(resource, **{key: openapi.new_id(resource.get(key))})
            shown = self._conform(schema_ptr, shown, resource)
        self._remember(op.collection, resource)
        location = f"{concrete_path.rstrip('/')}/{shown.get(key, stored_id)}"
        status = code
        out_headers = {"Location": location}
        if replay_key:
            self.idempotency[op.op_id + " " + replay_key] = (body, status, copy.deepcopy(shown), out_headers)
            if len(self.idempotency) > MAX_RESOURCES:
                self.idempotency.pop(next(iter(self.idempotency)))
        return status, copy.deepcopy(shown), out_headers

    def _action(self, op: Operation, path_params: dict[str, str], body: Any, code: int,
                schema_ptr: str | None, content_ptr: str | None) -> tuple[int, Any, dict[str, str]]:
        items = self.store.get(op.collection)
        name = op.path[: op.path.rindex("}")].rsplit("{", 1)[-1] if "}" in op.path else ""
        resource = (items or {}).get(str(path_params.get(name))) if items is not None else None
        new_status, conflicts = self.spec.actions.get(op.op_id, (None, ()))
        if resource is not None and resource.get("status") in conflicts and op.documented(409):
            raise ProblemError(409, "Conflict", f"not possible in status {resource.get('status')}")
        if resource is not None and schema_ptr and self.contract.valid(schema_ptr, resource):
            changed = copy.deepcopy(resource)
            if new_status:
                changed["status"] = new_status
            if "updatedAt" in changed:
                changed["updatedAt"] = _now()
            changed = self._conform(schema_ptr, changed, resource)
            items[str(path_params.get(name))] = changed  # type: ignore[index]
            return code, copy.deepcopy(changed), {}
        return code, self._from_example(op, path_params, schema_ptr, content_ptr, body), {}

    def _from_example(self, op: Operation, path_params: dict[str, str], schema_ptr: str | None,
                      content_ptr: str | None, body: Any) -> Any:
        """A response built from the contract's example, with the request's values where they fit."""
        if content_ptr is None:
            return None
        base = self._base_example(content_ptr)
        if base is None:
            from apigov.schema import instances

            built = instances.example(self.contract.resolve(schema_ptr or ""), self._schema_resolver())
            return None if isinstance(built, instances._None) else built
        if not isinstance(base, dict):
            return base
        candidate = copy.deepcopy(base)
        if op.kind == "action" and "id" in candidate:
            candidate["id"] = openapi.new_id(candidate["id"])
            base["id"] = candidate["id"]
        for name, value in path_params.items():
            if name in candidate:
                candidate[name] = _coerce(value, {}, self.contract)
        if isinstance(body, dict):
            candidate.update(copy.deepcopy(body))
        for stamp in _TIMESTAMPS:
            if stamp in candidate:
                candidate[stamp] = base[stamp] = _now()
        return self._conform(schema_ptr, candidate, base)

    def _schema_resolver(self) -> Callable[[str], Any]:
        def resolve(ref: str) -> Any:
            if ref.startswith("#"):
                return self.contract.resolve(ref[1:])
            raise LookupError(ref)

        return resolve


def _coerce(raw: str, schema: dict[str, Any], contract: Contract) -> Any:
    return openapi.coerce(raw, schema, contract.doc, arrays=False)


def _coerce_all(values: list[str], schema: dict[str, Any], contract: Contract) -> Any:
    _, schema = contract.deref("", schema)
    if isinstance(schema, dict) and schema.get("type") == "array":
        items = schema.get("items") or {}
        return [_coerce(v, items, contract) for part in values for v in part.split(",")]
    if len(values) > 1:
        return values
    return _coerce(values[0], schema, contract)


# ----------------------------------------------------------------------------- ASGI


def build_app(spec: ServiceSpec, version: int = 1, bug: str | None = None) -> Any:
    """The Starlette application of ``spec`` at contract ``version``, with ``bug`` switched on."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    service = Service(spec, version, bug)
    contract = service.contract
    tokens = {*accepted_tokens(), FORBIDDEN_TOKEN}

    def problem(exc: ProblemError, op: Operation | None) -> Response:
        doc: dict[str, Any] = {
            "type": f"https://developer.shop.example.com/problems/{exc.title.lower().replace(' ', '-')}",
            "title": exc.title,
            "status": exc.status,
            "detail": exc.detail,
        }
        if exc.errors:
            doc["errors"] = exc.errors
        return JSONResponse(doc, status_code=exc.status, media_type="application/problem+json",
                            headers=exc.headers)

    def endpoint_for(path: str, ops: dict[str, Operation]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            op = ops.get(request.method)
            if op is None:
                raise HTTPException(405, headers={"Allow": ", ".join(sorted(ops))})
            try:
                if op.secured:
                    auth = request.headers.get("authorization", "")
                    scheme, _, token = auth.partition(" ")
                    token = token.strip()
                    if scheme.lower() != "bearer" or token not in tokens:
                        raise ProblemError(401, "Authentication required", "send Authorization: Bearer <token>",
                                           headers={"WWW-Authenticate": "Bearer"})
                    if token == FORBIDDEN_TOKEN and op.documented(403):
                        raise ProblemError(403, "Forbidden", "this token may not call this operation")
                raw = await request.body()
                path_params = {k: str(v) for k, v in request.path_params.items()}
                body = service.validate_request(op, path_params, request.query_params, request.headers, raw,
                                                request.headers.get("content-type", ""))
                status, payload, headers = service.handle(op, path_params, request.query_params,
                                                          request.headers, body, request.url.path)
            except ProblemError as exc:
                return problem(exc, op)
            if payload is None:
                return Response(status_code=status, headers=headers)
            _, media, _ = contract.success(op)
            return JSONResponse(payload, status_code=status, headers=headers, media_type=media or "application/json")

        endpoint.__name__ = "op_" + re.sub(r"\W", "_", path)
        return endpoint

    by_path: dict[str, dict[str, Operation]] = {}
    for op in contract.operations:
        by_path.setdefault(op.path, {})[op.method] = op
    every = [m.upper() for m in _METHODS] + ["TRACE", "CONNECT"]
    routes = [Route(path, endpoint_for(path, ops), methods=every)
              for path, ops in by_path.items()]

    async def provider_states(request: Request) -> Response:
        try:
            payload = json.loads(await request.body() or b"{}")
            made = service.provider_state(payload)
        except ValueError:
            return problem(ProblemError(400, "Bad provider state", "the body is not JSON"), None)
        except ProblemError as exc:
            return problem(exc, None)
        return JSONResponse(made)

    routes.append(Route(PROVIDER_STATES_PATH, provider_states, methods=["POST"]))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        headers = getattr(exc, "headers", None)
        title = {404: "Not found", 405: "Method not allowed"}.get(status, "Error")
        return problem(ProblemError(status, title, f"{request.method} {request.url.path[:120]}", headers=headers), None)

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.service = service
    return app


def main(spec: ServiceSpec, argv: list[str] | None = None) -> None:
    """``python -m examples.shop.services.<name> [--port N] [--contract-version 1|2]``."""
    import argparse
    import socket

    import uvicorn

    parser = argparse.ArgumentParser(prog=f"python -m examples.shop.services.{spec.name}",
                                     description=f"The shop's {spec.name} service (in memory).")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one, printed)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--contract-version", type=int, choices=(1, 2), default=1)
    args = parser.parse_args(argv)
    bug = os.environ.get("APIGOV_SHOP_BUG") or None
    try:
        app = build_app(spec, args.contract_version, bug)
    except ValueError as exc:
        parser.exit(2, f"error: {exc}\n")
    # IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP (with proto 0 every
    # answer waited 40 ms for a delayed ACK)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]
    print(f"{spec.name} v{args.contract_version}{' bug=' + bug if bug else ''} listening on http://{args.host}:{port}",
          flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
