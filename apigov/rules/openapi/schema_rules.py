"""The schema rules' catalogue rows, generated over the places a schema sits.

Schema rules are the product of the schema-change families (:mod:`apigov.rules._families`) and
the places (request parameter, request body, request property, response body, response
property, response header), spelled out in :mod:`apigov.rules.openapi.ids`; the walk-based
property rules (new required request property, ...) are listed one by one. Their checks are the
schema parts of :mod:`parameters`, :mod:`request_body` and :mod:`responses` (which hand each
schema to :mod:`schemas`).
"""

from __future__ import annotations

import json
from typing import Final

from apigov.rules._families import FAMILIES, PREFIXES, TOLERATED, Family
from apigov.rules.openapi import media
from apigov.rules.openapi import parameters as param_rules
from apigov.rules.openapi._rows import OASDIFF_IDS, REQ, RESP, B, I, W, row
from apigov.rules.openapi.ids import PLACE_IDS
from apigov.rules.openapi.parameters import parameters
from apigov.rules.openapi.request_body import request_bodies
from apigov.rules.openapi.responses import responses
from apigov.rules.rule import Area, Check, Direction, Rule, rule_doc

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

_SCHEMA_CHECKS: Final = (parameters, request_bodies, responses)


def _schema_check(prefix: str) -> Check:
    if prefix == "request-parameter":
        return parameters
    if prefix.startswith("request"):
        return request_bodies
    return responses


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
                rule_id = PLACE_IDS[(prefix, suffix)]
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
        check = request_bodies if direction is REQ else responses
        area = Area.REQUEST_BODY if direction is REQ else Area.RESPONSES
        rules.append(row(rule_id, level, area, direction, check, summary, why, example, evolve))
    for prefix in ("request-property", "response-property"):
        direction = REQ if prefix.startswith("request") else RESP
        check = request_bodies if direction is REQ else responses
        area = Area.REQUEST_BODY if direction is REQ else Area.RESPONSES
        for suffix, level, text, why, example, evolve in _ANNOTATION_RULES:
            rules.append(
                row(
                    PLACE_IDS[(prefix, suffix)],
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
            rules.append(
                row(PLACE_IDS[(root, suffix)], level, area, direction, check, summary, why, example, evolve)
            )
    for prefix, direction_name in PREFIXES:
        request = direction_name == "request"
        for suffix, text in (("removed", "value removed"), ("added", "value added")):
            harmful = request and suffix == "removed"
            rules.append(
                row(
                    PLACE_IDS[(prefix, f"x-extensible-enum-value-{suffix}")],
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
        check = request_bodies if direction is REQ else responses
        for suffix, summary, why, example, evolve in param_rules.PROPERTY_SUNSET:
            noun = _noun(prefix)
            text = summary.format(noun=noun)
            rules.append(
                row(
                    PLACE_IDS[(prefix, suffix)],
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
                row(
                    PLACE_IDS[(prefix, suffix)],
                    level,
                    Area.REQUEST_BODY,
                    REQ,
                    request_bodies,
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
        direction, check, area = (
            (REQ, request_bodies, Area.REQUEST_BODY) if request else (RESP, responses, Area.RESPONSES)
        )
        rule_id = PLACE_IDS[(root, f"media-type-name-{change}")]
        related = (PLACE_IDS[(root, "media-type-name-changed")],)
        rules.append(row(rule_id, level, area, direction, check, summary, why, example, evolve, related))
    return rules


MEDIA_RULES: Final[tuple[Rule, ...]] = tuple(_media_rules())
PROPERTY_RULES: Final[tuple[Rule, ...]] = tuple(_property_rules())
FAMILY_RULES: Final[tuple[Rule, ...]] = tuple(_family_rules())
