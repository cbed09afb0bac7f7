"""Governance rules on OpenAPI operations: ids, summaries, tags, responses, security,
request bodies and lifecycle (deprecation and sunset).

Part of :mod:`apigov.lint.rules_openapi`, which assembles the OpenAPI rule table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.lint._doc import rule_factory
from apigov.lint._openapi_model import (
    as_dict,
    as_list,
    operations,
    parameters,
    security_requirements,
    security_schemes,
)
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

_IDENTIFIER_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")

# ----------------------------------------------------------------------------- operations


def operation_operationid_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if not isinstance(op.value.get("operationId"), str) or not op.value["operationId"]:
            yield ctx.finding(f"{op.label} has no operationId", op.pointer, operation=op.label)


def operation_operationid_invalid(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        op_id = op.value.get("operationId")
        if isinstance(op_id, str) and op_id and not _IDENTIFIER_RE.match(op_id):
            yield ctx.finding(
                f"operationId {op_id!r} is not usable as a function name in generated clients",
                op.pointer + "/operationId",
                operation=op.label,
            )


def operation_summary_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if not op.value.get("summary"):
            yield ctx.finding(f"{op.label} has no summary", op.pointer, operation=op.label)


def operation_description_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if not op.value.get("description"):
            yield ctx.finding(f"{op.label} has no description", op.pointer, operation=op.label)


def operation_tags_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if not as_list(op.value.get("tags")):
            yield ctx.finding(f"{op.label} has no tags", op.pointer, operation=op.label)


def operation_tag_undefined(ctx: LintContext) -> Iterator[Finding]:
    declared = {as_dict(t).get("name") for t in as_list(as_dict(ctx.data).get("tags"))}
    for op in operations(ctx):
        for index, tag in enumerate(as_list(op.value.get("tags"))):
            if isinstance(tag, str) and tag not in declared:
                yield ctx.finding(
                    f"tag {tag!r} is not declared in the top-level tags",
                    f"{op.pointer}/tags/{index}",
                    operation=op.label,
                )


def tag_description_missing(ctx: LintContext) -> Iterator[Finding]:
    for index, tag in enumerate(as_list(as_dict(ctx.data).get("tags"))):
        tag_obj = as_dict(tag)
        if isinstance(tag_obj.get("name"), str) and not tag_obj.get("description"):
            yield ctx.finding(f"tag {tag_obj['name']!r} has no description", f"/tags/{index}")


def _status_codes(op_value: dict[str, JSONValue]) -> list[str]:
    return [str(code) for code in as_dict(op_value.get("responses"))]


def _responses_missing(ctx: LintContext, wanted: tuple[str, ...], what: str) -> Iterator[Finding]:
    """Operations none of whose response codes starts with one of ``wanted`` (``default`` = "d")."""
    for op in operations(ctx):
        if not any(code[:1] in wanted for code in _status_codes(op.value)):
            yield ctx.finding(
                f"{op.label} documents no {what} response", op.pointer + "/responses", operation=op.label
            )


def operation_success_response_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _responses_missing(ctx, ("2", "3"), "success (2xx/3xx)")


def operation_error_response_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _responses_missing(ctx, ("4", "5", "d"), "error (4xx, 5xx or default)")


def operation_security_missing(ctx: LintContext) -> Iterator[Finding]:
    root_security = as_dict(ctx.data).get("security")
    root_covered = isinstance(root_security, list) and len(root_security) > 0
    for op in operations(ctx):
        if op.path_item_pointer.startswith("/webhooks/"):
            continue
        security = op.value.get("security")
        if isinstance(security, list):
            continue  # a list, even empty (explicitly public), is a decision
        if not root_covered:
            yield ctx.finding(
                f"{op.label} is neither covered by a security requirement nor marked public (security: [])",
                op.pointer,
                operation=op.label,
            )


def security_scheme_undefined(ctx: LintContext) -> Iterator[Finding]:
    _, schemes = security_schemes(ctx)
    for name, pointer, label in security_requirements(ctx):
        if name not in schemes:
            yield ctx.finding(f"security scheme {name!r} is not defined", pointer, operation=label)


def security_scheme_insecure(ctx: LintContext) -> Iterator[Finding]:
    container, schemes = security_schemes(ctx)
    for name, raw in schemes.items():
        scheme = as_dict(ctx.resolve(raw))
        pointer = jsonptr.join(container, name)
        kind, where = scheme.get("type"), scheme.get("in")
        if kind == "apiKey" and where == "query":
            yield ctx.finding(f"security scheme {name!r} sends the API key in the query string", pointer)
        elif (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic") or kind == "basic":
            yield ctx.finding(f"security scheme {name!r} uses HTTP basic authentication", pointer)
        elif kind == "oauth2" and (
            "implicit" in as_dict(scheme.get("flows")) or scheme.get("flow") == "implicit"
        ):
            yield ctx.finding(f"security scheme {name!r} uses the OAuth2 implicit flow", pointer)


def request_body_on_get(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if op.method not in ("get", "head", "delete"):
            continue
        if "requestBody" in op.value:
            yield ctx.finding(
                f"{op.label} has a request body", op.pointer + "/requestBody", operation=op.label
            )
            continue
        for param, pointer in parameters(ctx, op):
            if param.get("in") == "body":
                yield ctx.finding(f"{op.label} has a request body", pointer, operation=op.label)


def operation_deprecated_without_sunset(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if op.value.get("deprecated") is True and "x-sunset" not in op.value:
            yield ctx.finding(
                f"{op.label} is deprecated but has no x-sunset date",
                op.pointer + "/deprecated",
                operation=op.label,
            )


def _valid_date(value: JSONValue) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    if len(value) > 10:
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
    return True


def operation_sunset_invalid(ctx: LintContext) -> Iterator[Finding]:
    for op in operations(ctx):
        if "x-sunset" in op.value and not _valid_date(op.value["x-sunset"]):
            yield ctx.finding(
                f"x-sunset {op.value['x-sunset']!r} of {op.label} is not an RFC 3339 date",
                op.pointer + "/x-sunset",
                operation=op.label,
            )


# ----------------------------------------------------------------------------- the table


_rule: Final = rule_factory("openapi")


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "operation-operationid-missing",
        Level.WARNING,
        "Every operation has an operationId.",
        operation_operationid_missing,
        checks="Each operation under `paths` (and `webhooks`) has a non-empty `operationId`.",
        why="Client generators, gateways, ignore files and changelogs name operations by it; without one "
        "they invent unstable names from the path.",
        example="paths:\n  /orders:\n    get:          # no operationId\n      responses: {'200': {description: ok}}",
        fix="Add a unique, stable `operationId` such as `listOrders`.",
    ),
    _rule(
        "operation-operationid-invalid",
        Level.WARNING,
        "operationIds are identifiers (letters, digits, _ . -), usable as function names.",
        operation_operationid_invalid,
        checks="`operationId` starts with a letter and contains only letters, digits, `_`, `.` and `-`.",
        why="Generated clients turn operationIds into method names; spaces or symbols break them or get "
        "mangled differently by each generator.",
        example="get:\n  operationId: list orders!",
        fix="Use camelCase such as `listOrders`.",
    ),
    _rule(
        "operation-summary-missing",
        Level.INFO,
        "Every operation has a summary.",
        operation_summary_missing,
        checks="Each operation has a non-empty `summary`.",
        why="Documentation, changelogs and generated clients show the summary as the operation's title.",
        example="get:\n  operationId: listOrders   # no summary",
        fix="Add a one-line `summary`.",
    ),
    _rule(
        "operation-description-missing",
        Level.INFO,
        "Every operation has a description.",
        operation_description_missing,
        checks="Each operation has a non-empty `description`.",
        why="The description is where behaviour, limits and side effects are written down for consumers.",
        example="get:\n  operationId: listOrders\n  summary: List orders   # no description",
        fix="Add a `description` of what the operation does.",
    ),
    _rule(
        "operation-tags-missing",
        Level.WARNING,
        "Every operation has at least one tag.",
        operation_tags_missing,
        checks="Each operation has a non-empty `tags` list.",
        why="Tags group operations in documentation and split generated clients into modules.",
        example="get:\n  operationId: listOrders   # no tags",
        fix="Add `tags: [orders]` and declare the tag at the top level.",
    ),
    _rule(
        "operation-tag-undefined",
        Level.WARNING,
        "Tags used by operations are declared at the top level.",
        operation_tag_undefined,
        checks="Every tag an operation uses appears in the top-level `tags` list.",
        why="Declared tags carry descriptions and order; undeclared ones are usually typos.",
        example="tags: [{name: orders}]\npaths:\n  /orders:\n    get:\n      tags: [order]   # typo",
        fix="Declare the tag (with a description) or fix its spelling.",
    ),
    _rule(
        "tag-description-missing",
        Level.INFO,
        "Top-level tags have a description.",
        tag_description_missing,
        checks="Each entry of the top-level `tags` has a `description`.",
        why="Documentation portals show tag descriptions as section introductions.",
        example="tags:\n  - name: orders   # no description",
        fix="Add a `description` to the tag.",
    ),
    _rule(
        "operation-success-response-missing",
        Level.WARNING,
        "Every operation documents a success response.",
        operation_success_response_missing,
        checks="Each operation has at least one 2xx or 3xx response (or a 2XX/3XX range).",
        why="Clients are generated from the success response; without one they cannot type the result.",
        example="responses:\n  '404': {description: not found}",
        fix="Document the success response with its schema.",
    ),
    _rule(
        "operation-error-response-missing",
        Level.WARNING,
        "Every operation documents an error response.",
        operation_error_response_missing,
        checks="Each operation has a 4xx, 5xx, 4XX/5XX or `default` response.",
        why="Clients must know the shape of errors to handle them; undocumented errors surprise them.",
        example="responses:\n  '200': {description: ok}",
        fix="Add the error responses (for example a `default` Problem+JSON response).",
    ),
    _rule(
        "operation-security-missing",
        Level.WARNING,
        "Every operation is covered by security, or explicitly public with `security: []`.",
        operation_security_missing,
        checks="Each operation has a `security` list, or the document has a non-empty top-level `security`. "
        "An empty list (`security: []`) marks an operation as deliberately public.",
        why="An operation with no security requirement is public by accident as often as by design; "
        "gateways generated from the contract would expose it unauthenticated.",
        example="paths:\n  /orders:\n    get:          # no security here or at the top level\n"
        "      responses: {'200': {description: ok}}",
        fix="Add a top-level `security` requirement, or `security: []` on operations meant to be public.",
    ),
    _rule(
        "security-scheme-undefined",
        Level.ERROR,
        "Security requirements name defined security schemes.",
        security_scheme_undefined,
        checks="Every name in a `security` requirement is defined under `components.securitySchemes` "
        "(`securityDefinitions` in Swagger 2.0).",
        why="An undefined scheme means the operation's protection is unknown to every tool.",
        example="security:\n  - bearerAuth: []\ncomponents:\n  securitySchemes: {}",
        fix="Define the scheme or fix the name.",
    ),
    _rule(
        "security-scheme-insecure",
        Level.WARNING,
        "No API keys in query strings, HTTP basic auth or OAuth2 implicit flow.",
        security_scheme_insecure,
        checks="Security schemes that are known to leak credentials: `apiKey` in `query`, HTTP `basic`, "
        "and the OAuth2 `implicit` flow.",
        why="Query strings end up in logs and caches; basic auth sends reusable passwords; the implicit "
        "flow is deprecated by OAuth 2.0 Security Best Current Practice.",
        example="components:\n  securitySchemes:\n    key: {type: apiKey, in: query, name: api_key}",
        fix="Send keys in a header, use bearer tokens, and the authorization-code or client-credentials flow.",
    ),
    _rule(
        "request-body-on-get",
        Level.WARNING,
        "GET, HEAD and DELETE operations take no request body.",
        request_body_on_get,
        checks="GET, HEAD and DELETE operations have no `requestBody` (no `in: body` parameter in 2.0).",
        why="HTTP gives such bodies no meaning; proxies, gateways and client libraries drop them.",
        example="get:\n  requestBody:\n    content: {application/json: {schema: {type: object}}}",
        fix="Move the data to query parameters, or use POST for a search with a body.",
    ),
    _rule(
        "operation-deprecated-without-sunset",
        Level.WARNING,
        "Deprecated operations carry an x-sunset date.",
        operation_deprecated_without_sunset,
        checks="Operations with `deprecated: true` have an `x-sunset` date.",
        why="Consumers need to know until when a deprecated operation keeps working to plan the migration; "
        "`apigov diff` also uses the date to allow the removal afterwards.",
        example="get:\n  deprecated: true   # until when?",
        fix="Add `x-sunset: 2027-06-30` (an RFC 3339 date).",
    ),
    _rule(
        "operation-sunset-invalid",
        Level.ERROR,
        "x-sunset is an RFC 3339 date.",
        operation_sunset_invalid,
        checks="An operation's `x-sunset` value is a date (`2027-06-30`) or date-time.",
        why="Tools compare the date with today; an unreadable date is no date.",
        example="get:\n  deprecated: true\n  x-sunset: next summer",
        fix="Write the date as YYYY-MM-DD.",
    ),
)
