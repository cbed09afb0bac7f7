"""Parameters, request bodies, responses and headers, and the schemas inside them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding, Level
from apigov.diff.tree import (
    HeaderDiff,
    HeaderSide,
    Matches,
    MediaDiff,
    MediaSide,
    OperationDiff,
    ParameterSide,
    ResponseDiff,
)
from apigov.rules._families import CONTEXTS, Context
from apigov.rules._walk import Op, change, changed_operations
from apigov.rules.context import CheckContext, SideName
from apigov.rules.schemas import SchemaSite, schema_findings

_CONTEXT: Final = {c.key: c for c in CONTEXTS}


def _ops(ctx: CheckContext) -> Iterator[Op]:
    yield from changed_operations(ctx.tree.operations)
    yield from changed_operations(ctx.tree.webhooks)


def _context(op: Op, part: str) -> Context:
    """The schema context of a body or parameter, as the API's clients see it."""
    direction = op.direction(part)
    if part == "request":
        return _CONTEXT["request-body" if direction == "request" else "response-body"]
    return _CONTEXT["response-body" if direction == "response" else "request-body"]


def _f(
    ctx: CheckContext,
    diff: OperationDiff,
    rule_id: str,
    level: Level,
    message: str,
    *,
    side: SideName = SideName.REVISION,
    pointer: str = "",
    at: tuple[str, str] | None = None,
    **details: str,
) -> Finding:
    """A finding on an operation; ``at`` is (revision pointer, base pointer) of a changed thing."""
    base_pointer = None
    if at is not None:
        pointer, base_pointer = at
    return ctx.finding(
        rule_id,
        level,
        message,
        side=side,
        pointer=pointer,
        operation=diff.revision,
        base_pointer=base_pointer,
        **details,
    )


# --- parameters -----------------------------------------------------------------------------------


def _param(p: ParameterSide) -> str:
    return f"{p.location} parameter '{p.name}'"


def parameters(ctx: CheckContext) -> Iterator[Finding]:
    for op in _ops(ctx):
        diff = op.diff
        params = diff.parameters
        for p in params.added:
            if p.location == "path":
                rule_id, level = "new-request-path-parameter", Level.BREAKING
            elif p.required:
                rule_id, level = "new-required-request-parameter", Level.BREAKING
            else:
                rule_id, level = "new-optional-request-parameter", Level.INFO
            yield _f(
                ctx,
                diff,
                rule_id,
                level,
                f"new {'required ' if p.required else 'optional '}{_param(p)}",
                pointer=p.pointer,
            )
        for p in params.removed:
            if p.deprecated:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-removed-with-deprecation",
                    Level.INFO,
                    f"deprecated {_param(p)} removed",
                    side=SideName.BASE,
                    pointer=p.pointer,
                )
            else:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-removed",
                    Level.WARNING,
                    f"{_param(p)} removed (the server may now reject or ignore it)",
                    side=SideName.BASE,
                    pointer=p.pointer,
                )
        for pd in params.changed:
            old, new = pd.base, pd.revision
            at = (new.pointer, old.pointer)
            if not old.required and new.required:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-became-required",
                    Level.BREAKING,
                    f"{_param(new)} became required",
                    at=at,
                )
            if old.required and not new.required:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-became-optional",
                    Level.INFO,
                    f"{_param(new)} became optional",
                    at=at,
                )
            if not old.deprecated and new.deprecated:
                yield _f(
                    ctx, diff, "request-parameter-deprecated", Level.INFO, f"{_param(new)} deprecated", at=at
                )
            if old.deprecated and not new.deprecated:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-reactivated",
                    Level.INFO,
                    f"{_param(new)} no longer deprecated",
                    at=at,
                )
            if old.style != new.style:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-style-changed",
                    Level.BREAKING,
                    f"{_param(new)} serialisation style changed from {old.style} to {new.style}",
                    at=at,
                )
            if old.explode != new.explode:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-explode-changed",
                    Level.BREAKING,
                    f"{_param(new)} explode changed from {str(old.explode).lower()} to {str(new.explode).lower()}",
                    at=at,
                )
            reserved = change(pd.changes, "allowReserved")
            if reserved is not None:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-allow-reserved-changed",
                    Level.WARNING,
                    f"{_param(new)} allowReserved changed",
                    at=at,
                )
            empty = change(pd.changes, "allowEmptyValue")
            if empty is not None and empty.base is True:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-allow-empty-value-removed",
                    Level.BREAKING,
                    f"{_param(new)} no longer allows an empty value",
                    at=at,
                )
            described = change(pd.changes, "description")
            if described is not None:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-description-changed",
                    Level.INFO,
                    f"{_param(new)} description changed",
                    at=at,
                )
            moved = change(pd.changes, "content")
            if moved is not None:
                was = f"content {moved.base}" if moved.base is not None else "schema"
                now = f"content {moved.revision}" if moved.revision is not None else "schema"
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-schema-changed",
                    Level.WARNING,
                    f"{_param(new)} is now described by {now} instead of {was} (its serialisation changes)",
                    at=at,
                )
            elif change(pd.changes, "schema") is not None:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-schema-changed",
                    Level.WARNING,
                    f"{_param(new)} {'lost' if new.schema is None else 'gained'} its schema; apigov compares only schemas",
                    at=at,
                )
            if pd.schema is not None:
                context = _CONTEXT[
                    "request-parameter" if op.direction("request") == "request" else "response-header"
                ]
                site = SchemaSite(context, pd.schema, diff.revision, _param(new))
                yield from schema_findings(ctx, site)


# --- request bodies -------------------------------------------------------------------------------


