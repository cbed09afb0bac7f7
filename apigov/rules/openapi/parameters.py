"""Request parameters: moved to another location, default values, deprecation and sunset dates.

The rest of a parameter's rules (added, removed, required, style, its schema) are in
the parameter check below, which leaves to :func:`parameter_changes` the parameters that moved and those
removed before their sunset date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.diff.tree import (
    Matches,
    OperationDiff,
    ParameterDiff,
    ParameterSide,
)
from apigov.rules._walk import change, changed_operations, parse_date
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._message import (
    CONTEXT_BY_KEY,
    on_operation,
    operations_changed,
    param_label,
    param_wire,
    request_note,
    scalar_schema,
    sender_kind,
    written_with_content,
)
from apigov.rules.openapi._rows import REQ, B, I, W, row
from apigov.rules.openapi.ids import (
    REMOVED_BEFORE_SUNSET,
    SENT_BY_API_IDS,
    SUNSET_DELETED,
    SUNSET_PARSE,
)
from apigov.rules.openapi.operations import relax_unstable
from apigov.rules.openapi.schemas import SchemaSite, schema_findings
from apigov.rules.rule import Area, Direction, Rule, rule_doc

#: the ids this module's checks emit, declared in its rows below
REQUEST_PARAMETER_REMOVED: Final = "request-parameter-removed"
REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION: Final = "request-parameter-removed-with-deprecation"
REQUEST_PARAMETER_BECAME_REQUIRED: Final = "request-parameter-became-required"
REQUEST_PARAMETER_BECAME_OPTIONAL: Final = "request-parameter-became-optional"
REQUEST_PARAMETER_DEPRECATED: Final = "request-parameter-deprecated"
REQUEST_PARAMETER_REACTIVATED: Final = "request-parameter-reactivated"
REQUEST_PARAMETER_STYLE_CHANGED: Final = "request-parameter-style-changed"
REQUEST_PARAMETER_EXPLODE_CHANGED: Final = "request-parameter-explode-changed"
REQUEST_PARAMETER_ALLOW_RESERVED_CHANGED: Final = "request-parameter-allow-reserved-changed"
REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_REMOVED: Final = "request-parameter-allow-empty-value-removed"
REQUEST_PARAMETER_DESCRIPTION_CHANGED: Final = "request-parameter-description-changed"
REQUEST_PARAMETER_SCHEMA_CHANGED: Final = "request-parameter-schema-changed"

#: the suffixes of the sunset family, for parameters here and for properties (rules/openapi/schemas.py)
LOCATION_CHANGED: Final = "request-parameter-location-changed"
DEFAULT_ADDED: Final = "request-parameter-default-value-added"
DEFAULT_CHANGED: Final = "request-parameter-default-value-changed"
DEFAULT_REMOVED: Final = "request-parameter-default-value-removed"
PARAMETER_SUNSET_PARSE: Final = "request-parameter-sunset-parse"
PARAMETER_REMOVED_BEFORE_SUNSET: Final = "request-parameter-removed-before-sunset"
PARAMETER_SUNSET_DELETED: Final = "request-parameter-sunset-deleted"

_MOVABLE: Final = frozenset({"query", "header", "cookie"})


def moved(params: Matches[ParameterSide, ParameterDiff]) -> list[tuple[ParameterSide, ParameterSide]]:
    """(removed, added) pairs of one name in two locations (query, header, cookie): one parameter
    that moved (header names ignore case)."""
    pairs = []
    taken: set[str] = set()
    for old in params.removed:
        if old.location not in _MOVABLE:
            continue
        for new in params.added:
            if (
                new.location in _MOVABLE
                and new.location != old.location
                and new.pointer not in taken
                and new.name.lower() == old.name.lower()
            ):
                pairs.append((old, new))
                taken.add(new.pointer)
                break
    return pairs


def _where(p: ParameterSide) -> str:
    return f"{p.location} parameter '{p.name}'"


def _own(ctx: CheckContext, side: SideName, pointer: str | None, keyword: str) -> JSONValue:
    """``keyword`` of the node at ``pointer``, through ``$ref``."""
    node = None if pointer is None else ctx.node(side, pointer)
    for _ in range(8):
        if isinstance(node, dict) and keyword in node:
            return node[keyword]
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            return None
        node = ctx.node(side, jsonptr.from_fragment(ref[1:]))
    return None


def sunset_ahead(ctx: CheckContext, p: ParameterSide) -> bool:
    """Whether a base parameter carries an ``x-sunset`` date still to come."""
    sunset = parse_date(_own(ctx, SideName.BASE, p.pointer, "x-sunset"))
    return sunset is not None and sunset > ctx.options.today


def parameter_changes(ctx: CheckContext) -> Iterator[Finding]:
    findings = (f for op in changed_operations(ctx.tree.operations) for f in _changes(ctx, op.diff))
    return relax_unstable(ctx, findings)


def _changes(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    params = diff.parameters
    for old, new in moved(params):
        yield ctx.finding(
            LOCATION_CHANGED,
            f"{_where(old)} moved to the {new.location} (clients still send it in the {old.location})",
            side=SideName.REVISION,
            pointer=new.pointer,
            operation=diff.revision,
            base_pointer=old.pointer,
        )
    gone = {old.pointer for old, _ in moved(params)}
    for p in params.removed:
        if p.pointer not in gone and sunset_ahead(ctx, p):
            sunset = parse_date(_own(ctx, SideName.BASE, p.pointer, "x-sunset"))
            assert sunset is not None
            yield ctx.finding(
                PARAMETER_REMOVED_BEFORE_SUNSET,
                f"{_where(p)} removed before its sunset date {sunset.isoformat()}",
                side=SideName.BASE,
                pointer=p.pointer,
                operation=diff.revision,
                sunset=sunset.isoformat(),
            )
    for pd in params.changed:
        yield from _changed(ctx, diff, pd)


def _changed(ctx: CheckContext, diff: OperationDiff, pd: ParameterDiff) -> Iterator[Finding]:
    old, new = pd.base, pd.revision

    def found(rule_id: str, text: str) -> Finding:
        return ctx.finding(
            rule_id,
            text,
            side=SideName.REVISION,
            pointer=new.pointer,
            operation=diff.revision,
            base_pointer=old.pointer,
        )

    was = now = None  # schemas written the same (no pair) have the same default
    if pd.schema is not None:
        was = _own(ctx, SideName.BASE, old.schema, "default")
        now = _own(ctx, SideName.REVISION, new.schema, "default")
    if was != now:
        if was is None:
            yield found(DEFAULT_ADDED, f"{_where(new)} got the default value {_shown(now)}")
        elif now is None:
            yield found(DEFAULT_REMOVED, f"{_where(new)} lost its default value {_shown(was)}")
        else:
            text = f"{_where(new)} default value changed from {_shown(was)} to {_shown(now)}"
            yield found(DEFAULT_CHANGED, text)
    raw_old = _own(ctx, SideName.BASE, old.pointer, "x-sunset")
    raw_new = _own(ctx, SideName.REVISION, new.pointer, "x-sunset")
    if raw_old == raw_new:
        return
    if raw_new is not None and parse_date(raw_new) is None:
        text = f"{_where(new)} x-sunset {raw_new!r} is not an RFC 3339 date"
        yield found(PARAMETER_SUNSET_PARSE, text)
    elif raw_new is None and new.deprecated:
        text = f"x-sunset removed from the deprecated {_where(new)}"
        yield found(PARAMETER_SUNSET_DELETED, text)


def _shown(value: JSONValue) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _rule(
    rule_id: str,
    level: Level,
    summary: str,
    why: str,
    example: str,
    evolve: str,
    related: tuple[str, ...] = (),
    oasdiff: bool = True,
) -> Rule:
    return Rule(
        id=rule_id,
        level=level,
        area=Area.PARAMETERS,
        direction=Direction.REQUEST,
        summary=summary,
        check=parameter_changes,
        doc=rule_doc(summary, why, example, evolve, related),
        oasdiff_id=rule_id if oasdiff else None,
    )


#: the catalogue rows of :func:`parameter_changes` (moved, defaults, sunset)
CHANGE_RULES: Final = (
    _rule(
        LOCATION_CHANGED,
        Level.BREAKING,
        "A request parameter moved to another location (query, header or cookie) under the same name.",
        "Old clients still send it where it was: the server no longer reads it there, so a required "
        "parameter is missing and an optional one is silently ignored.",
        "base:     parameters: [{name: tenant, in: query}]\nrevision: parameters: [{name: tenant, in: header}]",
        "Accept it in both places for a while (two parameters, the old one deprecated), then remove the old one.",
        (REQUEST_PARAMETER_REMOVED, "new-required-request-parameter"),
        oasdiff=False,
    ),
    _rule(
        DEFAULT_ADDED,
        Level.INFO,
        "A request parameter got a default value.",
        "Nothing breaks: clients that leave it out now get a defined value.",
        "base:     {name: limit, in: query, schema: {type: integer}}\nrevision: {name: limit, in: query, schema: {type: integer, default: 20}}",
        "Nothing to do.",
        ("request-property-default-value-added",),
    ),
    _rule(
        DEFAULT_CHANGED,
        Level.WARNING,
        "A request parameter has another default value.",
        "Clients that leave it out silently get another behaviour (another page size, sort order, filter).",
        "base:     {name: limit, in: query, schema: {type: integer, default: 20}}\nrevision: {name: limit, in: query, schema: {type: integer, default: 50}}",
        "Keep defaults; clients rely on them without writing them down.",
        ("request-property-default-value-changed",),
    ),
    _rule(
        DEFAULT_REMOVED,
        Level.WARNING,
        "A request parameter lost its default value.",
        "Clients that leave it out no longer know what the server assumes.",
        "base:     {name: limit, in: query, schema: {type: integer, default: 20}}\nrevision: {name: limit, in: query, schema: {type: integer}}",
        "Keep the default.",
        ("request-property-default-value-removed",),
    ),
    _rule(
        PARAMETER_SUNSET_PARSE,
        Level.BREAKING,
        "A request parameter's `x-sunset` is not an RFC 3339 date.",
        "Clients and gateways cannot tell until when the parameter stays.",
        "revision: {name: q, in: query, deprecated: true, x-sunset: next spring}",
        "Write the date as `2027-03-31`.",
        ("api-deprecated-sunset-parse",),
    ),
    _rule(
        PARAMETER_REMOVED_BEFORE_SUNSET,
        Level.BREAKING,
        "A request parameter was removed before its `x-sunset` date.",
        "Clients were promised the parameter until that date and still send it.",
        "base:     {name: q, in: query, deprecated: true, x-sunset: '2099-01-31'}\nrevision: (parameter removed)",
        "Remove it after the sunset date.",
        ("api-removed-before-sunset", REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION),
    ),
    _rule(
        PARAMETER_SUNSET_DELETED,
        Level.BREAKING,
        "The `x-sunset` date of a deprecated request parameter was removed.",
        "Clients lose the date they planned their migration by.",
        "base:     {name: q, in: query, deprecated: true, x-sunset: '2027-03-31'}\nrevision: {name: q, in: query, deprecated: true}",
        "Keep the date, or move it later.",
        ("api-sunset-deleted",),
    ),
)


#: (place, what the sunset promised): the property rows of the sunset family (checks: messages)
PROPERTY_SUNSET: Final = (
    (
        SUNSET_PARSE,
        "A {noun}'s `x-sunset` is not an RFC 3339 date.",
        "Clients cannot tell until when the property stays.",
        "revision: {{properties: {{nickname: {{type: string, deprecated: true, x-sunset: soon}}}}}}",
        "Write the date as `2027-03-31`.",
    ),
    (
        REMOVED_BEFORE_SUNSET,
        "A {noun} was removed before its `x-sunset` date.",
        "Clients were promised the property until that date: {why}",
        "base:     {{properties: {{nickname: {{type: string, deprecated: true, x-sunset: '2099-01-31'}}}}}}\n"
        "revision: {{properties: {{}}}}",
        "Remove it after the sunset date.",
    ),
    (
        SUNSET_DELETED,
        "The `x-sunset` date of a deprecated {noun} was removed.",
        "Clients lose the date they planned their migration by.",
        "base:     {{nickname: {{deprecated: true, x-sunset: '2027-03-31'}}}}\nrevision: {{nickname: {{deprecated: true}}}}",
        "Keep the date, or move it later.",
    ),
)


# --- the parameters of an operation (added, removed, required, style, schema) -----------------------

NEW_PATH_PARAMETER: Final = "new-request-path-parameter"
NEW_REQUIRED_PARAMETER: Final = "new-required-request-parameter"
NEW_OPTIONAL_PARAMETER: Final = "new-optional-request-parameter"


def parameters(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _parameters(ctx))


def _parameters(ctx: CheckContext) -> Iterator[Finding]:
    for op in operations_changed(ctx):
        diff = op.diff
        params = diff.parameters
        if op.inverted:
            yield from _callback_parameters(ctx, diff)
        shifted = {q.pointer for pair in moved(params) for q in pair}  # judged there
        for p in () if op.inverted else params.added:
            if p.pointer in shifted:
                continue
            if p.location == "path":
                rule_id = NEW_PATH_PARAMETER
            elif p.required:
                rule_id = NEW_REQUIRED_PARAMETER
            else:
                rule_id = NEW_OPTIONAL_PARAMETER
            yield on_operation(
                ctx,
                diff,
                rule_id,
                f"new {'required ' if p.required else 'optional '}{param_label(p)}",
                pointer=p.pointer,
            )
        for p in params.removed:
            if op.inverted and not p.deprecated:
                continue  # judged by _callback_parameters
            if not op.inverted and (p.pointer in shifted or sunset_ahead(ctx, p)):
                continue  # moved, or removed before its sunset: rules/openapi/parameters.py
            if p.deprecated:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,
                    f"deprecated {param_label(p)} removed",
                    side=SideName.BASE,
                    pointer=p.pointer,
                )
            else:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_REMOVED,
                    f"{param_label(p)} removed (the server may now reject or ignore it)",
                    side=SideName.BASE,
                    pointer=p.pointer,
                )
        for pd in params.changed:
            old, new = pd.base, pd.revision
            at = (new.pointer, old.pointer)
            if op.inverted:
                pass  # required flips: judged by _callback_parameters
            elif not old.required and new.required:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_BECAME_REQUIRED,
                    f"{param_label(new)} became required",
                    at=at,
                )
            elif old.required and not new.required:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_BECAME_OPTIONAL,
                    f"{param_label(new)} became optional",
                    at=at,
                )
            if not old.deprecated and new.deprecated:
                yield on_operation(
                    ctx, diff, REQUEST_PARAMETER_DEPRECATED, f"{param_label(new)} deprecated", at=at
                )
            if old.deprecated and not new.deprecated:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_REACTIVATED,
                    f"{param_label(new)} no longer deprecated",
                    at=at,
                )
            scalar = scalar_schema(ctx, SideName.BASE, old.schema) and scalar_schema(
                ctx, SideName.REVISION, new.schema
            )
            if old.style != new.style and not (scalar and new.location != "path"):
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_STYLE_CHANGED,
                    f"{param_label(new)} serialisation style changed from {old.style} to {new.style}",
                    at=at,
                )
            if old.explode != new.explode and not scalar:  # explode only splits arrays and objects
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_EXPLODE_CHANGED,
                    f"{param_label(new)} explode changed from {str(old.explode).lower()} to {str(new.explode).lower()}",
                    at=at,
                )
            reserved = change(pd.changes, "allowReserved")
            if reserved is not None:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_ALLOW_RESERVED_CHANGED,
                    f"{param_label(new)} allowReserved changed",
                    at=at,
                )
            empty = change(pd.changes, "allowEmptyValue")
            if empty is not None and empty.base is True and not op.inverted:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_REMOVED,
                    f"{param_label(new)} no longer allows an empty value",
                    at=at,
                )
            described = change(pd.changes, "description")
            if described is not None:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_DESCRIPTION_CHANGED,
                    f"{param_label(new)} description changed",
                    at=at,
                )
            content = change(pd.changes, "content")
            if content is not None:
                was = f"content {content.base}" if content.base is not None else "schema"
                now = f"content {content.revision}" if content.revision is not None else "schema"
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_SCHEMA_CHANGED,
                    f"{param_label(new)} is now described by {now} instead of {was} (its serialisation changes)",
                    at=at,
                )
            elif change(pd.changes, "schema") is not None:
                yield on_operation(
                    ctx,
                    diff,
                    REQUEST_PARAMETER_SCHEMA_CHANGED,
                    f"{param_label(new)} {'lost' if new.schema is None else 'gained'} its schema; apigov compares only schemas",
                    at=at,
                )
            if pd.schema is not None:
                context = CONTEXT_BY_KEY[
                    "request-parameter" if op.direction("request") == "request" else "response-header"
                ]
                wires = (
                    None
                    if written_with_content(new) or written_with_content(old)
                    else (param_wire(old), param_wire(new))
                )
                site = SchemaSite(context, pd.schema, diff.revision, param_label(new), wire=wires)
                yield from schema_findings(ctx, site)


def _callback_parameters(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """A callback's or webhook's parameters are what the consumer's server receives: one it relied on may
    go away or become optional; a new one, or one that is now always sent, harms nobody."""
    kind = sender_kind(diff)
    params = diff.parameters
    for p in params.added:
        yield on_operation(
            ctx,
            diff,
            SENT_BY_API_IDS[(kind, "request-parameter-added")],
            f"{kind} request {param_label(p)} added",
            direction=request_note(kind),
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
        yield on_operation(
            ctx,
            diff,
            rule_id,
            f"{kind} request {'required' if p.required else 'optional'} {param_label(p)} no longer sent",
            direction=request_note(kind),
            side=SideName.BASE,
            pointer=p.pointer,
        )
    for pd in params.changed:
        old, new = pd.base, pd.revision
        if old.required == new.required:
            continue
        rule_id, text = (
            (SENT_BY_API_IDS[(kind, REQUEST_PARAMETER_BECAME_OPTIONAL)], "may now be left out")
            if old.required
            else (SENT_BY_API_IDS[(kind, REQUEST_PARAMETER_BECAME_REQUIRED)], "is now always sent")
        )
        yield on_operation(
            ctx,
            diff,
            rule_id,
            f"{kind} request {param_label(new)} {text}",
            direction=request_note(kind),
            at=(new.pointer, old.pointer),
        )


#: the catalogue rows of parameters added, removed and changed (the rows of :func:`parameter_changes` follow)
RULES: Final[tuple[Rule, ...]] = (
    row(
        "new-required-request-parameter",
        B,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A new required parameter was added.",
        "Existing clients do not send it: the server rejects their requests.",
        "revision: parameters: [{name: tenant, in: header, required: true}]",
        "Add it as optional with a server-side default.",
        ("new-optional-request-parameter",),
    ),
    row(
        "new-request-path-parameter",
        B,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A new path parameter was added.",
        "The URL shape changed: existing clients call a URL that no longer matches.",
        "base: /pets\nrevision: /pets/{kind}",
        "Add a new path and keep the old one.",
    ),
    row(
        "new-optional-request-parameter",
        I,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A new optional parameter was added.",
        "Nothing breaks.",
        "revision: parameters: [{name: limit, in: query}]",
        "Nothing to do.",
    ),
    row(
        REQUEST_PARAMETER_REMOVED,
        W,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter was removed.",
        "Clients still send it; the server may now reject it or silently ignore it.",
        "base: parameters: [{name: limit, in: query}]\nrevision: parameters: []",
        "Deprecate the parameter first and keep accepting it.",
        (REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,),
    ),
    row(
        REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION,
        I,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A deprecated parameter was removed.",
        "It was announced.",
        "base: [{name: limit, in: query, deprecated: true}]\nrevision: []",
        "Nothing to do.",
    ),
    row(
        REQUEST_PARAMETER_BECAME_REQUIRED,
        B,
        Area.PARAMETERS,
        REQ,
        parameters,
        "An optional parameter became required.",
        "Clients that omit it are rejected.",
        "base: {name: limit, in: query}\nrevision: {name: limit, in: query, required: true}",
        "Keep it optional and default it on the server.",
    ),
    row(
        REQUEST_PARAMETER_BECAME_OPTIONAL,
        I,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A required parameter became optional.",
        "Nothing breaks.",
        "base: {required: true}\nrevision: {required: false}",
        "Nothing to do.",
    ),
    row(
        REQUEST_PARAMETER_DEPRECATED,
        I,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter was deprecated.",
        "Nothing breaks yet.",
        "revision: {name: limit, in: query, deprecated: true}",
        "Tell clients what to use instead.",
    ),
    row(
        REQUEST_PARAMETER_REACTIVATED,
        I,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter is no longer deprecated.",
        "Nothing breaks.",
        "base: {deprecated: true}\nrevision: {}",
        "Nothing to do.",
    ),
    row(
        REQUEST_PARAMETER_STYLE_CHANGED,
        B,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter's serialisation style changed.",
        "Clients keep serialising the old way (e.g. `a,b` instead of `a|b`); the server misreads them. "
        "Not reported for a primitive outside the path, which every style writes the same way.",
        "base: {style: form}\nrevision: {style: pipeDelimited}",
        "Keep the style; add a new parameter for a new format.",
    ),
    row(
        REQUEST_PARAMETER_EXPLODE_CHANGED,
        B,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter's `explode` changed.",
        "`?id=1&id=2` and `?id=1,2` are different wire formats. Not reported for a primitive "
        "(string, number, boolean), which `explode` does not change.",
        "base: {explode: true}\nrevision: {explode: false}",
        "Keep `explode` as it is.",
    ),
    row(
        REQUEST_PARAMETER_ALLOW_RESERVED_CHANGED,
        W,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter's `allowReserved` changed.",
        "Clients encode reserved characters differently than the server expects.",
        "base: {allowReserved: true}\nrevision: {}",
        "Keep it as it is.",
    ),
    row(
        REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_REMOVED,
        B,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter no longer allows an empty value.",
        "Clients sending `?flag=` are rejected. Not reported in callbacks and webhooks, where the "
        "API sends the parameter and sending fewer empty values harms nobody.",
        "base: {allowEmptyValue: true}\nrevision: {}",
        "Keep accepting empty values.",
    ),
    row(
        REQUEST_PARAMETER_DESCRIPTION_CHANGED,
        I,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    row(
        REQUEST_PARAMETER_SCHEMA_CHANGED,
        W,
        Area.PARAMETERS,
        REQ,
        parameters,
        "A parameter moved between `schema` and `content` (or to another `content` media type), or lost or gained its schema.",
        "The value is serialised differently (a JSON text instead of the `style` form, say), so old clients send what the server no longer parses. The schemas themselves are still compared.",
        "base: {schema: {type: string}}\nrevision: {content: {application/json: {schema: ...}}}",
        "Keep the parameter's form.",
    ),
)
