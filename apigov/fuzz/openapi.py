"""The parts of an OpenAPI 3 document a server answering it needs: its operations, JSON pointers,
validation of values against its schemas, and the few helpers a server keeping resources uses.

Public: ``apigov mock`` (:mod:`apigov.fuzz.mock`) and the shop's example services
(``examples/shop/services``) are both built on it.

* :func:`load_openapi` bundles a file, refuses what a server cannot honour (not OpenAPI 3, a
  pattern RE2 cannot run: :func:`refuse_hostile_patterns`) and turns OpenAPI 3.0's
  ``nullable`` into JSON Schema's ``null`` type;
* :func:`operations` lists each operation with its parameters, request body media types and
  responses, every ``$ref`` followed and every schema named by its JSON pointer;
* :class:`Validator` checks a value against the schema at a pointer (Draft 2020-12, formats,
  ``int32``/``int64``, and ``pattern`` on RE2: linear time whatever the contract says);
* :func:`coerce` reads a parameter's text as its schema's type; :func:`new_id` and
  :func:`merge_patch` make a new resource id like an example one and apply a JSON merge patch.
"""

from __future__ import annotations

import copy
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from apigov.core._types import JSONValue
from apigov.core.errors import InputError

METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PREFIXED_ID: Final = re.compile(r"^([A-Za-z]+_)[0-9A-HJKMNP-TV-Z]{26}$")
_UUID: Final = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DATA_KEYS: Final = ("example", "examples", "default", "enum", "const")
"""Keywords whose values are data, not schemas: never searched for patterns."""


def escape(part: str) -> str:
    """One JSON pointer segment."""
    return part.replace("~", "~0").replace("/", "~1")


def pointer(*parts: str) -> str:
    return "".join("/" + escape(p) for p in parts)


def hostile_patterns(document: JSONValue, limit: int = 200_000) -> Iterator[tuple[str, str]]:
    """``(pointer, pattern)`` of each ``pattern`` / ``patternProperties`` key that RE2 cannot run."""
    from apigov.schema import patterns

    stack: list[tuple[str, JSONValue]] = [("", document)]
    seen = 0
    while stack and seen < limit:
        at, node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str) and not patterns.supported(pattern) and "[:" not in pattern:
                yield at + "/pattern", pattern
            props = node.get("patternProperties")
            if isinstance(props, dict):
                for key in props:
                    if not patterns.supported(key) and "[:" not in key:
                        yield at + "/patternProperties", key
            for key, value in node.items():
                if key not in _DATA_KEYS:
                    stack.append((f"{at}/{escape(str(key))}", value))
        elif isinstance(node, list):
            stack.extend((f"{at}/{i}", v) for i, v in enumerate(node))


def refuse_hostile_patterns(document: JSONValue, source: str) -> None:
    """Raise :class:`InputError` naming the first pattern RE2 cannot run (backreferences,
    lookaround): apigov runs contract patterns on RE2 only, so it could neither check nor
    honour such a schema."""
    for at, pattern in hostile_patterns(document):
        raise InputError(
            f"{source}: pattern {pattern[:60]!r} is not a regular expression RE2 runs (at {at})",
            hint="apigov runs contract patterns on RE2 only (no backreferences or lookaround)",
        )


def _nullable_to_null(node: Any) -> None:
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema's ``null`` type (in place)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("nullable") is True and isinstance(item.get("type"), str):
                item["type"] = [item["type"], "null"]
                if isinstance(item.get("enum"), list) and None not in item["enum"]:
                    item["enum"] = [*item["enum"], None]
            stack.extend(v for k, v in item.items() if k not in ("example", "examples", "default"))
        elif isinstance(item, list):
            stack.extend(item)


def load_openapi(path: Path, source: str, *, what: str = "apigov mock") -> dict[str, Any]:
    """The bundled OpenAPI 3 document at ``path``, a copy the caller owns (``nullable`` as ``null``)."""
    from apigov.documents.bundle import bundle_file

    data = bundle_file(path, source=source).document.data
    if not isinstance(data, dict) or not ("openapi" in data or "swagger" in data):
        raise InputError(f"{source}: not an OpenAPI document ({what} serves HTTP contracts)")
    if "openapi" not in data:  # its responses would all be empty: OpenAPI 3 only
        raise InputError(f"{source}: a Swagger 2 document; {what} serves OpenAPI 3.0 and 3.1 contracts")
    refuse_hostile_patterns(data, source)
    document: dict[str, Any] = copy.deepcopy(data)
    if str(document.get("openapi", "")).startswith("3.0"):
        _nullable_to_null(document)
    return document


