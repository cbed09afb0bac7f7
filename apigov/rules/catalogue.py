"""The diff rule catalogue: every id ``apigov diff`` can report for OpenAPI, in one explicit tuple.

An index: each area module of :mod:`apigov.rules.openapi` declares its rows beside its checks
(``RULES``), and the catalogue is their concatenation in a fixed order (the order of
``apigov rules``, docs/diff-rules.md and of the checks' runs). Event rules are in
:mod:`apigov.rules.events.catalogue`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.rules.openapi import (
    callbacks,
    document,
    lifecycle,
    notices,
    operations,
    parameters,
    request_body,
    responses,
    schema_rules,
    security,
)
from apigov.rules.rule import Rule

#: the rules of the document's structure, area by area
STRUCTURAL: Final[tuple[Rule, ...]] = (
    *operations.RULES,
    *callbacks.RULES,
    *lifecycle.RULES,
    *parameters.RULES,
    *request_body.RULES,
    *responses.RULES,
    *security.RULES,
    *document.RULES,
)
SEMVER: Final = document.SEMVER_RULES
NOTICES: Final = notices.RULES

RULES: Final[tuple[Rule, ...]] = (
    *STRUCTURAL,
    *parameters.CHANGE_RULES,
    *schema_rules.MEDIA_RULES,
    *schema_rules.PROPERTY_RULES,
    *schema_rules.FAMILY_RULES,
    *SEMVER,
    *NOTICES,
)
BY_ID: Final[Mapping[str, Rule]] = MappingProxyType({rule.id: rule for rule in RULES})
