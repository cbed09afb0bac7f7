"""What a lint rule is: plain data pointing at one check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from apigov.core.findings import Finding, Level

if TYPE_CHECKING:
    from apigov.lint.context import LintContext

Check = Callable[["LintContext"], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class LintRule:
    """One governance rule.

    ``families`` names the contract families it applies to (``openapi``, ``asyncapi``,
    ``jsonschema``, ``avro``). ``doc`` is the rule's documentation in fixed sections (it feeds
    ``apigov rules explain`` and ``docs/rules.md``). ``structural`` rules report validation
    errors against the specification itself; they cannot be switched off.
    """

    id: str
    level: Level
    families: tuple[str, ...]
    summary: str
    check: Check
    doc: str
    since: str = "0.1"
    structural: bool = False
    deprecated_by: tuple[str, ...] = ()
    examples: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
