"""Paths, operations, webhooks and callbacks: removed, added, deprecated, sunset, stability."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from types import MappingProxyType
from typing import Final

from apigov.core import jsonptr, naming
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.diff.normalise import METHODS, template_of
from apigov.diff.tree import Matches, OperationDiff, OperationSide
from apigov.rules._walk import change, changed_operations, node_at, operation_matches, parse_date
from apigov.rules.context import CheckContext, SideName, operation_label
from apigov.rules.rule import Judged

#: ids of a removed operation: (without deprecation, before its sunset, deprecated), for a whole path and for one operation
_PATH_REMOVED: Final = (
    "api-path-removed-without-deprecation",
    "api-path-removed-before-sunset",
    "api-path-removed-with-deprecation",
)
_OPERATION_REMOVED: Final = (
    "api-removed-without-deprecation",
    "api-removed-before-sunset",
    "api-removed-with-deprecation",
)
_TEXT_CHANGED: Final = {
    "summary": "api-operation-summary-changed",
    "description": "api-operation-description-changed",
}

STABILITY: Final = ("draft", "alpha", "beta", "stable")
UNSTABLE: Final = frozenset({"draft", "alpha"})
_MAX_CALLBACK_DEPTH: Final = 16
#: what stays at its level on a draft or alpha operation: its promise itself, and invalid values
_STABILITY_KEPT: Final = frozenset(
    {"api-stability-decreased", "api-invalid-stability-level", "api-deprecated-sunset-parse"}
)
#: info findings that ``--tier sdk`` raises: on a draft or alpha operation they say so instead
_CLIENT_NAMES: Final = frozenset(
    {"api-operation-id-removed", "api-operation-id-added", "request-path-parameter-renamed"}
)


def relax_unstable(ctx: CheckContext, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings on operations whose base is ``x-stability-level: draft`` or ``alpha`` (no
    compatibility promise, the NONE mode): breaking and warning become info, saying why."""
    unstable = _unstable_operations(ctx)
    for finding in findings:
        stability = unstable.get(finding.operation or "")
        if (
            stability is not None
            and finding.level in (Level.BREAKING, Level.WARNING)
            and finding.rule_id not in _STABILITY_KEPT
        ):
            details = {
                **finding.details,
                "stability": stability,
                "level_without_stability": finding.level.value,
            }
            finding = replace(  # the operation's stability, not the rule, decides: info
                finding,
                level=Level.INFO,
                message=f"{finding.message} (not breaking: the operation was {stability}, without a compatibility promise)",
                details=MappingProxyType(details),
            )
        elif stability is not None and finding.rule_id in _CLIENT_NAMES:
            finding = replace(finding, details=MappingProxyType({**finding.details, "stability": stability}))
        yield finding


_ALIASES: Final = {
    "ga": "stable",
    "general-availability": "stable",
    "production": "stable",
    "release": "stable",
}
"""Spellings of a level seen in real specs, read as that level (case aside)."""


def _known(level: JSONValue) -> str | None:
    """The level of ``x-stability-level`` (``GA`` is ``stable``), or ``None`` for none known."""
    if not isinstance(level, str):
        return None
    text = level.strip().lower()
    return text if text in STABILITY else _ALIASES.get(text)


def _unstable_operations(ctx: CheckContext) -> dict[str, str]:
    """Operation label -> base stability, for the operations whose base is draft or alpha (a
    callback without its own level has its operation's)."""
    found: dict[str, str] = {}

    def visit(matches: Matches[OperationSide, OperationDiff], inherited: str | None, depth: int) -> None:
        sides = [(d.base, d) for d in matches.changed] + [(op, None) for op in matches.removed]
        for base, diff in sides:
            node = ctx.node(SideName.BASE, base.pointer)
            own = node.get("x-stability-level") if isinstance(node, dict) else None
            level = _known(own) or (own if isinstance(own, str) else inherited)
            if level in UNSTABLE:
                assert level is not None
                found[operation_label(base if diff is None else diff.revision)] = level
            if diff is not None and diff.callbacks and depth < _MAX_CALLBACK_DEPTH:
                visit(diff.callbacks, level, depth + 1)

    visit(ctx.tree.operations, None, 0)
    visit(ctx.tree.webhooks, None, 0)
    return found


def _sunset(ctx: CheckContext, side: SideName, op: OperationSide) -> JSONValue:
    node = ctx.node(side, op.pointer)
    return node.get("x-sunset") if isinstance(node, dict) else None


