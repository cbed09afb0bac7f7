"""Responses and response headers: status codes, media types, headers, the schemas inside them."""

from __future__ import annotations

from collections.abc import Iterator

from apigov.core.findings import Finding
from apigov.diff.tree import (
    HeaderDiff,
    HeaderSide,
    Matches,
    OperationDiff,
    ResponseDiff,
)
from apigov.rules._walk import Op, change
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._message import (
    _CONTEXT,
    _content,
    _context,
    _f,
    _header_wire,
    _ops,
    _response_note,
    _sender,
)
from apigov.rules.openapi.ids import SENT_BY_API_IDS
from apigov.rules.openapi.operations import relax_unstable
from apigov.rules.openapi.schemas import SchemaSite, schema_findings


def _success(code: str) -> bool:
    return code.startswith("2")


def responses(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _responses(ctx))


def _responses(ctx: CheckContext) -> Iterator[Finding]:
    for op in _ops(ctx):
        diff = op.diff
        for r in diff.responses.removed:
            if _success(r.code):
                yield _f(
                    ctx,
                    diff,
                    "response-success-status-removed",
                    f"success response {r.code} removed",
                    side=SideName.BASE,
                    pointer=r.pointer,
                )
            else:
                yield _f(
                    ctx,
                    diff,
                    "response-non-success-status-removed",
                    f"response {r.code} removed",
                    side=SideName.BASE,
                    pointer=r.pointer,
                )
        for r in diff.responses.added:
            rule_id = (
                "response-success-status-added" if _success(r.code) else "response-non-success-status-added"
            )
            yield _f(ctx, diff, rule_id, f"response {r.code} added", pointer=r.pointer)
        for rd in diff.responses.changed:
            yield from _response(ctx, op, rd)


def _response(ctx: CheckContext, op: Op, rd: ResponseDiff) -> Iterator[Finding]:
    diff = op.diff
    code = rd.revision.code
    at = (rd.revision.pointer, rd.base.pointer)
    if change(rd.changes, "description") is not None:
        yield _f(
            ctx,
            diff,
            "response-description-changed",
            f"response {code} description changed",
            at=at,
        )
    yield from _content(ctx, diff, rd.content, "response", _context(op, "response"), f"response {code}")
    yield from _headers(ctx, op, rd.headers, code)


def _header(h: HeaderSide, code: str) -> str:
    return f"response {code} header '{h.name}'"


def _headers(
    ctx: CheckContext, op: Op, headers: Matches[HeaderSide, HeaderDiff], code: str
) -> Iterator[Finding]:
    diff = op.diff
    if op.inverted:
        yield from _callback_headers(ctx, diff, headers, code)
    for h in () if op.inverted else headers.removed:
        if h.required:
            yield _f(
                ctx,
                diff,
                "required-response-header-removed",
                f"required {_header(h, code)} removed",
                side=SideName.BASE,
                pointer=h.pointer,
            )
        else:
            yield _f(
                ctx,
                diff,
                "optional-response-header-removed",
                f"optional {_header(h, code)} removed",
                side=SideName.BASE,
                pointer=h.pointer,
            )
    for h in () if op.inverted else headers.added:
        yield _f(ctx, diff, "response-header-added", f"{_header(h, code)} added", pointer=h.pointer)
    for hd in headers.changed:
        old, new = hd.base, hd.revision
        at = (new.pointer, old.pointer)
        if not op.inverted and old.required and not new.required:
            yield _f(
                ctx,
                diff,
                "response-header-became-optional",
                f"{_header(new, code)} became optional",
                at=at,
            )
        if not op.inverted and not old.required and new.required:
            yield _f(
                ctx,
                diff,
                "response-header-became-required",
                f"{_header(new, code)} became required",
                at=at,
            )
        if not old.deprecated and new.deprecated:
            yield _f(ctx, diff, "response-header-deprecated", f"{_header(new, code)} deprecated", at=at)
        if hd.schema is not None:
            context = _CONTEXT[
                "response-header" if op.direction("response") == "response" else "request-parameter"
            ]
            wires = (_header_wire(old), _header_wire(new))
            site = SchemaSite(context, hd.schema, diff.revision, _header(new, code), wire=wires)
            yield from schema_findings(ctx, site)


def _callback_headers(
    ctx: CheckContext, diff: OperationDiff, headers: Matches[HeaderSide, HeaderDiff], code: str
) -> Iterator[Finding]:
    """A callback's or webhook's response headers are sent by the consumer's server: one the API now needs
    breaks it; one the API no longer needs harms nobody."""
    kind = _sender(diff)
    for h in headers.removed:
        yield _f(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "response-header-removed")],
            f"{kind} {_header(h, code)} no longer expected",
            direction=_response_note(kind),
            side=SideName.BASE,
            pointer=h.pointer,
        )
    for h in headers.added:
        rule_id = (
            SENT_BY_API_IDS[(kind, "response-required-header-added")]
            if h.required
            else SENT_BY_API_IDS[(kind, "response-optional-header-added")]
        )
        yield _f(
            ctx,
            diff,
            rule_id,
            f"{kind} {'required' if h.required else 'optional'} {_header(h, code)} added",
            direction=_response_note(kind),
            pointer=h.pointer,
        )
    for hd in headers.changed:
        old, new = hd.base, hd.revision
        if old.required == new.required:
            continue
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, "response-header-became-required")], "is now required")
            if new.required
            else (SENT_BY_API_IDS[(kind, "response-header-became-optional")], "is now optional")
        )
        yield _f(
            ctx,
            diff,
            rule_id,
            f"{kind} {_header(new, code)} {text}",
            direction=_response_note(kind),
            at=(new.pointer, old.pointer),
        )
