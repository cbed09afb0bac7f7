"""What the client generators share: the walk over type nodes, responses, cursor pages, the templates.

Each language spells the API model its own way (:class:`TypeSpeller` subclasses); the decisions
(which responses count as success, which status range a response answers, whether a cursor
convention holds) are made here once so that the Python and TypeScript clients never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Final, Literal

from apigov.core import naming
from generators.base import GenerateRequest, GeneratorWarning
from generators.client import model as m
from generators.client.model import Api, Direction, Field, Operation, Pagination, Param, Response, build_api
from generators.client.options import ClientOptions, client_options

if TYPE_CHECKING:
    import jinja2

_TYPE_NAME: Final = re.compile(r"\b[A-Z][A-Za-z0-9_]*\b")


def dedupe(items: list[str]) -> list[str]:
    """``items`` without repeats, first occurrence kept."""
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


PRIMITIVES: Final = {  # kind: (Python type, Python decoder, TypeScript type)
    "str": ("str", "_rt.str_", "string"),
    "int": ("int", "_rt.int_", "number"),
    "float": ("float", "_rt.float_", "number"),
    "bool": ("bool", "_rt.bool_", "boolean"),
    "any": ("_rt.JSON", "_rt.json_", "unknown"),
    "bytes": ("bytes", "_rt.bytes_", "ArrayBuffer"),
    "null": ("None", "_rt.null_", "null"),
}


@dataclass(frozen=True, slots=True)
class Syntax:
    """How a language writes primitives, literals, lists and string-keyed maps."""

    prim: Mapping[str, str]
    true: str
    false: str
    list: str  # a format of the item type
    map: str  # a format of the value type
    quote: Callable[[str], str]


class TypeSpeller:
    """Spells a type node as a type expression of one language; subclasses give the syntax."""

    SYNTAX: ClassVar[Syntax]

    def __init__(self, api: Api) -> None:
        self.api = api

    @classmethod
    def lit(cls, value: str | int | bool) -> str:
        if isinstance(value, bool):
            return cls.SYNTAX.true if value else cls.SYNTAX.false
        if isinstance(value, int):
            return str(value)
        return cls.SYNTAX.quote(value)

    def type(self, node: m.TType, direction: Direction = "read") -> str:
        if isinstance(node, m.TPrim):
            return self.SYNTAX.prim[node.kind]
        if isinstance(node, m.TList):
            return self.SYNTAX.list.format(self.type(node.item, direction))
        if isinstance(node, m.TMap):
            return self.SYNTAX.map.format(self.type(node.value, direction))
        if isinstance(node, m.TRef):
            return self.api.type_name(node.name, direction)
        if isinstance(node, m.TLiteral):
            return self.literal(node)
        if isinstance(node, m.TUnion):
            return self.union_of(dedupe([self.type(o, direction) for o in node.options]))
        return self.nullable(self.type(node.inner, direction))

    def literal(self, node: m.TLiteral) -> str:
        raise NotImplementedError

    def union_of(self, options: list[str]) -> str:
        raise NotImplementedError

    def nullable(self, inner: str) -> str:
        raise NotImplementedError


def success_responses(op: Operation) -> list[Response]:
    """The responses a call returns (the 2xx ones, else ``default``)."""
    return [r for r in op.responses if r.success] or [r for r in op.responses if r.status == "default"]


def status_range(status: str) -> str | tuple[str, str]:
    """The one status code a response answers, or the half-open range ``[low, high)`` of codes."""
    if status.isdigit():
        return str(int(status))
    if status.endswith("XX") and status[0].isdigit():
        return f"{status[0]}00", f"{int(status[0]) + 1}00"
    return "200", "300"


@dataclass(frozen=True, slots=True)
class CursorPages:
    """A cursor convention that holds: the cursor parameter, the page's next and items fields."""

    cursor: Param
    next: Field
    items: Field | None
    convention: Pagination


def cursor_pages(api: Api, op: Operation, spell: Callable[[m.TType, Direction], str]) -> CursorPages | None:
    """The operation's cursor convention, if its next field carries what the cursor parameter takes."""
    pg = op.pagination
    if pg is None or pg.kind != "cursor":
        return None
    cursor = next(p for p in op.params if p.ident == pg.cursor_param)
    ok = next(r for r in op.responses if r.status in ("200", "2XX"))
    model = api.types.get(ok.type.name) if isinstance(ok.type, m.TRef) else None
    if not isinstance(model, m.ModelDef):
        return None
    nxt = next((f for f in model.fields if f.wire == pg.next_field), None)
    if nxt is None:
        return None
    inner = nxt.type.inner if isinstance(nxt.type, m.TNullable) else nxt.type
    if spell(inner, "write") != spell(cursor.type, "write"):
        return None
    items = next((f for f in model.fields if f.wire == pg.items_field), None)
    return CursorPages(cursor, nxt, items, pg)


def type_names_used(code: str) -> set[str]:
    """The capitalised identifiers in generated code (the model names it needs imported)."""
    return set(_TYPE_NAME.findall(code))


def package_description(api: Api) -> str:
    return f"Typed client of {naming.clean_text(api.title, 200)}".replace("\n", " ")


def prepare(request: GenerateRequest, lang: Literal["python", "typescript"]) -> tuple[ClientOptions, Api]:
    """The checked options of a client generation and the API model of its contract."""
    opts = client_options(request, lang)
    return opts, build_api(opts.contract)


def templates(package: str) -> jinja2.Environment:
    """The Jinja environment of a client generator's ``templates`` folder (code, so no HTML escaping)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=False,  # noqa: S701 - source code; every spec string goes through the language's quoting
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def warnings_of(generator: str, api: Api) -> tuple[GeneratorWarning, ...]:
    return tuple(GeneratorWarning(generator, f, s, m) for f, s, m in api.warnings)
