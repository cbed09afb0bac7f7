"""Parameters, request bodies, responses and headers, and the schemas inside them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core.findings import Finding
from apigov.diff.tree import (
    BodyDiff,
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
from apigov.rules._walk import Op, change, changed_operations, operation_matches
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi import media as media_names
from apigov.rules.openapi import parameters as param_rules
from apigov.rules.openapi.ids import PLACE_IDS, SENT_BY_API_IDS
from apigov.rules.openapi.operations import relax_unstable
from apigov.rules.openapi.schemas import SchemaSite, schema_findings
from apigov.rules.openapi.wire import Wire
from apigov.rules.rule import Judged

NEW_PATH_PARAMETER: Final = "new-request-path-parameter"
NEW_REQUIRED_PARAMETER: Final = "new-required-request-parameter"
NEW_OPTIONAL_PARAMETER: Final = "new-optional-request-parameter"

_CONTEXT: Final = {c.key: c for c in CONTEXTS}


def _ops(ctx: CheckContext) -> Iterator[Op]:
    """Every changed operation; webhooks and callbacks, which the API itself calls, inverted."""
    yield from changed_operations(ctx.tree.operations)
    for matches, inverted in operation_matches(ctx.tree.webhooks, True):
        for diff in matches.changed:
            yield Op(diff, inverted)


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
    message: str,
    *,
    side: SideName = SideName.REVISION,
    pointer: str = "",
    at: tuple[str, str] | None = None,
    judged: Judged | None = None,
    **details: str,
) -> Finding:
    """A finding on an operation; ``at`` is (revision pointer, base pointer) of a changed thing."""
    base_pointer = None
    if at is not None:
        pointer, base_pointer = at
    return ctx.finding(
        rule_id,
        message,
        side=side,
        pointer=pointer,
        operation=diff.revision,
        base_pointer=base_pointer,
        judged=judged,
        **details,
    )


# --- parameters -----------------------------------------------------------------------------------


def _param(p: ParameterSide) -> str:
    """``query parameter 'q'``; a parameter without ``in`` says so."""
    return f"{p.location} parameter '{p.name}'" if p.location else f"parameter '{p.name}' (without 'in')"


_SCALARS: Final = frozenset({"string", "integer", "number", "boolean", "null"})


def _scalar(ctx: CheckContext, side: SideName, pointer: str | None) -> bool:
    """Whether the parameter schema at ``pointer`` (through ``$ref``) is a primitive type, whose
    serialisation ``explode`` does not change (nor ``style``, outside the path)."""
    node = None if pointer is None else ctx.node(side, pointer)
    for _ in range(8):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            break
        node = ctx.node(side, jsonptr.from_fragment(ref[1:]))
    kind = node.get("type") if isinstance(node, dict) else None
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return bool(kinds) and all(k in _SCALARS for k in kinds)


def _content_param(p: ParameterSide) -> bool:
    """A parameter written with ``content``: its value is a document of that media type."""
    return p.schema is not None and p.schema.startswith(p.pointer + "/content/")


def _wire(p: ParameterSide) -> Wire:
    return Wire(p.name, p.location, p.style, p.explode, p.required)


def _header_wire(h: HeaderSide) -> Wire:
    return Wire(h.name, "header", "simple", False, h.required)


def parameters(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _parameters(ctx))


def _parameters(ctx: CheckContext) -> Iterator[Finding]:
    for op in _ops(ctx):
        diff = op.diff
        params = diff.parameters
        if op.inverted:
            yield from _callback_parameters(ctx, diff)
        shifted = {q.pointer for pair in param_rules.moved(params) for q in pair}  # judged there
        for p in () if op.inverted else params.added:
            if p.pointer in shifted:
                continue
            if p.location == "path":
                rule_id = NEW_PATH_PARAMETER
            elif p.required:
                rule_id = NEW_REQUIRED_PARAMETER
            else:
                rule_id = NEW_OPTIONAL_PARAMETER
            yield _f(
                ctx,
                diff,
                rule_id,
                f"new {'required ' if p.required else 'optional '}{_param(p)}",
                pointer=p.pointer,
            )
        for p in params.removed:
            if op.inverted and not p.deprecated:
                continue  # judged by _callback_parameters
            if not op.inverted and (p.pointer in shifted or param_rules.sunset_ahead(ctx, p)):
                continue  # moved, or removed before its sunset: rules/openapi/parameters.py
            if p.deprecated:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-removed-with-deprecation",
                    f"deprecated {_param(p)} removed",
                    side=SideName.BASE,
                    pointer=p.pointer,
                )
            else:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-removed",
                    f"{_param(p)} removed (the server may now reject or ignore it)",
                    side=SideName.BASE,
                    pointer=p.pointer,
                )
        for pd in params.changed:
            old, new = pd.base, pd.revision
            at = (new.pointer, old.pointer)
            if op.inverted:
                pass  # required flips: judged by _callback_parameters
            elif not old.required and new.required:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-became-required",
                    f"{_param(new)} became required",
                    at=at,
                )
            elif old.required and not new.required:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-became-optional",
                    f"{_param(new)} became optional",
                    at=at,
                )
            if not old.deprecated and new.deprecated:
                yield _f(ctx, diff, "request-parameter-deprecated", f"{_param(new)} deprecated", at=at)
            if old.deprecated and not new.deprecated:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-reactivated",
                    f"{_param(new)} no longer deprecated",
                    at=at,
                )
            scalar = _scalar(ctx, SideName.BASE, old.schema) and _scalar(ctx, SideName.REVISION, new.schema)
            if old.style != new.style and not (scalar and new.location != "path"):
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-style-changed",
                    f"{_param(new)} serialisation style changed from {old.style} to {new.style}",
                    at=at,
                )
            if old.explode != new.explode and not scalar:  # explode only splits arrays and objects
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-explode-changed",
                    f"{_param(new)} explode changed from {str(old.explode).lower()} to {str(new.explode).lower()}",
                    at=at,
                )
            reserved = change(pd.changes, "allowReserved")
            if reserved is not None:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-allow-reserved-changed",
                    f"{_param(new)} allowReserved changed",
                    at=at,
                )
            empty = change(pd.changes, "allowEmptyValue")
            if empty is not None and empty.base is True and not op.inverted:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-allow-empty-value-removed",
                    f"{_param(new)} no longer allows an empty value",
                    at=at,
                )
            described = change(pd.changes, "description")
            if described is not None:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-description-changed",
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
                    f"{_param(new)} is now described by {now} instead of {was} (its serialisation changes)",
                    at=at,
                )
            elif change(pd.changes, "schema") is not None:
                yield _f(
                    ctx,
                    diff,
                    "request-parameter-schema-changed",
                    f"{_param(new)} {'lost' if new.schema is None else 'gained'} its schema; apigov compares only schemas",
                    at=at,
                )
            if pd.schema is not None:
                context = _CONTEXT[
                    "request-parameter" if op.direction("request") == "request" else "response-header"
                ]
                wires = None if _content_param(new) or _content_param(old) else (_wire(old), _wire(new))
                site = SchemaSite(context, pd.schema, diff.revision, _param(new), wire=wires)
                yield from schema_findings(ctx, site)


# --- request bodies -------------------------------------------------------------------------------


def request_bodies(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _request_bodies(ctx))


def _request_bodies(ctx: CheckContext) -> Iterator[Finding]:
    for op in _ops(ctx):
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
            yield _f(ctx, diff, rule_id, text, pointer=body.revision.pointer)
        elif body.revision is None and body.base is not None:
            yield _f(
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
            yield _f(
                ctx,
                diff,
                "request-body-became-required",
                "request body became required",
                at=at,
            )
        if not op.inverted and body.base.required and not body.revision.required:
            yield _f(ctx, diff, "request-body-became-optional", "request body became optional", at=at)
        if change(body.changes, "description") is not None:
            yield _f(
                ctx,
                diff,
                "request-body-description-changed",
                "request body description changed",
                at=at,
            )
        yield from _content(
            ctx, diff, body.content, "request", _context(op, "request"), "request body", op.inverted
        )


# --- callbacks and webhooks: the API sends the request, the consumer's server reads it ------------


def _sender(diff: OperationDiff) -> str:
    """``callback`` or ``webhook``: what kind of operation the API itself calls."""
    return "callback" if diff.revision.group else "webhook"


def _request_note(kind: str) -> str:
    return f"in a {kind} the API sends the request and your server receives it"


def _response_note(kind: str) -> str:
    return f"in a {kind} your server sends the response and the API reads it"


def _callback_parameters(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """A callback's or webhook's parameters are what the consumer's server receives: one it relied on may
    go away or become optional; a new one, or one that is now always sent, harms nobody."""
    kind = _sender(diff)
    params = diff.parameters
    for p in params.added:
        yield _f(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "request-parameter-added")],
            f"{kind} request {_param(p)} added",
            direction=_request_note(kind),
            pointer=p.pointer,
        )
    for p in params.removed:
        if p.deprecated:
            continue  # request-parameter-removed-with-deprecation: it was announced
        rule_id = (
            SENT_BY_API_IDS[(kind, "request-required-parameter-removed")]
            if p.required
            else SENT_BY_API_IDS[(kind, "request-optional-parameter-removed")]
        )
        yield _f(
            ctx,
            diff,
            rule_id,
            f"{kind} request {'required' if p.required else 'optional'} {_param(p)} no longer sent",
            direction=_request_note(kind),
            side=SideName.BASE,
            pointer=p.pointer,
        )
    for pd in params.changed:
        old, new = pd.base, pd.revision
        if old.required == new.required:
            continue
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, "request-parameter-became-optional")], "may now be left out")
            if old.required
            else (SENT_BY_API_IDS[(kind, "request-parameter-became-required")], "is now always sent")
        )
        yield _f(
            ctx,
            diff,
            rule_id,
            f"{kind} request {_param(new)} {text}",
            direction=_request_note(kind),
            at=(new.pointer, old.pointer),
        )


def _callback_body(ctx: CheckContext, diff: OperationDiff, body: BodyDiff) -> Iterator[Finding]:
    """A callback's or webhook's request body is what the consumer's server receives."""
    kind = _sender(diff)
    old, new = body.base, body.revision
    if old is None and new is not None:
        yield _f(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "request-body-added")],
            f"{kind} request body added",
            direction=_request_note(kind),
            pointer=new.pointer,
        )
    elif new is None and old is not None:
        yield _f(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "request-body-removed")],
            f"{kind} request body no longer sent",
            direction=_request_note(kind),
            side=SideName.BASE,
            pointer=old.pointer,
        )
    elif old is not None and new is not None and old.required != new.required:
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, "request-body-became-optional")], "may now be left out")
            if old.required
            else (SENT_BY_API_IDS[(kind, "request-body-became-required")], "is now always sent")
        )
        yield _f(
            ctx,
            diff,
            rule_id,
            f"{kind} request body {text}",
            direction=_request_note(kind),
            at=(new.pointer, old.pointer),
        )