def operation_removed(ctx: CheckContext) -> Iterator[Finding]:
    """api-removed-*, api-path-removed-*, webhook-removed, api-callback-removed."""
    findings = chain(
        _removed(ctx, ctx.tree.operations, "paths"), _removed(ctx, ctx.tree.webhooks, "webhooks")
    )
    yield from relax_unstable(ctx, findings)


def _removed(ctx: CheckContext, tree: Matches[OperationSide, OperationDiff], what: str) -> Iterator[Finding]:
    kept_templates = _templates(ctx.revision.data, what)
    for matches, _inverted in operation_matches(tree):
        callbacks = matches is not tree
        for op in matches.removed:
            label = f"{op.method.upper()} {op.path}"
            if callbacks:
                yield ctx.finding(
                    "api-callback-removed",
                    f"callback {op.group} {label} removed",
                    side=SideName.BASE,
                    pointer=op.pointer,
                    operation=op,
                )
                continue
            if what == "webhooks":
                yield ctx.finding(
                    "webhook-removed",
                    f"webhook {op.path} ({op.method.upper()}) removed",
                    side=SideName.BASE,
                    pointer=op.pointer,
                    operation=op,
                )
                continue
            whole_path = template_of(op.path) not in kept_templates
            without, before, with_ = _PATH_REMOVED if whole_path else _OPERATION_REMOVED
            noun = f"path {op.path} removed with {label}" if whole_path else f"operation {label} removed"
            sunset = parse_date(_sunset(ctx, SideName.BASE, op))
            if not op.deprecated:
                yield ctx.finding(
                    without,
                    f"{noun} without being deprecated first",
                    side=SideName.BASE,
                    pointer=op.pointer,
                    operation=op,
                )
            elif sunset is not None and sunset > ctx.options.today:
                yield ctx.finding(
                    before,
                    f"{noun} before its sunset date {sunset.isoformat()}",
                    side=SideName.BASE,
                    pointer=op.pointer,
                    operation=op,
                    sunset=sunset.isoformat(),
                )
            else:
                yield ctx.finding(
                    with_,
                    f"deprecated {noun}",
                    side=SideName.BASE,
                    pointer=op.pointer,
                    operation=op,
                )


def _templates(data: JSONValue, what: str) -> set[str]:
    """The path templates (names erased) that still have an operation in ``data``: the diff
    tree lists only changed operations, so an unchanged sibling keeps its path alive too."""
    container = data.get(what) if isinstance(data, dict) else None
    if not isinstance(container, dict):
        return set()
    kept: set[str] = set()
    for path, item in container.items():
        if isinstance(item, dict) and isinstance(item.get("$ref"), str):
            item = node_at(data, jsonptr.from_fragment(str(item["$ref"]).partition("#")[2]))
        if isinstance(item, dict) and any(isinstance(item.get(m), dict) for m in METHODS):
            kept.add(template_of(path))
    return kept


