"""``apigov pact check``: each interaction of a pact against an OpenAPI contract, with no provider
running (what PactFlow calls bi-directional contract testing).

An interaction must match an operation (method + path template; the most literal template
wins); its request's media type, body, parameters (path, query, header) and credentials must be
valid for that operation; the response status must be documented (exactly, by range, or
default) and the body the consumer expects valid against that response's schema. Pact bodies
are examples of what the consumer sends and expects, so they are validated as instances.
Findings use the rule ids of :mod:`apigov.contract.rules`, so every report format renders them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final
from urllib.parse import parse_qs, unquote

from apigov.contract import rules as R
from apigov.contract.model import ParsedPact
from apigov.core.findings import Details, DocumentInfo, Finding, Location, Report

__all__ = ["check_pact"]

_LEVELS: Final = {r.id: r.level for r in R.PACT_RULES}
_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_MESSAGE: Final = 300


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _template(path: str) -> tuple[re.Pattern[str], int]:
    parts = re.split(r"(\{[^{}/]+\})", path)
    pattern = "".join("([^/]+)" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    literal = sum(len(p) for p in parts if not p.startswith("{"))
    return re.compile(pattern + r"/?"), literal


def _names(path: str) -> list[str]:
    return re.findall(r"\{([^{}/]+)\}", path)


def _media(headers: object) -> str:
    if isinstance(headers, dict):
        for key, value in headers.items():
            if str(key).lower() == "content-type":
                text = value[0] if isinstance(value, list) and value else value
                return str(text).split(";", 1)[0].strip().lower()
    return ""


def _header(headers: object, name: str) -> str | None:
    if isinstance(headers, dict):
        for key, value in headers.items():
            if str(key).lower() == name.lower():
                return str(value[0] if isinstance(value, list) and value else value)
    return None


def _body(raw: object) -> tuple[bool, object]:
    """Pact V4 wraps bodies as ``{"content": ..., "encoded": ...}``; earlier versions store them bare."""
    if (
        isinstance(raw, dict)
        and "content" in raw
        and set(raw) <= {"content", "contentType", "encoded", "contentTypeHint"}
    ):
        if raw.get("encoded"):
            return False, None
        return True, raw.get("content")
    return raw is not None, raw


def _rewritten(document: Any, rewrite: Callable[[dict[str, Any]], None]) -> Any:
    """A deep copy of ``document`` with ``rewrite`` applied to every object in it (iteratively,
    at most 2,000,000 nodes)."""
    data = copy.deepcopy(document)
    stack = [data]
    seen = 0
    while stack and seen < 2_000_000:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            rewrite(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return data


def _nullable_as_null(node: dict[str, Any]) -> None:
    if node.get("nullable") is True:
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]
        elif "enum" in node and isinstance(node["enum"], list):
            node["enum"] = [*node["enum"], None]


def _drop_required(node: dict[str, Any]) -> None:
    if isinstance(node.get("required"), list):
        del node["required"]


def _to_31(document: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema's ``null`` type (on a copy)."""
    return _rewritten(document, _nullable_as_null)


def _without_required(document: Any) -> Any:
    """The document with its schemas' ``required`` lists dropped (a copy): a pact's response body
    holds only the properties that consumer uses, so the ones it leaves out are not missing."""
    return _rewritten(document, _drop_required)


def _undocumented(
    document: Mapping[str, Any], schema: Any, body: object, where: str = "$", depth: int = 0
) -> str | None:
    """The first property of ``body`` that ``schema`` does not document (its ``properties``, with
    those of its allOf/anyOf/oneOf branches, say nothing of it and no additionalProperties or
    patternProperties schema covers it): the consumer expects something the contract never
    promised. Internal ``$ref`` followed; bounded in depth."""
    if depth > 40:
        return None
    seen_refs = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen_refs < 50:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return None
        schema = _resolve(document, ref)
        seen_refs += 1
    if not isinstance(schema, dict):
        return None
    parts = [schema]
    index = 0
    while index < len(parts) and index < 200:
        node = parts[index]
        index += 1
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in node.get(key) or []:
                hops = 0
                while isinstance(branch, dict) and isinstance(branch.get("$ref"), str) and hops < 50:
                    branch = _resolve(document, branch["$ref"]) if branch["$ref"].startswith("#/") else None
                    hops += 1
                if isinstance(branch, dict):
                    parts.append(branch)
    if isinstance(body, dict):
        properties: dict[str, Any] = {}
        listed = open_ended = False
        for node in parts:
            if isinstance(node.get("properties"), dict):
                listed = True
                properties.update(node["properties"])
            extra = node.get("additionalProperties", node.get("unevaluatedProperties"))
            if (extra is not None and extra is not False) or node.get("patternProperties"):
                open_ended = True
        for key, value in body.items():
            if key in properties:
                found = _undocumented(document, properties[key], value, f"{where}.{key}", depth + 1)
                if found:
                    return found
            elif listed and not open_ended:
                return f"{where}.{key}"
    elif isinstance(body, list):
        for node in parts:
            if "items" in node:
                for item in body[:20]:
                    found = _undocumented(document, node["items"], item, f"{where}[]", depth + 1)
                    if found:
                        return found
                break
    return None


