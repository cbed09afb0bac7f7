"""What the OpenAPI area modules write their catalogue rows with: the level and direction
shorthands, oasdiff's ids, and :func:`row` (a rule with its documentation in fixed sections)."""

from __future__ import annotations

from typing import Final

from apigov.core.findings import Level
from apigov.rules.rule import Area, Check, Direction, Rule, rule_doc

B, W, I = Level.BREAKING, Level.WARNING, Level.INFO  # noqa: E741
REQ, RESP, NONE = Direction.REQUEST, Direction.RESPONSE, Direction.NONE

#: ids that oasdiff uses with the same meaning (from its documented checks, ../shared/BREAKING_RULES.md)
OASDIFF_IDS: Final = frozenset(
    {
        "api-removed-without-deprecation",
        "api-path-removed-without-deprecation",
        "api-removed-with-deprecation",
        "api-removed-before-sunset",
        "api-path-removed-before-sunset",
        "endpoint-added",
        "webhook-removed",
        "webhook-added",
        "api-operation-id-removed",
        "api-tag-removed",
        "api-stability-decreased",
        "api-invalid-stability-level",
        "new-required-request-parameter",
        "new-request-path-parameter",
        "new-optional-request-parameter",
        "request-parameter-removed",
        "request-parameter-became-required",
        "request-parameter-became-optional",
        "request-body-added-required",
        "request-body-removed",
        "request-body-became-required",
        "request-body-media-type-removed",
        "request-body-media-type-added",
        "new-required-request-property",
        "request-property-became-required",
        "new-optional-request-property",
        "request-property-removed",
        "response-success-status-removed",
        "response-non-success-status-removed",
        "response-media-type-removed",
        "response-required-property-removed",
        "response-property-became-optional",
        "response-optional-property-removed",
        "response-optional-property-added",
        "response-required-property-added",
        "required-response-header-removed",
        "optional-response-header-removed",
        "response-header-became-optional",
        "api-schema-removed",
        "api-security-added",
        "api-global-security-added",
        "api-security-scope-added",
        "api-security-removed",
        "api-global-security-removed",
        "api-security-scope-removed",
        "api-version-not-bumped",
        "api-version-decreased",
        "api-major-version-not-bumped",
        "endpoint-deprecated",
        "endpoint-reactivated",
        "api-deprecated-sunset-parse",
        "api-deprecated-sunset-missing",
        "api-sunset-date-changed-too-small",
        "api-sunset-deleted",
        "response-success-status-added",
        "response-non-success-status-added",
        "api-operation-id-added",
        "api-tag-added",
        "api-security-component-added",
        "api-security-component-removed",
    }
    | {
        f"{prefix}-{suffix}"
        for prefix in ("request-parameter", "request-property", "request-body")
        for suffix in (
            "type-changed",
            "type-generalized",
            "enum-value-removed",
            "became-enum",
            "enum-value-added",
            "max-decreased",
            "min-increased",
            "max-length-decreased",
            "min-length-increased",
            "min-items-increased",
            "max-items-decreased",
            "max-set",
            "min-set",
            "max-length-set",
            "min-items-set",
            "pattern-added",
            "pattern-changed",
            "became-not-nullable",
            "default-value-added",
            "default-value-changed",
            "default-value-removed",
        )
    }
    | {
        f"{prefix}-{suffix}"
        for prefix in ("response-property", "response-body")
        for suffix in (
            "type-generalized",
            "type-specialized",
            "enum-value-added",
            "enum-value-removed",
            "max-increased",
            "min-decreased",
            "max-length-increased",
            "min-items-decreased",
            "max-length-unset",
            "min-items-unset",
            "became-nullable",
        )
    }
)


def row(
    id: str,
    level: Level,
    area: Area,
    direction: Direction,
    check: Check,
    summary: str,
    why: str,
    example: str,
    evolve: str,
    related: tuple[str, ...] = (),
    *,
    sdk: Level | None = None,
) -> Rule:
    return Rule(
        id=id,
        level=level,
        area=area,
        direction=direction,
        summary=summary,
        check=check,
        doc=rule_doc(summary, why, example, evolve, related),
        oasdiff_id=id if id in OASDIFF_IDS else None,
        sdk_level=sdk,
    )


REMOVAL: Final = "Operations are removed in two steps: mark them `deprecated: true` with an `x-sunset` date, then remove them after that date."
