"""A contract's readable outline: OpenAPI operations with their parameters and body fields,
AsyncAPI channels with their messages, the fields of a JSON Schema or an Avro schema.

The input is a stored version's parsed document: bundled, so every ``$ref`` is local
(``#/...``); a ``$ref`` that is not is shown as it is, never followed. Every walk is bounded (depth,
rows, cycles through ``$ref``), and every text is plain, cut to a bounded length; the templates
escape it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from apigov.core._types import JSONValue

__all__ = ["Body", "Channel", "Field", "Operation", "Outline", "Param", "outline"]

_DEPTH: Final = 8
_ROWS: Final = 200
#: Schema nodes one outline visits at most, fields or not (a hostile allOf tree doubles per level).
_VISITS: Final = 5000
_TEXT: Final = 300
_ENUM: Final = 12
_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_OPERATIONS: Final = 500


def _text(value: object, limit: int = _TEXT) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, (str, int, float)):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    """Dotted path from the schema's root (``lines[].sku``)."""
    type: str
    required: bool
    description: str = ""
    enum: tuple[str, ...] = ()
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: str
    required: bool
    type: str
    description: str = ""
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    label: str
    """The media type, or the status code and media type of a response."""
    description: str
    fields: tuple[Field, ...]
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    deprecated: bool
    sunset: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    bodies: tuple[Body, ...]

    @property
    def anchor(self) -> str:
        """An id for a link to this operation (ASCII letters, digits and ``-`` only)."""
        raw = f"op-{self.method}-{self.path}"
        return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in raw)[:200]


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    address: str
    actions: tuple[str, ...]
    description: str
    messages: tuple[Body, ...]


@dataclass(slots=True)
class Outline:
    operations: list[Operation] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    schema: Body | None = None
    truncated: bool = False
    description: str = ""
    """The document's own description (``info.description``), whole up to 5,000 characters."""


def _pointer(root: JSONValue, ref: str) -> JSONValue:
    if not ref.startswith("#"):
        return None
    node = root
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isascii() and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _deref(root: JSONValue, node: JSONValue, seen: frozenset[str] = frozenset()) -> tuple[JSONValue, str]:
    """``node`` with its ``$ref`` chain followed (at most 20 hops), and the last ref's name."""
    name = ""
    for _ in range(20):
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            break
        ref = str(node["$ref"])
        if ref in seen:
            break
        seen = seen | {ref}
        name = ref.rsplit("/", 1)[-1]
        target = _pointer(root, ref)
        if target is None:
            break
        node = target
    return node, name


def _type_of(root: JSONValue, schema: JSONValue) -> str:
    schema, name = _deref(root, schema)
    if not isinstance(schema, dict):
        return "any" if schema is True else ""
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list):
            return (" | " if key == "oneOf" else " or ").join(_type_of(root, o) or "?" for o in options[:6])
    kind = schema.get("type")
    text = " | ".join(_text(k, 20) for k in kind[:6]) if isinstance(kind, list) else _text(kind, 40)
    if text == "array":
        text = f"array of {_type_of(root, schema.get('items')) or 'any'}"
    fmt = _text(schema.get("format"), 30)
    if fmt:
        text = f"{text} ({fmt})" if text else fmt
    if name and (not text or text == "object"):
        text = name
    return text or ("object" if "properties" in schema else "")


def schema_fields(root: JSONValue, schema: JSONValue, limit: int = _ROWS) -> tuple[tuple[Field, ...], bool]:
    """The fields of a JSON Schema (OpenAPI schema object), depth first, and whether some were left out."""
    rows: list[Field] = []
    truncated = False
    visits = 0

    def walk(node: JSONValue, prefix: str, depth: int, seen: frozenset[str]) -> None:
        nonlocal truncated, visits
        visits += 1
        if visits > _VISITS:  # allOf chains that branch without adding fields: bounded work
            truncated = True
            return
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if node["$ref"] in seen:  # a recursive schema: its fields are listed above
                return
            seen = seen | {str(node["$ref"])}
        node, _ = _deref(root, node)
        if not isinstance(node, dict) or depth > _DEPTH:
            return
        refs = seen
        all_of = node.get("allOf")
        for part in all_of if isinstance(all_of, list) else []:
            walk(part, prefix, depth, refs)
        items = node.get("items")
        if node.get("type") == "array" and items is not None and prefix:
            walk(items, prefix + "[]", depth, refs)
            return
        properties = node.get("properties")
        if not isinstance(properties, dict):
            return
        listed = node.get("required")
        required = listed if isinstance(listed, list) else []
        for name, sub in properties.items():
            if len(rows) >= limit:
                truncated = True
                return
            resolved, _ = _deref(root, sub)
            info = resolved if isinstance(resolved, dict) else {}
            values = info.get("enum")
            enum = values if isinstance(values, list) else []
            path = f"{prefix}.{name}" if prefix else str(name)
            rows.append(
                Field(
                    name=_text(path, 200),
                    type=_type_of(root, sub),
                    required=name in required,
                    description=_text(info.get("description")),
                    enum=tuple(_text(e, 60) for e in enum[:_ENUM]) + (("…",) if len(enum) > _ENUM else ()),
                    depth=depth,
                )
            )
            walk(sub, path, depth + 1, refs)

    walk(schema, "", 0, frozenset())
    return tuple(rows), truncated