def request_bodies(ctx: CheckContext) -> Iterator[Finding]:
    for op in _ops(ctx):
        diff = op.diff
        body = diff.request_body
        if body is None:
            continue
        if body.base is None and body.revision is not None:
            if body.revision.required:
                yield _f(
                    ctx,
                    diff,
                    "request-body-added-required",
                    Level.BREAKING,
                    "required request body added",
                    pointer=body.revision.pointer,
                )
            else:
                yield _f(
                    ctx,
                    diff,
                    "request-body-added-optional",
                    Level.INFO,
                    "optional request body added",
                    pointer=body.revision.pointer,
                )
            continue
        if body.revision is None and body.base is not None:
            yield _f(
                ctx,
                diff,
                "request-body-removed",
                Level.BREAKING,
                "request body removed",
                side=SideName.BASE,
                pointer=body.base.pointer,
            )
            continue
        assert body.base is not None and body.revision is not None
        at = (body.revision.pointer, body.base.pointer)
        if not body.base.required and body.revision.required:
            yield _f(
                ctx,
                diff,
                "request-body-became-required",
                Level.BREAKING,
                "request body became required",
                at=at,
            )
        if body.base.required and not body.revision.required:
            yield _f(
                ctx, diff, "request-body-became-optional", Level.INFO, "request body became optional", at=at
            )
        if change(body.changes, "description") is not None:
            yield _f(
                ctx,
                diff,
                "request-body-description-changed",
                Level.INFO,
                "request body description changed",
                at=at,
            )
        yield from _content(ctx, diff, body.content, "request", _context(op, "request"), "request body")


def _content(
    ctx: CheckContext,
    diff: OperationDiff,
    content: Matches[MediaSide, MediaDiff],
    part: str,
    context: Context,
    label: str,
) -> Iterator[Finding]:
    for media in content.removed:
        level = Level.BREAKING
        yield _f(
            ctx,
            diff,
            f"{part}-media-type-removed" if part == "response" else "request-body-media-type-removed",
            level,
            f"{label} media type {media.name} removed",
            side=SideName.BASE,
            pointer=media.pointer,
        )
    for media in content.added:
        yield _f(
            ctx,
            diff,
            f"{part}-media-type-added" if part == "response" else "request-body-media-type-added",
            Level.INFO,
            f"{label} media type {media.name} added",
            pointer=media.pointer,
        )
    for md in content.changed:
        at = (md.revision.pointer, md.base.pointer)
        if md.base.name != md.revision.name:
            yield _f(
                ctx,
                diff,
                f"{context.root_prefix}-media-type-name-changed",
                Level.INFO,
                f"{label} media type {md.base.name} now written {md.revision.name}",
                at=at,
            )
        if (md.base.schema is None) != (md.revision.schema is None):
            gained = md.base.schema is None
            narrows = gained == (context.direction == "request")
            rule_id = f"{context.root_prefix}-schema-{'added' if gained else 'removed'}"
            level = Level.WARNING if narrows else Level.INFO
            text = "now has a schema" if gained else "no longer has a schema"
            yield _f(ctx, diff, rule_id, level, f"{label} ({md.revision.name}) {text}", at=at)
        if md.schema is not None:
            site = SchemaSite(context, md.schema, diff.revision, f"{label} ({md.revision.name})")
            yield from schema_findings(ctx, site)


# --- responses and headers ------------------------------------------------------------------------


def _success(code: str) -> bool:
    return code.startswith("2")


def responses(ctx: CheckContext) -> Iterator[Finding]:
    for op in _ops(ctx):
        diff = op.diff
        for r in diff.responses.removed:
            if _success(r.code):
                yield _f(
                    ctx,
                    diff,
                    "response-success-status-removed",
                    Level.BREAKING,
                    f"success response {r.code} removed",
                    side=SideName.BASE,
                    pointer=r.pointer,
                )
            else:
                yield _f(
                    ctx,
                    diff,
                    "response-non-success-status-removed",
                    Level.INFO,
                    f"response {r.code} removed",
                    side=SideName.BASE,
                    pointer=r.pointer,
                )
        for r in diff.responses.added:
            rule_id = (
                "response-success-status-added" if _success(r.code) else "response-non-success-status-added"
            )
            yield _f(ctx, diff, rule_id, Level.INFO, f"response {r.code} added", pointer=r.pointer)
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
            Level.INFO,
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
    for h in headers.removed:
        if h.required:
            yield _f(
                ctx,
                diff,
                "required-response-header-removed",
                Level.BREAKING,
                f"required {_header(h, code)} removed",
                side=SideName.BASE,
                pointer=h.pointer,
            )
        else:
            yield _f(
                ctx,
                diff,
                "optional-response-header-removed",
                Level.WARNING,
                f"optional {_header(h, code)} removed",
                side=SideName.BASE,
                pointer=h.pointer,
            )
    for h in headers.added:
        yield _f(
            ctx, diff, "response-header-added", Level.INFO, f"{_header(h, code)} added", pointer=h.pointer
        )
    for hd in headers.changed:
        old, new = hd.base, hd.revision
        at = (new.pointer, old.pointer)
        if old.required and not new.required:
            yield _f(
                ctx,
                diff,
                "response-header-became-optional",
                Level.BREAKING,
                f"{_header(new, code)} became optional",
                at=at,
            )
        if not old.required and new.required:
            yield _f(
                ctx,
                diff,
                "response-header-became-required",
                Level.INFO,
                f"{_header(new, code)} became required",
                at=at,
            )
        if not old.deprecated and new.deprecated:
            yield _f(
                ctx, diff, "response-header-deprecated", Level.INFO, f"{_header(new, code)} deprecated", at=at
            )
        if hd.schema is not None:
            context = _CONTEXT[
                "response-header" if op.direction("response") == "response" else "request-parameter"
            ]
            yield from schema_findings(ctx, SchemaSite(context, hd.schema, diff.revision, _header(new, code)))
