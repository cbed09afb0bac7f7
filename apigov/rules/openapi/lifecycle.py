"""An operation's lifecycle: deprecation, sunset dates, stability levels, operationId, tags and
path parameter names (what generated clients name)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Unpack

from apigov.core import naming
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Notes
from apigov.diff.tree import OperationDiff
from apigov.rules._walk import change, changed_operations, parse_date
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._rows import NONE, REQ, B, I, row
from apigov.rules.openapi.operations import STABILITY, _known, _sunset, relax_unstable
from apigov.rules.rule import Area, Judged, Rule

#: the ids this module's checks emit, declared in its rows below
ENDPOINT_DEPRECATED: Final = "endpoint-deprecated"
ENDPOINT_REACTIVATED: Final = "endpoint-reactivated"
API_DEPRECATED_SUNSET_MISSING: Final = "api-deprecated-sunset-missing"
API_DEPRECATED_SUNSET_PARSE: Final = "api-deprecated-sunset-parse"
API_SUNSET_DELETED: Final = "api-sunset-deleted"
API_SUNSET_DATE_CHANGED_TOO_SMALL: Final = "api-sunset-date-changed-too-small"
API_SUNSET_DATE_CHANGED: Final = "api-sunset-date-changed"
API_STABILITY_DECREASED: Final = "api-stability-decreased"
API_STABILITY_INCREASED: Final = "api-stability-increased"
API_INVALID_STABILITY_LEVEL: Final = "api-invalid-stability-level"
API_OPERATION_ID_REMOVED: Final = "api-operation-id-removed"
API_OPERATION_ID_ADDED: Final = "api-operation-id-added"
API_TAG_REMOVED: Final = "api-tag-removed"
API_TAG_ADDED: Final = "api-tag-added"
REQUEST_PATH_PARAMETER_RENAMED: Final = "request-path-parameter-renamed"
API_OPERATION_SUMMARY_CHANGED: Final = "api-operation-summary-changed"
API_OPERATION_DESCRIPTION_CHANGED: Final = "api-operation-description-changed"
API_OPERATION_EXTENSION_CHANGED: Final = "api-operation-extension-changed"

_TEXT_CHANGED: Final = {
    "summary": API_OPERATION_SUMMARY_CHANGED,
    "description": API_OPERATION_DESCRIPTION_CHANGED,
}


def operation_lifecycle(ctx: CheckContext) -> Iterator[Finding]:
    """Deprecation, sunset dates, stability levels, operationId, tags and path parameter names."""
    findings = (
        finding
        for tree in (ctx.tree.operations, ctx.tree.webhooks)
        for op in changed_operations(tree)
        for finding in _lifecycle(ctx, op.diff)
    )
    yield from relax_unstable(ctx, findings)


def _lifecycle(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    for concern in _CONCERNS:
        yield from concern(ctx, diff)


def _deprecation(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """Deprecated, reactivated."""
    base, rev = diff.base, diff.revision
    if not base.deprecated and rev.deprecated:
        yield _on(
            ctx,
            diff,
            ENDPOINT_DEPRECATED,
            "operation deprecated",
        )
        sunset_raw = _sunset(ctx, SideName.REVISION, rev)
        if sunset_raw is None:
            yield _on(
                ctx,
                diff,
                API_DEPRECATED_SUNSET_MISSING,
                "deprecated without an x-sunset date telling clients until when it stays",
            )
    if base.deprecated and not rev.deprecated:
        yield _on(
            ctx,
            diff,
            ENDPOINT_REACTIVATED,
            "operation no longer deprecated",
        )


def _sunset_date(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """``x-sunset`` set, changed, removed, unparseable."""
    rev = diff.revision
    sunset = change(diff.changes, "x-sunset")
    if sunset is not None:
        old, new = parse_date(sunset.base), parse_date(sunset.revision)
        pointer = sunset.at.revision or rev.pointer
        if sunset.revision is not None and new is None:
            yield _on(
                ctx,
                diff,
                API_DEPRECATED_SUNSET_PARSE,
                f"x-sunset {sunset.revision!r} is not an RFC 3339 date",
                pointer=pointer,
            )
        elif sunset.revision is None and rev.deprecated:
            yield _on(
                ctx,
                diff,
                API_SUNSET_DELETED,
                "x-sunset removed from a deprecated operation",
                pointer=pointer,
            )
        elif old is not None and new is not None and new < old:
            yield _on(
                ctx,
                diff,
                API_SUNSET_DATE_CHANGED_TOO_SMALL,
                f"sunset date moved earlier, from {old} to {new}",
                pointer=pointer,
            )
        elif old is not None and new is not None and new > old:
            yield _on(
                ctx,
                diff,
                API_SUNSET_DATE_CHANGED,
                f"sunset date moved later, from {old} to {new}",
                pointer=pointer,
            )


def _stability(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """``x-stability-level`` decreased, increased, invalid."""
    rev = diff.revision
    stability = change(diff.changes, "x-stability-level")
    if stability is not None:
        pointer = stability.at.revision or rev.pointer
        new_level = stability.revision
        if new_level is not None and new_level not in STABILITY:
            yield _on(
                ctx,
                diff,
                API_INVALID_STABILITY_LEVEL,
                f"x-stability-level {new_level!r} is not one of {', '.join(STABILITY)}",
                pointer=pointer,
            )
        elif stability.base is not None and _known(stability.base) is None and new_level in STABILITY:
            # a base level no one defined (``ga``): flagged, and a decrease cannot be ruled out
            if new_level != "stable":
                yield ctx.finding(
                    API_STABILITY_DECREASED,
                    f"stability changed from {stability.base!r}, which is not one of "
                    f"{', '.join(STABILITY)}, to {new_level}: apigov cannot tell whether it decreased",
                    side=SideName.REVISION,
                    pointer=pointer or diff.revision.pointer,
                    operation=diff.revision,
                    base_pointer=diff.base.pointer,
                    judged=Judged.UNDECIDED,  # a decrease cannot be ruled out, nor shown
                    undecided=True,
                    undecided_why=f"the base x-stability-level {stability.base!r} is not a known level",
                )
        elif _known(stability.base) is not None and new_level in STABILITY:
            old_level = _known(stability.base)
            before, after = STABILITY.index(str(old_level)), STABILITY.index(str(new_level))
            read_as: Notes = {} if old_level == stability.base else {"base_level_read_as": str(old_level)}
            if after < before:
                yield _on(
                    ctx,
                    diff,
                    API_STABILITY_DECREASED,
                    f"stability decreased from {stability.base} to {new_level}",
                    pointer=pointer,
                    **read_as,
                )
            elif after > before:
                yield _on(
                    ctx,
                    diff,
                    API_STABILITY_INCREASED,
                    f"stability increased from {stability.base} to {new_level}",
                    pointer=pointer,
                )


def _operation_id(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """``operationId`` removed, added, changed (generated method names)."""
    base, rev = diff.base, diff.revision
    op_id = change(diff.changes, "operationId")
    if op_id is not None:
        pointer = op_id.at.revision or rev.pointer
        old_name = _method_name(op_id.base, base.method, base.path)
        new_name = _method_name(op_id.revision, rev.method, rev.path)
        same: Notes = {"same_client_name": new_name} if old_name == new_name else {}
        if op_id.base is not None:
            yield _on(
                ctx,
                diff,
                API_OPERATION_ID_REMOVED,
                f"operationId {op_id.base!r} removed"
                + (f" (now {op_id.revision!r})" if op_id.revision else ""),
                pointer=pointer,
                **same,
            )
        else:
            yield _on(
                ctx,
                diff,
                API_OPERATION_ID_ADDED,
                f"operationId {op_id.revision!r} added",
                pointer=pointer,
                **same,
            )


def _tags(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """Tags added and removed."""
    rev = diff.revision
    tags = change(diff.changes, "tags")
    if tags is not None:
        old_tags = set(tags.base) if isinstance(tags.base, list) else set()
        new_tags = set(tags.revision) if isinstance(tags.revision, list) else set()
        pointer = tags.at.revision or rev.pointer
        for tag in sorted(map(str, old_tags - new_tags)):
            yield _on(ctx, diff, API_TAG_REMOVED, f"tag {tag!r} removed", pointer=pointer)
        for tag in sorted(map(str, new_tags - old_tags)):
            yield _on(ctx, diff, API_TAG_ADDED, f"tag {tag!r} added", pointer=pointer)


def _path_parameter_names(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """Path parameters renamed (generated argument names)."""
    for rename in diff.renamed_path_parameters:
        old_arg, new_arg = _argument_names(rename.base), _argument_names(rename.revision)
        kept: Notes = {"same_client_name": new_arg[0]} if old_arg == new_arg else {}
        yield _on(
            ctx,
            diff,
            REQUEST_PATH_PARAMETER_RENAMED,
            f"path parameter {{{rename.base}}} renamed to {{{rename.revision}}} (same position, same URL)",
            **kept,
        )


def _texts(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """Summary and description."""
    rev = diff.revision
    for name in _TEXT_CHANGED:
        text = change(diff.changes, name)
        if text is not None:
            yield _on(
                ctx,
                diff,
                _TEXT_CHANGED[name],
                f"operation {name} changed",
                pointer=text.at.revision or rev.pointer,
            )


def _extensions(ctx: CheckContext, diff: OperationDiff) -> Iterator[Finding]:
    """``x-`` extensions."""
    rev = diff.revision
    for value in diff.changes:
        if value.field.startswith("x-") and value.field not in ("x-sunset", "x-stability-level"):
            yield _on(
                ctx,
                diff,
                API_OPERATION_EXTENSION_CHANGED,
                f"extension {value.field} {'added' if value.base is None else 'removed' if value.revision is None else 'changed'}",
                pointer=value.at.revision or rev.pointer,
            )


#: an operation's lifecycle, concern by concern, in the order they are reported
_CONCERNS: Final = (
    _deprecation,
    _sunset_date,
    _stability,
    _operation_id,
    _tags,
    _path_parameter_names,
    _texts,
    _extensions,
)


def _method_name(op_id: JSONValue, method: str, path: str) -> str:
    """The method name apigov's generated Python client gives an operation (the TypeScript one
    is its camelCase): after the operationId, else after the method and path."""
    if isinstance(op_id, str) and naming.snake(op_id):
        return naming.py_ident(op_id, fallback="operation")
    return naming.py_ident(f"{method} {path}", fallback="operation")


def _argument_names(name: str) -> tuple[str, str]:
    """The argument names apigov's generated clients (Python, TypeScript) give a parameter."""
    return naming.py_ident(name, fallback="param"), naming.ts_ident(name, fallback="param")


