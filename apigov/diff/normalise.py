"""Read Swagger 2.0 and OpenAPI 3.0/3.1 documents into one located model of the 3.x shape.

The model keeps, for every node, the JSON pointer into the (bundled) document it was read from,
so the diff can point at either side. Swagger 2.0 is read as if converted to 3.x: a ``body``
parameter becomes a request body with the ``consumes`` media types, ``formData`` parameters a
form request body, ``produces`` the media types of each response, ``host``/``basePath``/
``schemes`` the servers. Internal ``$ref`` (parameters, request bodies, responses, headers,
path items, callbacks) are followed; the pointer kept is the node the reference leads to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.core.shown import as_text
from apigov.documents.kinds import Kind

METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_MAX_HOPS: Final = 32
_DEFAULT_STYLE: Final = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
_COLLECTION_STYLE: Final = {"ssv": "spaceDelimited", "pipes": "pipeDelimited"}
_SCHEMA_KEYS_2: Final = frozenset(
    {
        "type",
        "format",
        "items",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "enum",
        "multipleOf",
    }
)


@dataclass(frozen=True, slots=True)
class Schema:
    """Where a schema is. ``legacy`` marks a Swagger 2.0 parameter or header object, which is
    its own schema: only its schema keywords (``type``, ``items``, ``enum``...) count."""

    pointer: str
    legacy: bool = False


@dataclass(frozen=True, slots=True)
class Parameter:
    location: str
    name: str
    pointer: str
    data: JSONObject
    required: bool
    style: str
    explode: bool
    schema: Schema | None
    media: str | None = None
    """The media type of a 3.x parameter written with ``content`` instead of ``schema``."""

    @property
    def key(self) -> tuple[str, str]:
        """(in, name), the name lower-cased for headers (HTTP header names ignore case)."""
        return self.location, self.name.lower() if self.location == "header" else self.name


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a form: a Swagger 2.0 ``formData`` parameter, or a property of a 3.x form schema."""

    name: str
    pointer: str
    required: bool
    schema: Schema


@dataclass(frozen=True, slots=True)
class Media:
    """A media type. ``fields`` is set for a Swagger 2.0 form, whose fields are ``formData``
    parameters (it has no schema)."""

    name: str
    pointer: str
    schema: Schema | None
    fields: tuple[Field, ...] | None = None


@dataclass(frozen=True, slots=True)
class Body:
    pointer: str
    data: JSONObject
    required: bool
    content: tuple[Media, ...]


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    pointer: str
    data: JSONObject
    required: bool
    schema: Schema | None


@dataclass(frozen=True, slots=True)
class Response:
    code: str
    pointer: str
    data: JSONObject
    content: tuple[Media, ...]
    headers: tuple[Header, ...]


@dataclass(frozen=True, slots=True)
class Security:
    """The effective security requirements of an operation; ``pointer`` is where they are
    written (the operation's or the root's ``security``), ``None`` when nowhere."""

    pointer: str | None
    requirements: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    pointer: str
    data: JSONObject
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: Security
    callbacks: tuple[Operation, ...] = ()
    group: str = ""
    servers: tuple[tuple[str, str], ...] | None = None  # own or the path item's; None: the root's

    @property
    def template(self) -> str:
        """The path with its parameter names erased: ``/pets/{petId}`` -> ``/pets/{}``."""
        return template_of(self.path)


@dataclass(frozen=True, slots=True)
class Api:
    kind: Kind
    data: JSONObject
    operations: tuple[Operation, ...]
    webhooks: tuple[Operation, ...]
    servers: tuple[tuple[str, str], ...]  # (url, pointer)
    tags: tuple[tuple[str, str], ...]  # (name, pointer)


def template_of(path: str) -> str:
    """Erase parameter names in a path template."""
    out: list[str] = []
    depth = 0
    for char in path:
        if char == "{":
            depth += 1
            if depth == 1:
                out.append("{}")
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def path_names(path: str) -> tuple[str, ...]:
    """The parameter names of a path template, in order."""
    names: list[str] = []
    rest = path
    while "{" in rest:
        _, _, tail = rest.partition("{")
        name, _, rest = tail.partition("}")
        names.append(name)
    return tuple(names)


