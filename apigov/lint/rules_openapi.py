"""Governance rules for Swagger 2.0 and OpenAPI 3.x documents.

Each check is pure: it reads the bundled document through :mod:`apigov.lint._openapi_model`
and yields findings. Structural validity is already established when these run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._doc import rule_factory
from apigov.lint._openapi_model import (
    TEMPLATE_RE,
    as_dict,
    as_list,
    component_sections,
    jsonptr_get,
    operations,
    parameters,
    referenced_pointers,
    schemas,
)
from apigov.lint._schema_walk import declared_types, matches_type
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

OPENAPI: Final = ("openapi",)
_IDENTIFIER_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
_VERBS: Final = frozenset(
    {"get", "create", "update", "delete", "remove", "fetch", "list", "put", "post", "patch"}
)
_LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"})  # noqa: S104


# ----------------------------------------------------------------------------- info


def _info_field(ctx: LintContext, field: str, what: str) -> Iterator[Finding]:
    info = as_dict(as_dict(ctx.data).get("info"))
    value = info.get(field)
    if value is None or value == "" or value == {}:
        yield ctx.finding(f"info has no {what}", "/info")


def info_contact_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _info_field(ctx, "contact", "contact (who owns this API?)")


def info_description_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _info_field(ctx, "description", "description")


def info_license_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _info_field(ctx, "license", "license")


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


def _scheme_container(ctx: LintContext) -> tuple[str, dict[str, JSONValue]]:
    if ctx.kind is Kind.SWAGGER_2:
        return "/securityDefinitions", as_dict(as_dict(ctx.data).get("securityDefinitions"))
    pointer = "/components/securitySchemes"
    return pointer, as_dict(jsonptr_get(ctx.data, pointer))


def _requirements(ctx: LintContext) -> Iterator[tuple[str, str, str | None]]:
    """(scheme name, pointer of the requirement entry, operation label) for every requirement."""
    for index, req in enumerate(as_list(as_dict(ctx.data).get("security"))):
        for name in as_dict(req):
            yield name, jsonptr.join(f"/security/{index}", name), None
    for op in operations(ctx):
        for index, req in enumerate(as_list(op.value.get("security"))):
            for name in as_dict(req):
                yield name, jsonptr.join(f"{op.pointer}/security/{index}", name), op.label


def security_scheme_undefined(ctx: LintContext) -> Iterator[Finding]:
    _, schemes = _scheme_container(ctx)
    for name, pointer, label in _requirements(ctx):
        if name not in schemes:
            yield ctx.finding(f"security scheme {name!r} is not defined", pointer, operation=label)


def security_scheme_insecure(ctx: LintContext) -> Iterator[Finding]:
    container, schemes = _scheme_container(ctx)
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


# ----------------------------------------------------------------------------- paths and parameters


def _literal_segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s and not TEMPLATE_RE.search(s)]


def path_trailing_slash(ctx: LintContext) -> Iterator[Finding]:
    for path in as_dict(as_dict(ctx.data).get("paths")):
        if len(path) > 1 and path.endswith("/"):
            yield ctx.finding(f"path {path!r} ends with a slash", jsonptr.join("/paths", path))


def _style(segment: str) -> str:
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", segment):
        return "kebab-case" if "-" in segment else "lower"
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", segment):
        return "snake_case"
    if re.fullmatch(r"[a-z][a-zA-Z0-9]*", segment):
        return "camelCase"
    return "other"


def path_casing_inconsistent(ctx: LintContext) -> Iterator[Finding]:
    paths = list(as_dict(as_dict(ctx.data).get("paths")))
    styles = Counter(
        _style(seg)
        for path in paths
        for seg in _literal_segments(path)
        if _style(seg) not in ("lower", "other")
    )
    dominant = "kebab-case"
    if styles:
        top = styles.most_common()
        if top[0][1] > styles.get("kebab-case", 0):
            dominant = top[0][0]
    for path in paths:
        for segment in _literal_segments(path):
            style = _style(segment)
            if style in ("lower", dominant):
                continue
            if segment.startswith(".") or (
                segment.startswith("v") and segment[1:].replace(".", "").isdigit()
            ):
                continue
            yield ctx.finding(
                f"path segment {segment!r} of {path!r} is {style}; this API's paths use {dominant}",
                jsonptr.join("/paths", path),
                expected=dominant,
            )
            break


def path_verb_in_segment(ctx: LintContext) -> Iterator[Finding]:
    for path in as_dict(as_dict(ctx.data).get("paths")):
        for segment in _literal_segments(path):
            first = re.split(r"[-_]|(?=[A-Z])", segment)[0].lower()
            if first in _VERBS:
                yield ctx.finding(
                    f"path {path!r} names an action ({segment!r}); let the HTTP method say it",
                    jsonptr.join("/paths", path),
                )
                break


def path_ambiguous(ctx: LintContext) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for path in as_dict(as_dict(ctx.data).get("paths")):
        normalised = TEMPLATE_RE.sub("{}", path.rstrip("/") or "/")
        if normalised in seen:
            yield ctx.finding(
                f"path {path!r} is the same template as {seen[normalised]!r} (parameter names differ only)",
                jsonptr.join("/paths", path),
            )
        else:
            seen[normalised] = path


def parameter_description_missing(ctx: LintContext) -> Iterator[Finding]:
    reported: set[str] = set()
    for op in operations(ctx):
        for param, pointer in parameters(ctx, op):
            if param.get("in") == "body" or param.get("description"):
                continue
            key = f"{param.get('in')}:{param.get('name')}:{pointer if 'parameters' in pointer else ''}"
            if key in reported:
                continue
            reported.add(key)
            yield ctx.finding(
                f"{param.get('in')} parameter {param.get('name')!r} of {op.label} has no description",
                pointer,
                operation=op.label,
            )


# ----------------------------------------------------------------------------- servers


def server_missing(ctx: LintContext) -> Iterator[Finding]:
    data = as_dict(ctx.data)
    if ctx.kind is Kind.SWAGGER_2:
        if not data.get("host"):
            yield ctx.finding("no host is declared: clients cannot know where the API lives", "")
    elif not as_list(data.get("servers")):
        yield ctx.finding("no servers are declared: clients cannot know where the API lives", "")


def server_url_not_https(ctx: LintContext) -> Iterator[Finding]:
    data = as_dict(ctx.data)
    if ctx.kind is Kind.SWAGGER_2:
        schemes = as_list(data.get("schemes"))
        host = str(data.get("host", "")).split(":")[0]
        if "http" in schemes and host not in _LOCAL_HOSTS:
            yield ctx.finding("schemes include plain http", f"/schemes/{schemes.index('http')}")
        return
    for index, server in enumerate(as_list(data.get("servers"))):
        url = as_dict(server).get("url")
        if not isinstance(url, str):
            continue
        try:
            parts = urlsplit(url)
            hostname = parts.hostname or ""
            _ = parts.port
        except ValueError as exc:
            yield ctx.finding(f"server url {url!r} is not a valid URL ({exc})", f"/servers/{index}/url")
            continue
        if parts.scheme == "http" and hostname not in _LOCAL_HOSTS:
            yield ctx.finding(f"server {url!r} is not https", f"/servers/{index}/url")


# ----------------------------------------------------------------------------- components and schemas


def component_unused(ctx: LintContext) -> Iterator[Finding]:
    used = referenced_pointers(ctx)
    sections = component_sections(ctx.kind)
    containers = set(sections.values())
    # a reference into a component (`#/components/schemas/A/properties/b`) uses it too
    used_components: set[str] = set()
    for pointer in used:
        for container in containers:
            if pointer.startswith(container + "/"):
                used_components.add(container + "/" + pointer[len(container) + 1 :].split("/", 1)[0])
    for section, container in sections.items():
        for name in as_dict(jsonptr_get(ctx.data, container)):
            pointer = jsonptr.join(container, name)
            if pointer in used_components:
                continue
            yield ctx.finding(f"component {section}/{name} is never referenced", pointer)
    container, schemes = _scheme_container(ctx)
    required = {name for name, _, _ in _requirements(ctx)}
    for name in schemes:
        if name not in required:
            yield ctx.finding(f"security scheme {name!r} is never required", jsonptr.join(container, name))


def enum_value_type_mismatch(ctx: LintContext) -> Iterator[Finding]:
    for pointer, schema in schemas(ctx):
        types = declared_types(schema)
        if not types:
            continue
        nullable = schema.get("nullable") is True or schema.get("x-nullable") is True
        for index, value in enumerate(as_list(schema.get("enum"))):
            if value is None and nullable:
                continue
            verdicts = [matches_type(value, name, ctx.kind) for name in types]
            if None not in verdicts and not any(verdicts):
                yield ctx.finding(
                    f"enum value {value!r} is not of type {' or '.join(types)}",
                    f"{pointer}/enum/{index}",
                )


def ref_sibling_ignored(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is Kind.OPENAPI_31:
        return  # 3.1 schemas may have siblings of $ref
    for pointer, schema in schemas(ctx):
        if "$ref" not in schema:
            continue
        ignored = sorted(k for k in schema if k != "$ref" and not k.startswith("x-"))
        if ignored:
            yield ctx.finding(
                f"{', '.join(ignored)} next to $ref is ignored in {ctx.kind.value}",
                pointer,
                ignored=", ".join(ignored),
            )


def _example_sites(ctx: LintContext) -> Iterator[tuple[str, JSONValue, str, str]]:
    """(pointer of the example value, value, pointer of its schema, direction) for every example."""
    for pointer, schema in schemas(ctx):
        if "example" in schema and "$ref" not in schema:
            yield pointer + "/example", schema["example"], pointer, "response"
        if ctx.kind is Kind.OPENAPI_31 and "$ref" not in schema:
            for index, value in enumerate(as_list(schema.get("examples"))):
                yield f"{pointer}/examples/{index}", value, pointer, "response"
    if ctx.kind is Kind.SWAGGER_2:
        yield from _swagger2_response_examples(ctx)
        return
    stack: list[tuple[str, JSONValue, str]] = [("", ctx.data, "response")]
    while stack:
        pointer, node, direction = stack.pop()
        if not isinstance(node, dict):
            if isinstance(node, list):
                stack.extend((f"{pointer}/{i}", c, direction) for i, c in enumerate(node))
            continue
        schema_ptr = pointer + "/schema"
        if isinstance(node.get("schema"), dict) and (
            "example" in node or isinstance(node.get("examples"), dict)
        ):
            if "example" in node:
                yield pointer + "/example", node["example"], schema_ptr, direction
            for name, example in as_dict(node.get("examples")).items():
                resolved = as_dict(ctx.resolve(example))
                if "value" in resolved:
                    yield (
                        jsonptr.join(pointer + "/examples", name, "value"),
                        resolved["value"],
                        schema_ptr,
                        direction,
                    )
        for key, child in node.items():
            if key in ("schema", "example", "examples", "schemas") or key.startswith("x-"):
                continue
            child_direction = (
                "request" if key in ("requestBody", "requestBodies", "parameters") else direction
            )
            if key == "responses":
                child_direction = "response"
            if isinstance(child, (dict, list)):
                stack.append((pointer + "/" + jsonptr.escape(key), child, child_direction))


def _swagger2_response_examples(ctx: LintContext) -> Iterator[tuple[str, JSONValue, str, str]]:
    """Swagger 2.0 responses keep examples per mime type next to the response's schema."""
    json_like = ("application/json", "+json", "text/json")
    for op in operations(ctx):
        for code, raw in as_dict(op.value.get("responses")).items():
            response_ptr = jsonptr.join(op.pointer, "responses", code)
            response = as_dict(raw)
            if "$ref" in response:
                continue
            if isinstance(response.get("schema"), dict):
                for mime, value in as_dict(response.get("examples")).items():
                    if mime.split(";")[0].strip().endswith(json_like):
                        yield (
                            jsonptr.join(response_ptr, "examples", mime),
                            value,
                            response_ptr + "/schema",
                            "response",
                        )