def _content(
    ctx: CheckContext,
    diff: OperationDiff,
    content: Matches[MediaSide, MediaDiff],
    part: str,
    context: Context,
    label: str,
    inverted: bool = False,
) -> Iterator[Finding]:
    """``inverted``: the content of a callback's or webhook's request, which the consumer's server reads
    (a media type removed harms nobody; one added may not be understood, there is no Accept)."""
    callback = inverted and part == "request"
    kind = _sender(diff)
    for media in content.removed:
        if callback:
            rule_id = SENT_BY_API_IDS[(kind, "request-body-media-type-removed")]
        else:
            rule_id = (
                "response-media-type-removed" if part == "response" else "request-body-media-type-removed"
            )
        yield _f(
            ctx,
            diff,
            rule_id,
            f"{kind + ' ' if callback else ''}{label} media type {media.name} removed",
            side=SideName.BASE,
            pointer=media.pointer,
        )
    for media in content.added:
        if callback:
            yield _f(
                ctx,
                diff,
                SENT_BY_API_IDS[(kind, "request-body-media-type-added")],
                f"{kind} {label} media type {media.name} added",
                pointer=media.pointer,
                direction=f"{_request_note(kind)}; it may not understand this type",
            )
            continue
        rule_id = "response-media-type-added" if part == "response" else "request-body-media-type-added"
        yield _f(ctx, diff, rule_id, f"{label} media type {media.name} added", pointer=media.pointer)
    for md in content.changed:
        at = (md.revision.pointer, md.base.pointer)
        if md.base.name != md.revision.name:
            shift = media_names.specificity(md.base.name, md.revision.name)
            rule_id = PLACE_IDS[(context.root_prefix, f"media-type-name-{shift or 'changed'}")]
            text = "now written" if shift is None else f"{shift.replace('z', 's')} to"
            yield _f(
                ctx,
                diff,
                rule_id,
                f"{label} media type {md.base.name} {text} {md.revision.name}",
                at=at,
            )
        if md.form:
            yield from _form_fields(ctx, diff, md, f"{label} ({md.revision.name})")
        elif (md.base.schema is None) != (md.revision.schema is None):
            gained = md.base.schema is None
            rule_id = PLACE_IDS[(context.root_prefix, "schema-added" if gained else "schema-removed")]
            text = "now has a schema" if gained else "no longer has a schema"
            yield _f(ctx, diff, rule_id, f"{label} ({md.revision.name}) {text}", at=at)
        if md.schema is not None:
            name = md.revision.name
            site = SchemaSite(context, md.schema, diff.revision, f"{label} ({name})", media=name)
            yield from schema_findings(ctx, site)