@dataclass(slots=True)
class _Reader:
    """Reads one document; follows its internal references."""

    kind: Kind
    data: JSONObject
    _hops: dict[str, tuple[str, JSONObject]] = field(default_factory=dict)
    _parameters: dict[str, Parameter] = field(default_factory=dict)
    """Each parameter read once: one written at path level or referenced is shared by many
    operations."""

    @property
    def legacy(self) -> bool:
        return self.kind is Kind.SWAGGER_2

    def deref(self, pointer: str, node: JSONValue) -> tuple[str, JSONObject]:
        """Follow ``$ref`` from ``node`` (at ``pointer``) to an object; ``{}`` if there is none."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            assert isinstance(ref, str)
            known = self._hops.get(ref)
            if known is None:
                known = self._follow(pointer, node)
                self._hops[ref] = known
            return known
        return pointer, node if isinstance(node, dict) else {}

    def _follow(self, pointer: str, node: JSONValue) -> tuple[str, JSONObject]:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            assert isinstance(ref, str)
            uri, _, fragment = ref.partition("#")
            if uri or seen > _MAX_HOPS:
                return pointer, node
            pointer = jsonptr.from_fragment(fragment)
            try:
                node = jsonptr.resolve(self.data, pointer)
            except (jsonptr.PointerError, ValueError):
                return pointer, {}
            seen += 1
        return pointer, node if isinstance(node, dict) else {}

    def child(self, node: JSONObject, pointer: str, key: str) -> tuple[str, JSONObject]:
        return self.deref(jsonptr.join(pointer, key), node.get(key))

    # ------------------------------------------------------------------ operations

    def operations(self, container: JSONValue, pointer: str, skip: frozenset[str]) -> list[Operation]:
        found: list[Operation] = []
        if not isinstance(container, dict):
            return found
        for path, raw in container.items():
            if path in skip:
                continue
            item_ptr, item = self.deref(jsonptr.join(pointer, path), raw)
            found.extend(self.path_item(path, item_ptr, item))
        return found

    def path_item(
        self, path: str, pointer: str, item: JSONObject, group: str = "", *, inherit: bool = True
    ) -> list[Operation]:
        """The operations of a path item; ``inherit`` whether the root ``security`` applies
        (not to webhooks and callbacks, whose requests the API itself sends)."""
        shared = self.parameter_list(item, pointer)
        found: list[Operation] = []
        for method in METHODS:
            raw = item.get(method)
            if isinstance(raw, dict):
                op_ptr = jsonptr.join(pointer, method)
                op = self.operation(method, path, op_ptr, raw, shared, group)
                if not inherit and "security" not in raw:
                    op = replace(op, security=Security(None, ()))
                servers = self.servers_at(raw, op_ptr) or self.servers_at(item, pointer)
                found.append(replace(op, servers=servers) if servers is not None else op)
        return found

    def operation(
        self,
        method: str,
        path: str,
        pointer: str,
        op: JSONObject,
        shared: list[tuple[str, JSONObject]],
        group: str,
    ) -> Operation:
        own = self.parameter_list(op, pointer)
        merged: dict[tuple[str, str], tuple[str, JSONObject]] = {}
        for param_ptr, param in shared + own:  # operation-level parameters override path-level ones
            merged[_raw_key(param)] = (param_ptr, param)
        params = [(ptr, p) for ptr, p in merged.values() if p.get("in") not in ("body", "formData")]
        return Operation(
            method=method,
            path=path,
            pointer=pointer,
            data=op,
            parameters=tuple(self._parameter(ptr, p) for ptr, p in params),
            body=self.body(pointer, op, list(merged.values())),
            responses=self.responses(pointer, op),
            security=self.security(pointer, op),
            callbacks=self.callbacks(pointer, op),
            group=group,
        )

    def parameter_list(self, node: JSONObject, pointer: str) -> list[tuple[str, JSONObject]]:
        raw = node.get("parameters")
        if not isinstance(raw, list):
            return []
        base = jsonptr.join(pointer, "parameters")
        resolved = [self.deref(jsonptr.join(base, i), p) for i, p in enumerate(raw)]
        return [(ptr, p) for ptr, p in resolved if isinstance(p.get("name"), str)]

    def _parameter(self, pointer: str, param: JSONObject) -> Parameter:
        known = self._parameters.get(pointer)
        if known is None:
            known = self._parameters[pointer] = self.parameter(pointer, param)
        return known

    def parameter(self, pointer: str, param: JSONObject) -> Parameter:
        location = as_text(param.get("in", ""))
        required = bool(param.get("required", location == "path"))
        if self.legacy:
            style, explode = _legacy_style(location, param)
            schema: Schema | None = Schema(pointer, legacy=True)
        else:
            style = as_text(param.get("style", _DEFAULT_STYLE.get(location, "form")))
            explode = bool(param.get("explode", style == "form"))
            schema = self.parameter_schema(pointer, param)
        content = param.get("content")
        media = next(iter(content), None) if isinstance(content, dict) and "schema" not in param else None
        return Parameter(
            location, str(param["name"]), pointer, param, required, style, explode, schema, media
        )

    def parameter_schema(self, pointer: str, param: JSONObject) -> Schema | None:
        if "schema" in param:
            return Schema(jsonptr.join(pointer, "schema"))
        content = param.get("content")
        if isinstance(content, dict):
            for name, media in content.items():  # exactly one entry by the specification
                if isinstance(media, dict) and "schema" in media:
                    return Schema(jsonptr.join(pointer, "content", name, "schema"))
        return None

    # ------------------------------------------------------------------ bodies

    def body(self, op_ptr: str, op: JSONObject, params: list[tuple[str, JSONObject]]) -> Body | None:
        if not self.legacy:
            if "requestBody" not in op:
                return None
            body_ptr, body = self.child(op, op_ptr, "requestBody")
            content = self.content(body_ptr, body)
            return Body(body_ptr, body, bool(body.get("required", False)), content)
        consumes = self.media_list(op, "consumes")
        for ptr, param in params:
            if param.get("in") == "body":
                schema = Schema(jsonptr.join(ptr, "schema")) if "schema" in param else None
                media = tuple(Media(name, ptr, schema) for name in consumes)
                return Body(ptr, param, bool(param.get("required", False)), media)
        form = [(ptr, p) for ptr, p in params if p.get("in") == "formData"]
        if not form:
            return None
        multipart = any(name.startswith("multipart/") for name in consumes)
        name = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        form_ptr = jsonptr.join(op_ptr, "parameters")
        fields = tuple(
            Field(str(p["name"]), ptr, bool(p.get("required", False)), Schema(ptr, legacy=True))
            for ptr, p in form
        )
        required = any(f.required for f in fields)
        return Body(form_ptr, {}, required, (Media(name, form_ptr, None, fields),))

    def media_list(self, op: JSONObject, key: str) -> tuple[str, ...]:
        raw = op.get(key, self.data.get(key))
        if isinstance(raw, list):
            names = tuple(as_text(name) for name in raw)
            if names:
                return names
        return ("application/json",)

    def content(self, pointer: str, node: JSONObject) -> tuple[Media, ...]:
        raw = node.get("content")
        if not isinstance(raw, dict):
            return ()
        base = jsonptr.join(pointer, "content")
        found: list[Media] = []
        for name, media in raw.items():
            media_ptr = jsonptr.join(base, name)
            has_schema = isinstance(media, dict) and "schema" in media
            found.append(
                Media(name, media_ptr, Schema(jsonptr.join(media_ptr, "schema")) if has_schema else None)
            )
        return tuple(found)

    # ------------------------------------------------------------------ responses

    def responses(self, op_ptr: str, op: JSONObject) -> tuple[Response, ...]:
        raw = op.get("responses")
        if not isinstance(raw, dict):
            return ()
        base = jsonptr.join(op_ptr, "responses")
        found: list[Response] = []
        for code, value in raw.items():
            if code.startswith("x-"):
                continue
            ptr, response = self.deref(jsonptr.join(base, code), value)
            found.append(
                Response(
                    _code(code),
                    ptr,
                    response,
                    self.response_content(ptr, response, op),
                    self.headers(ptr, response),
                )
            )
        return tuple(found)

    def response_content(self, pointer: str, response: JSONObject, op: JSONObject) -> tuple[Media, ...]:
        if not self.legacy:
            return self.content(pointer, response)
        if "schema" not in response:
            return ()
        schema = Schema(jsonptr.join(pointer, "schema"))
        return tuple(Media(name, pointer, schema) for name in self.media_list(op, "produces"))

    def headers(self, pointer: str, response: JSONObject) -> tuple[Header, ...]:
        raw = response.get("headers")
        if not isinstance(raw, dict):
            return ()
        base = jsonptr.join(pointer, "headers")
        found: list[Header] = []
        for name, value in raw.items():
            ptr, header = self.deref(jsonptr.join(base, name), value)
            if self.legacy:
                schema: Schema | None = Schema(ptr, legacy=True)
            else:
                schema = self.parameter_schema(ptr, header)
            found.append(Header(name, ptr, header, bool(header.get("required", False)), schema))
        return tuple(found)

    # ------------------------------------------------------------------ security, callbacks

    def security(self, op_ptr: str, op: JSONObject) -> Security:
        if "security" in op:
            return Security(jsonptr.join(op_ptr, "security"), requirements(op["security"]))
        if "security" in self.data:
            return Security("/security", requirements(self.data["security"]))
        return Security(None, ())

    def callbacks(self, op_ptr: str, op: JSONObject) -> tuple[Operation, ...]:
        raw = op.get("callbacks")
        if self.legacy or not isinstance(raw, dict):
            return ()
        base = jsonptr.join(op_ptr, "callbacks")
        found: list[Operation] = []
        for name in raw:
            cb_ptr, callback = self.deref(jsonptr.join(base, name), raw[name])
            for expression, value in callback.items():
                if expression.startswith("x-"):
                    continue
                item_ptr, item = self.deref(jsonptr.join(cb_ptr, expression), value)
                found.extend(self.path_item(expression, item_ptr, item, group=name, inherit=False))
        return tuple(found)

    # ------------------------------------------------------------------ root

    def servers(self) -> tuple[tuple[str, str], ...]:
        if self.legacy:
            return self.legacy_servers()
        return self.servers_at(self.data, "") or ()

    def servers_at(self, node: JSONObject, pointer: str) -> tuple[tuple[str, str], ...] | None:
        """``(url, pointer)`` of the servers written in ``node``; ``None`` when it has none."""
        raw = node.get("servers")
        if not isinstance(raw, list) or not raw:
            return None
        base = jsonptr.join(pointer, "servers")
        return tuple(
            (as_text(server.get("url", "")), jsonptr.join(base, i))
            for i, server in enumerate(raw)
            if isinstance(server, dict)
        )

    def legacy_servers(self) -> tuple[tuple[str, str], ...]:
        host = self.data.get("host")
        base_path = self.data.get("basePath", "")
        schemes = self.data.get("schemes")
        if not isinstance(base_path, str):
            base_path = ""
        if not isinstance(host, str):
            return ((base_path, "/basePath"),) if base_path else ()
        pointer = "/host"
        names = [as_text(s) for s in schemes] if isinstance(schemes, list) and schemes else ["https"]
        return tuple((f"{scheme}://{host}{base_path}", pointer) for scheme in names)

    def tags(self) -> tuple[tuple[str, str], ...]:
        raw = self.data.get("tags")
        if not isinstance(raw, list):
            return ()
        return tuple(
            (as_text(tag.get("name", "")), jsonptr.join("/tags", i))
            for i, tag in enumerate(raw)
            if isinstance(tag, dict)
        )


def read_api(data: JSONValue, kind: Kind, skip: frozenset[str] = frozenset()) -> Api:
    """Read a Swagger 2.0 or OpenAPI 3.x document (bundled: references are internal), leaving
    out the path items named in ``skip``."""
    root = data if isinstance(data, dict) else {}
    reader = _Reader(kind, root)
    return Api(
        kind=kind,
        data=root,
        operations=tuple(reader.operations(root.get("paths"), "/paths", skip)),
        webhooks=tuple(_webhooks(reader, root)),
        servers=reader.servers(),
        tags=reader.tags(),
    )


def schema_view(node: JSONValue, schema: Schema) -> JSONValue:
    """The part of ``node`` that is the schema: all of it, or a 2.0 parameter's schema keywords
    (a form's ``type: file`` is the 3.x ``type: string, format: binary``)."""
    if schema.legacy and isinstance(node, dict):
        view = {key: value for key, value in node.items() if key in _SCHEMA_KEYS_2}
        if view.get("type") == "file":
            view["type"], view["format"] = "string", "binary"
        return view
    return node


def form_fields(data: JSONValue, media: Media) -> tuple[Field, ...] | None:
    """The fields of a form: a 2.0 form's parameters, or the properties of a 3.x schema (through
    ``$ref`` and ``allOf``); ``None`` when the schema is not an object with properties."""
    if media.fields is not None:
        return media.fields
    if media.schema is None or media.schema.legacy:
        return None
    found: dict[str, Field] = {}
    required: set[str] = set()
    if not _collect_fields(data, media.schema.pointer, found, required, 0) or not found:
        return None
    return tuple(Field(name, f.pointer, name in required, f.schema) for name, f in sorted(found.items()))


def _collect_fields(
    data: JSONValue, pointer: str, found: dict[str, Field], required: set[str], depth: int
) -> bool:
    """Add the properties of the object schema at ``pointer``; ``False`` if it is not one."""
    reader = _Reader(Kind.OPENAPI_30, data if isinstance(data, dict) else {})
    try:
        raw = jsonptr.resolve(data, pointer)
    except (jsonptr.PointerError, ValueError):
        return False
    pointer, node = reader.deref(pointer, raw)
    if not node or depth > 8:
        return False
    names = node.get("required")
    if isinstance(names, list):
        required.update(n for n in names if isinstance(n, str))
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name in properties:
            at = jsonptr.join(pointer, "properties", name)
            found.setdefault(name, Field(name, at, False, Schema(at)))
    conjuncts = node.get("allOf")
    if isinstance(conjuncts, list):
        for i in range(len(conjuncts)):
            if not _collect_fields(data, jsonptr.join(pointer, "allOf", i), found, required, depth + 1):
                return False
    return isinstance(properties, dict) or isinstance(conjuncts, list)


def _webhooks(reader: _Reader, root: JSONObject) -> list[Operation]:
    raw = root.get("webhooks")
    if not isinstance(raw, dict):
        return []
    found: list[Operation] = []
    for name, value in raw.items():
        item_ptr, item = reader.deref(jsonptr.join("/webhooks", name), value)
        found.extend(reader.path_item(name, item_ptr, item, inherit=False))
    return found


def _code(code: str) -> str:
    """``2xx`` -> ``2XX``; other codes (``default``) as written."""
    return code.upper() if len(code) == 3 and code[0].isdigit() else code


def _raw_key(param: JSONObject) -> tuple[str, str]:
    location = as_text(param.get("in", ""))
    name = as_text(param.get("name", ""))
    return location, name.lower() if location == "header" else name


def _legacy_style(location: str, param: JSONObject) -> tuple[str, bool]:
    fmt = param.get("collectionFormat", "csv")
    if fmt == "multi":
        return "form", True
    if isinstance(fmt, str) and fmt in _COLLECTION_STYLE:
        return _COLLECTION_STYLE[fmt], False
    if param.get("type") != "array":  # serialisation only matters for arrays: use the 3.x defaults
        style = _DEFAULT_STYLE.get(location, "form")
        return style, style == "form"
    return _DEFAULT_STYLE.get(location, "form"), False


def requirements(raw: JSONValue) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    if not isinstance(raw, list):
        return ()
    found: list[tuple[tuple[str, tuple[str, ...]], ...]] = []
    for requirement in raw:
        if not isinstance(requirement, dict):
            continue
        schemes = tuple(
            sorted(
                (name, tuple(sorted(as_text(s) for s in scopes)) if isinstance(scopes, list) else ())
                for name, scopes in requirement.items()
            )
        )
        found.append(schemes)
    return tuple(found)
