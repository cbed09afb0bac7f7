"""Structural validation of Swagger 2.0 and OpenAPI 3.0 / 3.1: the official schema of the
version (as openapi-spec-validator ships it), then openapi-spec-validator's semantic checks
walked over the plain document (:mod:`._openapi_semantics`: each schema object once, every error
at its place).

It runs hardened: ``$ref`` inside ``default`` validation resolve inside the document only (every
other URI is refused, so a ``$dynamicRef``, a nested ``$id`` or a reference apigov does not follow
can never read a file or reach the network), and ``default`` values are validated with ``pattern``
in linear time (RE2). An error a validator raises instead of reporting becomes a finding.
openapi-spec-validator is imported here, on first use only.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

from apigov.core import jsonptr
from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._openapi_model import jsonptr_get, schema_roots, schemas
from apigov.lint._schema_walk import metaschema_errors, most_specific
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule
from apigov.lint.structure._openapi_semantics import semantic_errors

#: At most this many structural errors are reported per document; the rest are counted.
MAX_ERRORS: Final = 200


class ExternalReferenceRefused(OSError):
    """Raised by the validator's reference handlers: nothing outside the document is read."""


def _refuse(uri: str) -> Any:
    raise ExternalReferenceRefused(f"reference to {uri} is outside the document")


@lru_cache(maxsize=3)
def _validators(kind: Kind) -> tuple[Any, Any, Any, Any]:
    """The meta-schema validator of ``kind`` (the official schema, as openapi-spec-validator has
    it), the class and format checker ``default`` values are validated with (its ``pattern``
    keywords on RE2), and the ``referencing`` specification of the document's schemas."""
    import openapi_spec_validator as osv
    from openapi_schema_validator import oas30_format_checker, oas31_format_checker
    from openapi_schema_validator.validators import OAS30Validator, OAS31Validator
    from referencing.jsonschema import DRAFT4, DRAFT202012

    from apigov.lint._regex import safe_validator_class

    meta, value_cls, checker, spec = {
        Kind.SWAGGER_2: (osv.OpenAPIV2SpecValidator, OAS30Validator, oas30_format_checker, DRAFT4),
        Kind.OPENAPI_30: (osv.OpenAPIV30SpecValidator, OAS30Validator, oas30_format_checker, DRAFT4),
        Kind.OPENAPI_31: (osv.OpenAPIV31SpecValidator, OAS31Validator, oas31_format_checker, DRAFT202012),
    }[kind]
    return meta.schema_validator, safe_validator_class(value_cls), checker, spec


def _value_validator(ctx: LintContext) -> Any:
    """A validator of ``default`` values whose ``$ref`` resolve inside the document only (every
    other URI is refused: nothing is read from disk or the network)."""
    from referencing import Registry

    _, value_cls, checker, spec = _validators(ctx.kind)
    registry_cls: Any = Registry
    registry = registry_cls(retrieve=_refuse).with_resource("", spec.create_resource(ctx.data))
    return value_cls({}, _resolver=registry.resolver(base_uri=""), format_checker=checker)


def structure_invalid(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind.family != "openapi":
        return
    try:
        yield from _report(ctx, itertools.chain(_meta(ctx), _semantic(ctx)))
        if ctx.kind is Kind.OPENAPI_31:
            yield from _dialect_errors(ctx)
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - a validator crash on hostile input is a finding, not exit 3
        values = [(p, r) for p, r in ctx.bundled.value_refs if _value_at(ctx, p) is not None]
        for pointer, ref in values:  # the likely cause, in the user's terms
            yield ctx.finding(
                _value_ref_message(ctx, pointer, ref, "openapi-spec-validator cannot read it"), pointer
            )
        if not values:
            yield ctx.finding(
                f"openapi-spec-validator could not validate the document: {exc.__class__.__name__}: "
                + " ".join(str(exc).split())[:200],
                "",
            )


#: What stands at a place, by the key holding it (for messages about a `$ref` to a non-object).
_PLACE: Final = {
    "responses": "a response",
    "parameters": "a parameter",
    "requestBody": "a request body",
    "requestBodies": "a request body",
    "headers": "a header",
    "schema": "a schema",
    "schemas": "a schema",
    "properties": "a schema",
    "items": "a schema",
    "paths": "a path item",
    "callbacks": "a callback",
    "links": "a link",
    "examples": "an example",
    "securitySchemes": "a security scheme",
    "content": "a media type",
    "info": "the info object",
}
_OPERATIONS: Final = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _value_at(ctx: LintContext, pointer: str) -> object:
    try:
        value = jsonptr.resolve(ctx.data, pointer)
    except (jsonptr.PointerError, ValueError):
        return None
    return None if isinstance(value, dict) else value


def _value_ref_message(ctx: LintContext, pointer: str, ref: str, problem: str) -> str:
    """``$ref`` to ``ref`` put a string (array ...) at ``pointer`` where an object belongs."""
    from apigov.lint.rules_refs import value_kind

    tokens = jsonptr.split(pointer)
    place = "an object"
    if tokens and tokens[-1] in _OPERATIONS:
        place = "an operation"
    elif len(tokens) >= 2:
        place = _PLACE.get(tokens[-2], _PLACE.get(tokens[-1], "an object"))
    value = _value_at(ctx, pointer)
    target = ref.partition("#")[0] or ref
    return f"'$ref' to {target} gives {value_kind(value)} where {place} (an object) belongs: {problem}"


_NOTHING: Final = object()


def _locate(ctx: LintContext, error: Any) -> str:
    """The pointer of an error in the document.

    Errors from validating one schema object against its dialect carry a path relative to that
    schema, not to the document: find the schema whose relative path holds the failing value.
    """
    pointer = jsonptr.from_tokens(list(getattr(error, "absolute_path", ()) or ()))
    instance = getattr(error, "instance", _NOTHING)
    if not pointer or instance is _NOTHING or jsonptr_get(ctx.data, pointer) == instance:
        return pointer
    for schema_pointer, schema in schemas(ctx):
        if jsonptr_get(schema, pointer) == instance:
            return schema_pointer + pointer
    return pointer


def _default_message(specific: Any, message: str) -> str:
    """``message`` about a ``default`` value, said in plain words."""
    if getattr(specific, "instance", 0) is None and message.endswith("for not nullable"):
        return (
            "default is null but the schema does not allow null (add nullable: true, or remove the default)"
        )
    return f"default does not match its schema: {message}"


def _dialect_errors(ctx: LintContext) -> Iterator[Finding]:
    """OpenAPI 3.1 schema objects are JSON Schema 2020-12: check them against its meta-schema
    (openapi-spec-validator 0.7 validates the document's structure but not schema contents)."""
    for root_pointer, root in schema_roots(ctx):
        for pointer, message in metaschema_errors(root, root_pointer, Kind.JSONSCHEMA_2020):
            yield ctx.finding(message, pointer)


@lru_cache(maxsize=3)
def _fast_meta(kind: Kind) -> Any:
    """The official schema of ``kind`` compiled by jsonschema-rs (``None`` where it is not used):
    it answers "valid?" some 100 times sooner than jsonschema. Swagger 2.0 and OpenAPI 3.0 only
    (Draft 4: no dynamic references), formats not asserted (as jsonschema does not), offline."""
    if kind is Kind.OPENAPI_31:
        return None
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a dependency; jsonschema alone still decides
        return None
    schema = json.loads(json.dumps(dict(_validators(kind)[0].schema)))  # a lazy proxy: the real dict
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False, offline=True)