def example_invalid(ctx: LintContext) -> Iterator[Finding]:
    from apigov.lint._examples import ExampleValidator

    validator = ExampleValidator(ctx)
    for pointer, value, schema_ptr, direction in _example_sites(ctx):
        error = validator.first_error(value, schema_ptr, direction)
        if error is not None:
            yield ctx.finding(f"example does not match its schema: {error}", pointer, schema=schema_ptr)


def paths_empty(ctx: LintContext) -> Iterator[Finding]:
    data = as_dict(ctx.data)
    if not as_dict(data.get("paths")) and not as_dict(data.get("webhooks")):
        yield ctx.finding("the API has no paths", "/paths" if "paths" in data else "")


# ----------------------------------------------------------------------------- the table


_rule: Final = rule_factory(*OPENAPI)


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "info-contact-missing",
        Level.INFO,
        "info.contact says who owns the API.",
        info_contact_missing,
        checks="`info.contact` is present.",
        why="Consumers and the platform team need to know whom to ask about a contract.",
        example="info:\n  title: Orders\n  version: 1.0.0   # no contact",
        fix="Add `info.contact` with the owning team's name, URL or email.",
    ),
    _rule(
        "info-description-missing",
        Level.INFO,
        "info.description explains what the API is for.",
        info_description_missing,
        checks="`info.description` is present and not empty.",
        why="Catalogues, portals and generated clients show it as the API's introduction.",
        example="info:\n  title: Orders\n  version: 1.0.0   # no description",
        fix="Describe what the API does and who should use it.",
    ),
    _rule(
        "info-license-missing",
        Level.INFO,
        "info.license states the terms of use.",
        info_license_missing,
        checks="`info.license` is present.",
        why="Published contracts are reused; a licence makes the terms explicit.",
        example="info:\n  title: Orders\n  version: 1.0.0   # no license",
        fix="Add `info.license` with at least a `name`.",
    ),
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
    _rule(
        "path-trailing-slash",
        Level.WARNING,
        "Paths do not end with a slash.",
        path_trailing_slash,
        checks="No key of `paths` other than `/` ends with `/`.",
        why="`/orders/` and `/orders` are different URLs: gateways and clients disagree on which one exists.",
        example="paths:\n  /orders/: {}",
        fix="Remove the trailing slash.",
    ),
    _rule(
        "path-casing-inconsistent",
        Level.WARNING,
        "Path segments share one casing style (kebab-case by default).",
        path_casing_inconsistent,
        checks="Literal path segments (not `{parameters}`) use the style most of the API uses: kebab-case, "
        "snake_case or camelCase (kebab-case wins ties). One finding per path at most.",
        why="Mixed casing makes URLs hard to guess and is a sign of paths designed in isolation.",
        example="paths:\n  /order-items: {}\n  /shippingLabels: {}",
        fix="Rename the segment to the API's style (adding the new path first and deprecating the old one).",
    ),
    _rule(
        "path-verb-in-segment",
        Level.INFO,
        "Paths name resources, not actions.",
        path_verb_in_segment,
        checks="No literal path segment starts with an HTTP-like verb (get, create, update, delete, list ...).",
        why="The method already says the action; verbs in paths lead to RPC-style APIs that gateways and "
        "caches cannot reason about.",
        example="paths:\n  /getOrders: {}",
        fix="Use a noun (`/orders`) and the right method.",
    ),
    _rule(
        "path-ambiguous",
        Level.ERROR,
        "No two paths differ only in parameter names.",
        path_ambiguous,
        checks="After replacing every `{parameter}` by a placeholder, all path templates are distinct.",
        why="`/pets/{id}` and `/pets/{petId}` match the same URLs; OpenAPI declares such paths identical and "
        "routers pick one at random.",
        example="paths:\n  /pets/{id}: {}\n  /pets/{petId}: {}",
        fix="Merge the two path items.",
    ),
    _rule(
        "parameter-description-missing",
        Level.INFO,
        "Parameters have a description.",
        parameter_description_missing,
        checks="Every query, path, header and cookie parameter has a `description`.",
        why="Parameter names alone rarely say the unit, format or effect.",
        example="parameters:\n  - {name: limit, in: query, schema: {type: integer}}",
        fix="Describe the parameter, including defaults and limits.",
    ),
    _rule(
        "server-missing",
        Level.WARNING,
        "The API says where it is served.",
        server_missing,
        checks="OpenAPI 3 documents have `servers`; Swagger 2.0 documents have `host`.",
        why="Without a server, generated clients and gateway configs have no base URL.",
        example="openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}",
        fix="Add `servers: [{url: https://api.example.com/v1}]`.",
    ),
    _rule(
        "server-url-not-https",
        Level.WARNING,
        "Servers use https (except localhost).",
        server_url_not_https,
        checks="Server URLs (3.x) use https, and Swagger 2.0 `schemes` do not include http, unless the host "
        "is localhost or a loopback address.",
        why="Plain http exposes tokens and data to anyone on the path.",
        example="servers:\n  - url: http://api.example.com",
        fix="Serve and document the API over https.",
    ),
    _rule(
        "component-unused",
        Level.WARNING,
        "Every component is referenced.",
        component_unused,
        checks="Every entry of `components` (`definitions`, `parameters`, `responses` in 2.0) is the target "
        "of some `$ref`, and every security scheme is used by a security requirement.",
        why="Unused components are dead weight that still gets generated into clients and reviewed in diffs.",
        example="components:\n  schemas:\n    OldOrder: {type: object}   # nothing refers to it",
        fix="Remove it, or reference it where it was meant to be used.",
    ),
    _rule(
        "enum-value-type-mismatch",
        Level.ERROR,
        "Enum values match the schema's type.",
        enum_value_type_mismatch,
        checks="Each `enum` value of a schema with a `type` is of that type (`null` allowed when nullable).",
        why="A value of the wrong type can never validate, so clients and servers disagree about it "
        "(`enum: [1, 2]` on a string is the classic YAML surprise).",
        example="schema:\n  type: string\n  enum: [1, 2]",
        fix="Quote the values or fix the type.",
    ),
    _rule(
        "ref-sibling-ignored",
        Level.WARNING,
        "Nothing sits next to $ref in Swagger 2.0 / OpenAPI 3.0 schemas.",
        ref_sibling_ignored,
        checks="Schema objects with `$ref` have no other keywords (extensions aside). OpenAPI 3.1 allows "
        "siblings and is not checked.",
        why="In Swagger 2.0 and OpenAPI 3.0 every sibling of `$ref` is ignored, so a `description`, "
        "`nullable` or `maxLength` written there silently has no effect.",
        example="properties:\n  customer:\n    $ref: '#/components/schemas/Customer'\n    nullable: true   # ignored",
        fix="Wrap the reference: `allOf: [{$ref: ...}]` with the other keywords beside `allOf`.",
    ),
    _rule(
        "example-invalid",
        Level.ERROR,
        "Examples validate against their schema.",
        example_invalid,
        checks="Every `example` and `examples` value of media types, parameters, headers and schemas "
        "validates against its schema (request examples in write mode, response examples in read mode, "
        "so readOnly / writeOnly properties are handled). Formats are not checked.",
        why="Examples are copied into documentation, mocks and tests; a wrong example teaches every "
        "consumer the wrong thing and makes mock servers lie.",
        example="schema: {type: integer}\nexample: twelve",
        fix="Correct the example (or the schema, if the example is right).",
    ),
    _rule(
        "paths-empty",
        Level.WARNING,
        "The API has at least one path or webhook.",
        paths_empty,
        checks="`paths` (or, in 3.1, `webhooks`) is not empty.",
        why="An API with no operations is usually a mistake in bundling or a wrong file.",
        example="paths: {}",
        fix="Add the operations, or check that the right file is linted.",
    ),
)