_FORM_FIELD: Final = Context("request-body", "request", "request-property", "request-property", "form field")


def _form_fields(ctx: CheckContext, diff: OperationDiff, md: MediaDiff, label: str) -> Iterator[Finding]:
    """A form compared field by field (a Swagger 2.0 ``formData`` parameter is a form field, as
    in the 3.x form body it converts to): the property rules of request bodies."""
    for f in md.fields.added:
        rule_id = "new-required-request-property" if f.required else "new-optional-request-property"
        kind = "required" if f.required else "optional"
        yield _f(ctx, diff, rule_id, f"{label} field '{f.name}': added ({kind})", pointer=f.pointer)
    for f in md.fields.removed:
        yield _f(
            ctx,
            diff,
            "request-property-removed",
            f"{label} field '{f.name}': removed",
            side=SideName.BASE,
            pointer=f.pointer,
        )
    for fd in md.fields.changed:
        old, new = fd.base, fd.revision
        at = (new.pointer, old.pointer)
        if not old.required and new.required:
            yield _f(
                ctx,
                diff,
                "request-property-became-required",
                f"{label} field '{new.name}': became required",
                at=at,
            )
        if old.required and not new.required:
            yield _f(
                ctx,
                diff,
                "request-property-became-optional",
                f"{label} field '{new.name}': became optional",
                at=at,
            )
        if fd.schema is not None:
            site = SchemaSite(_FORM_FIELD, fd.schema, diff.revision, f"{label} field '{new.name}'")
            yield from schema_findings(ctx, site)


# --- responses and headers ------------------------------------------------------------------------


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
