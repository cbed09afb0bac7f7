"""One positive case and one safe twin for every diff rule that is not a schema family rule.

Each case is a pair of mini documents built by the small builders below: the positive pair
must report the id at its catalogue level, on the given operation and at the given pointer;
the safe twin (the reverse change, or the nearest harmless variant) must not report it.
A test fails when a catalogue id outside the schema families has no case here.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from apigov.config.project import load_config
from apigov.core.errors import ConfigError
from apigov.core.findings import Level
from apigov.rules.catalogue import BY_ID, NOTICES, SEMVER, STRUCTURAL
from apigov.rules.openapi.schema_rules import PROPERTY_RULES
from apigov.rules.run import DiffRequest, diff_sources
from tests.unit.rules._support import TODAY, by_id, diff_documents, ids

Doc = dict[str, Any]
OK: Doc = {"200": {"description": "ok"}}
CB = "{$request.body#/url}"
CB_PTR = "/paths/~1pets/post/callbacks/onDone/{$request.body#~1url}/post"
CB_OP = f"CALLBACK onDone POST {CB}"


# --- builders -------------------------------------------------------------------------------------


def api(paths: Doc | None = None, *, openapi: str = "3.0.3", version: str = "1.0.0", **root: Any) -> Doc:
    doc: Doc = {"openapi": openapi, "info": {"title": "T", "version": version}, "paths": paths or {}}
    doc.update(root)
    return doc


def op(**fields: Any) -> Doc:
    return {"responses": copy.deepcopy(OK), **fields}


def one(operation: Doc, method: str = "get", path: str = "/pets", **root: Any) -> Doc:
    """A document with one operation."""
    return api({path: {method: operation}}, **root)


def param(name: str = "q", where: str = "query", **fields: Any) -> Doc:
    return {"name": name, "in": where, "schema": {"type": "string"}, **fields}


def params(*items: Doc, **root: Any) -> Doc:
    return one(op(parameters=list(items)), **root)


def body(required: bool = False, media: tuple[str, ...] = ("application/json",), **fields: Any) -> Doc:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    content = {name: {"schema": schema} for name in media}
    return one(op(requestBody={"required": required, "content": content, **fields}), "post")


def no_body() -> Doc:
    return one(op(), "post")


def request_schema(schema: Doc, media: Doc | None = None) -> Doc:
    content = {"application/json": media if media is not None else {"schema": schema}}
    return one(op(requestBody={"content": content}), "post")


def response_schema(schema: Doc) -> Doc:
    content = {"application/json": {"schema": schema}}
    return one(op(responses={"200": {"description": "ok", "content": content}}))


def responses(**codes: Doc) -> Doc:
    return one(op(responses={code.lstrip("_"): value for code, value in codes.items()}))


def response(content: Doc | None = None, headers: Doc | None = None, description: str = "ok") -> Doc:
    out: Doc = {"description": description}
    if content is not None:
        out["content"] = content
    if headers is not None:
        out["headers"] = headers
    return responses(_200=out)


def header(required: bool = False, **fields: Any) -> Doc:
    return {"schema": {"type": "string"}, "required": required, **fields}


def obj(*, required: tuple[str, ...] = (), **props: Doc) -> Doc:
    schema: Doc = {"type": "object", "properties": props}
    if required:
        schema["required"] = list(required)
    return schema


STR: Doc = {"type": "string"}
ARRAY: Doc = {"type": "array", "items": STR}
IDS: Doc = {"$ref": "#/components/schemas/Ids"}
IDS_COMPONENTS: Doc = {"schemas": {"Ids": ARRAY}}


def callback(callback_op: Doc | None) -> Doc:
    outer = op()
    if callback_op is not None:
        outer["callbacks"] = {"onDone": {CB: {"post": callback_op}}}
    return one(outer, "post")


def example(entry: Doc) -> Doc:
    doc = response({"application/json": {"schema": STR, "examples": {"default": entry}}})
    doc["components"] = {"examples": {"here": {"value": "y"}}}
    return doc


SIG = param("X-Sig", "header", required=True)


def cb_params(*items: Doc) -> Doc:
    return callback(op(parameters=list(items)))


def cb_body(*media: str, required: bool = False) -> Doc:
    content = {name: {"schema": obj(id=STR)} for name in media or ("application/json",)}
    return callback(op(requestBody={"required": required, "content": content}))


def cb_headers(*headers: Doc) -> Doc:
    ok: Doc = {"description": "ok"}
    if headers:
        ok["headers"] = {"X-Ack": headers[0]}
    return callback(op(responses={"200": ok}))


def cb_schema(schema: Doc) -> Doc:
    return callback(op(requestBody={"content": {"application/json": {"schema": schema}}}))


def cb_response_schema(schema: Doc) -> Doc:
    content = {"application/json": {"schema": schema}}
    return callback(op(responses={"200": {"description": "ok", "content": content}}))


def cb_secured(requirements: list[Doc] | None) -> Doc:
    doc = callback(op() if requirements is None else op(security=requirements))
    doc["components"] = secured(None)["components"]
    return doc


def secured(requirements: list[Doc] | None, *, root: list[Doc] | None = None) -> Doc:
    schemes = {
        "a": {"type": "http", "scheme": "basic"},
        "b": {"type": "apiKey", "name": "key", "in": "header"},
        "o": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "", "write": ""}}},
        },
    }
    operation = op() if requirements is None else op(security=requirements)
    extra: Doc = {"components": {"securitySchemes": schemes}}
    if root is not None:
        extra["security"] = root
    return one(operation, **extra)


def scheme(**definition: Any) -> Doc:
    return api(components={"securitySchemes": {"s": definition}})


def swagger_scheme(**definition: Any) -> Doc:
    return {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {},
        "securityDefinitions": {"s": definition},
    }


def server(*urls: str, **fields: Any) -> Doc:
    return api(servers=[{"url": url, **fields} for url in urls])


def variable(**definition: Any) -> Doc:
    return api(servers=[{"url": "https://{env}.example.com", "variables": {"env": definition}}])


def info(**fields: Any) -> Doc:
    doc = api(openapi="3.1.0")
    doc["info"].update(fields)
    return doc


def version(value: str, *, breaking: bool = False) -> Doc:
    """A document at ``value``; with ``breaking`` its only operation is gone (a breaking change)."""
    return api({} if breaking else {"/pets": {"get": op()}}, version=value)


def flows(**flow_definitions: Doc) -> Doc:
    return scheme(type="oauth2", flows=flow_definitions)


def cc(token: str = "https://t", scopes: Doc | None = None, **fields: Any) -> Doc:
    return {"tokenUrl": token, "scopes": scopes if scopes is not None else {}, **fields}


def code(authorization: str = "https://a") -> Doc:
    return {"authorizationUrl": authorization, "tokenUrl": "https://t", "scopes": {}}


def discriminated(**discriminator: Any) -> Doc:
    return {"type": "object", "properties": {"kind": STR}, "discriminator": discriminator}


MAPPED = discriminated(propertyName="kind", mapping={"cat": "#/components/schemas/Cat"})


# --- the table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    rule_id: str
    base: Doc
    revision: Doc
    safe: tuple[Doc, Doc]
    operation: str | None
    pointer: str
    ignore: str | None = None
    safe_ignore: str | None = None
    safe_info: bool = False
    """The safe twin may report the id, as info only (an alternative added, not a lock-out)."""


def case(
    rule_id: str,
    base: Doc,
    revision: Doc,
    safe: tuple[Doc, Doc] | None,
    operation: str | None,
    pointer: str,
    **more: Any,
) -> Case:
    """``safe`` ``None`` means the reverse change."""
    return Case(
        rule_id, base, revision, safe if safe is not None else (revision, base), operation, pointer, **more
    )


GET, POST = "GET /pets", "POST /pets"
G, P = "/paths/~1pets/get", "/paths/~1pets/post"
TWO_OPS = api({"/pets": {"get": op(), "post": op()}})
GET_ONLY = api({"/pets": {"get": op()}})


def removed_post(**post: Any) -> Doc:
    return api({"/pets": {"get": op(), "post": op(**post)}})


def path_gone(**get: Any) -> Doc:
    return api({"/pets": {"get": op(**get)}, "/other": {"get": op()}})


OTHER = api({"/other": {"get": op()}})
PAST, FUTURE = "2026-01-01", "2099-01-01"
CB_BASE = op(requestBody={"content": {"application/json": {"schema": STR}}})

CASES: list[Case] = [
    # --- paths and operations
    case(
        "api-path-removed-without-deprecation",
        path_gone(),
        OTHER,
        (path_gone(deprecated=True), OTHER),
        GET,
        G,
    ),
    case(
        "api-path-removed-with-deprecation",
        path_gone(deprecated=True, **{"x-sunset": PAST}),
        OTHER,
        (path_gone(deprecated=True, **{"x-sunset": FUTURE}), OTHER),
        GET,
        G,
    ),
    case(
        "api-path-removed-before-sunset",
        path_gone(deprecated=True, **{"x-sunset": FUTURE}),
        OTHER,
        (path_gone(deprecated=True, **{"x-sunset": PAST}), OTHER),
        GET,
        G,
    ),
    case(
        "api-removed-without-deprecation",
        TWO_OPS,
        GET_ONLY,
        (removed_post(deprecated=True), GET_ONLY),
        POST,
        P,
    ),
    case(
        "api-removed-with-deprecation",
        removed_post(deprecated=True, **{"x-sunset": PAST}),
        GET_ONLY,
        (removed_post(deprecated=True, **{"x-sunset": FUTURE}), GET_ONLY),
        POST,
        P,
    ),
    case(
        "api-removed-before-sunset",
        removed_post(deprecated=True, **{"x-sunset": FUTURE}),
        GET_ONLY,
        (removed_post(deprecated=True, **{"x-sunset": PAST}), GET_ONLY),
        POST,
        P,
    ),
    case("endpoint-added", GET_ONLY, TWO_OPS, None, POST, P),
    case(
        "webhook-removed",
        api(openapi="3.1.0", webhooks={"newPet": {"post": op()}}),
        api(openapi="3.1.0"),
        None,
        "WEBHOOK POST newPet",
        "/webhooks/newPet/post",
    ),
    case(
        "webhook-added",
        api(openapi="3.1.0"),
        api(openapi="3.1.0", webhooks={"newPet": {"post": op()}}),
        None,
        "WEBHOOK POST newPet",
        "/webhooks/newPet/post",
    ),
    case("api-callback-removed", callback(op()), callback(None), None, CB_OP, CB_PTR),
    case("api-callback-added", callback(None), callback(op()), None, CB_OP, CB_PTR),
    # --- inside callbacks: the request is what the consumer's server receives, the response what it sends
    case(
        "callback-request-parameter-added", cb_params(), cb_params(SIG), None, CB_OP, CB_PTR + "/parameters/0"
    ),
    case(
        "callback-request-required-parameter-removed",
        cb_params(SIG),
        cb_params(),
        (cb_params(param("X-Trace", "header")), cb_params()),
        CB_OP,
        CB_PTR + "/parameters/0",
    ),
    case(
        "callback-request-optional-parameter-removed",
        cb_params(param("X-Trace", "header")),
        cb_params(),
        (cb_params(SIG), cb_params()),
        CB_OP,
        CB_PTR + "/parameters/0",
    ),
    case(
        "callback-request-parameter-became-optional",
        cb_params(SIG),
        cb_params(param("X-Sig", "header")),
        None,
        CB_OP,
        CB_PTR + "/parameters/0",
    ),
    case(
        "callback-request-parameter-became-required",
        cb_params(param("X-Sig", "header")),
        cb_params(SIG),
        None,
        CB_OP,
        CB_PTR + "/parameters/0",
    ),
    case("callback-request-body-added", callback(op()), cb_body(), None, CB_OP, CB_PTR + "/requestBody"),
    case("callback-request-body-removed", cb_body(), callback(op()), None, CB_OP, CB_PTR + "/requestBody"),
    case(
        "callback-request-body-became-optional",
        cb_body(required=True),
        cb_body(),
        None,
        CB_OP,
        CB_PTR + "/requestBody",
    ),
    case(
        "callback-request-body-became-required",
        cb_body(),
        cb_body(required=True),
        None,
        CB_OP,
        CB_PTR + "/requestBody",
    ),
    case(
        "callback-request-body-media-type-added",
        cb_body(),
        cb_body("application/json", "application/xml"),
        None,
        CB_OP,
        CB_PTR + "/requestBody/content/application~1xml",
    ),
    case(
        "callback-request-body-media-type-removed",
        cb_body("application/json", "application/xml"),
        cb_body(),
        None,
        CB_OP,
        CB_PTR + "/requestBody/content/application~1xml",
    ),
    case(
        "callback-response-header-removed",
        cb_headers(header(True)),
        cb_headers(),
        None,
        CB_OP,
        CB_PTR + "/responses/200/headers/X-Ack",
    ),
    case(
        "callback-response-required-header-added",
        cb_headers(),
        cb_headers(header(True)),
        (cb_headers(), cb_headers(header())),
        CB_OP,
        CB_PTR + "/responses/200/headers/X-Ack",
    ),
    case(
        "callback-response-optional-header-added",
        cb_headers(),
        cb_headers(header()),
        (cb_headers(), cb_headers(header(True))),
        CB_OP,
        CB_PTR + "/responses/200/headers/X-Ack",
    ),
    case(
        "callback-response-header-became-required",
        cb_headers(header()),
        cb_headers(header(True)),
        None,
        CB_OP,
        CB_PTR + "/responses/200/headers/X-Ack",
    ),
    case(
        "callback-response-header-became-optional",
        cb_headers(header(True)),
        cb_headers(header()),
        None,
        CB_OP,
        CB_PTR + "/responses/200/headers/X-Ack",
    ),
    case(
        "callback-security-added",
        cb_secured([{"a": []}]),
        cb_secured([{"a": []}, {"b": []}]),
        None,
        CB_OP,
        CB_PTR + "/security",
    ),
    case(
        "callback-security-removed",
        cb_secured([{"a": []}]),
        cb_secured(None),
        None,
        CB_OP,
        CB_PTR + "/security",
    ),
    # --- lifecycle
    case("endpoint-deprecated", one(op()), one(op(deprecated=True)), None, GET, G),
    case("endpoint-reactivated", one(op(deprecated=True)), one(op()), None, GET, G),
    case(
        "api-deprecated-sunset-missing",
        one(op()),
        one(op(deprecated=True)),
        (one(op()), one(op(deprecated=True, **{"x-sunset": FUTURE}))),
        GET,
        G,
    ),
    case(
        "api-deprecated-sunset-parse",
        one(op()),
        one(op(**{"x-sunset": "next spring"})),
        (one(op()), one(op(**{"x-sunset": FUTURE}))),
        GET,
        G + "/x-sunset",
    ),
    case(
        "api-sunset-deleted",
        one(op(deprecated=True, **{"x-sunset": FUTURE})),
        one(op(deprecated=True)),
        (one(op(deprecated=True, **{"x-sunset": FUTURE})), one(op())),
        GET,
        G,
    ),
    case(
        "api-sunset-date-changed-too-small",
        one(op(**{"x-sunset": "2099-06-01"})),
        one(op(**{"x-sunset": FUTURE})),
        None,
        GET,
        G + "/x-sunset",
    ),
    case(
        "api-sunset-date-changed",
        one(op(**{"x-sunset": FUTURE})),
        one(op(**{"x-sunset": "2099-06-01"})),
        None,
        GET,
        G + "/x-sunset",
    ),
    case(
        "api-stability-decreased",
        one(op(**{"x-stability-level": "stable"})),
        one(op(**{"x-stability-level": "beta"})),
        None,
        GET,
        G + "/x-stability-level",
    ),
    case(
        "api-stability-increased",
        one(op(**{"x-stability-level": "beta"})),
        one(op(**{"x-stability-level": "stable"})),
        None,
        GET,
        G + "/x-stability-level",
    ),
    case(
        "api-invalid-stability-level",
        one(op(**{"x-stability-level": "beta"})),
        one(op(**{"x-stability-level": "solid"})),
        (one(op(**{"x-stability-level": "beta"})), one(op(**{"x-stability-level": "stable"}))),
        GET,
        G + "/x-stability-level",
    ),
    case("api-operation-id-removed", one(op(operationId="listPets")), one(op()), None, GET, G),
    case("api-operation-id-added", one(op()), one(op(operationId="listPets")), None, GET, G + "/operationId"),
    case("api-tag-removed", one(op(tags=["a", "b"])), one(op(tags=["a"])), None, GET, G + "/tags"),
    case("api-tag-added", one(op(tags=["a"])), one(op(tags=["a", "b"])), None, GET, G + "/tags"),
    case(
        "request-path-parameter-renamed",
        one(op(parameters=[param("id", "path", required=True)]), path="/pets/{id}"),
        one(op(parameters=[param("petId", "path", required=True)]), path="/pets/{petId}"),
        (
            one(op(parameters=[param("id", "path", required=True)]), path="/pets/{id}"),
            one(op(parameters=[param("id", "path", required=True, description="d")]), path="/pets/{id}"),
        ),
        "GET /pets/{petId}",
        "/paths/~1pets~1{petId}/get",
    ),
    case(
        "api-operation-summary-changed",
        one(op(summary="a")),
        one(op(summary="b")),
        (one(op(description="a")), one(op(description="b"))),
        GET,
        G + "/summary",
    ),
    case(
        "api-operation-description-changed",
        one(op(description="a")),
        one(op(description="b")),
        (one(op(summary="a")), one(op(summary="b"))),
        GET,
        G + "/description",
    ),
    case(
        "api-operation-extension-changed",
        one(op(**{"x-team": "a"})),
        one(op(**{"x-team": "b"})),
        (one(op(**{"x-sunset": FUTURE})), one(op(**{"x-sunset": "2099-06-01"}))),
        GET,
        G + "/x-team",
    ),
    # --- parameters
    case(
        "new-required-request-parameter",
        params(),
        params(param(required=True)),
        (params(), params(param())),
        GET,
        G + "/parameters/0",
    ),
    case(
        "new-request-path-parameter",
        one(op(), path="/pets/{id}"),
        one(op(parameters=[param("id", "path", required=True)]), path="/pets/{id}"),
        (one(op(), path="/pets/{id}"), one(op(parameters=[param("id", "header")]), path="/pets/{id}")),
        "GET /pets/{id}",
        "/paths/~1pets~1{id}/get/parameters/0",
    ),
    case(
        "new-optional-request-parameter",
        params(),
        params(param()),
        (params(), params(param(required=True))),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-removed",
        params(param()),
        params(),
        (params(param(deprecated=True)), params()),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-removed-with-deprecation",
        params(param(deprecated=True)),
        params(),
        (params(param()), params()),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-became-required",
        params(param()),
        params(param(required=True)),
        None,
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-became-optional",
        params(param(required=True)),
        params(param()),
        None,
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-deprecated",
        params(param()),
        params(param(deprecated=True)),
        None,
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-reactivated",
        params(param(deprecated=True)),
        params(param()),
        None,
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-style-changed",
        params(param(schema={"type": "array", "items": STR})),
        params(param(schema={"type": "array", "items": STR}, style="pipeDelimited", explode=True)),
        (
            params(param(schema={"type": "array", "items": STR})),
            params(param(schema={"type": "array", "items": STR}, style="form")),
        ),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-explode-changed",
        params(param(schema=ARRAY)),
        params(param(schema=ARRAY, explode=False)),
        (params(param(schema=ARRAY)), params(param(schema=ARRAY, explode=True))),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-allow-reserved-changed",
        params(param()),
        params(param(allowReserved=True)),
        (params(param()), params(param(description="d"))),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-allow-empty-value-removed",
        params(param(allowEmptyValue=True)),
        params(param()),
        None,
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-description-changed",
        params(param(description="a")),
        params(param(description="b")),
        (params(param(description="a")), params(param(description="a", deprecated=True))),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-schema-changed",
        params(param()),
        params({"name": "q", "in": "query", "content": {"application/json": {"schema": STR}}}),
        (params(param()), params(param(schema={"type": "string", "description": "d"}))),
        GET,
        G + "/parameters/0",
    ),
    # --- request bodies
    case(
        "request-body-added-required",
        no_body(),
        body(required=True),
        (no_body(), body()),
        POST,
        P + "/requestBody",
    ),
    case(
        "request-body-added-optional",
        no_body(),
        body(),
        (no_body(), body(required=True)),
        POST,
        P + "/requestBody",
    ),
    case("request-body-removed", body(), no_body(), None, POST, P + "/requestBody"),
    case("request-body-became-required", body(), body(required=True), None, POST, P + "/requestBody"),
    case("request-body-became-optional", body(required=True), body(), None, POST, P + "/requestBody"),
    case(
        "request-body-description-changed",
        body(description="a"),
        body(description="b"),
        (body(description="a"), body(description="a", required=True)),
        POST,
        P + "/requestBody",
    ),
    case(
        "request-body-media-type-removed",
        body(media=("application/json", "application/xml")),
        body(),
        None,
        POST,
        P + "/requestBody/content/application~1xml",
    ),
    case(
        "request-body-media-type-added",
        body(),
        body(media=("application/json", "application/xml")),
        None,
        POST,
        P + "/requestBody/content/application~1xml",
    ),
    case(
        "request-body-media-type-name-changed",  # json -> a +json type: ...-name-specialized
        body(media=("application/vnd.animal+json",)),
        body(media=("application/vnd.pet+json",)),
        (body(), body(media=("application/json; charset=utf-8",))),
        POST,
        P + "/requestBody/content/application~1vnd.pet+json",
    ),
    case(
        "request-body-schema-added",
        request_schema({}, media={}),
        request_schema(STR),
        None,
        POST,
        P + "/requestBody/content/application~1json",
    ),
    case(
        "request-body-schema-removed",
        request_schema(STR),
        request_schema({}, media={}),
        None,
        POST,
        P + "/requestBody/content/application~1json",
    ),
    # --- responses
    case(
        "response-success-status-removed",
        responses(_200=OK["200"], _201=OK["200"]),
        responses(_201=OK["200"]),
        (responses(_200=OK["200"], _404=OK["200"]), responses(_200=OK["200"])),
        GET,
        G + "/responses/200",
    ),
    case(
        "response-non-success-status-removed",
        responses(_200=OK["200"], _404=OK["200"]),
        responses(_200=OK["200"]),
        (responses(_200=OK["200"], _201=OK["200"]), responses(_201=OK["200"])),
        GET,
        G + "/responses/404",
    ),
    case(
        "response-success-status-added",
        responses(_200=OK["200"]),
        responses(_200=OK["200"], _201=OK["200"]),
        (responses(_200=OK["200"]), responses(_200=OK["200"], _404=OK["200"])),
        GET,
        G + "/responses/201",
    ),
    case(
        "response-non-success-status-added",
        responses(_200=OK["200"]),
        responses(_200=OK["200"], _404=OK["200"]),
        (responses(_200=OK["200"]), responses(_200=OK["200"], _201=OK["200"])),
        GET,
        G + "/responses/404",
    ),
    case(
        "response-description-changed",
        response(description="a"),
        response(description="b"),
        (response(description="a"), response(description="a", headers={"X-A": header()})),
        GET,
        G + "/responses/200",
    ),
    case(
        "response-media-type-removed",
        response({"application/json": {"schema": STR}, "application/xml": {"schema": STR}}),
        response({"application/json": {"schema": STR}}),
        None,
        GET,
        G + "/responses/200/content/application~1xml",
    ),
    case(
        "response-media-type-added",
        response({"application/json": {"schema": STR}}),
        response({"application/json": {"schema": STR}, "application/xml": {"schema": STR}}),
        None,
        GET,
        G + "/responses/200/content/application~1xml",
    ),
    case(
        "response-body-media-type-name-changed",  # json -> a +json type: ...-name-specialized
        response({"application/vnd.animal+json": {"schema": STR}}),
        response({"application/problem+json": {"schema": STR}}),
        (
            response({"application/json": {"schema": STR}}),
            response({"application/json;charset=utf-8": {"schema": STR}}),
        ),
        GET,
        G + "/responses/200/content/application~1problem+json",
    ),
    case(
        "response-body-schema-added",
        response({"application/json": {}}),
        response({"application/json": {"schema": STR}}),
        None,
        GET,
        G + "/responses/200/content/application~1json",
    ),
    case(
        "response-body-schema-removed",
        response({"application/json": {"schema": STR}}),
        response({"application/json": {}}),
        None,
        GET,
        G + "/responses/200/content/application~1json",
    ),
    case(
        "required-response-header-removed",
        response(headers={"X-A": header(True)}),
        response(),
        (response(headers={"X-A": header()}), response()),
        GET,
        G + "/responses/200/headers/X-A",
    ),
    case(
        "optional-response-header-removed",
        response(headers={"X-A": header()}),
        response(),
        (response(headers={"X-A": header(True)}), response()),
        GET,
        G + "/responses/200/headers/X-A",
    ),
    case(
        "response-header-added",
        response(),
        response(headers={"X-A": header()}),
        None,
        GET,
        G + "/responses/200/headers/X-A",
    ),
    case(
        "response-header-became-optional",
        response(headers={"X-A": header(True)}),
        response(headers={"X-A": header()}),
        None,
        GET,
        G + "/responses/200/headers/X-A",
    ),
    case(
        "response-header-became-required",
        response(headers={"X-A": header()}),
        response(headers={"X-A": header(True)}),
        None,
        GET,
        G + "/responses/200/headers/X-A",
    ),
    case(
        "response-header-deprecated",
        response(headers={"X-A": header()}),
        response(headers={"X-A": header(deprecated=True)}),
        None,
        GET,
        G + "/responses/200/headers/X-A",
    ),
    # --- security requirements
    case("api-security-added", secured(None), secured([{"a": []}]), None, GET, G + "/security"),
    case(
        "api-security-removed",
        secured([{"a": []}, {"b": []}]),
        secured([{"a": []}]),
        None,
        GET,
        G + "/security",
    ),
    case(
        "api-security-scope-added",
        secured([{"o": ["read"]}]),
        secured([{"o": ["read", "write"]}]),
        None,
        GET,
        G + "/security",
    ),
    case(
        "api-security-scope-removed",
        secured([{"o": ["read", "write"]}]),
        secured([{"o": ["read"]}]),
        None,
        GET,
        G + "/security",
    ),
    case(
        "api-global-security-added", secured(None), secured(None, root=[{"a": []}]), None, None, "/security"
    ),
    case(
        "api-global-security-removed",
        secured(None, root=[{"a": []}, {"b": []}]),
        secured(None, root=[{"a": []}]),
        None,
        None,
        "/security",
    ),
    case(
        "api-global-security-scope-added",
        secured(None, root=[{"o": ["read"]}]),
        secured(None, root=[{"o": ["read", "write"]}]),
        None,
        None,
        "/security",
    ),
    case(
        "api-global-security-scope-removed",
        secured(None, root=[{"o": ["read", "write"]}]),
        secured(None, root=[{"o": ["read"]}]),
        None,
        None,
        "/security",
    ),
    # --- security schemes
    case(
        "api-security-component-added",
        api(),
        scheme(type="http", scheme="basic"),
        None,
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-removed",
        scheme(type="http", scheme="basic"),
        api(),
        None,
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-type-changed",
        scheme(type="http", scheme="basic"),
        scheme(type="openIdConnect", openIdConnectUrl="https://o"),
        (scheme(type="http", scheme="basic"), scheme(type="http", scheme="basic", description="d")),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-http-scheme-changed",
        scheme(type="http", scheme="basic"),
        scheme(type="http", scheme="bearer"),
        (scheme(type="http", scheme="bearer"), scheme(type="http", scheme="bearer", bearerFormat="JWT")),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-bearer-format-changed",
        scheme(type="http", scheme="bearer"),
        scheme(type="http", scheme="bearer", bearerFormat="JWT"),
        (scheme(type="http", scheme="bearer"), scheme(type="http", scheme="bearer", description="d")),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-api-key-name-changed",
        scheme(type="apiKey", name="a", **{"in": "header"}),
        scheme(type="apiKey", name="b", **{"in": "header"}),
        (
            scheme(type="apiKey", name="a", **{"in": "header"}),
            scheme(type="apiKey", name="a", **{"in": "query"}),
        ),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-api-key-in-changed",
        scheme(type="apiKey", name="a", **{"in": "header"}),
        scheme(type="apiKey", name="a", **{"in": "query"}),
        (
            scheme(type="apiKey", name="a", **{"in": "header"}),
            scheme(type="apiKey", name="b", **{"in": "header"}),
        ),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-openid-url-changed",
        scheme(type="openIdConnect", openIdConnectUrl="https://a"),
        scheme(type="openIdConnect", openIdConnectUrl="https://b"),
        (
            scheme(type="openIdConnect", openIdConnectUrl="https://a"),
            scheme(type="openIdConnect", openIdConnectUrl="https://a", description="d"),
        ),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-oauth-token-url-changed",
        flows(clientCredentials=cc()),
        flows(clientCredentials=cc("https://u")),
        (flows(clientCredentials=cc()), flows(clientCredentials=cc(refreshUrl="https://r"))),
        None,
        "/components/securitySchemes/s/flows/clientCredentials",
    ),
    case(
        "api-security-component-oauth-url-changed",
        flows(authorizationCode=code()),
        flows(authorizationCode=code("https://b")),
        (flows(authorizationCode=code()), flows(authorizationCode={**code(), "refreshUrl": "https://r"})),
        None,
        "/components/securitySchemes/s/flows/authorizationCode",
    ),
    case(
        "api-security-component-oauth-refresh-url-changed",
        flows(clientCredentials=cc()),
        flows(clientCredentials=cc(refreshUrl="https://r")),
        (flows(clientCredentials=cc()), flows(clientCredentials=cc("https://u"))),
        None,
        "/components/securitySchemes/s/flows/clientCredentials",
    ),
    case(
        "api-security-component-oauth-flow-changed",
        swagger_scheme(type="oauth2", flow="application", tokenUrl="https://t", scopes={}),
        swagger_scheme(type="oauth2", flow="password", tokenUrl="https://t", scopes={}),
        (
            swagger_scheme(type="oauth2", flow="application", tokenUrl="https://t", scopes={}),
            swagger_scheme(type="oauth2", flow="application", tokenUrl="https://t", scopes={"read": ""}),
        ),
        None,
        "/securityDefinitions/s",
    ),
    case(
        "api-security-component-oauth-flow-removed",
        flows(clientCredentials=cc(), authorizationCode=code()),
        flows(clientCredentials=cc()),
        None,
        None,
        "/components/securitySchemes/s/flows/authorizationCode",
    ),
    case(
        "api-security-component-oauth-flow-added",
        flows(clientCredentials=cc()),
        flows(clientCredentials=cc(), authorizationCode=code()),
        None,
        None,
        "/components/securitySchemes/s/flows/authorizationCode",
    ),
    case(
        "api-security-component-oauth-scope-removed",
        flows(clientCredentials=cc(scopes={"read": "", "write": ""})),
        flows(clientCredentials=cc(scopes={"read": ""})),
        None,
        None,
        "/components/securitySchemes/s/flows/clientCredentials",
    ),
    case(
        "api-security-component-oauth-scope-added",
        flows(clientCredentials=cc(scopes={"read": ""})),
        flows(clientCredentials=cc(scopes={"read": "", "write": ""})),
        None,
        None,
        "/components/securitySchemes/s/flows/clientCredentials",
    ),
    # --- servers
    case(
        "api-server-removed", server("https://a", "https://b"), server("https://a"), None, None, "/servers/1"
    ),
    case("api-server-added", server("https://a"), server("https://a", "https://b"), None, None, "/servers/1"),
    case(
        "api-server-description-changed",
        server("https://a", description="a"),
        server("https://a", description="b"),
        (server("https://a"), server("https://a/")),
        None,
        "/servers/0",
    ),
    case(
        "api-server-variable-enum-value-removed",
        variable(default="prod", enum=["prod", "dev"]),
        variable(default="prod", enum=["prod"]),
        None,
        None,
        "/servers/0",
    ),
    case(
        "api-server-variable-default-changed",
        variable(default="prod", enum=["prod", "dev"]),
        variable(default="dev", enum=["prod", "dev"]),
        (variable(default="prod"), variable(default="prod", description="d")),
        None,
        "/servers/0",
    ),
    case(
        "api-server-variable-changed",
        server("https://{env}.example.com"),
        variable(default="prod"),
        (variable(default="prod"), variable(default="prod", description="d")),
        None,
        "/servers/0",
    ),
    # --- info and the document
    case("api-title-changed", info(), info(title="U"), (info(), info(description="d")), None, "/info/title"),
    case(
        "api-description-changed",
        info(description="a"),
        info(description="b"),
        (info(), info(title="U")),
        None,
        "/info/description",
    ),
    case(
        "api-summary-changed",
        info(summary="a"),
        info(summary="b"),
        (info(), info(title="U")),
        None,
        "/info/summary",
    ),
    case(
        "api-terms-of-service-changed",
        info(termsOfService="https://a"),
        info(termsOfService="https://b"),
        (info(), info(title="U")),
        None,
        "/info/termsOfService",
    ),
    case(
        "api-contact-changed",
        info(contact={"name": "a"}),
        info(contact={"name": "b"}),
        (info(), info(title="U")),
        None,
        "/info/contact",
    ),
    case(
        "api-license-changed",
        info(license={"name": "MIT"}),
        info(license={"name": "Apache-2.0"}),
        (info(), info(title="U")),
        None,
        "/info/license",
    ),
    case(
        "api-version-changed",
        info(version="1.0.0"),
        info(version="1.1.0"),
        (info(), info(title="U")),
        None,
        "/info/version",
    ),
    case("api-version-decreased", info(version="1.1.0"), info(version="1.0.0"), None, None, "/info/version"),
    case(
        "api-extension-changed",
        api(**{"x-team": "a"}),
        api(**{"x-team": "b"}),
        (one(op(**{"x-team": "a"})), one(op(**{"x-team": "b"}))),
        None,
        "/x-team",
    ),
    case("api-tag-definition-removed", api(tags=[{"name": "a"}]), api(), None, None, "/tags/0"),
    case("api-tag-definition-added", api(), api(tags=[{"name": "a"}]), None, None, "/tags/0"),
    # the reverse respelling is one too; the safe twin replaces a value by another word
    case(
        "enum-value-case-changed",
        response_schema({"type": "string", "enum": ["active", "closed"]}),
        response_schema({"type": "string", "enum": ["Active", "closed"]}),
        (
            response_schema({"type": "string", "enum": ["active", "closed"]}),
            response_schema({"type": "string", "enum": ["open", "closed"], "example": {"enum": ["Open"]}}),
        ),
        None,
        G + "/responses/200/content/application~1json/schema/enum",
    ),
    case(
        "api-schema-removed",
        api(components={"schemas": {"Pet": STR}}),
        api(),
        None,
        None,
        "/components/schemas/Pet",
    ),
    case(
        "api-schema-added",
        api(),
        api(components={"schemas": {"Pet": STR}}),
        None,
        None,
        "/components/schemas/Pet",
    ),
    # --- properties (walk-based)
    case(
        "new-required-request-property",
        request_schema(obj(a=STR)),
        request_schema(obj(a=STR, b=STR, required=("b",))),
        (request_schema(obj(a=STR)), request_schema(obj(a=STR, b=STR))),
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "new-optional-request-property",
        request_schema(obj(a=STR)),
        request_schema(obj(a=STR, b=STR)),
        (request_schema(obj(a=STR)), request_schema(obj(a=STR, b=STR, required=("b",)))),
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "request-property-removed",
        request_schema(obj(a=STR, b=STR)),
        request_schema(obj(a=STR)),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "request-property-became-read-only",
        request_schema(obj(b=STR)),
        request_schema(obj(b={**STR, "readOnly": True})),
        (request_schema(obj(b=STR)), request_schema(obj(b={**STR, "writeOnly": True}))),
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "response-required-property-added",
        response_schema(obj(a=STR)),
        response_schema(obj(a=STR, b=STR, required=("b",))),
        (response_schema(obj(a=STR)), response_schema(obj(a=STR, b=STR))),
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    case(
        "response-optional-property-added",
        response_schema(obj(a=STR)),
        response_schema(obj(a=STR, b=STR)),
        (response_schema(obj(a=STR)), response_schema(obj(a=STR, b=STR, required=("b",)))),
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    case(
        "response-required-property-removed",
        response_schema(obj(a=STR, b=STR, required=("b",))),
        response_schema(obj(a=STR)),
        (response_schema(obj(a=STR, b=STR)), response_schema(obj(a=STR))),
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    case(
        "response-optional-property-removed",
        response_schema(obj(a=STR, b=STR)),
        response_schema(obj(a=STR)),
        (response_schema(obj(a=STR, b=STR, required=("b",))), response_schema(obj(a=STR))),
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    case(
        "response-property-became-write-only",
        response_schema(obj(b=STR, required=("b",))),
        response_schema(obj(b={**STR, "writeOnly": True}, required=("b",))),
        (
            response_schema(obj(b=STR, required=("b",))),
            response_schema(obj(b={**STR, "readOnly": True}, required=("b",))),
        ),
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    case(
        "request-property-deprecated",
        request_schema(obj(b=STR)),
        request_schema(obj(b={**STR, "deprecated": True})),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "request-property-reactivated",
        request_schema(obj(b={**STR, "deprecated": True})),
        request_schema(obj(b=STR)),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "response-property-deprecated",
        response_schema(obj(b=STR)),
        response_schema(obj(b={**STR, "deprecated": True})),
        None,
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    case(
        "response-property-reactivated",
        response_schema(obj(b={**STR, "deprecated": True})),
        response_schema(obj(b=STR)),
        None,
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    # --- sunset dates of properties (the operation family, issue 12 class 15)
    *[
        case(
            f"{prefix}-{suffix}",
            build(obj(b=old)),
            build(obj() if new is None else obj(b=new)),
            (build(obj(b=old)), build(obj(b=safe))),
            operation,
            at + "/content/application~1json/schema/properties/b",
        )
        for prefix, build, operation, at in (
            ("request-property", request_schema, POST, P + "/requestBody"),
            ("response-property", response_schema, GET, G + "/responses/200"),
        )
        for suffix, old, new, safe in (
            (
                "sunset-parse",
                {**STR, "deprecated": True},
                {**STR, "deprecated": True, "x-sunset": "soon"},
                {**STR, "deprecated": True, "x-sunset": "2027-03-31"},
            ),
            (
                "removed-before-sunset",
                {**STR, "deprecated": True, "x-sunset": "2099-01-31"},
                None,
                {**STR, "deprecated": True, "x-sunset": "2099-02-28"},
            ),
            (
                "sunset-deleted",
                {**STR, "deprecated": True, "x-sunset": "2027-03-31"},
                {**STR, "deprecated": True},
                {**STR, "deprecated": True, "x-sunset": "2027-06-30"},
            ),
        )
    ],
    case(
        "request-property-default-value-added",
        request_schema(obj(b=STR)),
        request_schema(obj(b={**STR, "default": "x"})),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "request-property-default-value-changed",
        request_schema(obj(b={**STR, "default": "x"})),
        request_schema(obj(b={**STR, "default": "y"})),
        (
            request_schema(obj(b={**STR, "default": "x"})),
            request_schema(obj(b={**STR, "default": "x", "description": "d"})),
        ),
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "request-property-default-value-removed",
        request_schema(obj(b={**STR, "default": "x"})),
        request_schema(obj(b=STR)),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    case(
        "request-body-default-value-added",
        request_schema(obj(b=STR)),
        request_schema({**obj(b=STR), "default": {}}),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema",
    ),
    case(
        "request-body-default-value-changed",
        request_schema({**obj(b=STR), "default": {}}),
        request_schema({**obj(b=STR), "default": {"b": "x"}}),
        (
            request_schema({**obj(b=STR), "default": {}}),
            request_schema({**obj(b=STR), "default": {}, "description": "d"}),
        ),
        POST,
        P + "/requestBody/content/application~1json/schema",
    ),
    case(
        "request-body-default-value-removed",
        request_schema({**obj(b=STR), "default": {}}),
        request_schema(obj(b=STR)),
        None,
        POST,
        P + "/requestBody/content/application~1json/schema",
    ),
    # --- discriminators
    *[
        case(
            f"{where}-{suffix}",
            build(old),
            build(new),
            None if safe is None else (build(safe[0]), build(safe[1])),
            operation,
            pointer,
        )
        for where, build, operation, pointer in (
            (
                "request-body",
                request_schema,
                POST,
                P + "/requestBody/content/application~1json/schema/discriminator",
            ),
            (
                "response-body",
                response_schema,
                GET,
                G + "/responses/200/content/application~1json/schema/discriminator",
            ),
        )
        for suffix, old, new, safe in (
            ("discriminator-added", obj(kind=STR), discriminated(propertyName="kind"), None),
            ("discriminator-removed", discriminated(propertyName="kind"), obj(kind=STR), None),
            (  # breaking where it dispatches among variants (a warning otherwise: test_verdict_classes)
                "discriminator-property-name-changed",
                {**discriminated(propertyName="kind"), "oneOf": [obj(kind=STR)]},
                {**discriminated(propertyName="type"), "oneOf": [obj(kind=STR)]},
                (discriminated(propertyName="kind"), MAPPED),
            ),
            ("discriminator-mapping-added", discriminated(propertyName="kind"), MAPPED, None),
            ("discriminator-mapping-deleted", MAPPED, discriminated(propertyName="kind"), None),
            (
                "discriminator-mapping-changed",
                MAPPED,
                discriminated(propertyName="kind", mapping={"cat": "#/components/schemas/Feline"}),
                (discriminated(propertyName="kind"), MAPPED),
            ),
        )
    ],
    # --- semver policy
    case(
        "api-version-not-bumped",
        version("1.2.0"),
        version("1.2.0", breaking=True),
        (version("1.2.0"), version("2.0.0", breaking=True)),
        None,
        "/info/version",
    ),
    case(
        "api-major-version-not-bumped",
        version("1.2.0"),
        version("1.3.0", breaking=True),
        (version("1.2.0"), version("2.0.0", breaking=True)),
        None,
        "/info/version",
    ),
    case(
        "api-example-ref-unresolved",
        example({"$ref": "#/components/examples/gone"}),
        example({"value": "x"}),
        (example({"$ref": "#/components/examples/here"}), example({"value": "x"})),
        None,
        G + "/responses/200/content/application~1json/examples/default",
    ),
    # --- ignore-file notices
    case(
        "ignore-entry-expired",
        GET_ONLY,
        api(),
        (GET_ONLY, api()),
        None,
        "",
        ignore="api-path-removed-without-deprecation|GET /pets|2026-01-01",
        safe_ignore="api-path-removed-without-deprecation|GET /pets|2099-01-01",
    ),
    case(
        "ignore-entry-unused",
        GET_ONLY,
        api(),
        (GET_ONLY, api()),
        None,
        "",
        ignore="endpoint-added|GET /pets|",
        safe_ignore="api-path-removed-without-deprecation|GET /pets|",
    ),
]


def as_webhook(doc: Doc) -> Doc:
    """The callback operation of a ``callback(...)`` document, as the 3.1 webhook ``onDone``."""
    callbacks = doc["paths"]["/pets"]["post"].get("callbacks")
    hooks = {} if callbacks is None else {"onDone": {"post": callbacks["onDone"][CB]["post"]}}
    out = api(openapi="3.1.0", webhooks=hooks)
    if "components" in doc:
        out["components"] = doc["components"]
    return out


def webhook_twin(item: Case) -> Case:
    """A callback case with the operation moved to a webhook: the API calls both the same way."""
    return Case(
        item.rule_id.replace("callback", "webhook", 1),
        as_webhook(item.base),
        as_webhook(item.revision),
        (as_webhook(item.safe[0]), as_webhook(item.safe[1])),
        "WEBHOOK POST onDone",
        item.pointer.replace(CB_PTR, "/webhooks/onDone/post"),
        safe_info=item.safe_info,
    )


CASES += [webhook_twin(c) for c in CASES if c.rule_id.startswith("callback-")]


def _extensible(*values: str) -> Doc:
    return {"type": "string", "x-extensible-enum": list(values)}


# x-extensible-enum: where a schema sits -> (document with that schema, operation, pointer)
EXTENSIBLE_SITES: dict[str, tuple[Any, str, str]] = {
    "request-parameter": (lambda s: params(param(schema=s)), GET, G + "/parameters/0/schema"),
    "request-body": (request_schema, POST, P + "/requestBody/content/application~1json/schema"),
    "request-property": (
        lambda s: request_schema(obj(b=s)),
        POST,
        P + "/requestBody/content/application~1json/schema/properties/b",
    ),
    "response-body": (response_schema, GET, G + "/responses/200/content/application~1json/schema"),
    "response-property": (
        lambda s: response_schema(obj(b=s)),
        GET,
        G + "/responses/200/content/application~1json/schema/properties/b",
    ),
    "response-header": (
        lambda s: response(headers={"X-A": header(schema=s)}),
        GET,
        G + "/responses/200/headers/X-A/schema",
    ),
}
CASES += [
    case(
        f"{prefix}-x-extensible-enum-value-{change}",
        build(_extensible("a", "b")),
        build(_extensible("a") if change == "removed" else _extensible("a", "b", "c")),
        None,
        operation,
        pointer,
    )
    for prefix, (build, operation, pointer) in EXTENSIBLE_SITES.items()
    for change in ("removed", "added")
]


def swagger(operation: Doc | None = None, method: str = "get", **root: Any) -> Doc:
    doc: Doc = {"swagger": "2.0", "info": {"title": "T", "version": "1.0.0"}, "paths": {}}
    if operation is not None:
        doc["paths"] = {"/pets": {method: operation}}
    doc.update(root)
    return doc


def legacy_body(*consumes: str) -> Doc:
    body_param = {"name": "b", "in": "body", "schema": STR}
    return swagger(op(parameters=[body_param], consumes=list(consumes)), "post")


def legacy_response(*produces: str, headers: Doc | None = None) -> Doc:
    ok: Doc = {"description": "ok", "schema": STR}
    if headers is not None:
        ok["headers"] = headers
    return swagger(op(responses={"200": ok}, produces=list(produces)))


OAUTH_2 = {
    "type": "oauth2",
    "flow": "application",
    "tokenUrl": "https://t",
    "scopes": {"read": "", "write": ""},
}

#: Swagger 2.0 writes these things elsewhere (host, consumes, produces, securityDefinitions), and
#: regressions of rules found wrong while writing the table above.
MORE: list[Case] = [
    case(
        "api-server-removed",
        swagger(host="a.example.com", basePath="/v1"),
        swagger(host="a.example.com", basePath="/v2"),
        (swagger(host="a.example.com", basePath="/v1"), swagger(host="a.example.com", basePath="/v1/")),
        None,
        "/host",
    ),
    case(
        "request-body-media-type-removed",
        legacy_body("application/json", "application/xml"),
        legacy_body("application/json"),
        None,
        POST,
        P + "/parameters/0",
    ),
    case(
        "response-media-type-removed",
        legacy_response("application/json", "application/xml"),
        legacy_response("application/json"),
        None,
        GET,
        G + "/responses/200",
    ),
    case(
        "optional-response-header-removed",
        legacy_response(headers={"X-A": {"type": "string"}}),
        legacy_response(),
        None,
        GET,
        G + "/responses/200/headers/X-A",
    ),
    case(
        "api-security-component-oauth-scope-removed",
        swagger(securityDefinitions={"s": OAUTH_2}),
        swagger(securityDefinitions={"s": {**OAUTH_2, "scopes": {"read": ""}}}),
        None,
        None,
        "/securityDefinitions/s",
    ),
    case(
        "api-security-added",
        swagger(op(), securityDefinitions={"s": OAUTH_2}),
        swagger(op(security=[{"s": ["read"]}]), securityDefinitions={"s": OAUTH_2}),
        None,
        GET,
        G + "/security",
    ),
    case("api-schema-removed", swagger(definitions={"Pet": STR}), swagger(), None, None, "/definitions/Pet"),
    # an alternative added is not breaking; anonymous access ({}) taken away is
    case(
        "api-security-added",
        secured([{}]),
        secured([{"a": []}]),
        (secured([{"a": []}]), secured([{"a": []}, {"b": []}])),
        GET,
        G + "/security",
        safe_info=True,
    ),
    case(
        "api-security-removed",
        secured([{"a": []}, {"b": []}]),
        secured([{"b": []}]),
        (secured([{"a": []}, {}]), secured([{}])),
        GET,
        G + "/security",
        safe_info=True,
    ),
    # an operation removed beside an unchanged sibling leaves its path in place
    case(
        "api-removed-without-deprecation",
        api({"/pets": {"get": op(), "post": op()}, "/x": {"get": op()}}),
        api({"/pets": {"get": op()}, "/x": {"get": op()}}),
        (api({"/pets": {"get": op()}}), api({"/pets": {"get": op(), "post": op()}})),
        POST,
        P,
    ),
    # explode does not change how a primitive is written, nor style outside the path
    case(
        "request-parameter-explode-changed",
        params(param(schema=IDS), components=IDS_COMPONENTS),
        params(param(schema=IDS, explode=False), components=IDS_COMPONENTS),
        (params(param()), params(param(explode=False))),
        GET,
        G + "/parameters/0",
    ),
    case(
        "request-parameter-style-changed",
        one(op(parameters=[param("id", "path", required=True)]), path="/p/{id}"),
        one(op(parameters=[param("id", "path", required=True, style="label")]), path="/p/{id}"),
        (
            params(param(schema={"type": ["integer", "null"]})),
            params(param(schema={"type": ["integer", "null"]}, style="spaceDelimited")),
        ),
        "GET /p/{id}",
        "/paths/~1p~1{id}/get/parameters/0",
    ),
    # a scheme of another type is one change, not one per field
    case(
        "api-security-component-type-changed",
        scheme(type="http", scheme="basic"),
        scheme(type="apiKey", name="key", **{"in": "header"}),
        (scheme(type="http", scheme="basic"), scheme(type="http", scheme="bearer")),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-http-scheme-changed",
        scheme(type="http", scheme="basic"),
        scheme(type="http", scheme="bearer"),
        (scheme(type="http", scheme="basic"), scheme(type="apiKey", name="key", **{"in": "header"})),
        None,
        "/components/securitySchemes/s",
    ),
    case(
        "api-security-component-oauth-flow-removed",
        flows(clientCredentials=cc(), authorizationCode=code()),
        flows(clientCredentials=cc()),
        (
            flows(clientCredentials=cc(), authorizationCode=code()),
            scheme(type="openIdConnect", openIdConnectUrl="https://o"),
        ),
        None,
        "/components/securitySchemes/s/flows/authorizationCode",
    ),
    # in a callback the API sends the parameter: fewer empty values harm nobody
    case(
        "request-parameter-allow-empty-value-removed",
        params(param(allowEmptyValue=True)),
        params(param()),
        (cb_params(param(allowEmptyValue=True)), cb_params(param())),
        GET,
        G + "/parameters/0",
    ),
    # schema changes in callbacks carry the mirrored ids
    case(
        "response-required-property-removed",
        cb_schema(obj(id=STR, at=STR, required=("id", "at"))),
        cb_schema(obj(id=STR, required=("id",))),
        (cb_schema(obj(id=STR, at=STR)), cb_schema(obj(id=STR))),
        CB_OP,
        CB_PTR + "/requestBody/content/application~1json/schema/properties/at",
    ),
    case(
        "new-required-request-property",
        cb_response_schema(obj(id=STR)),
        cb_response_schema(obj(id=STR, ok=STR, required=("ok",))),
        (cb_response_schema(obj(id=STR)), cb_response_schema(obj(id=STR, ok=STR))),
        CB_OP,
        CB_PTR + "/responses/200/content/application~1json/schema/properties/ok",
    ),
    case(
        "response-header-enum-value-added",
        cb_params(param("X-Kind", "header", schema={"type": "string", "enum": ["a"]})),
        cb_params(param("X-Kind", "header", schema={"type": "string", "enum": ["a", "b"]})),
        None,
        CB_OP,
        CB_PTR + "/parameters/0/schema",
    ),
    case(
        "request-parameter-schema-changed",
        params({"name": "q", "in": "query", "content": {"application/json": {"schema": STR}}}),
        params({"name": "q", "in": "query", "content": {"text/plain": {"schema": STR}}}),
        (params(param()), params(param(style="form"))),
        GET,
        G + "/parameters/0",
    ),
]
MORE += [webhook_twin(c) for c in MORE if c.operation == CB_OP]


#: what the request-side rules would have said about the callback cases above
REQUEST_SIDE = frozenset(
    {
        "new-required-request-parameter",
        "new-optional-request-parameter",
        "new-request-path-parameter",
        "request-parameter-removed",
        "request-parameter-became-required",
        "request-parameter-became-optional",
        "request-body-added-required",
        "request-body-added-optional",
        "request-body-removed",
        "request-body-became-required",
        "request-body-became-optional",
        "request-body-media-type-added",
        "request-body-media-type-removed",
        "required-response-header-removed",
        "optional-response-header-removed",
        "response-header-added",
        "response-header-became-optional",
        "response-header-became-required",
        "api-security-added",
        "api-security-removed",
    }
)
CALLBACK_CASES = [
    c
    for c in CASES
    if c.rule_id.startswith(("callback-", "webhook-request", "webhook-response", "webhook-security"))
]


@pytest.mark.parametrize("item", CALLBACK_CASES, ids=[c.rule_id for c in CALLBACK_CASES])
def test_callbacks_are_not_judged_as_requests(tmp_path: Path, item: Case) -> None:
    for base, revision in ((item.base, item.revision), item.safe):
        report = diff_documents(tmp_path, base, revision)
        assert not ids(report) & REQUEST_SIDE, sorted(ids(report))


@pytest.mark.parametrize("item", MORE, ids=[f"{c.rule_id}-{i}" for i, c in enumerate(MORE)])
def test_more_cases_report_the_rule(tmp_path: Path, item: Case) -> None:
    test_the_change_reports_the_rule(tmp_path, item)


@pytest.mark.parametrize("item", MORE, ids=[f"{c.rule_id}-{i}" for i, c in enumerate(MORE)])
def test_more_safe_twins_do_not(tmp_path: Path, item: Case) -> None:
    test_the_safe_twin_does_not(tmp_path, item)


def _ignore_file(tmp_path: Path, spec: str | None) -> dict[str, Any]:
    """``id|operation|expires`` as an ignore file."""
    if spec is None:
        return {}
    rule_id, operation, expires = spec.split("|")
    text = f"version: 1\nignore:\n  - id: {rule_id}\n    operation: {operation}\n    reason: accepted\n"
    if expires:
        text += f"    expires: {expires}\n"
    path = tmp_path / "ignore.yaml"
    path.write_text(text)
    return {"ignore": path}


BY_CASE = {c.rule_id: c for c in CASES}


def test_every_non_family_rule_has_a_case() -> None:
    """New structural, property, semver or notice rules cannot go untested."""
    listed = [r.id for r in (*STRUCTURAL, *PROPERTY_RULES, *SEMVER, *NOTICES)]
    assert len(BY_CASE) == len(CASES), "a rule has two cases"
    assert sorted(set(listed) - set(BY_CASE)) == []
    assert sorted(set(BY_CASE) - set(listed)) == []


@pytest.mark.parametrize("item", CASES, ids=[c.rule_id for c in CASES])
def test_the_change_reports_the_rule(tmp_path: Path, item: Case) -> None:
    report = diff_documents(tmp_path, item.base, item.revision, **_ignore_file(tmp_path, item.ignore))
    found = by_id(report, item.rule_id)
    assert found, f"{item.rule_id} not reported; got {sorted(ids(report))}"
    level = BY_ID[item.rule_id].level
    at = [(f.level, f.operation, f.location.pointer) for f in found]
    if item.pointer or item.operation:
        assert (level, item.operation, item.pointer) in at, at
    else:
        assert any(f.level is level for f in found), at


@pytest.mark.parametrize("item", CASES, ids=[c.rule_id for c in CASES])
def test_the_safe_twin_does_not(tmp_path: Path, item: Case) -> None:
    base, revision = item.safe
    report = diff_documents(tmp_path, base, revision, **_ignore_file(tmp_path, item.safe_ignore))
    found = by_id(report, item.rule_id)
    if item.safe_info:
        assert found and all(f.level is Level.INFO for f in found), found
    else:
        assert not found, found


# --- x-stability-level: draft and alpha operations make no compatibility promise ---------------


def _staged(level: str | None, **fields: Any) -> Doc:
    extra = {} if level is None else {"x-stability-level": level}
    return op(**extra, **fields)


@pytest.mark.parametrize("level", ["draft", "alpha"])
def test_breaking_changes_on_draft_and_alpha_operations_are_info(tmp_path: Path, level: str) -> None:
    query = {"type": "integer"}  # string -> integer: "?q=a" is no integer (the reverse widens on the wire)
    base = api({"/pets": {"get": _staged(level, parameters=[param()]), "post": _staged(level)}})
    revision = api({"/pets": {"get": _staged(level, parameters=[param(required=True, schema=query)])}})
    report = diff_documents(tmp_path, base, revision)
    for rule_id in (
        "request-parameter-became-required",
        "request-parameter-type-changed",
        "api-removed-without-deprecation",
    ):
        (finding,) = by_id(report, rule_id)
        assert finding.level is Level.INFO, finding
        assert finding.details["stability"] == level
        assert finding.details["level_without_stability"] == "breaking"
        assert level in finding.message
    assert "api-version-not-bumped" not in ids(report)  # nothing breaking is left


@pytest.mark.parametrize("level", ["beta", "stable", None])
def test_breaking_changes_on_beta_and_stable_operations_stay_breaking(
    tmp_path: Path, level: str | None
) -> None:
    base = api({"/pets": {"get": _staged(level, parameters=[param()]), "post": _staged(level)}})
    revision = api({"/pets": {"get": _staged(level, parameters=[param(required=True)])}})
    report = diff_documents(tmp_path, base, revision)
    for rule_id in ("request-parameter-became-required", "api-removed-without-deprecation"):
        (finding,) = by_id(report, rule_id)
        assert finding.level is Level.BREAKING
        assert "stability" not in finding.details


def test_the_stability_of_the_base_decides_and_decreasing_it_stays_breaking(tmp_path: Path) -> None:
    base = one(_staged("alpha", parameters=[param()]))
    revision = one(_staged("draft", parameters=[param(required=True)]))
    report = diff_documents(tmp_path, base, revision)
    assert [f.level for f in by_id(report, "api-stability-decreased")] == [Level.BREAKING]
    assert [f.level for f in by_id(report, "request-parameter-became-required")] == [Level.INFO]
    promoted = diff_documents(
        tmp_path,
        one(_staged("stable", parameters=[param()])),
        one(_staged("alpha", parameters=[param(required=True)])),
    )
    assert [f.level for f in by_id(promoted, "request-parameter-became-required")] == [Level.BREAKING]


def test_callbacks_of_an_alpha_operation_are_alpha_unless_they_say_otherwise(tmp_path: Path) -> None:
    def outer(callback_op: Doc) -> Doc:
        return one({**_staged("alpha"), "callbacks": {"onDone": {CB: {"post": callback_op}}}}, "post")

    report = diff_documents(tmp_path, outer(cb_body_op(True)), outer(op()))
    assert [f.level for f in by_id(report, "callback-request-body-removed")] == [Level.INFO]
    own = diff_documents(
        tmp_path,
        outer({**cb_body_op(True), "x-stability-level": "stable"}),
        outer({**op(), "x-stability-level": "stable"}),
    )
    assert [f.level for f in by_id(own, "callback-request-body-removed")] == [Level.BREAKING]


def cb_body_op(required: bool) -> Doc:
    return op(requestBody={"required": required, "content": {"application/json": {"schema": STR}}})


# --- Swagger 2.0 formData: the fields of a form request body ------------------------------------

FORM_FIELDS: list[Doc] = [
    {"name": "name", "in": "formData", "type": "string", "required": True, "maxLength": 10},
    {"name": "age", "in": "formData", "type": "integer", "format": "int32"},
    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
]
FORM_PROPERTIES: Doc = {
    "name": {"type": "string", "maxLength": 10},
    "age": {"type": "integer", "format": "int32"},
    "tags": {"type": "array", "items": {"type": "string"}},
}


def form_2(media: str, fields: list[Doc]) -> Doc:
    fields = copy.deepcopy(fields)
    if media == "multipart/form-data":
        fields.append({"name": "photo", "in": "formData", "type": "file"})
    return swagger(op(consumes=[media], parameters=fields), "post")


def form_3(media: str, properties: Doc, required: list[str]) -> Doc:
    properties = copy.deepcopy(properties)
    if media == "multipart/form-data":
        properties["photo"] = {"type": "string", "format": "binary"}
    schema = {"type": "object", "properties": properties, "required": required}
    request = {"required": True, "content": {media: {"schema": {"$ref": "#/components/schemas/Form"}}}}
    return api({"/pets": {"post": op(requestBody=request)}}, components={"schemas": {"Form": schema}})


FORMS = ["application/x-www-form-urlencoded", "multipart/form-data"]


@pytest.mark.parametrize("media", FORMS)
def test_a_form_converted_from_swagger_2_to_openapi_3_is_the_same_contract(
    tmp_path: Path, media: str
) -> None:
    two, three = form_2(media, FORM_FIELDS), form_3(media, FORM_PROPERTIES, ["name"])
    for base, revision in ((two, three), (three, two)):
        report = diff_documents(tmp_path, base, revision)
        assert [f for f in report.findings if f.level is not Level.INFO] == []
        assert ids(report) <= {"api-schema-added", "api-schema-removed"}


@pytest.mark.parametrize("media", FORMS)
def test_form_fields_removed_added_or_narrowed_are_reported(tmp_path: Path, media: str) -> None:
    narrowed = copy.deepcopy(FORM_FIELDS)
    narrowed[0]["maxLength"] = 5  # name
    del narrowed[1]  # age
    narrowed[1]["required"] = True  # tags
    narrowed.append({"name": "owner", "in": "formData", "type": "string", "required": True})
    for base in (form_2(media, FORM_FIELDS), form_3(media, FORM_PROPERTIES, ["name"])):
        report = diff_documents(tmp_path, base, form_2(media, narrowed))
        found = {(f.rule_id, f.level, f.location.pointer) for f in report.findings}
        params_at = P + "/parameters"
        assert ("request-property-max-length-decreased", Level.BREAKING, params_at + "/0") in found
        assert ("request-property-became-required", Level.BREAKING, params_at + "/1") in found
        assert ("new-required-request-property", Level.BREAKING, params_at + "/2") in found
        removed = by_id(report, "request-property-removed")
        assert [f.level for f in removed] == [Level.WARNING]
        assert removed[0].location.pointer.endswith(("/parameters/1", "/properties/age"))
        assert "request-body-schema-added" not in ids(report)


def test_form_fields_of_openapi_3_against_swagger_2_keep_their_own_places(tmp_path: Path) -> None:
    media = "application/x-www-form-urlencoded"
    smaller = {k: v for k, v in FORM_PROPERTIES.items() if k != "tags"}
    report = diff_documents(tmp_path, form_2(media, FORM_FIELDS), form_3(media, smaller, ["name", "age"]))
    assert [(f.level, f.location.pointer) for f in by_id(report, "request-property-removed")] == [
        (Level.WARNING, P + "/parameters/2")
    ]
    assert [f.location.pointer for f in by_id(report, "request-property-became-required")] == [
        "/components/schemas/Form/properties/age"
    ]


# --- diff.overrides in apigov.yaml: rule levels for some API paths or files ----------------------


def _diff_with_config(tmp_path: Path, config_text: str, base: Doc, revision: Doc) -> Any:
    (tmp_path / "apigov.yaml").write_text(config_text)
    config = load_config(tmp_path / "apigov.yaml")
    for name, data in (("base", base), ("revision", revision)):
        (tmp_path / name).mkdir(exist_ok=True)
        (tmp_path / name / "api.json").write_text(json.dumps(data))
    request = DiffRequest(
        base=str(tmp_path / "base" / "api.json"),
        revision=str(tmp_path / "revision" / "api.json"),
        today=TODAY,
    )
    return diff_sources(request, config)


TWO_PATHS = api(
    {"/internal/jobs": {"get": op(parameters=[param()])}, "/pets": {"get": op(parameters=[param()])}}
)
TWO_PATHS_REQUIRED = api(
    {
        "/internal/jobs": {"get": op(parameters=[param(required=True)])},
        "/pets": {"get": op(parameters=[param(required=True)])},
    }
)


def test_diff_overrides_set_levels_for_some_paths_and_later_entries_win(tmp_path: Path) -> None:
    config = """
