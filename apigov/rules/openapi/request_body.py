"""Request bodies: added, removed, required, media types, the schemas inside them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding
from apigov.diff.tree import (
    BodyDiff,
    OperationDiff,
)
from apigov.rules._walk import change
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._message import (
    judge_content,
    on_operation,
    operations_changed,
    request_note,
    schema_context,
    sender_kind,
)
from apigov.rules.openapi._rows import REQ, B, I, W, row
from apigov.rules.openapi.ids import SENT_BY_API_IDS
from apigov.rules.openapi.operations import relax_unstable
from apigov.rules.rule import Area, Rule


def request_bodies(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _request_bodies(ctx))


def _request_bodies(ctx: CheckContext) -> Iterator[Finding]:
    for op in operations_changed(ctx):
        diff = op.diff
        body = diff.request_body
        if body is None:
            continue
        if op.inverted:
            yield from _callback_body(ctx, diff, body)
        elif body.base is None and body.revision is not None:
            rule_id = (
                "request-body-added-required" if body.revision.required else "request-body-added-optional"
            )
            text = f"{'required' if body.revision.required else 'optional'} request body added"
            yield on_operation(ctx, diff, rule_id, text, pointer=body.revision.pointer)
        elif body.revision is None and body.base is not None:
            yield on_operation(
                ctx,
                diff,
                "request-body-removed",
                "request body removed",
                side=SideName.BASE,
                pointer=body.base.pointer,
            )
        if body.base is None or body.revision is None:
            continue
        at = (body.revision.pointer, body.base.pointer)
        if not op.inverted and not body.base.required and body.revision.required:
            yield on_operation(
                ctx,
                diff,
                "request-body-became-required",
                "request body became required",
                at=at,
            )
        if not op.inverted and body.base.required and not body.revision.required:
            yield on_operation(
                ctx, diff, "request-body-became-optional", "request body became optional", at=at
            )
        if change(body.changes, "description") is not None:
            yield on_operation(
                ctx,
                diff,
                "request-body-description-changed",
                "request body description changed",
                at=at,
            )
        yield from judge_content(
            ctx, diff, body.content, "request", schema_context(op, "request"), "request body", op.inverted
        )


def _callback_body(ctx: CheckContext, diff: OperationDiff, body: BodyDiff) -> Iterator[Finding]:
    """A callback's or webhook's request body is what the consumer's server receives."""
    kind = sender_kind(diff)
    old, new = body.base, body.revision
    if old is None and new is not None:
        yield on_operation(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "request-body-added")],
            f"{kind} request body added",
            direction=request_note(kind),
            pointer=new.pointer,
        )
    elif new is None and old is not None:
        yield on_operation(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "request-body-removed")],
            f"{kind} request body no longer sent",
            direction=request_note(kind),
            side=SideName.BASE,
            pointer=old.pointer,
        )
    elif old is not None and new is not None and old.required != new.required:
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, "request-body-became-optional")], "may now be left out")
            if old.required
            else (SENT_BY_API_IDS[(kind, "request-body-became-required")], "is now always sent")
        )
        yield on_operation(
            ctx,
            diff,
            rule_id,
            f"{kind} request body {text}",
            direction=request_note(kind),
            at=(new.pointer, old.pointer),
        )


#: the catalogue rows of request bodies
RULES: Final[tuple[Rule, ...]] = (
    row(
        "request-body-added-required",
        B,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "A required request body was added.",
        "Existing clients send no body and are rejected.",
        "revision: requestBody: {required: true, content: ...}",
        "Add the body as optional.",
    ),
    row(
        "request-body-added-optional",
        I,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "An optional request body was added.",
        "Nothing breaks.",
        "revision: requestBody: {content: ...}",
        "Nothing to do.",
    ),
    row(
        "request-body-removed",
        B,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "The request body was removed.",
        "Clients keep sending one; the server may reject it or ignore what it carries.",
        "base: requestBody: {content: ...}\nrevision: (none)",
        "Deprecate first; keep accepting the body.",
    ),
    row(
        "request-body-became-required",
        B,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "The request body became required.",
        "Clients that send none are rejected.",
        "base: requestBody: {required: false}\nrevision: requestBody: {required: true}",
        "Keep it optional.",
    ),
    row(
        "request-body-became-optional",
        I,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "The request body became optional.",
        "Nothing breaks.",
        "base: {required: true}\nrevision: {required: false}",
        "Nothing to do.",
    ),
    row(
        "request-body-description-changed",
        I,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "The request body's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    row(
        "request-body-media-type-removed",
        B,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "A request media type was removed.",
        "Clients sending that content type are rejected with 415.",
        "base: content: {application/json: ..., application/xml: ...}\nrevision: content: {application/json: ...}",
        "Keep accepting the media type.",
    ),
    row(
        "request-body-media-type-added",
        I,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "A request media type was added.",
        "Nothing breaks.",
        "revision: content: {application/xml: ...}",
        "Nothing to do.",
    ),
    row(
        "request-body-media-type-name-changed",
        I,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "A request media type is written differently but still matches (`+json` suffix, parameters), "
        "neither name covering the other.",
        "Usually nothing breaks; check clients that send the exact old name. A name that became more "
        "specific or more general is judged in direction (`request-body-media-type-name-specialized`).",
        "base: application/vnd.animal+json\nrevision: application/vnd.pet+json",
        "Nothing to do.",
    ),
    row(
        "request-body-schema-added",
        W,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "A request media type without a schema got one.",
        "Anything was accepted before; now only what the schema allows.",
        "base: {application/json: {}}\nrevision: {application/json: {schema: ...}}",
        "Make sure the schema accepts what clients send today.",
    ),
    row(
        "request-body-schema-removed",
        I,
        Area.REQUEST_BODY,
        REQ,
        request_bodies,
        "A request media type lost its schema.",
        "Nothing breaks: anything is accepted.",
        "base: {schema: ...}\nrevision: {}",
        "Nothing to do.",
    ),
)
