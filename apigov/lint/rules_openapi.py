"""Governance rules for Swagger 2.0 and OpenAPI 3.x documents."""

from __future__ import annotations

from typing import Final

from apigov.lint.rule import LintRule

RULES: Final[tuple[LintRule, ...]] = ()
