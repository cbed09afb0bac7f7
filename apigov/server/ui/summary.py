"""What the catalog shows of a version: its parsed document, title, owner, tags, lifecycle and
the words a search matches.

Everything here comes from a spec and is untrusted: it is kept as plain text (cut to a bounded
length) and escaped by the templates; nothing becomes a link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from apigov.core._types import JSONValue
from apigov.core.errors import ApigovError
from apigov.documents.load import parse_text
from apigov.registry.base import StoredVersion

__all__ = ["Summary", "parse_document", "summarise"]

_TEXT: Final = 200
_MAX_TAGS: Final = 20
_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def parse_document(stored: StoredVersion) -> JSONValue:
    """The stored content as plain data (``None`` when it cannot be read; the registry checked
    it when it was published, so this only guards against a damaged store)."""
    text = stored.content.decode("utf-8", "replace")
    try:
        if stored.format == "json":
            return json.loads(text)  # type: ignore[no-any-return]
        return parse_text(text, "yaml", source=f"{stored.subject}@{stored.version}")
    except (ApigovError, ValueError, RecursionError):
        return None


def _text(value: object, limit: int = _TEXT) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Summary:
    title: str = ""
    description: str = ""
    owner: str = ""
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    """The document says so (``info.deprecated``/``x-deprecated``)."""
    sunset: str = ""
    """``info.x-sunset``, else the earliest ``x-sunset`` of a deprecated operation."""
    deprecated_operations: int = 0
    words: str = ""
    """Lower-case text a search looks in: title, description, owner and tags."""


def _owner(data: dict[str, JSONValue]) -> str:
    info = data.get("info")
    for holder in (info, data):
        if isinstance(holder, dict):
            owner = holder.get("x-owner")
            if isinstance(owner, dict):
                owner = owner.get("name") or owner.get("email") or owner.get("team")
            if _text(owner):
                return _text(owner)
    if isinstance(info, dict):
        contact = info.get("contact")
        if isinstance(contact, dict):
            return _text(contact.get("name")) or _text(contact.get("email"))
    return ""


def _tags(data: dict[str, JSONValue]) -> tuple[str, ...]:
    found: list[str] = []
    info = data.get("info")
    for holder in (data, info if isinstance(info, dict) else {}):
        tags = holder.get("tags")
        if isinstance(tags, list):
            for tag in tags[:_MAX_TAGS]:
                name = tag.get("name") if isinstance(tag, dict) else tag
                if _text(name, 60) and _text(name, 60) not in found:
                    found.append(_text(name, 60))
    return tuple(found[:_MAX_TAGS])


def summarise(kind: str, data: JSONValue) -> Summary:
    """The catalog facts of one parsed version of a ``kind`` subject."""
    if not isinstance(data, dict):
        return Summary()
    if kind in ("openapi", "asyncapi"):
        info = data.get("info")
        info = info if isinstance(info, dict) else {}
        title, description = _text(info.get("title")), _text(info.get("description"), 300)
        deprecated = info.get("deprecated") is True or info.get("x-deprecated") is True
        sunset = _text(info.get("x-sunset"), 40)
    else:  # JSON Schema, Avro
        title = _text(data.get("title")) or _text(data.get("name"))
        description = _text(data.get("description"), 300) or _text(data.get("doc"), 300)
        deprecated = data.get("deprecated") is True
        sunset = _text(data.get("x-sunset"), 40)
    operations_deprecated = 0
    paths = data.get("paths") if kind == "openapi" else None
    if isinstance(paths, dict):
        for item in list(paths.values())[:5000]:
            if not isinstance(item, dict):
                continue
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict) and operation.get("deprecated") is True:
                    operations_deprecated += 1
                    when = _text(operation.get("x-sunset"), 40)
                    if when and (not sunset or when < sunset):
                        sunset = when
    owner, tags = _owner(data), _tags(data)
    words = " ".join([title, description, owner, *tags]).lower()
    return Summary(title, description, owner, tags, deprecated, sunset, operations_deprecated, words)
