"""Python spelling of the API model: type expressions, decoder expressions, signatures.

Every string from the spec reaches the output through :func:`naming.py_str` (a JSON-escaped,
ASCII-only literal) or :func:`naming.py_doc`; identifiers come from :mod:`..naming`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from apigov.core import naming
from generators.client._common import (
    PRIMITIVES,
    Syntax,
    TypeSpeller,
    cursor_pages,
    dedupe,
    status_range,
    success_responses,
)
from generators.client.model import (
    Api,
    Direction,
    Field,
    ModelDef,
    Operation,
    Param,
    Response,
    TList,
    TLiteral,
    TMap,
    TNullable,
    TPrim,
    TRef,
    TType,
)

_PRIM_DEC: Final = {kind: spelled[1] for kind, spelled in PRIMITIVES.items()}


class PyTypes(TypeSpeller):
    SYNTAX = Syntax(
        {k: v[0] for k, v in PRIMITIVES.items()}, "True", "False", "list[{}]", "dict[str, {}]", naming.py_str
    )

    def literal(self, node: TLiteral) -> str:
        text = "Literal[" + ", ".join(self.lit(v) for v in node.values) + "]"
        if node.open:
            base = "str" if isinstance(node.values[0], str) else "int"
            return f"{text} | {base}"
        return text

    def union_of(self, options: list[str]) -> str:
        return " | ".join(options)

    def nullable(self, inner: str) -> str:
        return inner if inner.endswith("| None") or inner == "None" else f"{inner} | None"

    def dec_fn(self, node: TType, depth: int = 0) -> str:
        """An expression for a ``(value, path) -> T`` function decoding ``node``."""
        if isinstance(node, TPrim):
            return _PRIM_DEC[node.kind]
        if isinstance(node, TRef):
            target = self.api.types.get(node.name)
            return f"{node.name}._decode" if isinstance(target, ModelDef) else f"_dec_{node.name}"
        x, q = f"x{depth}", f"q{depth}"
        return f"lambda {x}, {q}: {self.dec(node, x, q, depth + 1)}"

    def dec(self, node: TType, v: str, p: str, depth: int = 0) -> str:
        """An expression decoding the value ``v`` found at path ``p`` as ``node``."""
        if isinstance(node, TPrim | TRef):
            return f"{self.dec_fn(node, depth)}({v}, {p})"
        if isinstance(node, TList):
            return f"_rt.list_({v}, {p}, {self.dec_fn(node.item, depth)})"
        if isinstance(node, TMap):
            return f"_rt.map_({v}, {p}, {self.dec_fn(node.value, depth)})"
        if isinstance(node, TNullable):
            return f"_rt.nullable({v}, {p}, {self.dec_fn(node.inner, depth)})"
        if isinstance(node, TLiteral):
            if node.open:
                return f"_rt.{'str_' if isinstance(node.values[0], str) else 'int_'}({v}, {p})"
            values = ", ".join(self.lit(x) for x in node.values)
            return f"cast({naming.py_str(self.type(node))}, _rt.literal({v}, {p}, ({values},)))"
        fns = ", ".join(self.dec_fn(o, depth) for o in node.options)
        if node.discriminator is not None:
            mapping = ", ".join(
                f"{naming.py_str(value)}: {self.dec_fn(TRef(name), depth)}"
                for value, name in node.discriminator.mapping
            )
            return (
                f"cast({naming.py_str(self.type(node))}, _rt.discriminated({v}, {p}, "
                f"{naming.py_str(node.discriminator.prop)}, {{{mapping}}}, ({fns},)))"
            )
        return f"cast({naming.py_str(self.type(node))}, _rt.first_of({v}, {p}, ({fns},)))"


@dataclass(frozen=True, slots=True)
class PyField:
    ident: str
    wire: str
    type: str
    required: bool
    dec: str
    doc: str
    init_default: str | None = None


@dataclass(frozen=True, slots=True)
class PyModel:
    name: str
    doc: str
    fields: tuple[PyField, ...]
    extra_type: str | None
    extra_dec: str | None
    decodable: bool


def model_views(api: Api, types: PyTypes) -> list[PyModel]:
    """Every model class to emit: split models twice (response side, request side)."""
    out: list[PyModel] = []
    for name, t in api.types.items():
        if not isinstance(t, ModelDef):
            continue
        split = name in api.write_names
        out.append(_view(api, types, t, name, "read", split))
        if split:
            out.append(_view(api, types, t, api.write_names[name], "write", split))
    return out


def _view(api: Api, types: PyTypes, t: ModelDef, name: str, direction: Direction, split: bool) -> PyModel:
    fields: list[PyField] = []
    for f in t.fields:
        if (direction == "read" and f.write_only) or (direction == "write" and f.read_only):
            continue
        fields.append(_field(types, f, direction))
    extra_type = f"dict[str, {types.type(t.extra, direction)}]" if t.extra is not None else None
    extra_dec = types.dec_fn(t.extra) if t.extra is not None else None
    doc = t.doc
    if split:
        doc = (doc + "\n\n" if doc else "") + (
            "The request side: read-only fields left out."
            if direction == "write"
            else "Write-only fields left out."
        )
    return PyModel(name, naming.py_doc(doc), tuple(fields), extra_type, extra_dec, direction == "read")


def _field(types: PyTypes, f: Field, direction: Direction) -> PyField:
    annotation = types.type(f.type, direction)
    key = naming.py_str(f.wire)
    path = f"p + {naming.py_str('.' + f.wire)}"
    if f.required:
        dec = types.dec(f.type, f"_rt.required(d, {key}, p)", path)
    elif f.has_default and f.default is not None:
        dec = types.dec(f.type, f"d.get({key}, {_default_literal(f.default)})", path)
        annotation = f"{annotation} | _rt.Unset"
    else:
        dec = f"_rt.optional(d, {key}, p, {types.dec_fn(f.type)})"
        annotation = f"{annotation} | _rt.Unset"
    doc = f.doc
    if f.has_default and f.default is not None:
        doc = (doc + " " if doc else "") + f"Default: {_default_literal(f.default)}."
    init_default = None
    if f.required and isinstance(f.type, TLiteral) and len(f.type.values) == 1 and not f.type.open:
        init_default = PyTypes.lit(f.type.values[0])
    return PyField(f.ident, f.wire, annotation, f.required, dec, naming.py_doc(doc, 600), init_default)


def _default_literal(value: object) -> str:
    if isinstance(value, str):
        return naming.py_str(value)
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return repr(value)
    return "None"


@dataclass(frozen=True, slots=True)
class PyParam:
    ident: str
    wire: str
    location: str
    annotation: str
    required: bool
    style: str
    explode: bool
    doc: str


@dataclass(frozen=True, slots=True)
class PyOperation:
    name: str
    op_label: str
    method: str
    path: str
    summary: str
    doc: str
    deprecated: bool
    sunset: str | None
    path_params: tuple[PyParam, ...]
    other_params: tuple[PyParam, ...]
    body_annotation: str | None
    body_required: bool
    body_kind: str
    body_media: str
    idempotency_header: str | None
    accept: str
    returns: str
    response_lines: tuple[str, ...]
    errors: str
    error_doc: str
    pagination: PyPagination | None
    label_doc: str = ""
    sunset_doc: str = ""


@dataclass(frozen=True, slots=True)
class PyPagination:
    cursor: str
    items: str
    next: str
    item_type: str
    other_params: tuple[PyParam, ...]
    kind: str = "cursor"


def operation_views(api: Api, types: PyTypes) -> list[PyOperation]:
    return [_operation(api, types, op) for op in api.operations]


def _param(types: PyTypes, p: Param) -> PyParam:
    annotation = types.type(p.type, "write")
    if not p.required:
        annotation += " | _rt.Unset"
    doc = p.doc + (" (deprecated)" if p.deprecated else "")
    return PyParam(
        p.ident,
        naming.py_str(p.wire),
        p.location,
        annotation,
        p.required,
        naming.py_str(p.style),
        p.explode,
        naming.py_doc(doc, 600),
    )


def _response_lines(types: PyTypes, op: Operation) -> tuple[tuple[str, ...], str]:
    lines: list[str] = []
    returns: list[str] = []
    success = success_responses(op)
    for r in success:
        cond = _status_condition(r)
        value, annotation = _read(types, r)
        lines.append(f"if {cond}:")
        lines.append(f"    return {value}")
        returns.append(annotation)
    if not success:
        lines.append("if 200 <= _status < 300:")
        lines.append("    return None")
        returns.append("None")
    joined = " | ".join(dedupe(returns))
    if joined == "None":
        lines = [line.replace("return None", "return") for line in lines]
    return tuple(lines), joined


def _status_condition(r: Response) -> str:
    codes = status_range(r.status)
    if isinstance(codes, str):
        return f"_status == {codes}"
    return f"{codes[0]} <= _status < {codes[1]}"


def _read(types: PyTypes, r: Response) -> tuple[str, str]:
    if r.kind is None or r.type is None:
        return "None", "None"
    if r.kind == "binary":
        return "_response.content", "bytes"
    if r.kind == "text":
        return "_response.text", "str"
    return types.dec(r.type, "_rt.json_body(_response)", '"$"'), types.type(r.type, "read")


def _operation(api: Api, types: PyTypes, op: Operation) -> PyOperation:
    path_params = tuple(_param(types, p) for p in op.params if p.location == "path")
    other = tuple(
        _param(types, p)
        for p in sorted(
            (p for p in op.params if p.location != "path"), key=lambda p: (not p.required, op.params.index(p))
        )
    )
    lines, returns = _response_lines(types, op)
    error_decoders = []
    documented = []
    for r in op.responses:
        if r.success:
            continue
        documented.append(r.status)
        if r.kind == "json" and r.type is not None:
            error_decoders.append(f"{naming.py_str(r.status)}: {types.dec_fn(r.type)}")
    body_annotation = None
    if op.body is not None:
        body_annotation = types.type(op.body.type, "write")
        if not op.body.required:
            body_annotation += " | _rt.Unset"
    success_media = next((r.media for r in op.responses if r.success and r.media), None)
    pagination = None
    if op.pagination is not None and op.pagination.kind == "link":
        item = types.type(op.pagination.item_type, "read")
        if returns == f"list[{item}]":
            pagination = PyPagination("", "", "", item, other, kind="link")
    elif (pages := cursor_pages(api, op, types.type)) is not None and pages.items is not None:
        pagination = PyPagination(
            cursor=pages.cursor.ident,
            items=pages.items.ident,
            next=pages.next.ident,
            item_type=types.type(pages.convention.item_type, "read"),
            other_params=tuple(p for p in other if p.ident != pages.cursor.ident),
        )
    label = op.operation_id or f"{op.method.upper()} {op.path}"
    return PyOperation(
        name=op.key,
        op_label=naming.py_str(label),
        method=naming.py_str(op.method.upper()),
        path=naming.py_str(op.path),
        summary=naming.py_doc(op.summary, 300),
        doc=naming.py_doc(op.doc, 2000),
        deprecated=op.deprecated,
        sunset=naming.py_str(op.sunset) if op.sunset else None,
        path_params=path_params,
        other_params=other,
        body_annotation=body_annotation,
        body_required=op.body.required if op.body is not None else False,
        body_kind=naming.py_str(op.body.kind) if op.body else "",
        body_media=naming.py_str(op.body.media) if op.body else "",
        idempotency_header=naming.py_str(op.idempotency_key.wire) if op.idempotency_key else None,
        accept=naming.py_str(success_media or "application/json"),
        returns=returns,
        response_lines=lines,
        errors="{" + ", ".join(error_decoders) + "}",
        error_doc=", ".join(documented),
        pagination=pagination,
        label_doc=naming.py_doc(label, 200).replace("\n", " "),
        sunset_doc=naming.py_doc(op.sunset or "", 60).replace("\n", " "),
    )
