"""The ``typescript`` client generator: an ESM, fetch-based package with no runtime dependencies.

Models are interfaces keyed by the wire names (quoted string literals); unions of models with a
discriminator narrow on their literal tag. Every spec string reaches the output as a JSON-escaped
literal (:func:`naming.js_str`) or inside a ``/** */`` comment with ``*/`` broken
(:func:`naming.ts_doc`); identifiers come from :mod:`apigov.core.naming`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from apigov.core import naming
from generators.base import (
    GeneratedFile,
    GenerateRequest,
    GeneratorKind,
    Output,
    unique_paths,
)
from generators.client._common import (
    PRIMITIVES,
    Syntax,
    TypeSpeller,
    cursor_pages,
    package_description,
    prepare,
    status_range,
    success_responses,
    templates,
    type_names_used,
    warnings_of,
)
from generators.client.model import (
    AliasDef,
    Api,
    Direction,
    ModelDef,
    Operation,
    TLiteral,
)
from generators.client.options import md_text, provenance


class TsTypes(TypeSpeller):
    SYNTAX = Syntax(
        {k: v[2] for k, v in PRIMITIVES.items()},
        "true",
        "false",
        "Array<{}>",
        "{{ [key: string]: {} }}",
        naming.js_str,
    )

    def literal(self, node: TLiteral) -> str:
        text = " | ".join(self.lit(v) for v in node.values)
        if node.open:
            return f"{text} | (string & {{}})" if isinstance(node.values[0], str) else f"{text} | number"
        return text

    def union_of(self, options: list[str]) -> str:
        return " | ".join(f"({p})" if " | " in p else p for p in options)

    def nullable(self, inner: str) -> str:
        return f"({inner}) | null" if " | " in inner else f"{inner} | null"


@dataclass(frozen=True, slots=True)
class TsParam:
    name: str  # TS identifier (a property of the args object, or a positional path argument)
    wire: str  # literal
    location: str
    type: str
    required: bool
    style: str
    explode: str
    doc: str


@dataclass(frozen=True, slots=True)
class TsOperation:
    name: str
    label: str
    method: str
    path: str
    doc: str
    deprecated: str | None
    path_params: tuple[TsParam, ...]
    args: tuple[TsParam, ...]
    args_required: bool
    body_type: str | None
    body_required: bool
    body_kind: str
    body_media: str
    idempotency_header: str | None
    accept: str
    returns: str
    branches: tuple[str, ...]
    pagination: tuple[str, str, str, str] | None = None  # cursor arg, items wire, next wire, item type


def _doc_block(text: str, indent: str) -> str:
    body = naming.ts_doc(text)
    if not body:
        return ""
    lines = body.splitlines()
    return (
        f"{indent}/**\n" + "".join(f"{indent} * {line}".rstrip() + "\n" for line in lines) + f"{indent} */\n"
    )


def _operation(api: Api, types: TsTypes, op: Operation) -> TsOperation:
    params = []
    for p in op.params:
        params.append(
            TsParam(
                name=p.ts_ident,
                wire=naming.js_str(p.wire),
                location=p.location,
                type=types.type(p.type, "write"),
                required=p.required,
                style=naming.js_str(p.style),
                explode="true" if p.explode else "false",
                doc=naming.ts_doc(p.doc, 300).replace("\n", " "),
            )
        )
    path_params = tuple(p for p in params if p.location == "path")
    args = tuple(p for p in params if p.location != "path")
    branches: list[str] = []
    returns: list[str] = []
    success = success_responses(op)
    for r in success:
        codes = status_range(r.status)
        if isinstance(codes, str):
            cond = f"res.status === {codes}"
        else:
            cond = f"res.status >= {codes[0]} && res.status < {codes[1]}"
        if r.kind is None or r.type is None:
            value, annotation = "undefined", "undefined"
        elif r.kind == "binary":
            value, annotation = "await res.arrayBuffer()", "ArrayBuffer"
        elif r.kind == "text":
            value, annotation = "await res.text()", "string"
        else:
            annotation = types.type(r.type, "read")
            value = f"(await readJson(res)) as {annotation}"
        branches.append(f"if ({cond}) return {value};")
        if annotation not in returns:
            returns.append(annotation)
    if not success:
        branches.append("if (res.status >= 200 && res.status < 300) return undefined;")
        returns.append("undefined")
    body_type = types.type(op.body.type, "write") if op.body is not None else None
    deprecated = None
    if op.deprecated:
        deprecated = "Deprecated" + (f"; sunset {naming.ts_doc(op.sunset, 40)}" if op.sunset else "") + "."
    success_media = next((r.media for r in op.responses if r.success and r.media), None)
    doc = "\n\n".join(x for x in (op.summary, op.doc) if x)
    pagination = None
    if op.pagination is not None and op.pagination.kind == "link":
        item = types.type(op.pagination.item_type, "read")
        if returns == [f"Array<{item}>"] and len(branches) == 1:
            pagination = ("", "", "", item)
    elif (pages := cursor_pages(api, op, types.type)) is not None:
        pagination = (
            pages.cursor.ts_ident,
            naming.js_str(pages.convention.items_field),
            naming.js_str(pages.convention.next_field),
            types.type(pages.convention.item_type, "read"),
        )
    return TsOperation(
        name=op.ts_name,
        label=naming.js_str(op.operation_id or f"{op.method.upper()} {op.path}"),
        method=naming.js_str(op.method.upper()),
        path=naming.js_str(op.path),
        doc=naming.ts_doc(doc, 2000),
        deprecated=deprecated,
        path_params=path_params,
        args=args,
        args_required=any(p.required for p in args) or (op.body is not None and op.body.required),
        body_type=body_type,
        body_required=op.body.required if op.body is not None else False,
        body_kind=naming.js_str(op.body.kind) if op.body else "",
        body_media=naming.js_str(op.body.media) if op.body else "",
        idempotency_header=naming.js_str(op.idempotency_key.wire) if op.idempotency_key else None,
        accept=naming.js_str(success_media or "application/json"),
        returns=" | ".join(returns),
        branches=tuple(branches),
        pagination=pagination,
    )


def _models(api: Api, types: TsTypes) -> str:
    out: list[str] = []
    for name, t in api.types.items():
        variants: list[tuple[str, Direction]] = [(name, "read")]
        if name in api.write_names:
            variants.append((api.write_names[name], "write"))
        for vname, direction in variants:
            out.append(_doc_block(t.doc, ""))
            if isinstance(t, AliasDef):
                out.append(f"export type {vname} = {types.type(t.type, direction)};\n\n")
                continue
            assert isinstance(t, ModelDef)
            out.append(f"export interface {vname} {{\n")
            for f in t.fields:
                if (direction == "read" and f.write_only) or (direction == "write" and f.read_only):
                    continue
                doc = f.doc
                if f.has_default and f.default is not None:
                    doc = (doc + "\n" if doc else "") + f"Default: {json.dumps(f.default)}"
                out.append(_doc_block(doc, "  "))
                optional = "" if f.required else "?"
                out.append(f"  {naming.js_str(f.wire)}{optional}: {types.type(f.type, direction)};\n")
            if t.extra is not None:
                out.append("  [key: string]: unknown;\n")
            out.append("}\n\n")
    return "".join(out)


def _client(api: Api, ops: list[TsOperation], names: list[str]) -> str:
    links = any(op.pagination is not None and not op.pagination[0] for op in ops)
    lines: list[str] = [
        "// Generated by apigov; do not edit.",
        "import {",
        "  type Body,",
        *(["  type Call,"] if links else []),
        "  type ClientOptions,",
        "  type RequestOptions,",
        "  Transport,",
        "  apiError,",
        *(["  nextLink,"] if links else []),
        "  readJson,",
        '} from "./runtime.js";',
    ]
    if names:
        lines.append("import type {")
        lines += [f"  {n}," for n in names]
        lines.append('} from "./models.js";')
    lines += [
        "",
        f"export const DEFAULT_BASE_URL = {naming.js_str(api.server or 'http://localhost')};",
        "",
        _doc_block(
            f"{api.title} {api.version}: one method per operation. Retries idempotent calls (and calls "
            "with an Idempotency-Key) with exponential backoff and full jitter, honours Retry-After, "
            "and keeps a circuit breaker per host.",
            "",
        ).rstrip("\n"),
        "export class Client {",
        "  readonly transport: Transport;",
        "",
        "  constructor(options: ClientOptions = {}) {",
        "    this.transport = new Transport(DEFAULT_BASE_URL, options);",
        "  }",
    ]
    for op in ops:
        doc = op.doc
        tags = []
        for p in op.path_params:
            tags.append(f"@param {p.name} {p.doc}".rstrip())
        for p in op.args:
            tags.append(f"@param args.{p.name} {p.doc}".rstrip())
        if op.deprecated:
            tags.append(f"@deprecated {op.deprecated}")
        block = "\n".join(x for x in (doc, "\n".join(tags)) if x)
        lines.append("")
        if block:
            lines.append(_jsdoc(block))
        sig: list[str] = [f"{p.name}: {p.type}" for p in op.path_params]
        fields: list[str] = []
        if op.body_type is not None:
            fields.append(f"body{'' if op.body_required else '?'}: {op.body_type}")
        fields += [f"{p.name}{'' if p.required else '?'}: {p.type}" for p in op.args]
        if fields:
            default = "" if op.args_required else " = {}"
            sig.append("args: { " + "; ".join(fields) + " }" + default)
        sig.append("options: RequestOptions = {}")
        lines.append(f"  async {op.name}({', '.join(sig)}): Promise<{op.returns}> {{")
        call = [f"operation: {op.label}", f"method: {op.method}", f"path: {op.path}"]
        for loc, key in (
            ("path", "pathParams"),
            ("query", "query"),
            ("header", "headers"),
            ("cookie", "cookies"),
        ):
            ps = [p for p in (*op.path_params, *op.args) if p.location == loc]
            if ps:
                source = (lambda p: p.name) if loc == "path" else (lambda p: f"args.{p.name}")
                items = ", ".join(
                    f"{{ name: {p.wire}, value: {source(p)}, style: {p.style}, explode: {p.explode} }}"
                    for p in ps
                )
                call.append(f"{key}: [{items}]")
        if op.body_type is not None:
            call.append(f"body: {{ kind: {op.body_kind}, media: {op.body_media}, value: args.body }} as Body")
        if op.idempotency_header:
            call.append(f"idempotencyHeader: {op.idempotency_header}")
        call.append(f"accept: {op.accept}")
        lines.append("    const res = await this.transport.send({")
        lines += [f"      {c}," for c in call]
        lines.append("    }, options);")
        lines += [f"    {b}" for b in op.branches]
        lines.append(f"    throw await apiError({op.label}, res);")
        lines.append("  }")
        if op.pagination is not None and not op.pagination[0]:
            item = op.pagination[3]
            condition = op.branches[0].split(" return ", 1)[0]
            iter_name = "iter" + op.name[:1].upper() + op.name[1:]
            lines.append("")
            lines.append(
                f"  /** Every item of {op.name}, page after page (following the Link header's rel=next). */"
            )
            lines.append(
                f"  async *{iter_name}({', '.join(sig)}): AsyncGenerator<{item}, void, undefined> {{"
            )
            lines.append("    let call: Call = {")
            lines += [f"      {c}," for c in call]
            lines.append("    };")
            lines.append("    for (;;) {")
            lines.append("      const url = this.transport.url(call);")
            lines.append("      const res = await this.transport.send(call, options);")
            lines.append(f"      {condition} yield* (await readJson(res)) as Array<{item}>;")
            lines.append(f"      else throw await apiError({op.label}, res);")
            lines.append("      const next = nextLink(res, url);")
            lines.append("      if (next === undefined) return;")
            lines.append(
                '      call = { operation: call.operation, method: "GET", path: next, headers: call.headers, '
                "cookies: call.cookies, accept: call.accept };"
            )
            lines.append("    }")
            lines.append("  }")
        elif op.pagination is not None and fields:
            cursor, items, nxt, item = op.pagination
            positional = "".join(f"{p.name}, " for p in op.path_params)
            lines.append("")
            lines.append(
                f"  /** Every item of {op.name}, page after page (following {naming.ts_doc(nxt)}). */"
            )
            iter_name = "iter" + op.name[:1].upper() + op.name[1:]
            lines.append(
                f"  async *{iter_name}({', '.join(sig)}): AsyncGenerator<{item}, void, undefined> {{"
            )
            lines.append(f"    let cursor = args.{cursor};")
            lines.append("    for (;;) {")
            lines.append(
                f"      const page = await this.{op.name}({positional}{{ ...args, {cursor}: cursor }}, options);"
            )
            lines.append(f"      yield* page[{items}] ?? [];")
            lines.append(f"      const next = page[{nxt}];")
            lines.append('      if (next === undefined || next === null || next === "") return;')
            lines.append("      cursor = next;")
            lines.append("    }")
            lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _jsdoc(text: str) -> str:
    body = ["  /**"] + [f"   * {line}".rstrip() for line in text.splitlines()] + ["   */"]
    return "\n".join(body)


_RUNTIME_EXPORTS: Final = (
    "ApiError, ApiKeyAuth, BadRequestError, BasicAuth, BearerAuth, CircuitBreaker, CircuitOpenError, "
    "ClientError, ConflictError, DEFAULT_RETRY, ForbiddenError, NotFoundError, OAuth2ClientCredentials, "
    "ServerError, TooManyRequestsError, TransportError, UnauthorizedError, UnprocessableEntityError"
)


class TypeScriptClientGenerator:
    name: Final = "typescript"
    kind: Final[GeneratorKind] = "client"
    description: Final = "typed TypeScript client (ESM, fetch, no runtime dependencies)"

    def generate(self, request: GenerateRequest) -> Output:
        opts, api = prepare(request, "typescript")
        contract = opts.contract
        types = TsTypes(api)
        env = templates("generators.client.typescript")
        ops = [_operation(api, types, op) for op in api.operations]
        type_names = sorted({*api.types, *api.write_names.values()})
        code = "\n".join(
            " ".join([o.returns, o.body_type or "", *(p.type for p in (*o.path_params, *o.args))])
            for o in ops
        )
        used = type_names_used(code)
        names = [n for n in type_names if n in used]
        prov = provenance(contract, opts)
        header = f"// Generated by apigov from {naming.ts_doc(prov['generated_from'], 200).replace(chr(10), ' ')}; do not edit.\n"
        models = header + "/* eslint-disable */\n\n" + _models(api, types)
        if not api.types:
            models += "export {};\n"
        index = (
            header
            + f'export {{ {_RUNTIME_EXPORTS} }} from "./runtime.js";\n'
            + 'export type { Auth, ClientOptions, JSONValue, Problem, RequestOptions, RetryPolicy } from "./runtime.js";\n'
            + 'export { Client, DEFAULT_BASE_URL } from "./client.js";\n'
            + 'export type * from "./models.js";\n'
            + f"export const GENERATED_FROM = {naming.js_str(prov['generated_from'])};\n"
            + f"export const CONTRACT_DIGEST = {naming.js_str(prov['digest'])};\n"
        )
        package = {
            "name": opts.package,
            "version": opts.version,
            "description": package_description(api),
            "type": "module",
            "main": "./dist/index.js",
            "types": "./dist/index.d.ts",
            "exports": {".": {"types": "./dist/index.d.ts", "import": "./dist/index.js"}},
            "files": ["dist", "src"],
            "engines": {"node": ">=18"},
            "scripts": {"build": "tsc -p .", "typecheck": "tsc -p . --noEmit"},
            "apigov": {"generator": "typescript", **prov},
        }
        tsconfig = {
            "compilerOptions": {
                "target": "ES2022",
                "module": "NodeNext",
                "moduleResolution": "NodeNext",
                "lib": ["ES2022", "DOM"],
                "strict": True,
                "declaration": True,
                "outDir": "dist",
                "rootDir": "src",
                "skipLibCheck": True,
                "noUnusedLocals": True,
                "noImplicitOverride": True,
            },
            "include": ["src"],
        }
        readme = env.get_template("README.md.j2").render(
            package=opts.package,
            version=opts.version,
            title=md_text(api.title),
            api_version=md_text(api.version),
            source=md_text(contract.name),
            digest=md_text(prov["digest"]),
            server=md_text(api.server or "http://localhost"),
            operations=[
                (o.name, md_text(f"{a.method.upper()} {a.path}"), md_text(a.summary))
                for o, a in zip(ops, api.operations, strict=True)
            ],
        )
        files = [
            GeneratedFile(
                PurePosixPath("package.json"), json.dumps(package, indent=2, ensure_ascii=True) + "\n"
            ),
            GeneratedFile(PurePosixPath("tsconfig.json"), json.dumps(tsconfig, indent=2) + "\n"),
            GeneratedFile(PurePosixPath("README.md"), readme),
            GeneratedFile(PurePosixPath("src/runtime.ts"), env.get_template("runtime.ts.j2").render()),
            GeneratedFile(PurePosixPath("src/models.ts"), models),
            GeneratedFile(PurePosixPath("src/client.ts"), _client(api, ops, names)),
            GeneratedFile(PurePosixPath("src/index.ts"), index),
        ]
        return Output(unique_paths(files), warnings_of(self.name, api))


GENERATOR: Final = TypeScriptClientGenerator()