def _media_bodies(root: JSONValue, content: JSONValue, label: str, description: str) -> Iterator[Body]:
    if not isinstance(content, dict) or not content:
        yield Body(label, description, ())
        return
    for media, item in list(content.items())[:4]:
        schema = item.get("schema") if isinstance(item, dict) else None
        fields, truncated = schema_fields(root, schema)
        kind = _type_of(root, schema) if schema is not None else ""
        suffix = f" — {kind}" if kind and not fields else ""
        yield Body(f"{label} {_text(media, 80)}{suffix}".strip(), description, fields, truncated)


def _openapi(root: dict[str, JSONValue], out: Outline) -> None:
    paths = root.get("paths")
    if not isinstance(paths, dict):
        return
    for path, raw_item in paths.items():
        item, _ = _deref(root, raw_item)
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            if len(out.operations) >= _MAX_OPERATIONS:
                out.truncated = True
                return
            params: dict[tuple[str, str], Param] = {}
            own = op.get("parameters") if isinstance(op.get("parameters"), list) else []
            for raw in [*shared, *own]:  # type: ignore[misc]
                p, _ = _deref(root, raw)
                if not isinstance(p, dict):
                    continue
                param = Param(
                    _text(p.get("name"), 100),
                    _text(p.get("in"), 20),
                    p.get("required") is True,
                    _type_of(root, p.get("schema", p)),
                    _text(p.get("description")),
                    p.get("deprecated") is True,
                )
                params[(param.name, param.location)] = param
            bodies: list[Body] = []
            request, _ = _deref(root, op.get("requestBody"))
            if isinstance(request, dict):
                label = "request" + ("" if request.get("required") is True else " (optional)")
                bodies.extend(
                    _media_bodies(root, request.get("content"), label, _text(request.get("description")))
                )
            responses = op.get("responses") if isinstance(op.get("responses"), dict) else {}
            for code, raw_response in list(responses.items())[:20]:  # type: ignore[union-attr]
                response, _ = _deref(root, raw_response)
                if not isinstance(response, dict):
                    continue
                bodies.extend(
                    _media_bodies(
                        root,
                        response.get("content"),
                        f"{_text(code, 10)}",
                        _text(response.get("description")),
                    )
                )
            listed_tags = op.get("tags")
            tags = listed_tags if isinstance(listed_tags, list) else []
            out.operations.append(
                Operation(
                    method=method.upper(),
                    path=_text(path, 500),
                    operation_id=_text(op.get("operationId"), 100),
                    summary=_text(op.get("summary")),
                    description=_text(op.get("description"), 600),
                    deprecated=op.get("deprecated") is True,
                    sunset=_text(op.get("x-sunset"), 40),
                    tags=tuple(_text(t, 60) for t in tags[:10]),
                    params=tuple(params.values()),
                    bodies=tuple(bodies),
                )
            )


def _message_body(root: JSONValue, raw: JSONValue, fallback: str) -> Body:
    message, name = _deref(root, raw)
    if not isinstance(message, dict):
        return Body(fallback, "", ())
    label = _text(message.get("name"), 100) or _text(message.get("title"), 100) or name or fallback
    payload = message.get("payload")
    if isinstance(payload, dict) and "schema" in payload and "schemaFormat" in payload:
        payload = payload.get("schema")  # a 3.0 multi-format schema
    payload, _ = _deref(root, payload)
    if isinstance(payload, dict) and payload.get("type") == "record":
        fields, truncated = avro_fields(payload)
    else:
        fields, truncated = schema_fields(root, payload)
    return Body(label, _text(message.get("summary")) or _text(message.get("description")), fields, truncated)


