"""Operations the API itself calls (callbacks and webhooks): their catalogue rows.

In a callback or webhook the API is the client and the consumer's server is the server; the
checks are the callback parts of :mod:`parameters`, :mod:`request_body`, :mod:`responses` and
:mod:`security`. The rows are written for callbacks; webhooks get the same rows.
"""

from __future__ import annotations

from typing import Final

from apigov.rules.openapi._rows import REQ, RESP, B, I, W, row
from apigov.rules.openapi.ids import SENT_BY_API_IDS
from apigov.rules.openapi.parameters import parameters
from apigov.rules.openapi.request_body import request_bodies
from apigov.rules.openapi.responses import responses
from apigov.rules.openapi.security import security_requirements
from apigov.rules.rule import Area, Rule


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
        parameters,
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
        parameters,
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
        parameters,
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
        parameters,
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
        parameters,
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
        request_bodies,
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
        request_bodies,
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
        request_bodies,
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
        request_bodies,
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
        request_bodies,
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
        request_bodies,
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
        responses,
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
        responses,
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
        responses,
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
        responses,
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
        responses,
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
        security_requirements,
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
        security_requirements,
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
                row(
                    SENT_BY_API_IDS[(kind, rule_id.removeprefix("callback-"))],
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


RULES: Final[tuple[Rule, ...]] = tuple(_sent_by_api_rules())
