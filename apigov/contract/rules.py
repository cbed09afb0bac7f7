"""The rule catalogue of ``apigov pact check`` (a pact against an OpenAPI contract, statically).

Each rule is one row: id, level, summary. ``docs/pact-check-rules.md`` is generated from this
table (``apigov pact check --list-rules --format markdown``) and a test keeps it current.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from apigov.core.findings import Level

__all__ = ["PACT_RULES", "PactRule", "rules_markdown"]

OPERATION_NOT_FOUND: Final = "pact-operation-not-found"
REQUEST_MEDIA_TYPE: Final = "pact-request-media-type-not-documented"
REQUEST_BODY_INVALID: Final = "pact-request-body-invalid"
REQUEST_PARAMETER_MISSING: Final = "pact-request-parameter-missing"
REQUEST_PARAMETER_INVALID: Final = "pact-request-parameter-invalid"
REQUEST_SECURITY_MISSING: Final = "pact-request-security-missing"
RESPONSE_STATUS: Final = "pact-response-status-not-documented"
RESPONSE_MEDIA_TYPE: Final = "pact-response-media-type-not-documented"
RESPONSE_BODY_INVALID: Final = "pact-response-body-invalid"
INTERACTION_SKIPPED: Final = "pact-interaction-not-checked"


@dataclass(frozen=True, slots=True)
class PactRule:
    id: str
    level: Level
    summary: str


PACT_RULES: Final[tuple[PactRule, ...]] = (
    PactRule(
        OPERATION_NOT_FOUND,
        Level.ERROR,
        "No operation of the contract has the interaction's method and path (matched against the path templates).",
    ),
    PactRule(
        REQUEST_MEDIA_TYPE,
        Level.ERROR,
        "The request's Content-Type is not a media type of the operation's request body (or the operation takes no body).",
    ),
    PactRule(
        REQUEST_BODY_INVALID,
        Level.ERROR,
        "The request body is not valid against the operation's request body schema.",
    ),
    PactRule(
        REQUEST_PARAMETER_MISSING,
        Level.ERROR,
        "A required query or header parameter of the operation is missing from the request.",
    ),
    PactRule(
        REQUEST_PARAMETER_INVALID,
        Level.ERROR,
        "A path, query or header parameter's value is not valid against its schema.",
    ),
    PactRule(
        REQUEST_SECURITY_MISSING,
        Level.ERROR,
        "The operation requires credentials (API key, bearer or basic) that the request does not carry.",
    ),
    PactRule(
        RESPONSE_STATUS,
        Level.ERROR,
        "The response status is not documented for the operation (nor by a range such as 2XX, nor by default).",
    ),
    PactRule(
        RESPONSE_MEDIA_TYPE, Level.ERROR, "The response's Content-Type is not documented for that status."
    ),
    PactRule(
        RESPONSE_BODY_INVALID,
        Level.ERROR,
        "The response body the consumer expects does not fit the documented response schema: a property it expects is not documented (its object lists its properties and allows no others), or a value has another type, format or enum (the pact lists only the properties that consumer uses, so properties it leaves out are not required).",
    ),
    PactRule(
        INTERACTION_SKIPPED,
        Level.INFO,
        "A message (asynchronous) interaction: not checked against an HTTP contract.",
    ),
)


def rules_markdown() -> str:
    lines = [
        "# `apigov pact check` rules",
        "",
        "Generated from `apigov/contract/rules.py`.",
        "",
        "| id | level | what it finds |",
        "|---|---|---|",
    ]
    lines += [f"| `{r.id}` | {r.level.value} | {r.summary} |" for r in PACT_RULES]
    return "\n".join(lines) + "\n"