class _Validators:
    def __init__(self, document: Mapping[str, Any], *, expectations: bool = False) -> None:
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.uri = "urn:apigov:pact-check-contract"
        data = document if str(document.get("openapi", "")).startswith("3.1") else _to_31(document)
        if expectations:
            data = _without_required(data)
        self.registry: Any = Registry().with_resource(
            self.uri, Resource.from_contents(data, default_specification=DRAFT202012)
        )
        self.cls: Any = Draft202012Validator
        self.cache: dict[str, Any] = {}

    def first_error(self, pointer: str, instance: object) -> str | None:
        validator = self.cache.get(pointer)
        if validator is None:
            validator = self.cls({"$ref": f"{self.uri}#{pointer}"}, registry=self.registry)
            self.cache[pointer] = validator
        try:
            error = next(iter(validator.iter_errors(instance)), None)
        except Exception as exc:  # noqa: BLE001 - an unusable schema is reported, not a crash
            return f"the schema cannot be used: {type(exc).__name__}"
        if error is None:
            return None
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        text = f"{where}: {error.message}"
        return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _coerce(value: str, schema: object) -> object:
    kind = schema.get("type") if isinstance(schema, dict) else None
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "number" in kinds:
        try:
            return float(value)
        except ValueError:
            return value
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value


def check_pact(
    pact: ParsedPact,
    document: Mapping[str, Any],
    *,
    pact_source: str,
    contract_source: str,
    contract_kind: str,
    tool_version: str = "",
) -> Report:
    """The findings of every interaction of ``pact`` against the OpenAPI ``document``."""
    paths = document.get("paths") if isinstance(document.get("paths"), dict) else {}
    assert isinstance(paths, dict)
    templates = []
    for path, item in paths.items():
        if isinstance(item, dict):
            regex, literal = _template(str(path))
            templates.append((literal, str(path), regex, item))
    templates.sort(key=lambda t: -t[0])
    validators = _Validators(document)
    expected = _Validators(document, expectations=True)
    schemes = (
        document.get("components", {}).get("securitySchemes", {})
        if isinstance(document.get("components"), dict)
        else {}
    )
    findings: list[Finding] = []
    for index, interaction in enumerate(pact.interactions):
        findings.extend(
            _check_interaction(
                index, interaction, templates, paths, document, validators, expected, schemes, pact_source
            )
        )
    return Report(
        command="pact-check",
        findings=tuple(sorted(findings, key=lambda f: (f.location.pointer, f.rule_id))),
        documents=(
            DocumentInfo(pact_source, f"pact-{pact.specification}", f"{pact.consumer} -> {pact.provider}"),
            DocumentInfo(
                contract_source,
                contract_kind,
                str(document.get("info", {}).get("title", ""))
                if isinstance(document.get("info"), dict)
                else None,
            ),
        ),
        tool_version=tool_version,
        rule_summaries={r.id: r.summary for r in R.PACT_RULES},
    )


