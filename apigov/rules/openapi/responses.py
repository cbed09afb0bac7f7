"""Responses and response headers: status codes, media types, headers, the schemas inside them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

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
    CONTEXT_BY_KEY,
    header_wire,
    judge_content,
    on_operation,
    operations_changed,
    response_note,
    schema_context,
    sender_kind,
)
from apigov.rules.openapi._rows import RESP, B, I, W, row
from apigov.rules.openapi.ids import SENT_BY_API_IDS
from apigov.rules.openapi.operations import relax_unstable
from apigov.rules.openapi.schemas import SchemaSite, schema_findings
from apigov.rules.rule import Area, Rule

#: the ids this module's checks emit, declared in its rows below
RESPONSE_SUCCESS_STATUS_REMOVED: Final = "response-success-status-removed"
RESPONSE_NON_SUCCESS_STATUS_REMOVED: Final = "response-non-success-status-removed"
RESPONSE_SUCCESS_STATUS_ADDED: Final = "response-success-status-added"
RESPONSE_NON_SUCCESS_STATUS_ADDED: Final = "response-non-success-status-added"
RESPONSE_DESCRIPTION_CHANGED: Final = "response-description-changed"
REQUIRED_RESPONSE_HEADER_REMOVED: Final = "required-response-header-removed"
OPTIONAL_RESPONSE_HEADER_REMOVED: Final = "optional-response-header-removed"
RESPONSE_HEADER_ADDED: Final = "response-header-added"
RESPONSE_HEADER_BECAME_OPTIONAL: Final = "response-header-became-optional"
RESPONSE_HEADER_BECAME_REQUIRED: Final = "response-header-became-required"
RESPONSE_HEADER_DEPRECATED: Final = "response-header-deprecated"


def _success(code: str) -> bool:
    return code.startswith("2")


def responses(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _responses(ctx))


def _responses(ctx: CheckContext) -> Iterator[Finding]:
    for op in operations_changed(ctx):
        diff = op.diff
        for r in diff.responses.removed:
            if _success(r.code):
                yield on_operation(
                    ctx,
                    diff,
                    RESPONSE_SUCCESS_STATUS_REMOVED,
                    f"success response {r.code} removed",
                    side=SideName.BASE,
                    pointer=r.pointer,
                )
            else:
                yield on_operation(
                    ctx,
                    diff,
                    RESPONSE_NON_SUCCESS_STATUS_REMOVED,
                    f"response {r.code} removed",
                    side=SideName.BASE,
                    pointer=r.pointer,
                )
        for r in diff.responses.added:
            rule_id = RESPONSE_SUCCESS_STATUS_ADDED if _success(r.code) else RESPONSE_NON_SUCCESS_STATUS_ADDED
            yield on_operation(ctx, diff, rule_id, f"response {r.code} added", pointer=r.pointer)
        for rd in diff.responses.changed:
            yield from _response(ctx, op, rd)


def _response(ctx: CheckContext, op: Op, rd: ResponseDiff) -> Iterator[Finding]:
    diff = op.diff
    code = rd.revision.code
    at = (rd.revision.pointer, rd.base.pointer)
    if change(rd.changes, "description") is not None:
        yield on_operation(
            ctx,
            diff,
            RESPONSE_DESCRIPTION_CHANGED,
            f"response {code} description changed",
            at=at,
        )
    yield from judge_content(
        ctx, diff, rd.content, "response", schema_context(op, "response"), f"response {code}"
    )
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
            yield on_operation(
                ctx,
                diff,
                REQUIRED_RESPONSE_HEADER_REMOVED,
                f"required {_header(h, code)} removed",
                side=SideName.BASE,
                pointer=h.pointer,
            )
        else:
            yield on_operation(
                ctx,
                diff,
                OPTIONAL_RESPONSE_HEADER_REMOVED,
                f"optional {_header(h, code)} removed",
                side=SideName.BASE,
                pointer=h.pointer,
            )
    for h in () if op.inverted else headers.added:
        yield on_operation(ctx, diff, RESPONSE_HEADER_ADDED, f"{_header(h, code)} added", pointer=h.pointer)
    for hd in headers.changed:
        old, new = hd.base, hd.revision
        at = (new.pointer, old.pointer)
        if not op.inverted and old.required and not new.required:
            yield on_operation(
                ctx,
                diff,
                RESPONSE_HEADER_BECAME_OPTIONAL,
                f"{_header(new, code)} became optional",
                at=at,
            )
        if not op.inverted and not old.required and new.required:
            yield on_operation(
                ctx,
                diff,
                RESPONSE_HEADER_BECAME_REQUIRED,
                f"{_header(new, code)} became required",
                at=at,
            )
        if not old.deprecated and new.deprecated:
            yield on_operation(
                ctx, diff, RESPONSE_HEADER_DEPRECATED, f"{_header(new, code)} deprecated", at=at
            )
        if hd.schema is not None:
            context = CONTEXT_BY_KEY[
                "response-header" if op.direction("response") == "response" else "request-parameter"
            ]
            wires = (header_wire(old), header_wire(new))
            site = SchemaSite(context, hd.schema, diff.revision, _header(new, code), wire=wires)
            yield from schema_findings(ctx, site)


def _callback_headers(
    ctx: CheckContext, diff: OperationDiff, headers: Matches[HeaderSide, HeaderDiff], code: str
) -> Iterator[Finding]:
    """A callback's or webhook's response headers are sent by the consumer's server: one the API now needs
    breaks it; one the API no longer needs harms nobody."""
    kind = sender_kind(diff)
    for h in headers.removed:
        yield on_operation(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "response-header-removed")],
            f"{kind} {_header(h, code)} no longer expected",
            direction=response_note(kind),
            side=SideName.BASE,
            pointer=h.pointer,
        )
    for h in headers.added:
        rule_id = (
            SENT_BY_API_IDS[(kind, "response-required-header-added")]
            if h.required
            else SENT_BY_API_IDS[(kind, "response-optional-header-added")]
        )
        yield on_operation(
            ctx,
            diff,
            rule_id,
            f"{kind} {'required' if h.required else 'optional'} {_header(h, code)} added",
            direction=response_note(kind),
            pointer=h.pointer,
        )
    for hd in headers.changed:
        old, new = hd.base, hd.revision
        if old.required == new.required:
            continue
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, RESPONSE_HEADER_BECAME_REQUIRED)], "is now required")
            if new.required
            else (SENT_BY_API_IDS[(kind, RESPONSE_HEADER_BECAME_OPTIONAL)], "is now optional")
        )
        yield on_operation(
            ctx,
            diff,
            rule_id,
            f"{kind} {_header(new, code)} {text}",
            direction=response_note(kind),
            at=(new.pointer, old.pointer),
        )


#: the catalogue rows of responses and response headers
RULES: Final[tuple[Rule, ...]] = (
    row(
        RESPONSE_SUCCESS_STATUS_REMOVED,
        B,
        Area.RESPONSES,
        RESP,
        responses,
        "A success response status was removed.",
        "Clients handling that status get one they do not expect.",
        "base: responses: {'200': ..., '201': ...}\nrevision: responses: {'200': ...}",
        "Keep returning the status.",
    ),
    row(
        RESPONSE_NON_SUCCESS_STATUS_REMOVED,
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A non-success response status was removed.",
        "Nothing breaks: clients just never see it.",
        "base: {'404': ...}\nrevision: (gone)",
        "Nothing to do.",
    ),
    row(
        RESPONSE_SUCCESS_STATUS_ADDED,
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A success response status was added.",
        "Clients may not handle the new status.",
        "revision: responses: {'202': ...}",
        "Document how clients should handle it.",
    ),
    row(
        RESPONSE_NON_SUCCESS_STATUS_ADDED,
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A non-success response status was added.",
        "Clients may not handle the new status specifically.",
        "revision: responses: {'429': ...}",
        "Nothing to do.",
    ),
    row(
        RESPONSE_DESCRIPTION_CHANGED,
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A response's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    row(
        "response-media-type-removed",
        B,
        Area.RESPONSES,
        RESP,
        responses,
        "A response media type was removed.",
        "Clients that ask for it (Accept) get 406 or a type they cannot parse.",
        "base: content: {application/json: ..., text/csv: ...}\nrevision: content: {application/json: ...}",
        "Keep producing the media type.",
    ),
    row(
        "response-media-type-added",
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A response media type was added.",
        "Nothing breaks for clients that send Accept.",
        "revision: content: {text/csv: ...}",
        "Nothing to do.",
    ),
    row(
        "response-body-media-type-name-changed",
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A response media type is written differently but still matches, neither name covering the other.",
        "Usually nothing breaks. A name that became more general or more specific is judged in "
        "direction (`response-body-media-type-name-generalized`).",
        "base: application/vnd.animal+json\nrevision: application/vnd.pet+json",
        "Nothing to do.",
    ),
    row(
        "response-body-schema-added",
        I,
        Area.RESPONSES,
        RESP,
        responses,
        "A response media type got a schema.",
        "Nothing breaks: responses are now described.",
        "base: {application/json: {}}\nrevision: {application/json: {schema: ...}}",
        "Nothing to do.",
    ),
    row(
        "response-body-schema-removed",
        W,
        Area.RESPONSES,
        RESP,
        responses,
        "A response media type lost its schema.",
        "Anything may now come back; clients lose the contract they parse against.",
        "base: {schema: ...}\nrevision: {}",
        "Keep the schema.",
    ),
    row(
        REQUIRED_RESPONSE_HEADER_REMOVED,
        B,
        Area.HEADERS,
        RESP,
        responses,
        "A required response header was removed.",
        "Clients reading it get nothing.",
        "base: headers: {X-Rate-Limit: {required: true}}\nrevision: headers: {}",
        "Keep sending the header.",
    ),
    row(
        OPTIONAL_RESPONSE_HEADER_REMOVED,
        W,
        Area.HEADERS,
        RESP,
        responses,
        "An optional response header was removed.",
        "Clients that use it when present lose it.",
        "base: headers: {X-Trace: {}}\nrevision: headers: {}",
        "Deprecate first.",
    ),
    row(
        RESPONSE_HEADER_ADDED,
        I,
        Area.HEADERS,
        RESP,
        responses,
        "A response header was added.",
        "Nothing breaks.",
        "revision: headers: {X-Trace: {}}",
        "Nothing to do.",
    ),
    row(
        RESPONSE_HEADER_BECAME_OPTIONAL,
        B,
        Area.HEADERS,
        RESP,
        responses,
        "A required response header became optional.",
        "Clients that rely on it may not get it.",
        "base: {required: true}\nrevision: {required: false}",
        "Keep it required.",
    ),
    row(
        RESPONSE_HEADER_BECAME_REQUIRED,
        I,
        Area.HEADERS,
        RESP,
        responses,
        "An optional response header became required.",
        "Nothing breaks.",
        "base: {}\nrevision: {required: true}",
        "Nothing to do.",
    ),
    row(
        RESPONSE_HEADER_DEPRECATED,
        I,
        Area.HEADERS,
        RESP,
        responses,
        "A response header was deprecated.",
        "Nothing breaks yet.",
        "revision: {deprecated: true}",
        "Nothing to do.",
    ),
)