def _asyncapi(root: dict[str, JSONValue], out: Outline) -> None:
    channels = root.get("channels")
    if not isinstance(channels, dict):
        return
    three = str(root.get("asyncapi", "")).startswith("3")
    actions: dict[str, list[str]] = {}
    if three and isinstance(root.get("operations"), dict):
        for op in root["operations"].values():  # type: ignore[union-attr]
            if not isinstance(op, dict):
                continue
            channel = op.get("channel")
            ref = channel.get("$ref") if isinstance(channel, dict) else None
            if isinstance(ref, str) and ref.startswith("#/channels/"):
                key = ref[len("#/channels/") :].replace("~1", "/").replace("~0", "~")
                actions.setdefault(key, []).append(_text(op.get("action"), 20))
    for key, raw in list(channels.items())[:_MAX_OPERATIONS]:
        channel, _ = _deref(root, raw)
        if not isinstance(channel, dict):
            continue
        messages: list[Body] = []
        if three:
            found = channel.get("messages") if isinstance(channel.get("messages"), dict) else {}
            for name, message in list(found.items())[:20]:  # type: ignore[union-attr]
                messages.append(_message_body(root, message, _text(name, 100)))
            address = _text(channel.get("address"), 300) or _text(key, 300)
            channel_actions = actions.get(str(key), [])
        else:
            address = _text(key, 300)
            channel_actions = []
            for verb in ("publish", "subscribe"):
                op = channel.get(verb)
                if not isinstance(op, dict):
                    continue
                # 2.x: `subscribe` is what the application sends, `publish` what it receives
                channel_actions.append("send" if verb == "subscribe" else "receive")
                message = op.get("message")
                options = message.get("oneOf") if isinstance(message, dict) else None
                for item in options[:20] if isinstance(options, list) else [message]:
                    messages.append(_message_body(root, item, verb))
        out.channels.append(
            Channel(
                _text(key, 200),
                address,
                tuple(channel_actions),
                _text(channel.get("description")),
                tuple(messages),
            )
        )


def _avro_type(schema: JSONValue) -> str:
    if isinstance(schema, str):
        return _text(schema, 100)
    if isinstance(schema, list):
        return " | ".join(_avro_type(s) for s in schema[:8])
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "array":
            return f"array of {_avro_type(schema.get('items'))}"
        if kind == "map":
            return f"map of {_avro_type(schema.get('values'))}"
        logical = _text(schema.get("logicalType"), 40)
        name = _text(schema.get("name"), 100)
        if kind in ("record", "enum", "fixed") and name:
            return f"{kind} {name}"
        return f"{_avro_type(kind)} ({logical})" if logical else _avro_type(kind)
    return ""


def avro_fields(schema: JSONValue, limit: int = _ROWS) -> tuple[tuple[Field, ...], bool]:
    rows: list[Field] = []
    truncated = False

    def walk(node: JSONValue, prefix: str, depth: int) -> None:
        nonlocal truncated
        if depth > _DEPTH:
            return
        if isinstance(node, list):
            for option in node[:8]:
                walk(option, prefix, depth)
            return
        if not isinstance(node, dict):
            return
        if node.get("type") == "array":
            walk(node.get("items"), prefix + "[]", depth)
            return
        if node.get("type") != "record" or not isinstance(node.get("fields"), list):
            return
        for item in node["fields"]:  # type: ignore[union-attr]
            if len(rows) >= limit:
                truncated = True
                return
            if not isinstance(item, dict):
                continue
            path = f"{prefix}.{_text(item.get('name'), 100)}" if prefix else _text(item.get("name"), 100)
            kind = item.get("type")
            symbols = kind.get("symbols") if isinstance(kind, dict) and kind.get("type") == "enum" else []
            optional = "default" in item or (isinstance(kind, list) and "null" in kind)
            rows.append(
                Field(
                    name=path,
                    type=_avro_type(kind),
                    required=not optional,
                    description=_text(item.get("doc")),
                    enum=tuple(_text(s, 60) for s in (symbols if isinstance(symbols, list) else [])[:_ENUM]),
                    depth=depth,
                )
            )
            walk(kind, path, depth + 1)

    walk(schema, "", 0)
    return tuple(rows), truncated


def outline(kind: str, document: JSONValue) -> Outline:
    """The outline of a parsed version of a ``kind`` subject."""
    out = Outline()
    if not isinstance(document, dict) and not (kind == "avro" and isinstance(document, list)):
        return out
    info = document.get("info") if isinstance(document, dict) else None
    if isinstance(info, dict) and isinstance(info.get("description"), str):
        text = str(info["description"]).strip()
        out.description = text if len(text) <= 5000 else text[:4999] + "…"
    if kind == "openapi" and isinstance(document, dict):
        _openapi(document, out)
    elif kind == "asyncapi" and isinstance(document, dict):
        _asyncapi(document, out)
    elif kind == "avro":
        fields, truncated = avro_fields(document)
        out.schema = Body(
            "record", _text(document.get("doc")) if isinstance(document, dict) else "", fields, truncated
        )
    else:
        fields, truncated = schema_fields(document, document)
        out.schema = Body(
            "schema",
            _text(document.get("description")) if isinstance(document, dict) else "",
            fields,
            truncated,
        )
    return out