def _check_interaction(
    index: int,
    interaction: dict[str, object],
    templates: list[tuple[int, str, re.Pattern[str], dict[str, Any]]],
    paths: dict[str, Any],
    document: Mapping[str, Any],
    validators: _Validators,
    expected: _Validators,
    schemes: Any,
    source: str,
) -> Iterator[Finding]:
    description = str(interaction.get("description", f"interaction {index}"))
    pointer = f"/interactions/{index}"

    def finding(rule: str, message: str, operation: str | None = None, **details: str) -> Finding:
        return Finding(
            rule,
            _LEVELS[rule],
            f"{description!r}: {message}",
            Location(source, pointer),
            operation,
            Details.of({"interaction": description, **details}),
        )

    if interaction.get("type", "Synchronous/HTTP") != "Synchronous/HTTP":
        yield finding(R.INTERACTION_SKIPPED, "a message interaction, not checked against an HTTP contract")
        return
    request = interaction.get("request")
    response = interaction.get("response")
    assert isinstance(request, dict)
    method = str(request.get("method", "GET")).lower()
    raw_path = str(request.get("path", "/"))
    shown = f"{method.upper()} {raw_path}"
    match = None
    for _, template, regex, item in templates:
        found = regex.fullmatch(raw_path)
        if found and isinstance(item.get(method), dict):
            match = (template, found, item)
            break
    if match is None:
        yield finding(R.OPERATION_NOT_FOUND, f"no operation {shown} in the contract")
        return
    template, found, item = match
    operation = item[method]
    op_name = f"{method.upper()} {template}"
    op_pointer = f"/paths/{_escape(template)}/{method}"
    parameters = [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
    resolved: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for i, p in enumerate(parameters):
        base = f"/paths/{_escape(template)}" + ("" if i < len(item.get("parameters") or []) else f"/{method}")
        offset = i if i < len(item.get("parameters") or []) else i - len(item.get("parameters") or [])
        ptr = f"{base}/parameters/{offset}"
        if isinstance(p, dict) and "$ref" in p and isinstance(p["$ref"], str) and p["$ref"].startswith("#/"):
            ptr = p["$ref"][1:]
            p = _resolve(document, p["$ref"])
        if isinstance(p, dict) and isinstance(p.get("name"), str) and isinstance(p.get("in"), str):
            resolved[(p["in"], p["name"] if p["in"] != "header" else p["name"].lower())] = (p, ptr)
    # path parameters
    for name, value in zip(_names(template), found.groups(), strict=False):
        entry = resolved.get(("path", name))
        if entry and "schema" in entry[0]:
            error = validators.first_error(entry[1] + "/schema", _coerce(unquote(value), entry[0]["schema"]))
            if error:
                yield finding(
                    R.REQUEST_PARAMETER_INVALID, f"path parameter {name}={value[:60]!r}: {error}", op_name
                )
    # query and header parameters
    query_raw = request.get("query")
    query: dict[str, list[str]] = {}
    if isinstance(query_raw, str):
        query = parse_qs(query_raw)
    elif isinstance(query_raw, dict):
        query = {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in query_raw.items()}
    headers = request.get("headers")
    for (where, name), (param, ptr) in resolved.items():
        if where == "query":
            values = query.get(name)
        elif where == "header":
            one = _header(headers, name)
            values = None if one is None else [one]
        else:
            continue
        if values is None:
            if param.get("required"):
                yield finding(
                    R.REQUEST_PARAMETER_MISSING,
                    f"the required {where} parameter {name!r} is missing",
                    op_name,
                )
            continue
        if "schema" in param:
            error = validators.first_error(ptr + "/schema", _coerce(values[0], param["schema"]))
            if error:
                yield finding(
                    R.REQUEST_PARAMETER_INVALID,
                    f"{where} parameter {name}={values[0][:60]!r}: {error}",
                    op_name,
                )
    # security
    security = operation.get("security", document.get("security"))
    if (
        isinstance(security, list)
        and security
        and isinstance(schemes, dict)
        and not any(_satisfied(req, schemes, headers, query) for req in security if isinstance(req, dict))
    ):
        names = " or ".join(sorted({n for req in security if isinstance(req, dict) for n in req}))
        yield finding(
            R.REQUEST_SECURITY_MISSING,
            f"the operation requires {names}; the request carries no such credentials",
            op_name,
        )
    # request body
    has_body, body = _body(request.get("body"))
    media = _media(headers)
    request_body = operation.get("requestBody")
    rb_pointer = op_pointer + "/requestBody"
    if isinstance(request_body, dict) and isinstance(request_body.get("$ref"), str):
        rb_pointer = request_body["$ref"][1:]
        request_body = _resolve(document, request_body["$ref"])
    if has_body:
        content = request_body.get("content") if isinstance(request_body, dict) else None
        if not isinstance(content, dict):
            yield finding(R.REQUEST_MEDIA_TYPE, "the request has a body; the operation takes none", op_name)
        else:
            chosen = _media_match(media or "application/json", content)
            if chosen is None:
                yield finding(
                    R.REQUEST_MEDIA_TYPE,
                    f"request media type {media or '(none)'} is not one of {', '.join(content)}",
                    op_name,
                )
            elif isinstance(content[chosen], dict) and "schema" in content[chosen] and "json" in chosen:
                error = validators.first_error(f"{rb_pointer}/content/{_escape(chosen)}/schema", body)
                if error:
                    yield finding(R.REQUEST_BODY_INVALID, f"request body: {error}", op_name)
    elif isinstance(request_body, dict) and request_body.get("required"):
        yield finding(
            R.REQUEST_BODY_INVALID, "the operation requires a request body; the request has none", op_name
        )
    # response
    if not isinstance(response, dict):
        return
    status = str(response.get("status", 200))
    responses = operation.get("responses") if isinstance(operation.get("responses"), dict) else {}
    assert isinstance(responses, dict)
    key = (
        status
        if status in responses
        else f"{status[0]}XX"
        if f"{status[0]}XX" in responses
        else "default"
        if "default" in responses
        else None
    )
    if key is None:
        yield finding(
            R.RESPONSE_STATUS,
            f"status {status} is not documented (documented: {', '.join(map(str, responses)) or 'none'})",
            op_name,
        )
        return
    documented = responses[key]
    resp_pointer = f"{op_pointer}/responses/{_escape(key)}"
    if isinstance(documented, dict) and isinstance(documented.get("$ref"), str):
        resp_pointer = documented["$ref"][1:]
        documented = _resolve(document, documented["$ref"])
    has_body, body = _body(response.get("body"))
    if not has_body:
        return
    content = documented.get("content") if isinstance(documented, dict) else None
    media = _media(response.get("headers")) or "application/json"
    if not isinstance(content, dict):
        yield finding(
            R.RESPONSE_MEDIA_TYPE,
            f"the consumer expects a body with status {status}; none is documented",
            op_name,
        )
        return
    chosen = _media_match(media, content)
    if chosen is None:
        yield finding(
            R.RESPONSE_MEDIA_TYPE, f"response media type {media} is not one of {', '.join(content)}", op_name
        )
    elif isinstance(content[chosen], dict) and "schema" in content[chosen] and "json" in chosen:
        error = expected.first_error(f"{resp_pointer}/content/{_escape(chosen)}/schema", body)
        if error is None:
            extra = _undocumented(document, content[chosen]["schema"], body)
            if extra:
                error = f"{extra}: the consumer expects a property the contract does not document"
        if error:
            yield finding(
                R.RESPONSE_BODY_INVALID, f"response body ({status}): {error}", op_name, status=status
            )


def _resolve(document: Mapping[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _media_match(media: str, content: dict[str, Any]) -> str | None:
    if media in content:
        return media
    family = media.split("/", 1)[0] + "/*"
    for candidate in (family, "*/*"):
        if candidate in content:
            return candidate
    if media == "application/json":
        for name in content:
            if name.endswith("+json"):
                return str(name)
    return None


def _satisfied(
    requirement: dict[str, Any], schemes: dict[str, Any], headers: object, query: dict[str, list[str]]
) -> bool:
    if not requirement:
        return True  # {} : anonymous allowed
    for name in requirement:
        scheme = schemes.get(name)
        if not isinstance(scheme, dict):
            return True  # an unknown scheme: not judged
        kind = scheme.get("type")
        if kind == "apiKey":
            where, key = scheme.get("in"), str(scheme.get("name", ""))
            present = (
                (_header(headers, key) is not None)
                if where == "header"
                else key in query
                if where == "query"
                else True
            )
        elif kind == "http":
            auth = _header(headers, "authorization") or ""
            present = auth.lower().startswith(str(scheme.get("scheme", "")).lower())
        elif kind in ("oauth2", "openIdConnect"):
            present = (_header(headers, "authorization") or "").lower().startswith("bearer")
        else:
            present = True
        if not present:
            return False
    return True


def load_openapi(spec: str, registry_location: str) -> tuple[dict[str, Any], str]:
    """The bundled OpenAPI document of a file, or of a registry reference (``orders-api@1.0.0``,
    ``orders-api@latest``), and its kind; a one-line InputError for anything else."""
    from pathlib import Path

    from apigov.core.errors import InputError
    from apigov.documents.bundle import bundle_file
    from apigov.documents.kinds import detect_kind
    from apigov.documents.load import decode_text, parse_text
    from apigov.registry.location import open_backend
    from apigov.registry.refs import is_ref, parse_ref, resolve_version

    if is_ref(spec):
        backend = open_backend(registry_location)
        ref = parse_ref(spec)
        stored = backend.get_version(ref.subject, resolve_version(backend, ref))
        label = f"{stored.subject}@{stored.version}"
        data: Any = parse_text(
            decode_text(stored.content, source=label),
            "json" if stored.format == "json" else "yaml",
            source=label,
        )
        kind = stored.kind
    else:
        bundled = bundle_file(Path(spec), source=spec)
        data = bundled.document.data
        kind = detect_kind(data, Path(spec), source=spec)[0].value
    if not kind.startswith("openapi") or not isinstance(data, dict):
        raise InputError(f"{spec}: a pact is checked against an OpenAPI 3 contract, not {kind}")
    return data, kind
