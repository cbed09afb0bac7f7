"""Identifiers and text from untrusted spec names: sanitising, casing and deterministic disambiguation.

Every name a spec gives (operationId, schema key, property, parameter) becomes an ASCII
identifier here; nothing else from a spec reaches generated code except through
:func:`py_str` / :func:`js_str` (string literals) and :func:`doc_text` (comments). Names that
collide after sanitising keep their order by source location: the first keeps the name, the
others get ``_2``, ``_3``... and a :class:`Collision` naming both locations.
"""

from __future__ import annotations

import json
import keyword
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

PY_KEYWORDS: Final = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
# names the generated Python modules use themselves, or that shadow a builtin inside a class body
PY_RESERVED_FIELDS: Final = PY_KEYWORDS | frozenset(
    {"self", "cls", "str", "int", "float", "bool", "list", "dict", "bytes", "object", "type", "none"}
)
TS_RESERVED: Final = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "as",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "any",
        "boolean",
        "number",
        "string",
        "symbol",
        "never",
        "unknown",
        "object",
        "undefined",
        "await",
        "async",
        "of",
        "type",
        "declare",
        "namespace",
        "module",
        "require",
        "arguments",
        "eval",
    ]
)
# type names the generated modules (either language) use, or global names a type must not shadow
RESERVED_TYPES: Final = frozenset(
    [
        "Any",
        "ClassVar",
        "Final",
        "Literal",
        "TypeAlias",
        "Union",
        "Optional",
        "Unset",
        "UNSET",
        "Model",
        "JSON",
        "JSONValue",
        "Api",
        "ApiError",
        "Client",
        "AsyncClient",
        "RequestOptions",
        "RetryPolicy",
        "CircuitBreaker",
        "Auth",
        "Record",
        "Array",
        "Promise",
        "Error",
        "Date",
        "Object",
        "String",
        "Number",
        "Boolean",
        "Map",
        "Set",
        "Symbol",
        "Function",
        "Response",
        "Request",
        "Headers",
        "Blob",
        "FormData",
        "URL",
        "URLSearchParams",
        "Partial",
        "Required",
        "Readonly",
        "Pick",
        "Omit",
        "Exclude",
        "Extract",
        "NonNullable",
        "ReturnType",
        "Uint8Array",
        "ArrayBuffer",
        "BigInt",
        "Iterator",
        "AsyncIterator",
        "Iterable",
        "AsyncIterable",
        "Callable",
        "Mapping",
        "Sequence",
        "Awaitable",
        "Generator",
        "AsyncGenerator",
        "Self",
        "None",
        "True",
        "False",
    ]
)

_BIDI_AND_CONTROL: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)


def words(name: str) -> list[str]:
    """The ASCII words of ``name`` (accents dropped, other scripts removed, camelCase split)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(ascii_text)


def snake(name: str) -> str:
    return "_".join(w.lower() for w in words(name))


def pascal(name: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() if not w.isupper() or len(w) > 1 else w for w in words(name))


def camel(name: str) -> str:
    p = pascal(name)
    return p[:1].lower() + p[1:]


def py_ident(name: str, *, fallback: str = "value", reserved: frozenset[str] = PY_RESERVED_FIELDS) -> str:
    """A snake_case Python identifier for ``name`` (never empty, never a keyword, no leading ``_``)."""
    ident = snake(name) or fallback
    if ident[0].isdigit():
        ident = f"{fallback}_{ident}"
    if ident in reserved:
        ident += "_"
    return ident


def type_ident(name: str, *, fallback: str = "Schema") -> str:
    """A PascalCase type name for ``name``, valid in Python and TypeScript and shadowing nothing."""
    ident = pascal(name) or fallback
    if ident[0].isdigit():
        ident = f"{fallback}{ident}"
    if ident in RESERVED_TYPES or ident.lower() in PY_KEYWORDS or ident.lower() in TS_RESERVED:
        ident += "Model"
    return ident


def ts_ident(name: str, *, fallback: str = "value") -> str:
    """A camelCase TypeScript identifier (parameter, method) for ``name``."""
    ident = camel(name) or fallback
    if ident[0].isdigit():
        ident = f"{fallback}{ident[0].upper()}{ident[1:]}"
    if ident in TS_RESERVED:
        ident += "_"
    return ident


@dataclass(frozen=True, slots=True)
class Collision:
    """Two spec names that sanitise to one identifier; ``second`` was renamed ``renamed``."""

    identifier: str
    first: str
    second: str
    renamed: str

    def message(self) -> str:
        return (
            f"{self.second} and {self.first} both become {self.identifier!r}; "
            f"the one at {self.second} is named {self.renamed!r}"
        )


def disambiguate(
    wanted: Iterable[tuple[str, str]], taken: set[str], collisions: list[Collision] | None = None
) -> list[str]:
    """Unique names for ``(identifier, source location)`` pairs, in the order given.

    ``taken`` is updated. A clash gets the first free ``_2``, ``_3``... suffix (``2``... for
    PascalCase names) and, when ``collisions`` is given, a :class:`Collision` naming both places.
    """
    owners: dict[str, str] = {}
    result: list[str] = []
    for ident, location in wanted:
        if ident not in taken:
            taken.add(ident)
            owners[ident] = location
            result.append(ident)
            continue
        sep = "" if ident[:1].isupper() else "_"
        n = 2
        while f"{ident}{sep}{n}" in taken:
            n += 1
        renamed = f"{ident}{sep}{n}"
        taken.add(renamed)
        owners[renamed] = location
        if collisions is not None:
            collisions.append(
                Collision(ident, owners.get(ident, "a name the generator reserves"), location, renamed)
            )
        result.append(renamed)
    return result


def clean_text(text: str, limit: int = 4000) -> str:
    """Spec prose without control, zero-width or bidirectional characters, at most ``limit`` chars."""
    text = _BIDI_AND_CONTROL.sub("", text.replace("\r\n", "\n").replace("\t", "    "))
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if len(text) > limit:
        text = text[:limit].rstrip() + " ..."
    return text


def py_doc(text: str, limit: int = 4000) -> str:
    """Text safe inside a Python triple-quoted docstring (backslashes and quotes escaped)."""
    return clean_text(text, limit).replace("\\", "\\\\").replace('"', '\\"')


def ts_doc(text: str, limit: int = 4000) -> str:
    """Text safe inside a ``/** ... */`` comment."""
    return clean_text(text, limit).replace("*/", "*\\/").replace("@", "\\@")


def py_str(value: str) -> str:
    """A Python string literal for ``value`` (ASCII only: escapes for everything else)."""
    return json.dumps(value, ensure_ascii=True)


def js_str(value: str) -> str:
    """A JavaScript/TypeScript string literal for ``value`` (ASCII only)."""
    return json.dumps(value, ensure_ascii=True)