diff:
  rules: {request-parameter-became-required: warning}
  overrides:
    - paths: ["/internal/**"]
      rules: {request-parameter-became-required: info}
    - paths: ["/internal/jobs"]
      rules: {request-parameter-became-required: "off"}
    - paths: ["/pets"]
      rules: {request-parameter-became-required: breaking}
"""
    report = _diff_with_config(tmp_path, config, TWO_PATHS, TWO_PATHS_REQUIRED)
    found = [(f.operation, f.level) for f in by_id(report, "request-parameter-became-required")]
    assert found == [("GET /pets", Level.BREAKING)]


def test_diff_overrides_for_files_match_either_compared_document(tmp_path: Path) -> None:
    config = """
diff:
  overrides:
    - files: ["revision/*.json"]
      rules: {request-parameter-became-required: info}
    - files: ["elsewhere/**"]
      rules: {request-parameter-became-required: "off"}
"""
    report = _diff_with_config(tmp_path, config, TWO_PATHS, TWO_PATHS_REQUIRED)
    assert {f.level for f in by_id(report, "request-parameter-became-required")} == {Level.INFO}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "diff:\n  overrides:\n    - paths: ['/x']\n      rules: {no-such-rule: info}\n",
            "diff.overrides: unknown rule id",
        ),
        (
            "diff:\n  overrides:\n    - paths: ['/x']\n      rules: {endpoint-added: error}\n",
            "setting must be one of",
        ),
        ("diff:\n  overrides:\n    - paths: ['/x']\n", "an override needs 'rules'"),
        ("diff:\n  overrides: {paths: ['/x']}\n", "overrides must be a list"),
    ],
)
def test_bad_diff_overrides_are_one_line_config_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _diff_with_config(tmp_path, text, GET_ONLY, GET_ONLY)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_configured_levels_do_not_undo_the_stability_of_an_alpha_operation(tmp_path: Path) -> None:
    config = "diff:\n  rules: {request-parameter-became-required: breaking, request-parameter-became-optional: 'off'}\n"
    base = api({"/a": {"get": _staged("alpha", parameters=[param(), param("r", required=True)])}})
    revision = api({"/a": {"get": _staged("alpha", parameters=[param(required=True), param("r")])}})
    report = _diff_with_config(tmp_path, config, base, revision)
    assert [f.level for f in by_id(report, "request-parameter-became-required")] == [Level.INFO]
    assert by_id(report, "request-parameter-became-optional") == []  # off still switches it off


@pytest.mark.parametrize("kind", ["callback", "webhook"])
def test_a_first_security_requirement_on_a_callback_harms_nobody(tmp_path: Path, kind: str) -> None:
    base, revision = cb_secured(None), cb_secured([{"a": []}])
    if kind == "webhook":
        base, revision = as_webhook(base), as_webhook(revision)
    report = diff_documents(tmp_path, base, revision)
    assert [f.level for f in by_id(report, f"{kind}-security-added")] == [Level.INFO]
    assert not ids(report) & REQUEST_SIDE
