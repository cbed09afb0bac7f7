"""The lint catalogue: every rule ``apigov check`` runs, in a fixed order.

Structural rules come first (validation against the specification), then governance rules.
The tuple is explicit: no registration by import side effects.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.lint import rules_asyncapi, rules_avro, rules_jsonschema, rules_openapi, rules_refs
from apigov.lint.rule import LintRule
from apigov.lint.structure import asyncapi as structure_asyncapi
from apigov.lint.structure import avro as structure_avro
from apigov.lint.structure import jsonschema as structure_jsonschema
from apigov.lint.structure import openapi as structure_openapi

RULES: Final[tuple[LintRule, ...]] = (
    *structure_openapi.RULES,
    *structure_asyncapi.RULES,
    *structure_jsonschema.RULES,
    *structure_avro.RULES,
    *rules_openapi.RULES,
    *rules_asyncapi.RULES,
    *rules_jsonschema.RULES,
    *rules_avro.RULES,
    *rules_refs.RULES,
)

BY_ID: Final[Mapping[str, LintRule]] = MappingProxyType({rule.id: rule for rule in RULES})