def resolve(document: Any, at: str) -> Any:
    """The node at JSON pointer ``at`` (``KeyError``/``IndexError`` when there is none)."""
    node = document
    for raw in at.lstrip("/").split("/") if at.strip("/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(document: Any, at: str, node: Any) -> tuple[str, Any]:
    """Follow local ``$ref`` s from ``node`` (at ``at``): the pointer and the object they end at."""
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#")):
            return at, node
        at = ref[1:]
        try:
            node = resolve(document, at)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise InputError(f"$ref {ref} does not resolve") from exc
    return at, node


@dataclass
class Parameter:
    name: str
    where: str
    """``path``, ``query`` or ``header``"""
    required: bool
    schema_ptr: str
    schema: Any


@dataclass
class Operation:
    """One operation of the document, its ``$ref`` s followed."""

    op_id: str
    method: str
    """upper case"""
    path: str
    pointer: str
    parameters: list[Parameter]
    bodies: dict[str, str]
    """request media type (lower case) -> pointer of its schema"""
    body_required: bool
    responses: dict[str, dict[str, Any]]
    """status (``"200"``, ``"default"``) -> the response object, with its ``pointer``"""
    secured: bool
    """a security requirement applies (and none of the alternatives is ``{}``)"""

    def documented(self, *codes: int) -> int | None:
        """The first of ``codes`` the operation documents."""
        return next((code for code in codes if str(code) in self.responses), None)


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation of ``document``, in document order."""
    found: list[Operation] = []
    raw_paths = document.get("paths")
    root_security = document.get("security") or []
    for template, item in (raw_paths if isinstance(raw_paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            at = pointer("paths", template, method)
            params: dict[tuple[str, str], Parameter] = {}
            for base, plist in ((pointer("paths", template), shared), (at, op.get("parameters") or [])):
                for index, raw in enumerate(plist if isinstance(plist, list) else []):
                    p_ptr, p = deref(document, f"{base}/parameters/{index}", raw)
                    if (
                        isinstance(p, dict)
                        and isinstance(p.get("name"), str)
                        and p.get("in") in ("path", "query", "header")
                    ):
                        params[(p["name"], p["in"])] = Parameter(
                            p["name"],
                            p["in"],
                            bool(p.get("required")),
                            p_ptr + "/schema",
                            p.get("schema") or {},
                        )
            bodies: dict[str, str] = {}
            body_required = False
            if isinstance(op.get("requestBody"), dict):
                b_ptr, body = deref(document, at + "/requestBody", op["requestBody"])
                body_required = bool(body.get("required"))
                for media in body.get("content") or {}:
                    bodies[str(media).lower()] = f"{b_ptr}/content/{escape(str(media))}/schema"
            responses: dict[str, dict[str, Any]] = {}
            for code, raw in (op.get("responses") or {}).items():
                r_ptr, resp = deref(document, f"{at}/responses/{code}", raw)
                if isinstance(resp, dict):
                    responses[str(code)] = {"pointer": r_ptr, **resp}
            security = op.get("security", root_security)
            found.append(
                Operation(
                    op_id=str(op.get("operationId") or f"{method} {template}"),
                    method=method.upper(),
                    path=str(template),
                    pointer=at,
                    parameters=list(params.values()),
                    bodies=bodies,
                    body_required=body_required,
                    responses=responses,
                    secured=bool(security) and all(bool(req) for req in security),
                )
            )
    return found


class Validator:
    """Validation of values against the schemas of one document, by JSON pointer (cached)."""

    def __init__(self, document: dict[str, Any]) -> None:
        import referencing
        import referencing.jsonschema

        self.document = document
        resource = referencing.Resource.from_contents(
            document, default_specification=referencing.jsonschema.DRAFT202012
        )
        self._registry: Any = referencing.Registry().with_resource("urn:apigov-contract", resource)
        self._validators: dict[str, Any] = {}
        self._cls: Any = None
        self._formats: Any = None

    def _validator(self, schema_ptr: str) -> Any:
        found = self._validators.get(schema_ptr)
        if found is None:
            if self._cls is None:
                self._cls, self._formats = _validator_class()
            found = self._cls(
                {"$ref": "urn:apigov-contract#" + schema_ptr},
                registry=self._registry,
                format_checker=self._formats,
            )
            self._validators[schema_ptr] = found
        return found

    def errors(self, schema_ptr: str, value: Any, limit: int = 20) -> list[tuple[str, str]]:
        """``(JSON pointer in value, message)`` for each way ``value`` fails the schema at ``schema_ptr``."""
        found: list[tuple[str, str]] = []
        try:
            for error in self._validator(schema_ptr).iter_errors(value):
                parts = [str(p) for p in error.absolute_path]
                named = re.match(r"^'(.+)' is a required property$", error.message)
                if error.validator == "required" and named:
                    parts.append(named.group(1))
                found.append(("".join("/" + escape(p) for p in parts), error.message[:300]))
                if len(found) >= limit:
                    break
        except Exception as exc:  # noqa: BLE001 - an unusable schema cannot accept anything
            found.append(("", f"the schema cannot be used: {type(exc).__name__}"))
        return found

    def valid(self, schema_ptr: str, value: Any) -> bool:
        return not self.errors(schema_ptr, value, limit=1)


def _validator_class() -> tuple[Any, Any]:
    """Draft 2020-12 with ``pattern`` on RE2, and its format checker with ``int32``/``int64``."""
    import jsonschema

    from apigov.schema import patterns

    def pattern(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not (isinstance(instance, str) and isinstance(value, str)):
            return
        compiled = patterns.compiled(value)  # RE2 on any text, not only where the dialects agree
        try:
            matched = compiled.search(instance) is not None if compiled is not None else None
        except (UnicodeError, ValueError):  # lone surrogates: not text RE2 can read
            matched = patterns.search(value, instance)
        if matched is False:
            yield jsonschema.ValidationError(f"{instance[:80]!r} does not match {value[:80]!r}")

    cls = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})
    checker = copy.copy(jsonschema.Draft202012Validator.FORMAT_CHECKER)
    checker.checkers = dict(checker.checkers)
    for name, bits in (("int32", 31), ("int64", 63)):
        checker.checks(name)(lambda v, b=bits: not isinstance(v, int) or -(2**b) <= v < 2**b)
    return cls, checker


def coerce(raw: str, schema: Any, document: Any, *, arrays: bool = True) -> JSONValue:
    """A parameter's text as its schema's type (``"3"`` -> ``3`` for an integer; ``a,b`` -> a list)."""
    _, schema = deref(document, "", schema)
    kind = schema.get("type") if isinstance(schema, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds and re.fullmatch(r"-?[0-9]{1,30}", raw):
        return int(raw)
    if "number" in kinds and re.fullmatch(r"-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?", raw):
        return float(raw)
    if "boolean" in kinds and raw in ("true", "false"):
        return raw == "true"
    if arrays and "array" in kinds and isinstance(schema, dict):
        return [coerce(v, schema.get("items") or {}, document) for v in raw.split(",")]
    return raw


def new_id(example: Any) -> Any:
    """A new id shaped like ``example``: ``ord_`` + a new ULID, a new UUID, a suffixed string, a
    random positive integer."""
    if isinstance(example, str):
        match = _PREFIXED_ID.match(example)
        if match:
            return match.group(1) + "0" + "".join(secrets.choice(_CROCKFORD) for _ in range(25))
        if _UUID.match(example):
            return str(uuid.uuid4())
        return example + "-" + secrets.token_hex(3).upper()
    if isinstance(example, int) and not isinstance(example, bool):
        return secrets.randbelow(2**31 - 1) + 1
    return example


def merge_patch(target: Any, patch: Any) -> Any:
    """``target`` with the JSON merge patch ``patch`` (RFC 7396) applied; ``target`` is not changed."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
