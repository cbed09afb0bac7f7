"""Structural validation of avro documents (placeholder)."""

from __future__ import annotations

from typing import Final

from apigov.lint.rule import LintRule

RULES: Final[tuple[LintRule, ...]] = ()
