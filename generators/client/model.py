"""The language-neutral API model a client generator renders, read from an OpenAPI or Swagger document.

:func:`build_api` turns one bundled contract into :class:`Api`: named types (models and
aliases, keyed by their final PascalCase name), operations with parameters, a request body and
responses, and the warnings for what a client cannot express exactly (e.g. an XML body, kept
as raw bytes). Swagger 2.0 is first rewritten into the OpenAPI 3 shape (:func:`from_swagger2`).

Names are stable: component schemas are named after their keys, inline schemas after the place
they sit (``CreateOrderRequestLinesItem``), operations after their ``operationId`` (else method
and path); collisions are settled in source order with a reported :class:`~.naming.Collision`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias, TypeVar, cast

from apigov.core import naming
from generators.base import Contract, JSONValue

JSON: TypeAlias = JSONValue
V = TypeVar("V")
Obj: TypeAlias = Mapping[str, JSONValue]
Direction = Literal["read", "write"]
PrimKind = Literal["str", "int", "float", "bool", "any", "bytes", "null"]

METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IDEMPOTENT: Final = frozenset({"get", "put", "delete", "options", "head", "trace"})
CURSOR_PARAMS: Final = ("cursor", "page_token", "pageToken", "starting_after", "after", "next_token")
ITEM_FIELDS: Final = ("items", "data", "results", "values", "entries")
NEXT_FIELDS: Final = (
    "nextCursor",
    "next_cursor",
    "nextPageToken",
    "next_page_token",
    "next_token",
    "nextToken",
)
MAX_DEPTH: Final = 64
_TOKEN: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True, slots=True)
class TPrim:
    kind: PrimKind


@dataclass(frozen=True, slots=True)
class TList:
    item: TType


@dataclass(frozen=True, slots=True)
class TMap:
    value: TType


@dataclass(frozen=True, slots=True)
class TRef:
    name: str


@dataclass(frozen=True, slots=True)
class TLiteral:
    values: tuple[str | int | bool, ...]
    open: bool = False


@dataclass(frozen=True, slots=True)
class Discriminator:
    prop: str
    mapping: tuple[tuple[str, str], ...]  # wire value -> type name


@dataclass(frozen=True, slots=True)
class TUnion:
    options: tuple[TType, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True, slots=True)
class TNullable:
    inner: TType


TType: TypeAlias = TPrim | TList | TMap | TRef | TLiteral | TUnion | TNullable
ANY: Final = TPrim("any")


@dataclass(frozen=True, slots=True)
class Field:
    wire: str
    ident: str  # Python attribute name (TypeScript keeps the wire name)
    type: TType  # TNullable when null is allowed
    required: bool
    doc: str
    default: JSON = None
    has_default: bool = False
    read_only: bool = False
    write_only: bool = False


@dataclass(slots=True)
class ModelDef:
    name: str
    doc: str
    pointer: str
    fields: list[Field] = field(default_factory=list)
    extra: TType | None = None  # additionalProperties next to declared properties


@dataclass(slots=True)
class AliasDef:
    name: str
    doc: str
    pointer: str
    type: TType


NamedType: TypeAlias = ModelDef | AliasDef

ParamLocation = Literal["path", "query", "header", "cookie"]
BodyKind = Literal["json", "form", "multipart", "binary", "text"]


@dataclass(frozen=True, slots=True)
class Param:
    wire: str
    ident: str
    ts_ident: str
    location: ParamLocation
    required: bool
    type: TType
    style: str
    explode: bool
    doc: str
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    media: str
    kind: BodyKind
    type: TType
    required: bool


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX" or "default"
    media: str | None
    kind: BodyKind | None  # None: no body
    type: TType | None
    doc: str
    headers: tuple[str, ...] = ()  # declared response header names, lower-case

    @property
    def success(self) -> bool:
        return self.status.startswith("2")


@dataclass(frozen=True, slots=True)
class Pagination:
    """A cursor convention (``cursor`` parameter, ``nextCursor`` field) or ``Link`` headers (rel=next)."""

    cursor_param: str  # Param.ident ("" for Link headers)
    items_field: str  # Field.wire of the page model ("" for Link headers: the body is the array)
    next_field: str  # Field.wire ("" for Link headers)
    item_type: TType
    kind: Literal["cursor", "link"] = "cursor"


@dataclass(slots=True)
class Operation:
    key: str  # canonical snake name (also the Python method name)
    ts_name: str
    operation_id: str | None
    method: str
    path: str
    pointer: str
    summary: str
    doc: str
    deprecated: bool
    sunset: str | None
    tags: tuple[str, ...]
    params: list[Param]
    body: Body | None
    responses: list[Response]
    idempotency_key: Param | None = None
    pagination: Pagination | None = None

    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str
    kind: Literal["bearer", "basic", "api_key", "oauth2_client_credentials", "other"]
    name: str = ""  # API key: header/query/cookie name
    location: str = ""  # API key: header, query or cookie
    token_url: str = ""
    doc: str = ""


@dataclass(slots=True)
class Api:
    title: str
    version: str
    doc: str
    server: str
    types: dict[str, NamedType]
    operations: list[Operation]
    security: list[SecurityScheme]
    warnings: list[tuple[str, str, str]]  # (feature, subject, message)
    write_names: dict[str, str] = field(default_factory=dict)  # split type -> its request-side name

    def type_name(self, name: str, direction: Direction) -> str:
        return self.write_names.get(name, name) if direction == "write" else name


def _obj(value: object) -> Obj:
    return cast("Obj", value) if isinstance(value, dict) else {}


def _str(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def media_kind(media: str) -> BodyKind | None:
    """How a body of this media type is sent or read; ``None`` for types a client cannot model (XML)."""
    base = media.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json") or base in ("*/*", "application/*", "text/json"):
        return "json" if base not in ("*/*", "application/*") else "binary"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.endswith(("/xml", "+xml")):
        return None
    if base.startswith("text/"):
        return "text"
    return "binary"


_PREFERENCE: Final = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}


def _pick_media(content: Obj) -> tuple[str, BodyKind | None, Obj]:
    """The media type a client uses among ``content`` (JSON first), its kind and media object."""
    best: tuple[int, str, BodyKind | None, Obj] | None = None
    for media, value in content.items():
        kind = media_kind(media)
        rank = _PREFERENCE[kind] if kind is not None else 9
        if best is None or rank < best[0]:
            best = (rank, media, kind, _obj(value))
    if best is None:
        return "", None, {}
    return best[1], best[2], best[3]


class _Builder:
    def __init__(self, contract: Contract) -> None:
        doc = dict(contract.document)
        if isinstance(doc.get("swagger"), str):
            doc = from_swagger2(doc)
        self.doc: Obj = doc
        self.types: dict[str, NamedType] = {}
        self.taken: set[str] = set(naming.RESERVED_TYPES)
        self.collisions: list[naming.Collision] = []
        self.warnings: list[tuple[str, str, str]] = []
        self.component_names: dict[str, str] = {}
        self.in_progress: set[str] = set()

    # -- references ---------------------------------------------------------------------
    def resolve(self, value: object, depth: int = 0) -> Obj:
        node = _obj(value)
        while isinstance(node.get("$ref"), str) and depth < MAX_DEPTH:
            node = self.lookup(cast("str", node["$ref"]))
            depth += 1
        return node

    def lookup(self, ref: str) -> Obj:
        if not ref.startswith("#"):
            return {}
        current: object = self.doc
        for raw in ref[1:].split("/")[1:] if ref.startswith("#/") else []:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(current, dict):
                current = current.get(token)
            elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
                current = current[int(token)]
            else:
                return {}
        return _obj(current)

    # -- names --------------------------------------------------------------------------
    def new_name(self, wanted: str, pointer: str) -> str:
        return naming.disambiguate([(naming.type_ident(wanted), pointer)], self.taken, self.collisions)[0]

    def register_components(self) -> None:
        schemas = _obj(_obj(self.doc.get("components")).get("schemas"))
        keys = sorted(schemas)
        names = naming.disambiguate(
            [(naming.type_ident(k), f"#/components/schemas/{_pointer_token(k)}") for k in keys],
            self.taken,
            self.collisions,
        )
        self.component_names = dict(zip(keys, names, strict=True))
        for key in keys:
            name = self.component_names[key]
            pointer = f"#/components/schemas/{_pointer_token(key)}"
            schema = _obj(schemas[key])
            node = self.convert(schema, name, pointer, 0, top_name=name)
            if name not in self.types:
                self.types[name] = AliasDef(name, _str(schema.get("description")), pointer, node)

    # -- schemas ------------------------------------------------------------------------
    def convert(
        self, schema: object, ctx: str, pointer: str, depth: int, top_name: str | None = None
    ) -> TType:
        """The type of ``schema``; object schemas become models named ``top_name`` or after ``ctx``."""
        if depth > MAX_DEPTH or not isinstance(schema, dict):
            return ANY
        s = cast("Obj", schema)
        ref = s.get("$ref")
        if isinstance(ref, str):
            prefix = "#/components/schemas/"
            if ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
                key = ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
                if key in self.component_names:
                    return TRef(self.component_names[key])
            return self.convert(self.lookup(ref), ctx, ref, depth + 1)
        nullable = s.get("nullable") is True or s.get("x-nullable") is True
        node = self._convert_inner(s, ctx, pointer, depth, top_name)
        if isinstance(node, TNullable):
            return node
        if nullable or (isinstance(s.get("enum"), list) and None in cast("list[JSON]", s["enum"])):
            return TNullable(node)
        return node

    def _convert_inner(self, s: Obj, ctx: str, pointer: str, depth: int, top_name: str | None) -> TType:
        types = s.get("type")
        type_list = [t for t in types if isinstance(t, str)] if isinstance(types, list) else []
        single = types if isinstance(types, str) else None
        if type_list:
            non_null = [t for t in type_list if t != "null"]
            null_allowed = len(non_null) != len(type_list)
            if len(non_null) == 1:
                node = self._convert_inner({**s, "type": non_null[0]}, ctx, pointer, depth, top_name)
            elif not non_null:
                return TPrim("null")
            else:
                options = [self._convert_inner({**s, "type": t}, ctx, pointer, depth, None) for t in non_null]
                node = TUnion(tuple(_unique(options)))
            return TNullable(node) if null_allowed else node
        for key in ("oneOf", "anyOf"):
            branches = s.get(key)
            if isinstance(branches, list) and branches:
                return self._union(s, branches, key, ctx, pointer, depth, top_name)
        all_of = s.get("allOf")
        if isinstance(all_of, list) and all_of:
            parts = [p for p in all_of if isinstance(p, dict)]
            if len(parts) == 1 and not s.get("properties"):
                return self.convert(parts[0], ctx, f"{pointer}/allOf/0", depth + 1, top_name)
            return self._model(s, ctx, pointer, depth, top_name)
        if "const" in s:
            const = s["const"]
            if isinstance(const, str | int) and not isinstance(const, float):
                return TLiteral((const,))
        enum = s.get("enum")
        extensible = s.get("x-extensible-enum")
        if isinstance(extensible, list) and all(isinstance(v, str) for v in extensible) and extensible:
            return TLiteral(tuple(_unique(cast("list[str]", extensible))), open=True)
        if isinstance(enum, list) and enum:
            values = [v for v in enum if v is not None]
            if values and all(isinstance(v, str) for v in values):
                return TLiteral(tuple(_unique(cast("list[str]", values))))
            if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                return TLiteral(tuple(_unique(cast("list[int]", values))))
            if values and all(isinstance(v, bool) for v in values):
                return TLiteral(tuple(_unique(cast("list[bool]", values))))
        if single == "object" or (single is None and ("properties" in s or "additionalProperties" in s)):
            props = _obj(s.get("properties"))
            if props:
                return self._model(s, ctx, pointer, depth, top_name)
            extra = s.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return TMap(self.convert(extra, f"{ctx}Value", f"{pointer}/additionalProperties", depth + 1))
            return TMap(ANY)
        if single == "array" or (single is None and "items" in s):
            return TList(self.convert(s.get("items"), f"{ctx}Item", f"{pointer}/items", depth + 1))
        if single == "string":
            return TPrim("bytes") if s.get("format") == "binary" else TPrim("str")
        if single == "integer":
            return TPrim("int")
        if single == "number":
            return TPrim("float")
        if single == "boolean":
            return TPrim("bool")
        if single == "null":
            return TPrim("null")
        return ANY

    def _union(
        self,
        s: Obj,
        branches: list[JSON],
        key: str,
        ctx: str,
        pointer: str,
        depth: int,
        top_name: str | None,
    ) -> TType:
        nullable = False
        options: list[TType] = []
        for i, branch in enumerate(branches):
            b = _obj(branch)
            if b.get("type") == "null" or (b.get("enum") == [None]):
                nullable = True
                continue
            title = _str(b.get("title"))
            name = (
                f"{ctx}{naming.pascal(title)}" if title and naming.pascal(title) else f"{ctx}Variant{i + 1}"
            )
            options.append(self.convert(b, name, f"{pointer}/{key}/{i}", depth + 1))
        unique = _unique(options)
        node: TType
        if not unique:
            node = ANY
        elif len(unique) == 1:
            node = unique[0]
        else:
            node = TUnion(tuple(unique), self._discriminator(s, unique))
        return TNullable(node) if nullable and not isinstance(node, TNullable) else node

    def _discriminator(self, s: Obj, options: list[TType]) -> Discriminator | None:
        disc = _obj(s.get("discriminator"))
        prop = _str(disc.get("propertyName"))
        if not prop or not all(isinstance(o, TRef) for o in options):
            return None
        names = {cast("TRef", o).name for o in options}
        mapping: dict[str, str] = {}
        raw = _obj(disc.get("mapping"))
        for value, target in raw.items():
            if isinstance(target, str):
                key = target.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
                name = self.component_names.get(
                    key, key if target.startswith("#") else naming.type_ident(target)
                )
                if name in names:
                    mapping[value] = name
        covered = set(mapping.values())
        for key, name in self.component_names.items():
            if name in names and name not in covered:
                mapping[key] = name
        return Discriminator(prop, tuple(sorted(mapping.items())))

    def _collect(
        self, s: Obj, depth: int, props: dict[str, tuple[JSON, str]], required: set[str], seen: set[int]
    ) -> JSON:
        """Properties and required names of ``s`` and its allOf parts; returns additionalProperties."""
        if depth > MAX_DEPTH or id(s) in seen:
            return None
        seen.add(id(s))
        extra: JSON = s.get("additionalProperties")
        for part in _list(s.get("allOf")):
            found = self._collect(self.resolve(part), depth + 1, props, required, seen)
            if isinstance(found, dict) and found and not isinstance(extra, dict):
                extra = found
        for name, value in _obj(s.get("properties")).items():
            props[name] = (value, "")
        for item in _list(s.get("required")):
            if isinstance(item, str):
                required.add(item)
        return extra

    def _model(self, s: Obj, ctx: str, pointer: str, depth: int, top_name: str | None) -> TType:
        name = top_name or self.new_name(ctx, pointer)
        model = ModelDef(name, _str(s.get("description")), pointer)
        self.types[name] = model
        props: dict[str, tuple[JSON, str]] = {}
        required: set[str] = set()
        extra = self._collect(s, depth, props, required, set())
        wire_names = list(props)
        idents = naming.disambiguate(
            [
                (naming.py_ident(w, fallback="field"), f"{pointer}/properties/{_pointer_token(w)}")
                for w in wire_names
            ],
            {"additional_properties"},
            self.collisions,
        )
        for wire, ident in zip(wire_names, idents, strict=True):
            raw = props[wire][0]
            prop = self.resolve(raw) if isinstance(_obj(raw).get("$ref"), str) else _obj(raw)
            own = _obj(raw)
            node = self.convert(
                raw, f"{name}{naming.pascal(wire) or 'Field'}", f"{pointer}/properties/{wire}", depth + 1
            )
            has_default = "default" in own or "default" in prop
            default = own.get("default", prop.get("default"))
            model.fields.append(
                Field(
                    wire=wire,
                    ident=ident,
                    type=node,
                    required=wire in required,
                    doc=_str(own.get("description")) or _str(prop.get("description")),
                    default=default,
                    has_default=has_default and _simple_default(default),
                    read_only=own.get("readOnly") is True or prop.get("readOnly") is True,
                    write_only=own.get("writeOnly") is True or prop.get("writeOnly") is True,
                )
            )
        if isinstance(extra, dict) and extra:
            model.extra = self.convert(extra, f"{name}Value", f"{pointer}/additionalProperties", depth + 1)
        return TRef(name)

    # -- operations ---------------------------------------------------------------------
    def operations(self) -> list[Operation]:
        paths = _obj(self.doc.get("paths"))
        found: list[tuple[str, str, Obj, Obj]] = []
        for path in sorted(paths):
            item = self.resolve(paths[path])
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    found.append((path, method, item, cast("Obj", item[method])))
        wanted: list[tuple[str, str]] = []
        for path, method, _, op in found:
            op_id = _str(op.get("operationId"))
            base = naming.py_ident(op_id, fallback="operation", reserved=_RESERVED_METHODS) if op_id else ""
            if not op_id or not naming.snake(op_id):
                base = naming.py_ident(f"{method} {path}", fallback="operation", reserved=_RESERVED_METHODS)
            wanted.append((base, f"#/paths/{_pointer_token(path)}/{method}"))
        keys = naming.disambiguate(wanted, set(_RESERVED_METHODS), self.collisions)
        return [
            self.operation(path, method, item, op, key)
            for (path, method, item, op), key in zip(found, keys, strict=True)
        ]

    def operation(self, path: str, method: str, item: Obj, op: Obj, key: str) -> Operation:
        pointer = f"#/paths/{_pointer_token(path)}/{method}"
        ctx = naming.pascal(key) or "Operation"
        label = f"{method.upper()} {path}"
        merged: dict[tuple[str, str], Obj] = {}
        for raw in [*_list(item.get("parameters")), *_list(op.get("parameters"))]:
            p = self.resolve(raw)
            name, location = _str(p.get("name")), _str(p.get("in"))
            if name and location in ("path", "query", "header", "cookie"):
                if location == "header" and name.lower() in ("accept", "content-type", "authorization"):
                    continue
                if location in ("header", "cookie") and not _TOKEN.fullmatch(name):
                    self.warnings.append(
                        (
                            "invalid-parameter-name",
                            label,
                            f"{location} parameter {name!r} is not an HTTP token; the method leaves it out",
                        )
                    )
                    continue
                merged[(location, name)] = p
        ordered = sorted(merged.items(), key=lambda kv: (0 if kv[0][0] == "path" else 1, kv[0][0] != "query"))
        idents = naming.disambiguate(
            [
                (naming.py_ident(n, fallback="param"), f"{pointer}/parameters/{loc}:{n}")
                for (loc, n), _ in ordered
            ],
            set(_RESERVED_PARAMS),
            self.collisions,
        )
        ts_idents = naming.disambiguate(
            [(naming.ts_ident(n, fallback="param"), "") for (_, n), _ in ordered], {"body", "options"}
        )
        params: list[Param] = []
        for ((location, name), p), ident, ts in zip(ordered, idents, ts_idents, strict=True):
            loc = cast("ParamLocation", location)
            schema: JSON = p.get("schema")
            if schema is None and isinstance(p.get("content"), dict):
                schema = _pick_media(_obj(p.get("content")))[2].get("schema")
            style = _str(
                p.get("style"), {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}[loc]
            )
            explode = p.get("explode")
            params.append(
                Param(
                    wire=name,
                    ident=ident,
                    ts_ident=ts,
                    location=loc,
                    required=p.get("required") is True or loc == "path",
                    type=self.convert(
                        schema, f"{ctx}{naming.pascal(name) or 'Param'}", f"{pointer}/parameters", 1
                    ),
                    style=style,
                    explode=explode if isinstance(explode, bool) else style == "form",
                    doc=_str(p.get("description")),
                    deprecated=p.get("deprecated") is True,
                )
            )
        body: Body | None = None
        request = self.resolve(op.get("requestBody"))
        content = _obj(request.get("content"))
        if content:
            media, kind, media_obj = _pick_media(content)
            if kind is None:
                self.warnings.append(
                    ("xml-body", label, f"request body {media} is not modelled; the method takes raw bytes")
                )
                kind = "binary"
            node: TType = (
                TPrim("bytes")
                if kind == "binary"
                else TPrim("str")
                if kind == "text"
                else self.convert(media_obj.get("schema"), f"{ctx}Body", f"{pointer}/requestBody", 1)
            )
            body = Body(media, kind, node, request.get("required") is True)
        responses: list[Response] = []
        for status, raw in sorted(
            _obj(op.get("responses")).items(), key=lambda kv: (kv[0] == "default", kv[0])
        ):
            r = self.resolve(raw)
            rc = _obj(r.get("content"))
            declared = tuple(sorted(str(h).lower() for h in _obj(r.get("headers"))))
            if not rc:
                responses.append(Response(status, None, None, None, _str(r.get("description")), declared))
                continue
            media, kind, media_obj = _pick_media(rc)
            if kind is None:
                self.warnings.append(
                    (
                        "xml-body",
                        label,
                        f"response {status} {media} is not modelled; the method returns raw bytes",
                    )
                )
                kind = "binary"
            rnode: TType | None = (
                TPrim("bytes")
                if kind == "binary"
                else TPrim("str")
                if kind == "text"
                else self.convert(
                    media_obj.get("schema"), f"{ctx}Response{status}", f"{pointer}/responses/{status}", 1
                )
                if "schema" in media_obj
                else ANY
            )
            responses.append(Response(status, media, kind, rnode, _str(r.get("description")), declared))
        sunset = op.get("x-sunset")
        operation = Operation(
            key=key,
            ts_name=naming.ts_ident(key, fallback="operation"),
            operation_id=_str(op.get("operationId")) or None,
            method=method,
            path=path,
            pointer=pointer,
            summary=_str(op.get("summary")),
            doc=_str(op.get("description")),
            deprecated=op.get("deprecated") is True,
            sunset=str(sunset) if isinstance(sunset, str | int) else None,
            tags=tuple(t for t in _list(op.get("tags")) if isinstance(t, str)),
            params=params,
            body=body,
            responses=responses,
        )
        operation.idempotency_key = next(
            (p for p in params if p.location == "header" and p.wire.lower() == "idempotency-key"), None
        )
        operation.pagination = self.pagination(operation)
        return operation

    def pagination(self, op: Operation) -> Pagination | None:
        cursor = next((p for p in op.params if p.location == "query" and p.wire in CURSOR_PARAMS), None)
        ok = next((r for r in op.responses if r.status in ("200", "2XX")), None)
        if ok is not None and op.method == "get" and "link" in ok.headers and isinstance(ok.type, TList):
            return Pagination("", "", "", ok.type.item, kind="link")
        if cursor is None or ok is None or not isinstance(ok.type, TRef):
            return None
        model = self.types.get(ok.type.name)
        if not isinstance(model, ModelDef):
            return None
        fields = {f.wire: f for f in model.fields}
        items = next(
            (fields[n] for n in ITEM_FIELDS if n in fields and isinstance(fields[n].type, TList)), None
        )
        nxt = next((fields[n] for n in NEXT_FIELDS if n in fields), None)
        if items is None or nxt is None or not isinstance(items.type, TList):
            return None
        return Pagination(cursor.ident, items.wire, nxt.wire, items.type.item)

    def security(self) -> list[SecurityScheme]:
        schemes: list[SecurityScheme] = []
        for key, raw in sorted(_obj(_obj(self.doc.get("components")).get("securitySchemes")).items()):
            s = self.resolve(raw)
            kind = _str(s.get("type"))
            doc = _str(s.get("description"))
            if kind == "http" and _str(s.get("scheme")).lower() == "bearer":
                schemes.append(SecurityScheme(key, "bearer", doc=doc))
            elif kind == "http" and _str(s.get("scheme")).lower() == "basic":
                schemes.append(SecurityScheme(key, "basic", doc=doc))
            elif kind == "apiKey":
                schemes.append(
                    SecurityScheme(key, "api_key", _str(s.get("name")), _str(s.get("in"), "header"), doc=doc)
                )
            elif kind == "oauth2" and isinstance(_obj(s.get("flows")).get("clientCredentials"), dict):
                flow = _obj(_obj(s.get("flows")).get("clientCredentials"))
                schemes.append(
                    SecurityScheme(
                        key, "oauth2_client_credentials", token_url=_str(flow.get("tokenUrl")), doc=doc
                    )
                )
            else:
                schemes.append(SecurityScheme(key, "other", doc=doc))
        return schemes

    # -- request/response split --------------------------------------------------------
    def split_names(self) -> dict[str, str]:
        """Types that differ between requests and responses (readOnly/writeOnly), and their request names."""
        split: set[str] = {
            n
            for n, t in self.types.items()
            if isinstance(t, ModelDef) and any(f.read_only or f.write_only for f in t.fields)
        }
        changed = True
        while changed:
            changed = False
            for name, t in self.types.items():
                if name in split:
                    continue
                nodes = (
                    [f.type for f in t.fields] + ([t.extra] if t.extra else [])
                    if isinstance(t, ModelDef)
                    else [t.type]
                )
                if any(refs & split for refs in (_refs(n) for n in nodes)):
                    split.add(name)
                    changed = True
        ordered = sorted(split)
        names = naming.disambiguate(
            [(f"{n}Input", self.types[n].pointer) for n in ordered], self.taken, self.collisions
        )
        return dict(zip(ordered, names, strict=True))


_RESERVED_METHODS: Final = naming.PY_RESERVED_FIELDS | {"close", "aclose", "options", "with_options"}
_RESERVED_PARAMS: Final = naming.PY_RESERVED_FIELDS | {"body", "request_options"}


def _simple_default(value: JSON) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _list(value: object) -> list[JSON]:
    return cast("list[JSON]", value) if isinstance(value, list) else []


def _unique(items: Sequence[V]) -> list[V]:
    out: list[V] = []
    for item in items:
        if not any(item == o and type(item) is type(o) for o in out):
            out.append(item)
    return out


def _refs(node: TType) -> set[str]:
    if isinstance(node, TRef):
        return {node.name}
    if isinstance(node, TList):
        return _refs(node.item)
    if isinstance(node, TMap):
        return _refs(node.value)
    if isinstance(node, TNullable):
        return _refs(node.inner)
    if isinstance(node, TUnion):
        return set().union(*(_refs(o) for o in node.options))
    return set()


def build_api(contract: Contract) -> Api:
    """The API model of ``contract`` (OpenAPI 3.x or Swagger 2.0)."""
    b = _Builder(contract)
    info = _obj(b.doc.get("info"))
    b.register_components()
    operations = b.operations()
    servers = _list(b.doc.get("servers"))
    server = _str(_obj(servers[0]).get("url")) if servers else ""
    if "{" in server:
        server = ""
    api = Api(
        title=_str(info.get("title"), contract.name),
        version=_str(info.get("version")),
        doc=_str(info.get("description")) or _str(info.get("summary")),
        server=server,
        types=dict(sorted(b.types.items())),
        operations=operations,
        security=b.security(),
        warnings=b.warnings,
    )
    api.write_names = b.split_names()
    api.warnings.extend(("name-collision", c.second, c.message()) for c in b.collisions)
    return api


# -- Swagger 2.0 -> OpenAPI 3 shape -------------------------------------------------------------


def _rewrite_refs(value: JSON) -> JSON:
    """A copy of ``value`` with ``#/definitions/`` references pointing at ``#/components/schemas/``."""
    stack: list[tuple[JSON, JSON]] = []
    root: JSON = {} if isinstance(value, dict) else [] if isinstance(value, list) else value
    if not isinstance(value, dict | list):
        return value
    stack.append((value, root))
    while stack:
        src, dst = stack.pop()
        items = src.items() if isinstance(src, dict) else enumerate(src) if isinstance(src, list) else []
        for k, v in items:
            if isinstance(v, dict | list):
                child: JSON = {} if isinstance(v, dict) else []
                stack.append((v, child))
            elif k == "$ref" and isinstance(v, str) and v.startswith("#/definitions/"):
                child = "#/components/schemas/" + v[len("#/definitions/") :]
            else:
                child = v
            if isinstance(dst, dict):
                dst[cast("str", k)] = child
            elif isinstance(dst, list):
                dst.append(child)
    return root


