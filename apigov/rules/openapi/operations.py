"""Paths, operations, webhooks and callbacks: removed, added, deprecated, sunset, stability."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.diff.normalise import METHODS, template_of
from apigov.diff.tree import Matches, OperationDiff, OperationSide
from apigov.rules._walk import node_at, operation_matches, parse_date
from apigov.rules.context import CheckContext, SideName, operation_label
from apigov.rules.openapi._rows import NONE, REMOVAL, RESP, B, I, W, row
from apigov.rules.rule import Area, Rule

#: the ids this module's checks emit, declared in its rows below
API_PATH_REMOVED_WITHOUT_DEPRECATION: Final = "api-path-removed-without-deprecation"
API_PATH_REMOVED_WITH_DEPRECATION: Final = "api-path-removed-with-deprecation"
API_PATH_REMOVED_BEFORE_SUNSET: Final = "api-path-removed-before-sunset"
API_REMOVED_WITHOUT_DEPRECATION: Final = "api-removed-without-deprecation"
API_REMOVED_WITH_DEPRECATION: Final = "api-removed-with-deprecation"
API_REMOVED_BEFORE_SUNSET: Final = "api-removed-before-sunset"
ENDPOINT_ADDED: Final = "endpoint-added"
WEBHOOK_REMOVED: Final = "webhook-removed"
WEBHOOK_ADDED: Final = "webhook-added"
API_CALLBACK_REMOVED: Final = "api-callback-removed"
API_CALLBACK_ADDED: Final = "api-callback-added"

#: ids of a removed operation: (without deprecation, before its sunset, deprecated), for a whole path and for one operation
_PATH_REMOVED: Final = (
    API_PATH_REMOVED_WITHOUT_DEPRECATION,
    API_PATH_REMOVED_BEFORE_SUNSET,
    API_PATH_REMOVED_WITH_DEPRECATION,
)
_OPERATION_REMOVED: Final = (
    API_REMOVED_WITHOUT_DEPRECATION,
    API_REMOVED_BEFORE_SUNSET,
    API_REMOVED_WITH_DEPRECATION,
)
STABILITY: Final = ("draft", "alpha", "beta", "stable")
UNSTABLE: Final = frozenset({"draft", "alpha"})
_MAX_CALLBACK_DEPTH: Final = 16
#: what stays at its level on a draft or alpha operation: its promise itself, and invalid values
_STABILITY_KEPT: Final = frozenset(
    {"api-stability-decreased", "api-invalid-stability-level", "api-deprecated-sunset-parse"}
)
#: info findings that ``--tier sdk`` raises: on a draft or alpha operation they keep their wire
#: level and say why
_CLIENT_NAMES: Final = frozenset(
    {"api-operation-id-removed", "api-operation-id-added", "request-path-parameter-renamed"}
)


def relax_unstable(ctx: CheckContext, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings on operations whose base is ``x-stability-level: draft`` or ``alpha`` (no
    compatibility promise, the NONE mode): breaking and warning become info, saying why."""
    unstable = _unstable_operations(ctx)
    for finding in findings:
        stability = unstable.get(finding.operation or "")
        if stability is not None and finding.rule_id in _CLIENT_NAMES:
            # no sdk promise either: the rule's wire level, saying why
            wire = ctx.catalogue[finding.rule_id].level
            finding = replace(finding, level=wire, details=finding.details.updated(stability=stability))
        elif (
            stability is not None
            and finding.level in (Level.BREAKING, Level.WARNING)
            and finding.rule_id not in _STABILITY_KEPT
        ):
            details = finding.details.updated(stability=stability, level_without_stability=finding.level)
            finding = replace(  # the operation's stability, not the rule, decides: info
                finding,
                level=Level.INFO,
                message=f"{finding.message} (not breaking: the operation was {stability}, without a compatibility promise)",
                details=details,
            )
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
                    API_CALLBACK_REMOVED,
                    f"callback {op.group} {label} removed",
                    side=SideName.BASE,
                    pointer=op.pointer,
                    operation=op,
                )
                continue
            if what == "webhooks":
                yield ctx.finding(
                    WEBHOOK_REMOVED,
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
    for tree, rule_id in ((ctx.tree.operations, ENDPOINT_ADDED), (ctx.tree.webhooks, WEBHOOK_ADDED)):
        for matches, _ in operation_matches(tree):
            for op in matches.added:
                rid = API_CALLBACK_ADDED if matches is not tree else rule_id
                what = f"callback {op.group} " if matches is not tree else ""
                yield ctx.finding(
                    rid,
                    f"{what}{op.method.upper()} {op.path} added",
                    side=SideName.REVISION,
                    pointer=op.pointer,
                    operation=op,
                )


#: the catalogue rows of paths and operations removed and added
RULES: Final[tuple[Rule, ...]] = (
    row(
        API_PATH_REMOVED_WITHOUT_DEPRECATION,
        B,
        Area.PATHS,
        NONE,
        operation_removed,
        "A path was removed with all its operations, without being deprecated first.",
        "Clients calling it get 404 from one release to the next, with no warning period.",
        "base:     paths: {/pets: {get: ...}}\nrevision: paths: {}",
        REMOVAL,
        (API_REMOVED_WITHOUT_DEPRECATION,),
    ),
    row(
        API_PATH_REMOVED_WITH_DEPRECATION,
        I,
        Area.PATHS,
        NONE,
        operation_removed,
        "A deprecated path was removed after its sunset date (or without one).",
        "It was announced; clients had the deprecation period to move.",
        "base:     /pets: {get: {deprecated: true}}\nrevision: (path gone)",
        "Nothing to do: this is the safe way.",
        (API_PATH_REMOVED_WITHOUT_DEPRECATION,),
    ),
    row(
        API_PATH_REMOVED_BEFORE_SUNSET,
        B,
        Area.PATHS,
        NONE,
        operation_removed,
        "A deprecated path was removed before the `x-sunset` date it announced.",
        "Clients were promised the path until that date.",
        "base:     /pets: {get: {deprecated: true, x-sunset: '2099-01-01'}}\nrevision: (path gone)",
        "Keep the path until its sunset date has passed.",
        (API_REMOVED_BEFORE_SUNSET,),
    ),
    row(
        API_REMOVED_WITHOUT_DEPRECATION,
        B,
        Area.PATHS,
        NONE,
        operation_removed,
        "An operation was removed (its path stays) without being deprecated first.",
        "Clients calling it get 405 or 404.",
        "base:     /pets: {get: ..., post: ...}\nrevision: /pets: {get: ...}",
        REMOVAL,
        (API_REMOVED_WITH_DEPRECATION, API_REMOVED_BEFORE_SUNSET),
    ),
    row(
        API_REMOVED_WITH_DEPRECATION,
        I,
        Area.PATHS,
        NONE,
        operation_removed,
        "A deprecated operation was removed after its sunset date (or without one).",
        "It was announced as going away.",
        "base:     post: {deprecated: true}\nrevision: (post gone)",
        "Nothing to do.",
        (API_REMOVED_WITHOUT_DEPRECATION,),
    ),
    row(
        API_REMOVED_BEFORE_SUNSET,
        B,
        Area.PATHS,
        NONE,
        operation_removed,
        "A deprecated operation was removed before its `x-sunset` date.",
        "Clients were promised the operation until that date.",
        "base:     post: {deprecated: true, x-sunset: '2099-01-01'}\nrevision: (post gone)",
        "Keep it until its sunset date.",
        (API_REMOVED_WITH_DEPRECATION,),
    ),
    row(
        ENDPOINT_ADDED,
        I,
        Area.PATHS,
        NONE,
        operation_added,
        "An operation was added.",
        "Nothing breaks: existing clients do not call it.",
        "revision: /pets: {post: ...}",
        "Nothing to do.",
    ),
    row(
        WEBHOOK_REMOVED,
        B,
        Area.PATHS,
        RESP,
        operation_removed,
        "A webhook was removed.",
        "Subscribers stop receiving events they rely on.",
        "base: webhooks: {newPet: {post: ...}}\nrevision: webhooks: {}",
        "Deprecate the webhook first and keep sending it until subscribers have moved.",
    ),
    row(
        WEBHOOK_ADDED,
        I,
        Area.PATHS,
        RESP,
        operation_added,
        "A webhook was added.",
        "Nothing breaks.",
        "revision: webhooks: {newPet: {post: ...}}",
        "Nothing to do.",
    ),
    row(
        API_CALLBACK_REMOVED,
        W,
        Area.PATHS,
        RESP,
        operation_removed,
        "A callback operation was removed.",
        "Clients that registered for the callback stop receiving it.",
        "base: post: {callbacks: {onDone: {'{$request.body#/url}': {post: ...}}}}\nrevision: (callback gone)",
        "Deprecate the callback before removing it.",
    ),
    row(
        API_CALLBACK_ADDED,
        I,
        Area.PATHS,
        RESP,
        operation_added,
        "A callback operation was added.",
        "Nothing breaks.",
        "revision: post: {callbacks: {onDone: ...}}",
        "Nothing to do.",
    ),
)
