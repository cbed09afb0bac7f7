"""The diff rule catalogue: every id ``apigov diff`` can report, in one explicit tuple.

Structural rules are listed one by one. Schema rules are the product of the schema-change
families (:mod:`apigov.rules._families`) and the places a schema sits (request parameter,
request body, request property, response body, response property, response header); the
walk-based property rules (new required request property, ...) are listed one by one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.core.findings import Level
from apigov.rules._families import FAMILIES, PREFIXES, TOLERATED, Family
from apigov.rules.ignore import EXPIRED_ID, UNUSED_ID
from apigov.rules.openapi import document, media, notices, operations, request_body, responses, security
from apigov.rules.openapi import parameters as param_rules
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


def _r(
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


_REMOVAL = "Operations are removed in two steps: mark them `deprecated: true` with an `x-sunset` date, then remove them after that date."
_OP = operations.operation_removed
_ADD = operations.operation_added
_LIFE = operations.operation_lifecycle
_PARAMS = param_rules.parameters
_BODY = request_body.request_bodies
_RESP = responses.responses
_SEC = security.security_requirements
_SCHEMES = security.security_schemes


def _sent_note(kind: str) -> str:
    return (
        f"In a {kind} the API is the client and the consumer's server is the server, so apigov judges "
        "its request like a response the consumer receives and its responses like requests it sends. "
        f"Schema changes in {kind}s are reported with the mirrored ids: the {kind}'s parameters as "
        f"`response-header-*`, its request body as `response-body-*` / `response-property-*`, its "
        "response bodies as `request-body-*` / `request-property-*`, its response headers as "
        "`request-parameter-*`. Status codes and response media types keep their ids (the API must "
        "still understand what the consumer's server answers)."
    )


#: rules of operations the API itself calls, written for callbacks; webhooks get the same rules
_SENT_BY_API: Final = (
    (
        "callback-request-parameter-added",
        I,
        Area.PARAMETERS,
        RESP,
        _PARAMS,
        "A callback request now carries a new parameter.",
        "The API sends it; the consumer's server may ignore it.",
        "base:     post: {}\nrevision: post: {parameters: [{name: X-Signature, in: header, required: true}]}",
        "Nothing to do.",
        ("new-required-request-parameter",),
    ),
    (
        "callback-request-required-parameter-removed",
        B,
        Area.PARAMETERS,
        RESP,
        _PARAMS,
        "A callback request no longer carries a parameter it always carried.",
        "Consumers' servers that read it (a signature, an event id) fail.",
        "base:     post: {parameters: [{name: X-Signature, in: header, required: true}]}\nrevision: post: {}",
        "Keep sending it; deprecate it first.",
        ("required-response-header-removed",),
    ),
    (
        "callback-request-optional-parameter-removed",
        W,
        Area.PARAMETERS,
        RESP,
        _PARAMS,
        "A callback request no longer carries an optional parameter.",
        "Consumers' servers that use it when present never get it again.",
        "base:     post: {parameters: [{name: X-Trace, in: header}]}\nrevision: post: {}",
        "Deprecate it first.",
        ("optional-response-header-removed",),
    ),
    (
        "callback-request-parameter-became-optional",
        B,
        Area.PARAMETERS,
        RESP,
        _PARAMS,
        "A callback request parameter that was always sent may now be left out.",
        "Consumers' servers that expect it fail when it is missing.",
        "base:     {name: X-Signature, in: header, required: true}\n"
        "revision: {name: X-Signature, in: header}",
        "Keep sending it.",
        ("response-header-became-optional",),
    ),
    (
        "callback-request-parameter-became-required",
        I,
        Area.PARAMETERS,
        RESP,
        _PARAMS,
        "A callback request parameter is now always sent.",
        "Nothing breaks: consumers get it every time.",
        "base:     {name: X-Trace, in: header}\nrevision: {name: X-Trace, in: header, required: true}",
        "Nothing to do.",
        ("request-parameter-became-required",),
    ),
    (
        "callback-request-body-added",
        I,
        Area.REQUEST_BODY,
        RESP,
        _BODY,
        "A callback request now carries a body.",
        "Consumers' servers that did not expect one ignore it.",
        "base:     post: {}\nrevision: post: {requestBody: {content: {application/json: ...}}}",
        "Nothing to do.",
        ("request-body-added-required",),
    ),
    (
        "callback-request-body-removed",
        B,
        Area.REQUEST_BODY,
        RESP,
        _BODY,
        "A callback request no longer carries its body.",
        "Consumers' servers that read the event from it get nothing.",
        "base:     post: {requestBody: {content: {application/json: ...}}}\nrevision: post: {}",
        "Keep sending the body; add a new callback for a new shape.",
        ("request-body-removed",),
    ),
    (
        "callback-request-body-became-optional",
        B,
        Area.REQUEST_BODY,
        RESP,
        _BODY,
        "A callback request body that was always sent may now be left out.",
        "Consumers' servers that expect it fail when it is missing.",
        "base:     requestBody: {required: true, ...}\nrevision: requestBody: {required: false, ...}",
        "Keep sending it.",
        ("request-body-became-optional",),
    ),
    (
        "callback-request-body-became-required",
        I,
        Area.REQUEST_BODY,
        RESP,
        _BODY,
        "A callback request body is now always sent.",
        "Nothing breaks.",
        "base:     requestBody: {required: false, ...}\nrevision: requestBody: {required: true, ...}",
        "Nothing to do.",
        ("request-body-became-required",),
    ),
    (
        "callback-request-body-media-type-added",
        W,
        Area.REQUEST_BODY,
        RESP,
        _BODY,
        "A callback request may now be sent in another media type.",
        "There is no content negotiation for callback requests: a consumer's server that only reads the old type may get the new one.",
        "base:     content: {application/json: ...}\n"
        "revision: content: {application/json: ..., application/xml: ...}",
        "Send new media types only to consumers that asked for them (a new callback or a subscription option).",
        ("request-body-media-type-added", "response-media-type-added"),
    ),
    (
        "callback-request-body-media-type-removed",
        I,
        Area.REQUEST_BODY,
        RESP,
        _BODY,
        "A callback request is no longer sent in one of its media types.",
        "Nothing breaks: consumers' servers read the types that remain.",
        "base:     content: {application/json: ..., application/xml: ...}\n"
        "revision: content: {application/json: ...}",
        "Nothing to do.",
        ("request-body-media-type-removed",),
    ),
    (
        "callback-response-header-removed",
        I,
        Area.HEADERS,
        REQ,
        _RESP,
        "The API no longer reads a header of a callback response.",
        "Nothing breaks: consumers' servers may keep sending it.",
        "base:     responses: {'200': {headers: {X-Ack: {required: true}}}}\n"
        "revision: responses: {'200': {}}",
        "Nothing to do.",
        ("required-response-header-removed",),
    ),
    (
        "callback-response-required-header-added",
        B,
        Area.HEADERS,
        REQ,
        _RESP,
        "A callback response must now carry a new header.",
        "Consumers' servers do not send it: the API may treat their answers as failures.",
        "base:     responses: {'200': {}}\nrevision: responses: {'200': {headers: {X-Ack: {required: true}}}}",
        "Add it as optional, and default it when it is missing.",
        ("new-required-request-parameter",),
    ),
    (
        "callback-response-optional-header-added",
        I,
        Area.HEADERS,
        REQ,
        _RESP,
        "A callback response may now carry a new optional header.",
        "Nothing breaks: consumers' servers may leave it out.",
        "base:     responses: {'200': {}}\nrevision: responses: {'200': {headers: {X-Ack: {}}}}",
        "Nothing to do.",
        ("new-optional-request-parameter",),
    ),
    (
        "callback-response-header-became-required",
        B,
        Area.HEADERS,
        REQ,
        _RESP,
        "A callback response header the API read when present is now required.",
        "Consumers' servers that leave it out no longer answer as the API expects.",
        "base:     headers: {X-Ack: {required: false}}\nrevision: headers: {X-Ack: {required: true}}",
        "Keep it optional.",
        ("request-parameter-became-required",),
    ),
    (
        "callback-response-header-became-optional",
        I,
        Area.HEADERS,
        REQ,
        _RESP,
        "A callback response header is no longer required.",
        "Nothing breaks.",
        "base:     headers: {X-Ack: {required: true}}\nrevision: headers: {X-Ack: {required: false}}",
        "Nothing to do.",
        ("request-parameter-became-optional",),
    ),
    (
        "callback-security-added",
        W,
        Area.SECURITY,
        RESP,
        _SEC,
        "A callback may now be authenticated another way (info when it had no security before).",
        "The consumer's server verifies the credentials the API sends; with a new alternative the "
        "API may send those instead of the ones it verifies.",
        "base:     post: {security: [{hmac: []}]}\nrevision: post: {security: [{hmac: []}, {mtls: []}]}",
        "Agree on a new scheme with consumers (a subscription option) before sending it.",
        ("callback-security-removed",),
    ),
    (
        "callback-security-removed",
        B,
        Area.SECURITY,
        RESP,
        _SEC,
        "A callback is no longer authenticated a way it was (info for anonymous access removed).",
        "Consumers' servers that verify those credentials reject the callback requests.",
        "base:     post: {security: [{hmac: []}]}\nrevision: post: {}",
        "Keep sending the credentials consumers verify.",
        ("callback-security-added",),
    ),
)


def _sent_by_api_rules() -> list[Rule]:
    """The ``callback-*`` rules and their ``webhook-*`` twins."""
    rules = []
    for kind in ("callback", "webhook"):
        for rule_id, level, area, direction, check, summary, why, example, evolve, related in _SENT_BY_API:
            rules.append(
                _r(
                    rule_id.replace("callback", kind, 1),
                    level,
                    area,
                    direction,
                    check,
                    summary.replace("callback", kind),
                    f"{why.replace('callback', kind)} {_sent_note(kind)}",
                    example,
                    evolve,
                    tuple(r.replace("callback", kind, 1) if r.startswith("callback") else r for r in related),
                )
            )
    return rules


STRUCTURAL: Final[tuple[Rule, ...]] = (
    # --- paths and operations
    _r(
        "api-path-removed-without-deprecation",
        B,
        Area.PATHS,
        NONE,
        _OP,
        "A path was removed with all its operations, without being deprecated first.",
        "Clients calling it get 404 from one release to the next, with no warning period.",
        "base:     paths: {/pets: {get: ...}}\nrevision: paths: {}",
        _REMOVAL,
        ("api-removed-without-deprecation",),
    ),
    _r(
        "api-path-removed-with-deprecation",
        I,
        Area.PATHS,
        NONE,
        _OP,
        "A deprecated path was removed after its sunset date (or without one).",
        "It was announced; clients had the deprecation period to move.",
        "base:     /pets: {get: {deprecated: true}}\nrevision: (path gone)",
        "Nothing to do: this is the safe way.",
        ("api-path-removed-without-deprecation",),
    ),
    _r(
        "api-path-removed-before-sunset",
        B,
        Area.PATHS,
        NONE,
        _OP,
        "A deprecated path was removed before the `x-sunset` date it announced.",
        "Clients were promised the path until that date.",
        "base:     /pets: {get: {deprecated: true, x-sunset: '2099-01-01'}}\nrevision: (path gone)",
        "Keep the path until its sunset date has passed.",
        ("api-removed-before-sunset",),
    ),
    _r(
        "api-removed-without-deprecation",
        B,
        Area.PATHS,
        NONE,
        _OP,
        "An operation was removed (its path stays) without being deprecated first.",
        "Clients calling it get 405 or 404.",
        "base:     /pets: {get: ..., post: ...}\nrevision: /pets: {get: ...}",
        _REMOVAL,
        ("api-removed-with-deprecation", "api-removed-before-sunset"),
    ),
    _r(
        "api-removed-with-deprecation",
        I,
        Area.PATHS,
        NONE,
        _OP,
        "A deprecated operation was removed after its sunset date (or without one).",
        "It was announced as going away.",
        "base:     post: {deprecated: true}\nrevision: (post gone)",
        "Nothing to do.",
        ("api-removed-without-deprecation",),
    ),
    _r(
        "api-removed-before-sunset",
        B,
        Area.PATHS,
        NONE,
        _OP,
        "A deprecated operation was removed before its `x-sunset` date.",
        "Clients were promised the operation until that date.",
        "base:     post: {deprecated: true, x-sunset: '2099-01-01'}\nrevision: (post gone)",
        "Keep it until its sunset date.",
        ("api-removed-with-deprecation",),
    ),
    _r(
        "endpoint-added",
        I,
        Area.PATHS,
        NONE,
        _ADD,
        "An operation was added.",
        "Nothing breaks: existing clients do not call it.",
        "revision: /pets: {post: ...}",
        "Nothing to do.",
    ),
    _r(
        "webhook-removed",
        B,
        Area.PATHS,
        RESP,
        _OP,
        "A webhook was removed.",
        "Subscribers stop receiving events they rely on.",
        "base: webhooks: {newPet: {post: ...}}\nrevision: webhooks: {}",
        "Deprecate the webhook first and keep sending it until subscribers have moved.",
    ),
    _r(
        "webhook-added",
        I,
        Area.PATHS,
        RESP,
        _ADD,
        "A webhook was added.",
        "Nothing breaks.",
        "revision: webhooks: {newPet: {post: ...}}",
        "Nothing to do.",
    ),
    _r(
        "api-callback-removed",
        W,
        Area.PATHS,
        RESP,
        _OP,
        "A callback operation was removed.",
        "Clients that registered for the callback stop receiving it.",
        "base: post: {callbacks: {onDone: {'{$request.body#/url}': {post: ...}}}}\nrevision: (callback gone)",
        "Deprecate the callback before removing it.",
    ),
    _r(
        "api-callback-added",
        I,
        Area.PATHS,
        RESP,
        _ADD,
        "A callback operation was added.",
        "Nothing breaks.",
        "revision: post: {callbacks: {onDone: ...}}",
        "Nothing to do.",
    ),
    # --- callbacks and webhooks: the API is the client, the consumer's server is the server
    *_sent_by_api_rules(),
    _r(
        "endpoint-deprecated",
        I,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "An operation was deprecated.",
        "Nothing breaks yet; clients should move away.",
        "revision: get: {deprecated: true}",
        "Add an `x-sunset` date so clients know until when.",
        ("api-deprecated-sunset-missing",),
    ),
    _r(
        "endpoint-reactivated",
        I,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "A deprecated operation is no longer deprecated.",
        "Nothing breaks.",
        "base: get: {deprecated: true}\nrevision: get: {}",
        "Nothing to do.",
    ),
    _r(
        "api-deprecated-sunset-missing",
        I,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "An operation was deprecated without an `x-sunset` date.",
        "Clients cannot plan their migration without a date.",
        "revision: get: {deprecated: true}",
        "Add `x-sunset: 'YYYY-MM-DD'`.",
    ),
    _r(
        "api-deprecated-sunset-parse",
        B,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "An `x-sunset` value is not an RFC 3339 date.",
        "Tools and clients cannot read when the operation goes away.",
        "revision: get: {x-sunset: next spring}",
        "Write the date as `YYYY-MM-DD` or an RFC 3339 date-time.",
    ),
    _r(
        "api-sunset-deleted",
        B,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "The `x-sunset` date of a deprecated operation was removed.",
        "Clients lose the date they planned their migration on.",
        "base: get: {deprecated: true, x-sunset: '2099-01-01'}\nrevision: get: {deprecated: true}",
        "Keep the date, or move it later.",
    ),
    _r(
        "api-sunset-date-changed-too-small",
        B,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "The sunset date was moved earlier.",
        "Clients planned for the original date.",
        "base: x-sunset: '2099-06-01'\nrevision: x-sunset: '2099-01-01'",
        "Only ever move a sunset date later.",
    ),
    _r(
        "api-sunset-date-changed",
        I,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "The sunset date was moved later.",
        "Nothing breaks: clients get more time.",
        "base: x-sunset: '2099-01-01'\nrevision: x-sunset: '2099-06-01'",
        "Nothing to do.",
    ),
    _r(
        "api-stability-decreased",
        B,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
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
    _r(
        "api-stability-increased",
        I,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "The `x-stability-level` of an operation went up.",
        "Nothing breaks.",
        "base: x-stability-level: beta\nrevision: x-stability-level: stable",
        "Nothing to do.",
    ),
    _r(
        "api-invalid-stability-level",
        B,
        Area.LIFECYCLE,
        NONE,
        _LIFE,
        "An `x-stability-level` is not one of draft, alpha, beta, stable.",
        "Its promise cannot be read.",
        "revision: x-stability-level: solid",
        "Use draft, alpha, beta or stable.",
    ),
    _r(
        "api-operation-id-removed",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "An operationId was removed or changed.",
        "Nothing changes on the wire. Generated SDKs name methods after it (apigov's clients: "
        "`get_pet` / `getPet`): their users' code stops compiling, so it is `breaking` under "
        "`--tier sdk`, unless the generated name stays the same (`getPet` -> `get_pet`; "
        "`details.same_client_name`) or the operation is draft or alpha.",
        "base: get: {operationId: getPet}\nrevision: get: {operationId: fetchPet}",
        "Keep operationIds stable; add a new operation under the new name and deprecate the old one.",
        sdk=B,
    ),
    _r(
        "api-operation-id-added",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "An operationId was added to an operation that had none.",
        "Nothing changes on the wire. A generated client named the method after the method and "
        "path (`get_pets_id`); it is now named after the operationId, so under `--tier sdk` "
        "calls to the old name stop compiling (`breaking`).",
        "base: get: {}\nrevision: get: {operationId: getPet}",
        "Give every operation an operationId in its first version.",
        sdk=B,
    ),
    _r(
        "api-tag-removed",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "A tag was removed from an operation.",
        "Nothing changes on the wire. SDKs that group methods by tag move the method; apigov's "
        "generated clients put every method on one client class, so `--tier sdk` keeps it `info` "
        "(raise it in `diff.rules` when your generator groups by tag).",
        "base: tags: [pets]\nrevision: tags: []",
        "Nothing to do.",
    ),
    _r(
        "api-tag-added",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "A tag was added to an operation.",
        "Nothing breaks (apigov's generated clients do not group methods by tag).",
        "revision: tags: [pets]",
        "Nothing to do.",
    ),
    _r(
        "request-path-parameter-renamed",
        I,
        Area.PARAMETERS,
        REQ,
        _LIFE,
        "A path parameter was renamed at the same position.",
        "Nothing breaks on the wire: the URL is the same. Generated clients take it as an argument "
        "named after it (`pet_id=` / `petId`): calls passing it by name stop working, so it is "
        "`breaking` under `--tier sdk` (not when both names give the same arguments, `petId` -> "
        "`pet_id`).",
        "base: /pets/{id}\nrevision: /pets/{petId}",
        "Keep path parameter names (the wire tier does not mind; SDK users do).",
        sdk=B,
    ),
    _r(
        "api-operation-summary-changed",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "An operation's summary changed.",
        "Nothing breaks.",
        "base: summary: Get a pet\nrevision: summary: Fetch a pet",
        "Nothing to do.",
    ),
    _r(
        "api-operation-description-changed",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "An operation's description changed.",
        "Nothing breaks.",
        "base: description: a\nrevision: description: b",
        "Nothing to do.",
    ),
    _r(
        "api-operation-extension-changed",
        I,
        Area.PATHS,
        NONE,
        _LIFE,
        "An `x-` extension of an operation was added, removed or changed.",
        "Nothing breaks for clients; gateways or tools reading the extension may behave differently.",
        "base: x-rate-limit: 10\nrevision: x-rate-limit: 5",
        "Check the tools that read the extension.",
    ),
    # --- parameters
    _r(
        "new-required-request-parameter",
        B,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A new required parameter was added.",
        "Existing clients do not send it: the server rejects their requests.",
        "revision: parameters: [{name: tenant, in: header, required: true}]",
        "Add it as optional with a server-side default.",
        ("new-optional-request-parameter",),
    ),
    _r(
        "new-request-path-parameter",
        B,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A new path parameter was added.",
        "The URL shape changed: existing clients call a URL that no longer matches.",
        "base: /pets\nrevision: /pets/{kind}",
        "Add a new path and keep the old one.",
    ),
    _r(
        "new-optional-request-parameter",
        I,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A new optional parameter was added.",
        "Nothing breaks.",
        "revision: parameters: [{name: limit, in: query}]",
        "Nothing to do.",
    ),
    _r(
        "request-parameter-removed",
        W,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter was removed.",
        "Clients still send it; the server may now reject it or silently ignore it.",
        "base: parameters: [{name: limit, in: query}]\nrevision: parameters: []",
        "Deprecate the parameter first and keep accepting it.",
        ("request-parameter-removed-with-deprecation",),
    ),
    _r(
        "request-parameter-removed-with-deprecation",
        I,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A deprecated parameter was removed.",
        "It was announced.",
        "base: [{name: limit, in: query, deprecated: true}]\nrevision: []",
        "Nothing to do.",
    ),
    _r(
        "request-parameter-became-required",
        B,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "An optional parameter became required.",
        "Clients that omit it are rejected.",
        "base: {name: limit, in: query}\nrevision: {name: limit, in: query, required: true}",
        "Keep it optional and default it on the server.",
    ),
    _r(
        "request-parameter-became-optional",
        I,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A required parameter became optional.",
        "Nothing breaks.",
        "base: {required: true}\nrevision: {required: false}",
        "Nothing to do.",
    ),
    _r(
        "request-parameter-deprecated",
        I,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter was deprecated.",
        "Nothing breaks yet.",
        "revision: {name: limit, in: query, deprecated: true}",
        "Tell clients what to use instead.",
    ),
    _r(
        "request-parameter-reactivated",
        I,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter is no longer deprecated.",
        "Nothing breaks.",
        "base: {deprecated: true}\nrevision: {}",
        "Nothing to do.",
    ),
    _r(
        "request-parameter-style-changed",
        B,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter's serialisation style changed.",
        "Clients keep serialising the old way (e.g. `a,b` instead of `a|b`); the server misreads them. "
        "Not reported for a primitive outside the path, which every style writes the same way.",
        "base: {style: form}\nrevision: {style: pipeDelimited}",
        "Keep the style; add a new parameter for a new format.",
    ),
    _r(
        "request-parameter-explode-changed",
        B,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter's `explode` changed.",
        "`?id=1&id=2` and `?id=1,2` are different wire formats. Not reported for a primitive "
        "(string, number, boolean), which `explode` does not change.",
        "base: {explode: true}\nrevision: {explode: false}",
        "Keep `explode` as it is.",
    ),
    _r(
        "request-parameter-allow-reserved-changed",
        W,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter's `allowReserved` changed.",
        "Clients encode reserved characters differently than the server expects.",
        "base: {allowReserved: true}\nrevision: {}",
        "Keep it as it is.",
    ),
    _r(
        "request-parameter-allow-empty-value-removed",
        B,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter no longer allows an empty value.",
        "Clients sending `?flag=` are rejected. Not reported in callbacks and webhooks, where the "
        "API sends the parameter and sending fewer empty values harms nobody.",
        "base: {allowEmptyValue: true}\nrevision: {}",
        "Keep accepting empty values.",
    ),
    _r(
        "request-parameter-description-changed",
        I,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    _r(
        "request-parameter-schema-changed",
        W,
        Area.PARAMETERS,
        REQ,
        _PARAMS,
        "A parameter moved between `schema` and `content` (or to another `content` media type), or lost or gained its schema.",
        "The value is serialised differently (a JSON text instead of the `style` form, say), so old clients send what the server no longer parses. The schemas themselves are still compared.",
        "base: {schema: {type: string}}\nrevision: {content: {application/json: {schema: ...}}}",
        "Keep the parameter's form.",
    ),
    # --- request bodies
    _r(
        "request-body-added-required",
        B,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "A required request body was added.",
        "Existing clients send no body and are rejected.",
        "revision: requestBody: {required: true, content: ...}",
        "Add the body as optional.",
    ),
    _r(
        "request-body-added-optional",
        I,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "An optional request body was added.",
        "Nothing breaks.",
        "revision: requestBody: {content: ...}",
        "Nothing to do.",
    ),
    _r(
        "request-body-removed",
        B,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "The request body was removed.",
        "Clients keep sending one; the server may reject it or ignore what it carries.",
        "base: requestBody: {content: ...}\nrevision: (none)",
        "Deprecate first; keep accepting the body.",
    ),
    _r(
        "request-body-became-required",
        B,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "The request body became required.",
        "Clients that send none are rejected.",
        "base: requestBody: {required: false}\nrevision: requestBody: {required: true}",
        "Keep it optional.",
    ),
    _r(
        "request-body-became-optional",
        I,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "The request body became optional.",
        "Nothing breaks.",
        "base: {required: true}\nrevision: {required: false}",
        "Nothing to do.",
    ),
    _r(
        "request-body-description-changed",
        I,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "The request body's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    _r(
        "request-body-media-type-removed",
        B,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "A request media type was removed.",
        "Clients sending that content type are rejected with 415.",
        "base: content: {application/json: ..., application/xml: ...}\nrevision: content: {application/json: ...}",
        "Keep accepting the media type.",
    ),
    _r(
        "request-body-media-type-added",
        I,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "A request media type was added.",
        "Nothing breaks.",
        "revision: content: {application/xml: ...}",
        "Nothing to do.",
    ),
    _r(
        "request-body-media-type-name-changed",
        I,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "A request media type is written differently but still matches (`+json` suffix, parameters), "
        "neither name covering the other.",
        "Usually nothing breaks; check clients that send the exact old name. A name that became more "
        "specific or more general is judged in direction (`request-body-media-type-name-specialized`).",
        "base: application/vnd.animal+json\nrevision: application/vnd.pet+json",
        "Nothing to do.",
    ),
    _r(
        "request-body-schema-added",
        W,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "A request media type without a schema got one.",
        "Anything was accepted before; now only what the schema allows.",
        "base: {application/json: {}}\nrevision: {application/json: {schema: ...}}",
        "Make sure the schema accepts what clients send today.",
    ),
    _r(
        "request-body-schema-removed",
        I,
        Area.REQUEST_BODY,
        REQ,
        _BODY,
        "A request media type lost its schema.",
        "Nothing breaks: anything is accepted.",
        "base: {schema: ...}\nrevision: {}",
        "Nothing to do.",
    ),
    # --- responses
    _r(
        "response-success-status-removed",
        B,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A success response status was removed.",
        "Clients handling that status get one they do not expect.",
        "base: responses: {'200': ..., '201': ...}\nrevision: responses: {'200': ...}",
        "Keep returning the status.",
    ),
    _r(
        "response-non-success-status-removed",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A non-success response status was removed.",
        "Nothing breaks: clients just never see it.",
        "base: {'404': ...}\nrevision: (gone)",
        "Nothing to do.",
    ),
    _r(
        "response-success-status-added",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A success response status was added.",
        "Clients may not handle the new status.",
        "revision: responses: {'202': ...}",
        "Document how clients should handle it.",
    ),
    _r(
        "response-non-success-status-added",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A non-success response status was added.",
        "Clients may not handle the new status specifically.",
        "revision: responses: {'429': ...}",
        "Nothing to do.",
    ),
    _r(
        "response-description-changed",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A response's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    _r(
        "response-media-type-removed",
        B,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A response media type was removed.",
        "Clients that ask for it (Accept) get 406 or a type they cannot parse.",
        "base: content: {application/json: ..., text/csv: ...}\nrevision: content: {application/json: ...}",
        "Keep producing the media type.",
    ),
    _r(
        "response-media-type-added",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A response media type was added.",
        "Nothing breaks for clients that send Accept.",
        "revision: content: {text/csv: ...}",
        "Nothing to do.",
    ),
    _r(
        "response-body-media-type-name-changed",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A response media type is written differently but still matches, neither name covering the other.",
        "Usually nothing breaks. A name that became more general or more specific is judged in "
        "direction (`response-body-media-type-name-generalized`).",
        "base: application/vnd.animal+json\nrevision: application/vnd.pet+json",
        "Nothing to do.",
    ),
    _r(
        "response-body-schema-added",
        I,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A response media type got a schema.",
        "Nothing breaks: responses are now described.",
        "base: {application/json: {}}\nrevision: {application/json: {schema: ...}}",
        "Nothing to do.",
    ),
    _r(
        "response-body-schema-removed",
        W,
        Area.RESPONSES,
        RESP,
        _RESP,
        "A response media type lost its schema.",
        "Anything may now come back; clients lose the contract they parse against.",
        "base: {schema: ...}\nrevision: {}",
        "Keep the schema.",
    ),
    _r(
        "required-response-header-removed",
        B,
        Area.HEADERS,
        RESP,
        _RESP,
        "A required response header was removed.",
        "Clients reading it get nothing.",
        "base: headers: {X-Rate-Limit: {required: true}}\nrevision: headers: {}",
        "Keep sending the header.",
    ),
    _r(
        "optional-response-header-removed",
        W,
        Area.HEADERS,
        RESP,
        _RESP,
        "An optional response header was removed.",
        "Clients that use it when present lose it.",
        "base: headers: {X-Trace: {}}\nrevision: headers: {}",
        "Deprecate first.",
    ),
    _r(
        "response-header-added",
        I,
        Area.HEADERS,
        RESP,
        _RESP,
        "A response header was added.",
        "Nothing breaks.",
        "revision: headers: {X-Trace: {}}",
        "Nothing to do.",
    ),
    _r(
        "response-header-became-optional",
        B,
        Area.HEADERS,
        RESP,
        _RESP,
        "A required response header became optional.",
        "Clients that rely on it may not get it.",
        "base: {required: true}\nrevision: {required: false}",
        "Keep it required.",
    ),
    _r(
        "response-header-became-required",
        I,
        Area.HEADERS,
        RESP,
        _RESP,
        "An optional response header became required.",
        "Nothing breaks.",
        "base: {}\nrevision: {required: true}",
        "Nothing to do.",
    ),
    _r(
        "response-header-deprecated",
        I,
        Area.HEADERS,
        RESP,
        _RESP,
        "A response header was deprecated.",
        "Nothing breaks yet.",
        "revision: {deprecated: true}",
        "Nothing to do.",
    ),
    # --- security
    _r(
        "api-security-added",
        B,
        Area.SECURITY,
        REQ,
        _SEC,
        "An operation now requires security where it required none (adding an alternative is info).",
        "Clients without credentials are rejected with 401.",
        "base: get: {}\nrevision: get: {security: [{apiKey: []}]}",
        "Announce it and give clients time to get credentials.",
        ("api-global-security-added",),
    ),
    _r(
        "api-security-removed",
        B,
        Area.SECURITY,
        REQ,
        _SEC,
        "A security alternative of an operation was removed while others remain (info when the operation became open).",
        "Clients authenticating that way are locked out, unless a remaining alternative asks only for "
        "credentials they already present: `{a AND b}` relaxed to `{a}` is info (every new alternative "
        "is checked against the removed one, scopes included).",
        "base: security: [{apiKey: []}, {oauth: []}]\nrevision: security: [{oauth: []}]",
        "Keep accepting the old scheme during a migration period.",
    ),
    _r(
        "api-security-scope-added",
        B,
        Area.SECURITY,
        REQ,
        _SEC,
        "An operation's security requirement needs a new scope.",
        "Existing tokens lack the scope: 403.",
        "base: security: [{oauth: [read]}]\nrevision: security: [{oauth: [read, write]}]",
        "Require new scopes only on new operations.",
    ),
    _r(
        "api-security-scope-removed",
        I,
        Area.SECURITY,
        REQ,
        _SEC,
        "An operation needs fewer scopes.",
        "Nothing breaks.",
        "base: [{oauth: [read, write]}]\nrevision: [{oauth: [read]}]",
        "Nothing to do.",
    ),
    _r(
        "api-global-security-added",
        B,
        Area.SECURITY,
        REQ,
        _SEC,
        "The API now requires security where it required none.",
        "Clients without credentials are rejected.",
        "base: (no security)\nrevision: security: [{apiKey: []}]",
        "Announce it and give clients time.",
        ("api-security-added",),
    ),
    _r(
        "api-global-security-removed",
        B,
        Area.SECURITY,
        REQ,
        _SEC,
        "A global security alternative was removed while others remain (info when the API became open).",
        "Clients authenticating that way are locked out, unless a remaining alternative asks only for "
        "credentials they already present (`{a AND b}` relaxed to `{a}`: info).",
        "base: security: [{a: []}, {b: []}]\nrevision: security: [{b: []}]",
        "Keep accepting the old scheme for a while.",
    ),
    _r(
        "api-global-security-scope-added",
        B,
        Area.SECURITY,
        REQ,
        _SEC,
        "The global security requirement needs a new scope.",
        "Existing tokens lack the scope.",
        "base: [{oauth: [read]}]\nrevision: [{oauth: [read, admin]}]",
        "Do not add scopes to existing operations.",
    ),
    _r(
        "api-global-security-scope-removed",
        I,
        Area.SECURITY,
        REQ,
        _SEC,
        "The global security requirement needs fewer scopes.",
        "Nothing breaks.",
        "base: [{oauth: [read, write]}]\nrevision: [{oauth: [read]}]",
        "Nothing to do.",
    ),
    _r(
        "api-security-component-added",
        I,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "A security scheme was defined.",
        "Nothing breaks.",
        "revision: securitySchemes: {apiKey: ...}",
        "Nothing to do.",
    ),
    _r(
        "api-security-component-removed",
        I,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "A security scheme definition was removed.",
        "Operations that used it report their own change.",
        "base: securitySchemes: {apiKey: ...}\nrevision: {}",
        "Nothing to do.",
    ),
    _r(
        "api-security-component-type-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "A security scheme's type changed.",
        "Clients authenticate the old way. The other fields of a scheme whose type changed are not "
        "reported one by one.",
        "base: {type: apiKey}\nrevision: {type: http, scheme: bearer}",
        "Add a new scheme as an alternative.",
    ),
    _r(
        "api-security-component-http-scheme-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An HTTP security scheme changed (e.g. basic to bearer).",
        "Clients send the old kind of Authorization header.",
        "base: {scheme: basic}\nrevision: {scheme: bearer}",
        "Add a new scheme as an alternative.",
    ),
    _r(
        "api-security-component-bearer-format-changed",
        I,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "A bearer format hint changed.",
        "Only documentation.",
        "base: {bearerFormat: JWT}\nrevision: {bearerFormat: opaque}",
        "Nothing to do.",
    ),
    _r(
        "api-security-component-api-key-name-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An API key's header, query or cookie name changed.",
        "Clients send the key under the old name.",
        "base: {name: X-Api-Key}\nrevision: {name: X-Key}",
        "Accept both names.",
    ),
    _r(
        "api-security-component-api-key-in-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An API key moved (header, query, cookie).",
        "Clients send it in the old place.",
        "base: {in: header}\nrevision: {in: query}",
        "Accept both places.",
    ),
    _r(
        "api-security-component-openid-url-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "The OpenID Connect discovery URL changed.",
        "Clients discover the old provider.",
        "base: {openIdConnectUrl: https://a}\nrevision: {openIdConnectUrl: https://b}",
        "Keep the URL.",
    ),
    _r(
        "api-security-component-oauth-token-url-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth token URL changed.",
        "Clients fetch tokens from the old URL.",
        "base: {tokenUrl: https://a/token}\nrevision: {tokenUrl: https://b/token}",
        "Keep the old URL working.",
    ),
    _r(
        "api-security-component-oauth-url-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth authorization URL changed.",
        "Clients send users to the old URL.",
        "base: {authorizationUrl: https://a}\nrevision: {authorizationUrl: https://b}",
        "Keep the old URL working.",
    ),
    _r(
        "api-security-component-oauth-refresh-url-changed",
        I,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth refresh URL changed.",
        "Clients refreshing at the old URL may fail.",
        "base: {refreshUrl: https://a}\nrevision: {refreshUrl: https://b}",
        "Keep the old URL working.",
    ),
    _r(
        "api-security-component-oauth-flow-changed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "A Swagger 2.0 OAuth flow changed.",
        "Clients use the old grant.",
        "base: {flow: implicit}\nrevision: {flow: accessCode}",
        "Add a new scheme.",
    ),
    _r(
        "api-security-component-oauth-flow-removed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth flow was removed.",
        "Clients using that grant cannot get tokens.",
        "base: flows: {implicit: ..., clientCredentials: ...}\nrevision: flows: {clientCredentials: ...}",
        "Keep the flow.",
    ),
    _r(
        "api-security-component-oauth-flow-added",
        I,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth flow was added.",
        "Nothing breaks.",
        "revision: flows: {clientCredentials: ...}",
        "Nothing to do.",
    ),
    _r(
        "api-security-component-oauth-scope-removed",
        B,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth scope definition was removed.",
        "Clients requesting it are refused tokens.",
        "base: scopes: {read: ..., write: ...}\nrevision: scopes: {read: ...}",
        "Keep the scope.",
    ),
    _r(
        "api-security-component-oauth-scope-added",
        I,
        Area.SECURITY,
        NONE,
        _SCHEMES,
        "An OAuth scope was defined.",
        "Nothing breaks.",
        "revision: scopes: {admin: ...}",
        "Nothing to do.",
    ),
    # --- servers, info, tags, components
    _r(
        "api-server-removed",
        B,
        Area.SERVERS,
        NONE,
        document.servers,
        "A server URL was removed.",
        "Clients and gateway routes configured with it break.",
        "base: servers: [{url: https://api.a}]\nrevision: servers: [{url: https://api.b}]",
        "Keep the old URL serving, or redirect it.",
    ),
    _r(
        "api-server-added",
        I,
        Area.SERVERS,
        NONE,
        document.servers,
        "A server URL was added.",
        "Nothing breaks.",
        "revision: servers: [{url: https://eu.api}]",
        "Nothing to do.",
    ),
    _r(
        "api-server-description-changed",
        I,
        Area.SERVERS,
        NONE,
        document.servers,
        "A server's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    _r(
        "api-server-variable-enum-value-removed",
        B,
        Area.SERVERS,
        NONE,
        document.servers,
        "A server variable no longer allows a value.",
        "Clients configured with that value get an invalid base URL.",
        "base: variables: {region: {enum: [eu, us]}}\nrevision: variables: {region: {enum: [eu]}}",
        "Keep the value.",
    ),
    _r(
        "api-server-variable-default-changed",
        W,
        Area.SERVERS,
        NONE,
        document.servers,
        "A server variable's default changed.",
        "Clients using the default now reach another server.",
        "base: {default: eu}\nrevision: {default: us}",
        "Keep defaults.",
    ),
    _r(
        "api-server-variable-changed",
        W,
        Area.SERVERS,
        NONE,
        document.servers,
        "A server variable was added or removed.",
        "Clients filling in the template may build another URL.",
        "base: variables: {}\nrevision: variables: {region: ...}",
        "Check the URL template.",
    ),
    _r(
        "api-title-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.title changed.",
        "Nothing breaks.",
        "base: {title: a}\nrevision: {title: b}",
        "Nothing to do.",
    ),
    _r(
        "api-description-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    _r(
        "api-summary-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.summary changed.",
        "Nothing breaks.",
        "base: {summary: a}\nrevision: {summary: b}",
        "Nothing to do.",
    ),
    _r(
        "api-terms-of-service-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.termsOfService changed.",
        "Nothing breaks on the wire.",
        "base: {termsOfService: https://a}\nrevision: {termsOfService: https://b}",
        "Nothing to do.",
    ),
    _r(
        "api-contact-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.contact changed.",
        "Nothing breaks.",
        "base: {contact: {name: a}}\nrevision: {contact: {name: b}}",
        "Nothing to do.",
    ),
    _r(
        "api-license-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.license changed.",
        "Nothing breaks on the wire; check what users may do.",
        "base: {license: {name: MIT}}\nrevision: {license: {name: Apache-2.0}}",
        "Nothing to do.",
    ),
    _r(
        "api-version-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "info.version changed.",
        "Nothing breaks.",
        "base: {version: 1.0.0}\nrevision: {version: 1.1.0}",
        "Nothing to do.",
    ),
    _r(
        "api-version-decreased",
        W,
        Area.INFO,
        NONE,
        document.info,
        "info.version went down.",
        "Version order is how clients and registries tell releases apart.",
        "base: {version: 1.2.0}\nrevision: {version: 1.1.0}",
        "Versions only go up.",
    ),
    _r(
        "api-extension-changed",
        I,
        Area.INFO,
        NONE,
        document.info,
        "A root-level `x-` extension was added, removed or changed.",
        "Nothing breaks for clients; tools reading it may behave differently.",
        "base: x-audience: public\nrevision: x-audience: partner",
        "Nothing to do.",
    ),
    _r(
        "api-tag-definition-removed",
        I,
        Area.INFO,
        NONE,
        document.tags,
        "A tag definition was removed.",
        "Nothing breaks on the wire.",
        "base: tags: [{name: pets}]\nrevision: tags: []",
        "Nothing to do.",
    ),
    _r(
        "api-tag-definition-added",
        I,
        Area.INFO,
        NONE,
        document.tags,
        "A tag definition was added.",
        "Nothing breaks.",
        "revision: tags: [{name: pets}]",
        "Nothing to do.",
    ),
    _r(
        "api-schema-removed",
        I,
        Area.SCHEMAS,
        NONE,
        document.component_schemas,
        "A component schema was removed (also: renamed, or inlined where it was used).",
        "Nothing breaks on the wire by itself (uses report their own changes). SDKs generated from "
        "it lose a type their users import, so it is `breaking` under `--tier sdk` (not when a "
        "schema added at the same time gets the same type name, `pet` -> `Pet`).",
        "base: components: {schemas: {LegacyPet: ...}}\nrevision: components: {schemas: {}}",
        "Keep the schema under its name (a `$ref` to the new one) until clients moved.",
        sdk=B,
    ),
    _r(
        "api-schema-added",
        I,
        Area.SCHEMAS,
        NONE,
        document.component_schemas,
        "A component schema was added.",
        "Nothing breaks.",
        "revision: components: {schemas: {Pet: ...}}",
        "Nothing to do.",
    ),
    _r(
        "enum-value-case-changed",
        I,
        Area.SCHEMAS,
        NONE,
        document.enum_case_renames,
        "An enum value is now spelled with other letter case.",
        "The value rules judge the wire change (a value removed and one added). Generated clients "
        "type the enum as literals (`Literal['active']`, `'active'`), so code comparing with or "
        "passing the old spelling stops type-checking: `breaking` under `--tier sdk`.",
        "base:     {type: string, enum: [active, closed]}\nrevision: {type: string, enum: [Active, closed]}",
        "Keep the spelling; add the new value next to the old one and deprecate the old one.",
        ("request-property-enum-value-removed", "response-property-enum-value-added"),
        sdk=B,
    ),
)

_PROPERTY_RULES: Final = (
    (
        "new-required-request-property",
        B,
        REQ,
        "A new required property was added to a request body.",
        "Existing clients do not send it: their requests are rejected.",
        "revision: {properties: {tenant: {type: string}}, required: [tenant]}",
        "Add it as optional and default it on the server.",
    ),
    (
        "new-optional-request-property",
        I,
        REQ,
        "A new optional property was added to a request body.",
        "Nothing breaks (under a closed model or with `--strict-open-model` apigov checks what old clients may have sent there).",
        "revision: {properties: {nickname: {type: string}}}",
        "Nothing to do.",
    ),
    (
        "request-property-removed",
        W,
        REQ,
        "A property was removed from a request body.",
        "Clients still send it; under `additionalProperties: false` it is rejected (breaking, proven), otherwise it is ignored.",
        "base: {properties: {nickname: ...}}\nrevision: {properties: {}}",
        "Deprecate it first and keep accepting it.",
    ),
    (
        "request-property-became-read-only",
        W,
        REQ,
        "A request property became `readOnly`.",
        "Clients that send it may be rejected or ignored.",
        "base: {id: {type: string}}\nrevision: {id: {type: string, readOnly: true}}",
        "Keep it writable, or deprecate first.",
    ),
    (
        "response-required-property-added",
        I,
        RESP,
        "A required property was added to a response body.",
        "Nothing breaks for tolerant readers; breaking (proven) under a closed response model.",
        "revision: {properties: {etag: ...}, required: [etag]}",
        "Nothing to do.",
    ),
    (
        "response-optional-property-added",
        I,
        RESP,
        "An optional property was added to a response body.",
        "Nothing breaks for tolerant readers; breaking (proven) under a closed response model.",
        "revision: {properties: {etag: ...}}",
        "Nothing to do.",
    ),
    (
        "response-required-property-removed",
        B,
        RESP,
        "A required property was removed from a response body.",
        "Clients reading it get nothing.",
        "base: {properties: {id: ...}, required: [id]}\nrevision: {properties: {}}",
        "Keep it.",
    ),
    (
        "response-optional-property-removed",
        W,
        RESP,
        "An optional property was removed from a response body.",
        "Clients that use it when present never get it again.",
        "base: {properties: {nickname: ...}}\nrevision: {properties: {}}",
        "Deprecate it first.",
    ),
    (
        "response-property-became-write-only",
        B,
        RESP,
        "A response property became `writeOnly`.",
        "It disappears from responses (breaking when it was required, a warning otherwise).",
        "base: {secret: {type: string}}\nrevision: {secret: {type: string, writeOnly: true}}",
        "Keep it readable.",
    ),
)

_ANNOTATION_RULES: Final = (
    (
        "deprecated",
        I,
        "was deprecated",
        "Nothing breaks yet.",
        "revision: {deprecated: true}",
        "Tell clients what to use instead.",
    ),
    (
        "reactivated",
        I,
        "is no longer deprecated",
        "Nothing breaks.",
        "base: {deprecated: true}\nrevision: {}",
        "Nothing to do.",
    ),
)
_DEFAULT_RULES: Final = (
    (
        "default-value-added",
        I,
        "got a default value",
        "Nothing breaks: clients that omit it now get a defined value.",
        "revision: {default: 10}",
        "Nothing to do.",
    ),
    (
        "default-value-changed",
        W,
        "has another default value",
        "Clients that omit it get another behaviour.",
        "base: {default: 10}\nrevision: {default: 20}",
        "Keep defaults; clients rely on them silently.",
    ),
    (
        "default-value-removed",
        W,
        "lost its default value",
        "Clients that omit it no longer know what the server assumes.",
        "base: {default: 10}\nrevision: {}",
        "Keep the default.",
    ),
)
_DISCRIMINATOR_RULES: Final = (
    (
        "discriminator-added",
        I,
        "A discriminator was added.",
        "Nothing breaks.",
        "revision: {discriminator: {propertyName: kind}}",
        "Nothing to do.",
    ),
    (
        "discriminator-removed",
        W,
        "A discriminator was removed.",
        "SDKs that dispatch on it cannot tell variants apart.",
        "base: {discriminator: {propertyName: kind}}\nrevision: {}",
        "Keep the discriminator.",
    ),
    (
        "discriminator-property-name-changed",
        B,
        "The discriminator property changed.",
        "Readers dispatch on the discriminator's property: old requests lack the property the new "
        "contract dispatches on, and old clients look for the old property in new responses. Breaking "
        "in both directions where the discriminator selects among `oneOf`/`anyOf` variants or has a "
        "`mapping` (a warning otherwise); JSON Schema validation ignores the keyword, so there is no "
        "counter-example instance.",
        "base: {propertyName: kind}\nrevision: {propertyName: type}",
        "Keep the property.",
    ),
    (
        "discriminator-mapping-added",
        I,
        "A discriminator mapping was added.",
        "Nothing breaks.",
        "revision: mapping: {cat: '#/components/schemas/Cat'}",
        "Nothing to do.",
    ),
    (
        "discriminator-mapping-deleted",
        B,
        "A discriminator mapping was deleted.",
        "Clients sending or reading that value cannot resolve its variant: breaking where the "
        "discriminator dispatches, unless the value names its schema and still resolves implicitly "
        "(a warning then, or where nothing dispatches).",
        "base: mapping: {cat: ...}\nrevision: mapping: {}",
        "Keep the mapping.",
    ),
    (
        "discriminator-mapping-changed",
        B,
        "A discriminator mapping points elsewhere.",
        "The value now selects another variant, for senders and readers alike: breaking where the "
        "discriminator dispatches (`oneOf`/`anyOf`), a warning otherwise. Respelling the same target "
        "(`Cat` for `#/components/schemas/Cat`) is no change.",
        "base: mapping: {cat: Cat}\nrevision: mapping: {cat: Feline}",
        "Keep mappings stable.",
    ),
)

_SCHEMA_CHECKS: Final = (param_rules.parameters, request_body.request_bodies, responses.responses)


def _schema_check(prefix: str) -> Check:
    if prefix == "request-parameter":
        return param_rules.parameters
    if prefix.startswith("request"):
        return request_body.request_bodies
    return responses.responses


def _area(prefix: str) -> Area:
    if prefix == "request-parameter":
        return Area.PARAMETERS
    if prefix == "response-header":
        return Area.HEADERS
    return Area.REQUEST_BODY if prefix.startswith("request") else Area.RESPONSES


def _noun(prefix: str) -> str:
    return prefix.replace("-", " ")


def _example(family: Family, narrow: bool, prefix: str) -> str:
    base, revision = (family.base, family.revision) if narrow else (family.revision, family.base)
    if prefix.endswith("property"):
        base = {"type": "object", "properties": {"p": base}}
        revision = {"type": "object", "properties": {"p": revision}}
    return f"base:     {json.dumps(base)}\nrevision: {json.dumps(revision)}"


def _family_rules() -> list[Rule]:
    rules: list[Rule] = []
    seen: set[str] = set()
    for prefix, direction in PREFIXES:
        request = direction == "request"
        for family in FAMILIES:
            if family.key == "required" and not prefix.endswith("property"):
                continue  # a parameter's or body's own `required` is a structural rule
            for narrow in (True, False):
                suffix = family.narrow if narrow else family.widen
                rule_id = f"{prefix}-{suffix}"
                if rule_id in seen:
                    continue
                seen.add(rule_id)
                harmful = narrow == request or family.symmetric
                level = (W if rule_id in TOLERATED else B) if harmful else I
                text = family.narrow_text if narrow else family.widen_text
                summary = f"The {_noun(prefix)} schema: {text}."
                if harmful and request:
                    why = (
                        "Requests old clients send may now be rejected. apigov reports it as breaking only "
                        "with a counter-example: a value the old schema accepted and the new one rejects; "
                        "when it cannot decide, as a warning."
                    )
                elif rule_id in TOLERATED:
                    why = (
                        "Responses may now carry a value old clients have not seen. Clients should treat "
                        "an unknown enum value as 'other' (most API guidelines ask for that, and oasdiff "
                        "rates it a warning), so apigov reports a warning, with a counter-example."
                    )
                elif harmful:
                    why = (
                        "Responses may now carry values old clients do not expect. apigov reports it as "
                        "breaking only with a counter-example: a value the new schema allows and the old "
                        "one did not; when it cannot decide, as a warning."
                    )
                else:
                    why = "Nothing breaks: " + (
                        "the server accepts more than before."
                        if request
                        else "responses stay within what old clients understand."
                    )
                evolve = (
                    "Widen requests, never narrow them; narrow responses, never widen them. To change "
                    "a field incompatibly, add a new field (or version the operation) and deprecate the old one."
                )
                rules.append(
                    Rule(
                        id=rule_id,
                        level=level,
                        area=_area(prefix),
                        direction=Direction(direction),
                        summary=summary,
                        check=_schema_check(prefix),
                        doc=rule_doc(summary, why, _example(family, narrow, prefix), evolve),
                        oasdiff_id=rule_id if rule_id in OASDIFF_IDS else None,
                    )
                )
    return rules


def _property_rules() -> list[Rule]:
    rules = []
    for rule_id, level, direction, summary, why, example, evolve in _PROPERTY_RULES:
        check = request_body.request_bodies if direction is REQ else responses.responses
        area = Area.REQUEST_BODY if direction is REQ else Area.RESPONSES
        rules.append(_r(rule_id, level, area, direction, check, summary, why, example, evolve))
    for prefix in ("request-property", "response-property"):
        direction = REQ if prefix.startswith("request") else RESP
        check = request_body.request_bodies if direction is REQ else responses.responses
        area = Area.REQUEST_BODY if direction is REQ else Area.RESPONSES
        for suffix, level, text, why, example, evolve in _ANNOTATION_RULES:
            rules.append(
                _r(
                    f"{prefix}-{suffix}",
                    level,
                    Area.LIFECYCLE,
                    direction,
                    check,
                    f"A {_noun(prefix)} {text}.",
                    why,
                    example,
                    evolve,
                )
            )
        for suffix, level, summary, why, example, evolve in _DISCRIMINATOR_RULES:
            root = prefix.replace("property", "body")
            rules.append(_r(f"{root}-{suffix}", level, area, direction, check, summary, why, example, evolve))
    for prefix, direction_name in PREFIXES:
        request = direction_name == "request"
        for suffix, text in (("removed", "value removed"), ("added", "value added")):
            harmful = request and suffix == "removed"
            rules.append(
                _r(
                    f"{prefix}-x-extensible-enum-value-{suffix}",
                    B if harmful else I,
                    _area(prefix),
                    Direction(direction_name),
                    _schema_check(prefix),
                    f"The {_noun(prefix)} schema: x-extensible-enum {text}.",
                    (
                        "`x-extensible-enum` lists the values an API promises while it may grow the list. "
                        "Clients sent the removed value because it was promised; the server may now refuse it. "
                        "No instance proves it (the list is not validated), so there is no counter-example."
                    )
                    if harmful
                    else (
                        "Nothing breaks: clients of an extensible enum accept values they do not know"
                        + (", and the server accepts more." if request else ".")
                    ),
                    f"base:     {{type: string, x-extensible-enum: [a, b]}}\nrevision: {{type: string, "
                    f"x-extensible-enum: [{'a' if suffix == 'removed' else 'a, b, c'}]}}",
                    "Grow an extensible enum, never shrink it in requests; deprecate a value and keep accepting it.",
                )
            )
    for prefix, gone in (
        ("request-property", "they still send it (refused under a closed model, else ignored)."),
        ("response-property", "they still read it."),
    ):
        direction = REQ if prefix.startswith("request") else RESP
        check = request_body.request_bodies if direction is REQ else responses.responses
        for suffix, summary, why, example, evolve in param_rules.PROPERTY_SUNSET:
            noun = _noun(prefix)
            text = summary.format(noun=noun)
            rules.append(
                _r(
                    f"{prefix}-{suffix}",
                    B,
                    Area.LIFECYCLE,
                    direction,
                    check,
                    text,
                    why.format(why=gone),
                    example.format(),
                    evolve,
                )
            )
    for prefix in ("request-property", "request-body"):
        for suffix, level, text, why, example, evolve in _DEFAULT_RULES:
            rules.append(
                _r(
                    f"{prefix}-{suffix}",
                    level,
                    Area.REQUEST_BODY,
                    REQ,
                    request_body.request_bodies,
                    f"A {_noun(prefix)} {text}.",
                    why,
                    example,
                    evolve,
                )
            )
    return rules


def _media_rules() -> list[Rule]:
    """Media-type names in direction (rules/openapi/media.py holds the rows)."""
    rules = []
    for root, change, level, summary, why, example, evolve in media.ROWS:
        request = root.startswith("request")
        direction, check, area = (REQ, _BODY, Area.REQUEST_BODY) if request else (RESP, _RESP, Area.RESPONSES)
        rule_id = f"{root}-media-type-name-{change}"
        related = (f"{root}-media-type-name-changed",)
        rules.append(_r(rule_id, level, area, direction, check, summary, why, example, evolve, related))
    return rules


SEMVER: Final = (
    _r(
        "api-version-not-bumped",
        W,
        Area.INFO,
        NONE,
        document.semver_policy,
        "There are breaking changes but info.version did not change.",
        "Clients and registries cannot tell the incompatible release apart.",
        "base: {version: 1.2.0}\nrevision: {version: 1.2.0}   # plus a breaking change",
        "Bump the major version.",
    ),
    _r(
        "api-major-version-not-bumped",
        W,
        Area.INFO,
        NONE,
        document.semver_policy,
        "There are breaking changes but the major version of info.version did not go up.",
        "Semantic versioning promises compatibility within a major version.",
        "base: {version: 1.2.0}\nrevision: {version: 1.3.0}   # plus a breaking change",
        "Bump the major version.",
    ),
)

NOTICES: Final = (
    _r(
        EXPIRED_ID,
        W,
        Area.LIFECYCLE,
        NONE,
        notices.ignore_notices,
        "An ignore-file entry matched a change but has expired, so it no longer applies.",
        "The change it accepted is reported again at its own level. An entry applies through its "
        "expires date (inclusive): expires: 2026-01-31 still applies on 2026-01-31 and expires on "
        "2026-02-01.",
        "ignore: [{id: request-property-removed, operation: POST /pets, reason: ..., expires: 2026-01-31}]",
        "Fix the change, or renew the entry with a new date and reason.",
    ),
    _r(
        UNUSED_ID,
        I,
        Area.LIFECYCLE,
        NONE,
        notices.ignore_notices,
        "An ignore-file entry matched no change.",
        "Nothing breaks; the entry is probably stale.",
        "ignore: [{id: api-schema-removed, pointer: '#/components/schemas/Gone', reason: ...}]",
        "Remove the entry.",
    ),
    _r(
        notices.DANGLING_EXAMPLE_ID,
        W,
        Area.LIFECYCLE,
        NONE,
        notices.dangling_examples,
        "An `examples` entry's `$ref` leads nowhere, so that example was not compared.",
        "Nothing in the contract breaks: examples are documentation. apigov reports it instead of "
        "refusing the whole document, because real specs ship with such dangling examples (GitHub's "
        "REST description 5.6.3 has one); `apigov check` still refuses the document.",
        "examples: {default: {$ref: '#/components/examples/gone'}}   # no such example",
        "Point the `$ref` at an example that exists, or remove the entry.",
    ),
)

RULES: Final[tuple[Rule, ...]] = (
    *STRUCTURAL,
    *param_rules.RULES,
    *_media_rules(),
    *_property_rules(),
    *_family_rules(),
    *SEMVER,
    *NOTICES,
)
BY_ID: Final[Mapping[str, Rule]] = MappingProxyType({rule.id: rule for rule in RULES})
