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

#: the ids this module's checks emit, declared in its rows below
REQUEST_BODY_ADDED_REQUIRED: Final = "request-body-added-required"
REQUEST_BODY_ADDED_OPTIONAL: Final = "request-body-added-optional"
REQUEST_BODY_REMOVED: Final = "request-body-removed"
REQUEST_BODY_BECAME_REQUIRED: Final = "request-body-became-required"
REQUEST_BODY_BECAME_OPTIONAL: Final = "request-body-became-optional"
REQUEST_BODY_DESCRIPTION_CHANGED: Final = "request-body-description-changed"


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
            rule_id = REQUEST_BODY_ADDED_REQUIRED if body.revision.required else REQUEST_BODY_ADDED_OPTIONAL
            text = f"{'required' if body.revision.required else 'optional'} request body added"
            yield on_operation(ctx, diff, rule_id, text, pointer=body.revision.pointer)
        elif body.revision is None and body.base is not None:
            yield on_operation(
                ctx,
                diff,
                REQUEST_BODY_REMOVED,
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
                REQUEST_BODY_BECAME_REQUIRED,
                "request body became required",
                at=at,
            )
        if not op.inverted and body.base.required and not body.revision.required:
            yield on_operation(ctx, diff, REQUEST_BODY_BECAME_OPTIONAL, "request body became optional", at=at)
        if change(body.changes, "description") is not None:
            yield on_operation(
                ctx,
                diff,
                REQUEST_BODY_DESCRIPTION_CHANGED,
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
            SENT_BY_API_IDS[(kind, REQUEST_BODY_REMOVED)],
            f"{kind} request body no longer sent",
            direction=request_note(kind),
            side=SideName.BASE,
            pointer=old.pointer,
        )
    elif old is not None and new is not None and old.required != new.required:
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, REQUEST_BODY_BECAME_OPTIONAL)], "may now be left out")
            if old.required
            else (SENT_BY_API_IDS[(kind, REQUEST_BODY_BECAME_REQUIRED)], "is now always sent")
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
        REQUEST_BODY_ADDED_REQUIRED,
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
        REQUEST_BODY_ADDED_OPTIONAL,
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
        REQUEST_BODY_REMOVED,
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
        REQUEST_BODY_BECAME_REQUIRED,
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
        REQUEST_BODY_BECAME_OPTIONAL,
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
        REQUEST_BODY_DESCRIPTION_CHANGED,
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
