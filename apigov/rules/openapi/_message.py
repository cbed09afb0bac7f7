"""What parameters, request bodies and responses share: the changed operations (webhooks and
callbacks inverted), a finding on an operation, a schema's context, the content of a body."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Unpack

from apigov.core import jsonptr
from apigov.core.findings import Finding, Notes
from apigov.diff.tree import (
    HeaderSide,
    Matches,
    MediaDiff,
    MediaSide,
    OperationDiff,
    ParameterSide,
)
from apigov.rules._families import CONTEXTS, Context
from apigov.rules._walk import Op, changed_operations, operation_matches
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi import media as media_names
from apigov.rules.openapi.ids import PLACE_IDS, SENT_BY_API_IDS
from apigov.rules.openapi.schemas import SchemaSite, schema_findings
from apigov.rules.openapi.wire import Wire
from apigov.rules.rule import Judged

CONTEXT_BY_KEY: Final = {c.key: c for c in CONTEXTS}


def operations_changed(ctx: CheckContext) -> Iterator[Op]:
    """Every changed operation; webhooks and callbacks, which the API itself calls, inverted."""
    yield from changed_operations(ctx.tree.operations)
    for matches, inverted in operation_matches(ctx.tree.webhooks, True):
        for diff in matches.changed:
            yield Op(diff, inverted)


def schema_context(op: Op, part: str) -> Context:
    """The schema context of a body or parameter, as the API's clients see it."""
    direction = op.direction(part)
    if part == "request":
        return CONTEXT_BY_KEY["request-body" if direction == "request" else "response-body"]
    return CONTEXT_BY_KEY["response-body" if direction == "response" else "request-body"]


def on_operation(
    ctx: CheckContext,
    diff: OperationDiff,
    rule_id: str,
    message: str,
    *,
    side: SideName = SideName.REVISION,
    pointer: str = "",
    at: tuple[str, str] | None = None,
    judged: Judged | None = None,
    **details: Unpack[Notes],
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


def param_label(p: ParameterSide) -> str:
    """``query parameter 'q'``; a parameter without ``in`` says so."""
    return f"{p.location} parameter '{p.name}'" if p.location else f"parameter '{p.name}' (without 'in')"


_SCALARS: Final = frozenset({"string", "integer", "number", "boolean", "null"})


def scalar_schema(ctx: CheckContext, side: SideName, pointer: str | None) -> bool:
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


def written_with_content(p: ParameterSide) -> bool:
    """A parameter written with ``content``: its value is a document of that media type."""
    return p.schema is not None and p.schema.startswith(p.pointer + "/content/")


def param_wire(p: ParameterSide) -> Wire:
    return Wire(p.name, p.location, p.style, p.explode, p.required)


def header_wire(h: HeaderSide) -> Wire:
    return Wire(h.name, "header", "simple", False, h.required)


def sender_kind(diff: OperationDiff) -> str:
    """``callback`` or ``webhook``: what kind of operation the API itself calls."""
    return "callback" if diff.revision.group else "webhook"


def request_note(kind: str) -> str:
    return f"in a {kind} the API sends the request and your server receives it"


def response_note(kind: str) -> str:
    return f"in a {kind} your server sends the response and the API reads it"


def judge_content(
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
    kind = sender_kind(diff)
    for media in content.removed:
        if callback:
            rule_id = SENT_BY_API_IDS[(kind, "request-body-media-type-removed")]
        else:
            rule_id = (
                "response-media-type-removed" if part == "response" else "request-body-media-type-removed"
            )
        yield on_operation(
            ctx,
            diff,
            rule_id,
            f"{kind + ' ' if callback else ''}{label} media type {media.name} removed",
            side=SideName.BASE,
            pointer=media.pointer,
        )
    for media in content.added:
        if callback:
            yield on_operation(
                ctx,
                diff,
                SENT_BY_API_IDS[(kind, "request-body-media-type-added")],
                f"{kind} {label} media type {media.name} added",
                pointer=media.pointer,
                direction=f"{request_note(kind)}; it may not understand this type",
            )
            continue
        rule_id = "response-media-type-added" if part == "response" else "request-body-media-type-added"
        yield on_operation(
            ctx, diff, rule_id, f"{label} media type {media.name} added", pointer=media.pointer
        )
    for md in content.changed:
        at = (md.revision.pointer, md.base.pointer)
        if md.base.name != md.revision.name:
            shift = media_names.specificity(md.base.name, md.revision.name)
            rule_id = PLACE_IDS[(context.root_prefix, f"media-type-name-{shift or 'changed'}")]
            text = "now written" if shift is None else f"{shift.replace('z', 's')} to"
            yield on_operation(
                ctx,
                diff,
                rule_id,
                f"{label} media type {md.base.name} {text} {md.revision.name}",
                at=at,
            )
        if md.form:
            yield from form_fields(ctx, diff, md, f"{label} ({md.revision.name})")
        elif (md.base.schema is None) != (md.revision.schema is None):
            gained = md.base.schema is None
            rule_id = PLACE_IDS[(context.root_prefix, "schema-added" if gained else "schema-removed")]
            text = "now has a schema" if gained else "no longer has a schema"
            yield on_operation(ctx, diff, rule_id, f"{label} ({md.revision.name}) {text}", at=at)
        if md.schema is not None:
            name = md.revision.name
            site = SchemaSite(context, md.schema, diff.revision, f"{label} ({name})", media=name)
            yield from schema_findings(ctx, site)


_FORM_FIELD: Final = Context("request-body", "request", "request-property", "request-property", "form field")


def form_fields(ctx: CheckContext, diff: OperationDiff, md: MediaDiff, label: str) -> Iterator[Finding]:
    """A form compared field by field (a Swagger 2.0 ``formData`` parameter is a form field, as
    in the 3.x form body it converts to): the property rules of request bodies."""
    for f in md.fields.added:
        rule_id = "new-required-request-property" if f.required else "new-optional-request-property"
        kind = "required" if f.required else "optional"
        yield on_operation(ctx, diff, rule_id, f"{label} field '{f.name}': added ({kind})", pointer=f.pointer)
    for f in md.fields.removed:
        yield on_operation(
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
            yield on_operation(
                ctx,
                diff,
                "request-property-became-required",
                f"{label} field '{new.name}': became required",
                at=at,
            )
        if old.required and not new.required:
            yield on_operation(
                ctx,
                diff,
                "request-property-became-optional",
                f"{label} field '{new.name}': became optional",
                at=at,
            )
        if fd.schema is not None:
            site = SchemaSite(_FORM_FIELD, fd.schema, diff.revision, f"{label} field '{new.name}'")
            yield from schema_findings(ctx, site)
