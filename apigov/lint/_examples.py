"""Validating example values against OpenAPI schemas, offline.

Uses openapi-schema-validator (the OpenAPI dialects of JSON Schema: ``nullable``, readOnly /
writeOnly in request and response direction). References resolve against the bundled document
through a ``referencing`` registry with no retrieval function, so nothing is ever fetched.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint._regex import safe_validator_class
from apigov.lint.context import LintContext

_BASE = "urn:apigov:document"


def _with_nullable(data: JSONValue) -> JSONValue:
    """A copy of ``data`` with every ``x-nullable`` also written as ``nullable``."""
    copied = copy.deepcopy(data)
    stack: list[JSONValue] = [copied]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("x-nullable") is True:
                node["nullable"] = True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return copied


class ExampleValidator:
    def __init__(self, ctx: LintContext) -> None:
        import openapi_schema_validator as osv
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        spec = DRAFT202012 if ctx.kind is Kind.OPENAPI_31 else DRAFT4
        data = ctx.data
        if ctx.kind is Kind.SWAGGER_2 and "x-nullable" in ctx.bundled.document.text:
            data = _with_nullable(data)  # Swagger 2.0 says x-nullable where OpenAPI 3.0 says nullable
        self._registry: Any = Registry().with_resource(
            _BASE, Resource.from_contents(data, default_specification=spec)
        )
        if ctx.kind is Kind.OPENAPI_31:
            classes = {"request": osv.OAS31Validator, "response": osv.OAS31Validator}
        else:
            classes = {"request": osv.OAS30WriteValidator, "response": osv.OAS30ReadValidator}
        self._classes = {direction: safe_validator_class(cls) for direction, cls in classes.items()}
        self._validators: dict[tuple[str, str], Any] = {}

    def first_error(self, value: JSONValue, schema_pointer: str, direction: str) -> str | None:
        """The most relevant validation error of ``value``, or ``None`` when it is valid."""
        from jsonschema.exceptions import SchemaError, best_match
        from referencing.exceptions import Unresolvable

        key = (schema_pointer, direction)
        validator = self._validators.get(key)
        if validator is None:
            cls = self._classes[direction]
            validator = cls({"$ref": _BASE + jsonptr.to_fragment(schema_pointer)}, registry=self._registry)
            self._validators[key] = validator
        try:
            error = best_match(validator.iter_errors(value))
        except (Unresolvable, SchemaError, re.error, RecursionError, TypeError, ValueError):
            return None  # a broken schema is the structural validator's business
        if error is None:
            return None
        where = "".join(f"/{p}" for p in error.absolute_path)
        message = " ".join(str(error.message).split())
        if len(message) > 200:
            message = message[:197] + "..."
        return f"{message} (at {where})" if where else message
