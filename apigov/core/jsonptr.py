"""RFC 6901 JSON pointers: build, split and resolve."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote, unquote

from apigov.core._types import JSONValue


def escape(token: str | int) -> str:
    """Escape one reference token (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    text = token if isinstance(token, str) else str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~") if "~" in token else token


def join(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a pointer: ``join("/paths", "/pets")`` is ``/paths/~1pets``."""
    if len(tokens) == 1:
        return base + "/" + escape(tokens[0])
    return base + "".join(["/" + escape(t) for t in tokens])


def from_tokens(tokens: Iterable[str | int]) -> str:
    return "".join("/" + escape(t) for t in tokens)


def split(pointer: str) -> list[str]:
    """Split a pointer into unescaped tokens; ``""`` is the whole document."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    tokens = pointer[1:].split("/")
    return [unescape(t) for t in tokens] if "~" in pointer else tokens


class PointerError(LookupError):
    """A pointer names a location the document does not have."""


def resolve(document: JSONValue, pointer: str) -> JSONValue:
    """Return the value at ``pointer``; raise :class:`PointerError` when it is missing."""
    try:
        return resolve_tokens(document, split(pointer))
    except PointerError:
        raise PointerError(pointer) from None


def resolve_tokens(document: JSONValue, tokens: Sequence[str]) -> JSONValue:
    """:func:`resolve` for a pointer already split into unescaped tokens."""
    node = document
    for token in tokens:
        if isinstance(node, dict):
            if token not in node:
                raise PointerError(from_tokens(tokens))
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
                raise PointerError(from_tokens(tokens))
            index = int(token)
            if index >= len(node):
                raise PointerError(from_tokens(tokens))
            node = node[index]
        else:
            raise PointerError(from_tokens(tokens))
    return node


def to_fragment(pointer: str) -> str:
    """Render a pointer as a URI fragment (``#/paths/~1pets~1{id}``), percent-encoding what a
    fragment cannot hold (spaces, ``%``, ``#`` ...), as a ``$ref`` must write it."""
    return "#" + quote(pointer, safe="/~!$&'()*+,;=:@{}")


def from_fragment(fragment: str) -> str:
    """The pointer a ``$ref`` fragment (without its ``#``) names: percent-decoded."""
    return unquote(fragment) if "%" in fragment else fragment
