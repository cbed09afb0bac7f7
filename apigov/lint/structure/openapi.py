"""Structural validation of Swagger 2.0 and OpenAPI 3.0 / 3.1 with openapi-spec-validator.

The validator sees the bundled document, whose references apigov has already checked, and it
runs hardened: its reference handlers refuse every URL scheme (so a ``$dynamicRef``, a nested
``$id`` or a reference apigov does not follow can never read a file or reach the network), and
the validator it uses for ``default`` values runs ``pattern`` in linear time (RE2). An error
the validator raises instead of reporting becomes a finding. openapi-spec-validator is imported
here, on first use only.
"""

from __future__ import annotations

import re
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

#: At most this many structural errors are reported per document; the rest are counted.
MAX_ERRORS: Final = 200


class ExternalReferenceRefused(OSError):
    """Raised by the validator's reference handlers: nothing outside the document is read."""


def _refuse(uri: str) -> Any:
    raise ExternalReferenceRefused(f"reference to {uri} is outside the document")


class _SeenIds(list[int]):
    """openapi-spec-validator's record of the schema objects it has checked (each is checked once,
    by identity) is a list searched linearly: quadratic on a ``oneOf`` of 15,000 branches. The
    same interface on a set."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[int] = set()

    def __contains__(self, item: object) -> bool:
        return item in self._seen

    def append(self, item: int) -> None:
        self._seen.add(item)


@lru_cache(maxsize=3)
def _validator_class(kind: Kind) -> Any:
    import openapi_spec_validator as osv
    from openapi_spec_validator.validation import keywords

    from apigov.lint._regex import safe_validator_class

    base, value_base = {
        Kind.SWAGGER_2: (osv.OpenAPIV2SpecValidator, keywords.OpenAPIV30ValueValidator),
        Kind.OPENAPI_30: (osv.OpenAPIV30SpecValidator, keywords.OpenAPIV30ValueValidator),
        Kind.OPENAPI_31: (osv.OpenAPIV31SpecValidator, keywords.OpenAPIV31ValueValidator),
    }[kind]
    schema_base = base.keyword_validators["schema"]

    def schema_init(self: Any, registry: Any) -> None:
        schema_base.__init__(self, registry)
        self.schema_ids_registry = _SeenIds()

    schema_validator = type("Fast" + schema_base.__name__, (schema_base,), {"__init__": schema_init})
    value_validator = type(
        "Safe" + value_base.__name__,
        (value_base,),
        {"value_validator_cls": safe_validator_class(value_base.value_validator_cls)},
    )
    return type(
        "Safe" + base.__name__,
        (base,),
        {
            "resolver_handlers": dict.fromkeys(("file", "http", "https", "ftp", "urn", ""), _refuse),
            "keyword_validators": {
                **base.keyword_validators,
                "default": value_validator,
                "schema": schema_validator,
            },
        },
    )


_OPERATION_RE: Final = re.compile(r"for '(\w+)' operation in '([^']+)'")


def _operation_pointer(message: str) -> str:
    """openapi-spec-validator's semantic errors name an operation in prose: point at it."""
    match = _OPERATION_RE.search(message)
    if match is None:
        return ""
    return jsonptr.join("/paths", match.group(2), match.group(1))


def structure_invalid(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind.family != "openapi":
        return
    validator = _validator_class(ctx.kind)(ctx.data)
    try:
        yield from _report(ctx, validator.iter_errors())
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


def _default_site(ctx: LintContext, error: Any, index: dict[int, str]) -> str | None:
    """The pointer of the ``default`` an error is about, when it is one: openapi-spec-validator
    validates a schema's ``default`` against the schema itself, and its errors then carry a
    schema object of the document (the very dict) and a path into the default value, but no path
    into the document."""
    schema = getattr(error, "schema", None)
    if not isinstance(schema, dict):
        return None
    if not index:  # every object of the document, by identity; built once per document
        stack: list[tuple[str, Any]] = [("", ctx.data)]
        while stack:
            pointer, node = stack.pop()
            if isinstance(node, dict):
                index[id(node)] = pointer
                stack.extend((f"{pointer}/{jsonptr.escape(k)}", v) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))
    found = index.get(id(schema))
    if found is None:
        return None
    # the schema whose default was validated is where the error's schema path starts
    inside = [str(t) for t in list(getattr(error, "schema_path", ()))[:-1]]
    tokens = jsonptr.split(found)
    if inside and tokens[-len(inside) :] != inside:
        return None
    holder_tokens = tokens[: len(tokens) - len(inside)]
    holder = jsonptr_get(ctx.data, jsonptr.from_tokens(holder_tokens))
    if not isinstance(holder, dict) or "default" not in holder:
        return None
    return jsonptr.from_tokens([*holder_tokens, "default"])


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


def _report(ctx: LintContext, errors: Iterator[Any]) -> Iterator[Finding]:
    reported: set[tuple[str, str]] = set()
    value_refs = dict(ctx.bundled.value_refs)
    objects: dict[int, str] = {}
    for emitted, error in enumerate(errors):
        if emitted >= MAX_ERRORS:
            yield ctx.finding(f"more structural errors were found; only the first {MAX_ERRORS} are shown", "")
            return
        specific = most_specific(error)
        message = " ".join(str(getattr(specific, "message", specific)).split())
        default_site = _default_site(ctx, error, objects)
        if default_site is not None:
            pointer = default_site + jsonptr.from_tokens(list(getattr(specific, "absolute_path", ()) or ()))
            message = _default_message(specific, message)
        else:
            pointer = _locate(ctx, specific) or _operation_pointer(message)
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