def _on(
    ctx: CheckContext,
    diff: OperationDiff,
    rule_id: str,
    message: str,
    pointer: str | None = None,
    **details: Unpack[Notes],
) -> Finding:
    """A finding on a changed operation, at ``pointer`` of the revision (default: the operation)."""
    return ctx.finding(
        rule_id,
        message,
        side=SideName.REVISION,
        pointer=pointer or diff.revision.pointer,
        operation=diff.revision,
        base_pointer=diff.base.pointer,
        judged=None,
        **details,
    )


#: the catalogue rows of an operation's lifecycle: deprecation, sunset, stability, names
RULES: Final[tuple[Rule, ...]] = (
    row(
        ENDPOINT_DEPRECATED,
        I,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "An operation was deprecated.",
        "Nothing breaks yet; clients should move away.",
        "revision: get: {deprecated: true}",
        "Add an `x-sunset` date so clients know until when.",
        (API_DEPRECATED_SUNSET_MISSING,),
    ),
    row(
        ENDPOINT_REACTIVATED,
        I,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "A deprecated operation is no longer deprecated.",
        "Nothing breaks.",
        "base: get: {deprecated: true}\nrevision: get: {}",
        "Nothing to do.",
    ),
    row(
        API_DEPRECATED_SUNSET_MISSING,
        I,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "An operation was deprecated without an `x-sunset` date.",
        "Clients cannot plan their migration without a date.",
        "revision: get: {deprecated: true}",
        "Add `x-sunset: 'YYYY-MM-DD'`.",
    ),
    row(
        API_DEPRECATED_SUNSET_PARSE,
        B,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "An `x-sunset` value is not an RFC 3339 date.",
        "Tools and clients cannot read when the operation goes away.",
        "revision: get: {x-sunset: next spring}",
        "Write the date as `YYYY-MM-DD` or an RFC 3339 date-time.",
    ),
    row(
        API_SUNSET_DELETED,
        B,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "The `x-sunset` date of a deprecated operation was removed.",
        "Clients lose the date they planned their migration on.",
        "base: get: {deprecated: true, x-sunset: '2099-01-01'}\nrevision: get: {deprecated: true}",
        "Keep the date, or move it later.",
    ),
    row(
        API_SUNSET_DATE_CHANGED_TOO_SMALL,
        B,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "The sunset date was moved earlier.",
        "Clients planned for the original date.",
        "base: x-sunset: '2099-06-01'\nrevision: x-sunset: '2099-01-01'",
        "Only ever move a sunset date later.",
    ),
    row(
        API_SUNSET_DATE_CHANGED,
        I,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "The sunset date was moved later.",
        "Nothing breaks: clients get more time.",
        "base: x-sunset: '2099-01-01'\nrevision: x-sunset: '2099-06-01'",
        "Nothing to do.",
    ),
    row(
        API_STABILITY_DECREASED,
        B,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "The `x-stability-level` of an operation went down (e.g. stable to beta).",
        "Clients relied on the stability promise. It is the one promise a draft or alpha operation "
        "makes: every other breaking or warning change on an operation whose base is `draft` or "
        "`alpha` is reported as info, saying why (details `stability` and `level_without_stability`; "
        "oasdiff's semantics, the NONE compatibility mode). Callbacks without their own level have "
        "their operation's. A base level spelled otherwise is read case-insensitively, `ga`, "
        "`general-availability`, `production` and `release` as `stable`; a base level apigov does not "
        "know (`production-ready`) changed to anything but `stable` is a warning saying it cannot tell "
        "whether it decreased (undecided), never a silent pass.",
        "base: x-stability-level: stable\nrevision: x-stability-level: beta",
        "Stability only goes up; publish a new operation instead.",
    ),
    row(
        API_STABILITY_INCREASED,
        I,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "The `x-stability-level` of an operation went up.",
        "Nothing breaks.",
        "base: x-stability-level: beta\nrevision: x-stability-level: stable",
        "Nothing to do.",
    ),
    row(
        API_INVALID_STABILITY_LEVEL,
        B,
        Area.LIFECYCLE,
        NONE,
        operation_lifecycle,
        "An `x-stability-level` is not one of draft, alpha, beta, stable.",
        "Its promise cannot be read.",
        "revision: x-stability-level: solid",
        "Use draft, alpha, beta or stable.",
    ),
    row(
        API_OPERATION_ID_REMOVED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "An operationId was removed or changed.",
        "Nothing changes on the wire. Generated SDKs name methods after it (apigov's clients: "
        "`get_pet` / `getPet`): their users' code stops compiling, so it is `breaking` under "
        "`--tier sdk`, unless the generated name stays the same (`getPet` -> `get_pet`; "
        "`details.same_client_name`) or the operation is draft or alpha.",
        "base: get: {operationId: getPet}\nrevision: get: {operationId: fetchPet}",
        "Keep operationIds stable; add a new operation under the new name and deprecate the old one.",
        sdk=B,
    ),
    row(
        API_OPERATION_ID_ADDED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "An operationId was added to an operation that had none.",
        "Nothing changes on the wire. A generated client named the method after the method and "
        "path (`get_pets_id`); it is now named after the operationId, so under `--tier sdk` "
        "calls to the old name stop compiling (`breaking`).",
        "base: get: {}\nrevision: get: {operationId: getPet}",
        "Give every operation an operationId in its first version.",
        sdk=B,
    ),
    row(
        API_TAG_REMOVED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "A tag was removed from an operation.",
        "Nothing changes on the wire. SDKs that group methods by tag move the method; apigov's "
        "generated clients put every method on one client class, so `--tier sdk` keeps it `info` "
        "(raise it in `diff.rules` when your generator groups by tag).",
        "base: tags: [pets]\nrevision: tags: []",
        "Nothing to do.",
    ),
    row(
        API_TAG_ADDED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "A tag was added to an operation.",
        "Nothing breaks (apigov's generated clients do not group methods by tag).",
        "revision: tags: [pets]",
        "Nothing to do.",
    ),
    row(
        REQUEST_PATH_PARAMETER_RENAMED,
        I,
        Area.PARAMETERS,
        REQ,
        operation_lifecycle,
        "A path parameter was renamed at the same position.",
        "Nothing breaks on the wire: the URL is the same. Generated clients take it as an argument "
        "named after it (`pet_id=` / `petId`): calls passing it by name stop working, so it is "
        "`breaking` under `--tier sdk` (not when both names give the same arguments, `petId` -> "
        "`pet_id`).",
        "base: /pets/{id}\nrevision: /pets/{petId}",
        "Keep path parameter names (the wire tier does not mind; SDK users do).",
        sdk=B,
    ),
    row(
        API_OPERATION_SUMMARY_CHANGED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "An operation's summary changed.",
        "Nothing breaks.",
        "base: summary: Get a pet\nrevision: summary: Fetch a pet",
        "Nothing to do.",
    ),
    row(
        API_OPERATION_DESCRIPTION_CHANGED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "An operation's description changed.",
        "Nothing breaks.",
        "base: description: a\nrevision: description: b",
        "Nothing to do.",
    ),
    row(
        API_OPERATION_EXTENSION_CHANGED,
        I,
        Area.PATHS,
        NONE,
        operation_lifecycle,
        "An `x-` extension of an operation was added, removed or changed.",
        "Nothing breaks for clients; gateways or tools reading the extension may behave differently.",
        "base: x-rate-limit: 10\nrevision: x-rate-limit: 5",
        "Check the tools that read the extension.",
    ),
)
