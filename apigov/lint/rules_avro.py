"""Lint rules for avro documents (placeholder; rules are added here)."""

from __future__ import annotations

from typing import Final

from apigov.lint.rule import LintRule

RULES: Final[tuple[LintRule, ...]] = ()