def _swagger_schema(p: Obj) -> dict[str, JSON]:
    """The schema of a Swagger 2 non-body parameter or items object."""
    out: dict[str, JSON] = {
        k: v for k, v in p.items() if k in ("type", "format", "enum", "default", "x-nullable")
    }
    if out.get("type") == "file":
        out = {"type": "string", "format": "binary"}
    if isinstance(p.get("items"), dict):
        out["items"] = _swagger_schema(cast("Obj", p["items"]))
    return out


def from_swagger2(doc: Obj) -> dict[str, JSON]:
    """A Swagger 2.0 document rewritten into the OpenAPI 3 shape this model reads."""
    src = cast("dict[str, JSON]", _rewrite_refs(cast("JSON", dict(doc))))
    consumes = [c for c in _list(src.get("consumes")) if isinstance(c, str)] or ["application/json"]
    produces = [c for c in _list(src.get("produces")) if isinstance(c, str)] or ["application/json"]
    shared_params = _obj(src.get("parameters"))
    shared_responses = _obj(src.get("responses"))

    def param(raw: JSON) -> Obj:
        p = _obj(raw)
        ref = p.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            return _obj(shared_params.get(ref[len("#/parameters/") :]))
        return p

    def response(raw: JSON, produce: list[str]) -> dict[str, JSON]:
        r = _obj(raw)
        ref = r.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/responses/"):
            r = _obj(shared_responses.get(ref[len("#/responses/") :]))
        out: dict[str, JSON] = {"description": _str(r.get("description"))}
        if "schema" in r:
            media = next((m for m in produce if media_kind(m) == "json"), produce[0])
            out["content"] = {media: {"schema": r["schema"]}}
        return out

    paths: dict[str, JSON] = {}
    for path, raw_item in _obj(src.get("paths")).items():
        item = _obj(raw_item)
        new_item: dict[str, JSON] = {}
        common = [param(p) for p in _list(item.get("parameters"))]
        for method in METHODS:
            op = _obj(item.get(method))
            if not op:
                continue
            new_op: dict[str, JSON] = {
                k: v for k, v in op.items() if k not in ("parameters", "responses", "consumes", "produces")
            }
            op_consumes = [c for c in _list(op.get("consumes")) if isinstance(c, str)] or consumes
            op_produces = [c for c in _list(op.get("produces")) if isinstance(c, str)] or produces
            params: list[JSON] = []
            form: dict[str, JSON] = {}
            form_required: list[JSON] = []
            body: dict[str, JSON] | None = None
            by_key = {
                (_str(p.get("in")), _str(p.get("name"))): p
                for p in [*common, *(param(x) for x in _list(op.get("parameters")))]
            }
            for (location, name), p in by_key.items():
                if location == "body":
                    media = next((m for m in op_consumes if media_kind(m) == "json"), op_consumes[0])
                    body = {
                        "required": p.get("required") is True,
                        "content": {media: {"schema": p.get("schema", {})}},
                    }
                elif location == "formData":
                    form[name] = _swagger_schema(p)
                    if p.get("required") is True:
                        form_required.append(name)
                else:
                    new_p: dict[str, JSON] = {
                        "name": name,
                        "in": location,
                        "required": p.get("required") is True,
                        "schema": _swagger_schema(p),
                    }
                    if isinstance(p.get("description"), str):
                        new_p["description"] = p["description"]
                    fmt = p.get("collectionFormat")
                    if fmt in ("ssv", "pipes", "multi", "csv"):
                        new_p["style"] = {"ssv": "spaceDelimited", "pipes": "pipeDelimited"}.get(
                            str(fmt), "form"
                        )
                        new_p["explode"] = fmt == "multi"
                    params.append(new_p)
            if form:
                media = (
                    "multipart/form-data"
                    if "multipart/form-data" in op_consumes
                    else "application/x-www-form-urlencoded"
                )
                body = {
                    "content": {
                        media: {"schema": {"type": "object", "properties": form, "required": form_required}}
                    }
                }
            if params:
                new_op["parameters"] = params
            if body is not None:
                new_op["requestBody"] = body
            new_op["responses"] = {
                str(s): response(r, op_produces) for s, r in _obj(op.get("responses")).items()
            }
            new_item[method] = new_op
        paths[path] = new_item
    schemes: dict[str, JSON] = {}
    for key, raw in _obj(src.get("securityDefinitions")).items():
        s = _obj(raw)
        if s.get("type") == "basic":
            schemes[key] = {"type": "http", "scheme": "basic"}
        elif s.get("type") == "apiKey":
            schemes[key] = {"type": "apiKey", "name": s.get("name"), "in": s.get("in")}
        elif s.get("type") == "oauth2" and s.get("flow") == "application":
            schemes[key] = {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": s.get("tokenUrl")}}}
        else:
            schemes[key] = {"type": _str(s.get("type"), "other")}
    host, base = _str(src.get("host")), _str(src.get("basePath"))
    servers: list[JSON] = [{"url": f"https://{host}{base}"}] if host else ([{"url": base}] if base else [])
    return {
        "openapi": "3.0.3",
        "info": src.get("info", {}),
        "servers": servers,
        "paths": paths,
        "components": {"schemas": src.get("definitions", {}), "securitySchemes": schemes},
    }