def _meta(ctx: LintContext) -> Iterator[tuple[str, str]]:
    """The document against the official schema of its version: ``(pointer, message)``. A valid
    document (the common case) is known valid from jsonschema-rs; an invalid one, or one it
    cannot read, is validated by jsonschema, whose errors are reported."""
    fast = _fast_meta(ctx.kind)
    if fast is not None:
        try:
            if fast.is_valid(ctx.data):
                return
        except Exception:  # noqa: BLE001, S110 - e.g. a number jsonschema-rs cannot hold: jsonschema decides
            pass
    for error in _validators(ctx.kind)[0].iter_errors(ctx.data):
        specific = most_specific(error)
        yield _locate(ctx, specific), " ".join(str(getattr(specific, "message", specific)).split())


def _semantic(ctx: LintContext) -> Iterator[tuple[str, str]]:
    """openapi-spec-validator's semantic checks, each error at its place (a ``default``'s: the
    value inside the default that does not fit)."""
    for found in semantic_errors(ctx.data, _value_validator(ctx), legacy=ctx.kind is Kind.SWAGGER_2):
        if found.error is None:
            yield found.pointer, found.message
            continue
        specific = most_specific(found.error)
        message = " ".join(str(getattr(specific, "message", specific)).split())
        inside = jsonptr.from_tokens(list(getattr(specific, "absolute_path", ()) or ()))
        yield found.pointer + inside, _default_message(specific, message)


def _report(ctx: LintContext, errors: Iterator[tuple[str, str]]) -> Iterator[Finding]:
    reported: set[tuple[str, str]] = set()
    value_refs = dict(ctx.bundled.value_refs)
    for emitted, (pointer, message) in enumerate(errors):
        if emitted >= MAX_ERRORS:
            yield ctx.finding(f"more structural errors were found; only the first {MAX_ERRORS} are shown", "")
            return
        value_ref = value_refs.get(pointer)
        if value_ref is not None and _value_at(ctx, pointer) is not None:
            message = _value_ref_message(ctx, pointer, value_ref, message)
        if len(message) > 300:
            message = message[:297] + "..."
        if pointer in ("/openapi", "/swagger") and message.endswith("is not of type 'string'"):
            message += ' (quote the version: openapi: "3.0.3")'
        # the schema check and the dialect check can say the same about one value: say it once
        subject = (pointer, message.partition(" is ")[0])
        if subject not in reported:
            reported.add(subject)
            yield ctx.finding(message, pointer)


RULES: Final[tuple[LintRule, ...]] = (
    LintRule(
        id="openapi-structure-invalid",
        level=Level.ERROR,
        families=("openapi",),
        summary="The document is not valid Swagger 2.0 / OpenAPI 3.0 / OpenAPI 3.1 (openapi-spec-validator).",
        check=structure_invalid,
        structural=True,
        doc="""\
## What it checks
The document against the official schema of the OpenAPI version it declares, plus the
semantic checks of openapi-spec-validator (path parameters resolved, operationIds unique,
defaults valid for their schema ...).

## Why it matters
Every tool downstream (gateways, client generators, the diff) assumes a valid document.
An invalid one is read differently by each of them.

## Example
```yaml
info:
  title: Orders   # `version` is missing: required by every OpenAPI version
```

## How to fix
Follow the message: it names the property and the place. This rule cannot be switched off.
""",
    ),
)