def operation_added(ctx: CheckContext) -> Iterator[Finding]:
    """endpoint-added, webhook-added, api-callback-added."""
    for tree, rule_id in ((ctx.tree.operations, "endpoint-added"), (ctx.tree.webhooks, "webhook-added")):
        for matches, _ in operation_matches(tree):
            for op in matches.added:
                rid = "api-callback-added" if matches is not tree else rule_id
                what = f"callback {op.group} " if matches is not tree else ""
                yield ctx.finding(
                    rid,
                    f"{what}{op.method.upper()} {op.path} added",
                    side=SideName.REVISION,
                    pointer=op.pointer,
                    operation=op,
                )


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
    base, rev = diff.base, diff.revision
    if not base.deprecated and rev.deprecated:
        yield _on(
            ctx,
            diff,
            "endpoint-deprecated",
            "operation deprecated",
        )
        sunset_raw = _sunset(ctx, SideName.REVISION, rev)
        if sunset_raw is None:
            yield _on(
                ctx,
                diff,
                "api-deprecated-sunset-missing",
                "deprecated without an x-sunset date telling clients until when it stays",
            )
    if base.deprecated and not rev.deprecated:
        yield _on(
            ctx,
            diff,
            "endpoint-reactivated",
            "operation no longer deprecated",
        )
    sunset = change(diff.changes, "x-sunset")
    if sunset is not None:
        old, new = parse_date(sunset.base), parse_date(sunset.revision)
        pointer = sunset.at.revision or rev.pointer
        if sunset.revision is not None and new is None:
            yield _on(
                ctx,
                diff,
                "api-deprecated-sunset-parse",
                f"x-sunset {sunset.revision!r} is not an RFC 3339 date",
                pointer=pointer,
            )
        elif sunset.revision is None and rev.deprecated:
            yield _on(
                ctx,
                diff,
                "api-sunset-deleted",
                "x-sunset removed from a deprecated operation",
                pointer=pointer,
            )
        elif old is not None and new is not None and new < old:
            yield _on(
                ctx,
                diff,
                "api-sunset-date-changed-too-small",
                f"sunset date moved earlier, from {old} to {new}",
                pointer=pointer,
            )
        elif old is not None and new is not None and new > old:
            yield _on(
                ctx,
                diff,
                "api-sunset-date-changed",
                f"sunset date moved later, from {old} to {new}",
                pointer=pointer,
            )
    stability = change(diff.changes, "x-stability-level")
    if stability is not None:
        pointer = stability.at.revision or rev.pointer
        new_level = stability.revision
        if new_level is not None and new_level not in STABILITY:
            yield _on(
                ctx,
                diff,
                "api-invalid-stability-level",
                f"x-stability-level {new_level!r} is not one of {', '.join(STABILITY)}",
                pointer=pointer,
            )
        elif stability.base is not None and _known(stability.base) is None and new_level in STABILITY:
            # a base level no one defined (``ga``): flagged, and a decrease cannot be ruled out
            if new_level != "stable":
                yield ctx.finding(
                    "api-stability-decreased",
                    f"stability changed from {stability.base!r}, which is not one of "
                    f"{', '.join(STABILITY)}, to {new_level}: apigov cannot tell whether it decreased",
                    side=SideName.REVISION,
                    pointer=pointer or diff.revision.pointer,
                    operation=diff.revision,
                    base_pointer=diff.base.pointer,
                    judged=Judged.UNDECIDED,  # a decrease cannot be ruled out, nor shown
                    undecided="true",
                    undecided_why=f"the base x-stability-level {stability.base!r} is not a known level",
                )
        elif _known(stability.base) is not None and new_level in STABILITY:
            old_level = _known(stability.base)
            before, after = STABILITY.index(str(old_level)), STABILITY.index(str(new_level))
            read_as = {} if old_level == stability.base else {"base_level_read_as": str(old_level)}
            if after < before:
                yield _on(
                    ctx,
                    diff,
                    "api-stability-decreased",
                    f"stability decreased from {stability.base} to {new_level}",
                    pointer=pointer,
                    **read_as,
                )
            elif after > before:
                yield _on(
                    ctx,
                    diff,
                    "api-stability-increased",
                    f"stability increased from {stability.base} to {new_level}",
                    pointer=pointer,
                )
    op_id = change(diff.changes, "operationId")
    if op_id is not None:
        pointer = op_id.at.revision or rev.pointer
        old_name = _method_name(op_id.base, base.method, base.path)
        new_name = _method_name(op_id.revision, rev.method, rev.path)
        same = {"same_client_name": new_name} if old_name == new_name else {}
        if op_id.base is not None:
            yield _on(
                ctx,
                diff,
                "api-operation-id-removed",
                f"operationId {op_id.base!r} removed"
                + (f" (now {op_id.revision!r})" if op_id.revision else ""),
                pointer=pointer,
                **same,
            )
        else:
            yield _on(
                ctx,
                diff,
                "api-operation-id-added",
                f"operationId {op_id.revision!r} added",
                pointer=pointer,
                **same,
            )
    tags = change(diff.changes, "tags")
    if tags is not None:
        old_tags = set(tags.base) if isinstance(tags.base, list) else set()
        new_tags = set(tags.revision) if isinstance(tags.revision, list) else set()
        pointer = tags.at.revision or rev.pointer
        for tag in sorted(map(str, old_tags - new_tags)):
            yield _on(ctx, diff, "api-tag-removed", f"tag {tag!r} removed", pointer=pointer)
        for tag in sorted(map(str, new_tags - old_tags)):
            yield _on(ctx, diff, "api-tag-added", f"tag {tag!r} added", pointer=pointer)
    for rename in diff.renamed_path_parameters:
        old_arg, new_arg = _argument_names(rename.base), _argument_names(rename.revision)
        yield _on(
            ctx,
            diff,
            "request-path-parameter-renamed",
            f"path parameter {{{rename.base}}} renamed to {{{rename.revision}}} (same position, same URL)",
            **({"same_client_name": new_arg[0]} if old_arg == new_arg else {}),
        )
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
    for value in diff.changes:
        if value.field.startswith("x-") and value.field not in ("x-sunset", "x-stability-level"):
            yield _on(
                ctx,
                diff,
                "api-operation-extension-changed",
                f"extension {value.field} {'added' if value.base is None else 'removed' if value.revision is None else 'changed'}",
                pointer=value.at.revision or rev.pointer,
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
    **details: str,
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
