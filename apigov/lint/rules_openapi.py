"""Governance rules for Swagger 2.0 and OpenAPI 3.x documents: the table of them all.

The document-level rules (info, an empty API) live here; operations, paths and components
each have a module of checks with their rows (:mod:`~apigov.lint.rules_openapi_operations`,
:mod:`~apigov.lint.rules_openapi_paths`, :mod:`~apigov.lint.rules_openapi_components`).
Each check is pure: it reads the bundled document through :mod:`apigov.lint._openapi_model`
and yields findings. Structural validity is already established when these run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding, Level
from apigov.lint import rules_openapi_components, rules_openapi_operations, rules_openapi_paths
from apigov.lint._doc import rule_factory
from apigov.lint._openapi_model import as_dict
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

OPENAPI: Final = ("openapi",)


# ----------------------------------------------------------------------------- info


def _info_field(ctx: LintContext, field: str, what: str) -> Iterator[Finding]:
    info = as_dict(as_dict(ctx.data).get("info"))
    value = info.get(field)
    if value is None or value == "" or value == {}:
        yield ctx.finding(f"info has no {what}", "/info")


def info_contact_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _info_field(ctx, "contact", "contact (who owns this API?)")


def info_description_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _info_field(ctx, "description", "description")


def info_license_missing(ctx: LintContext) -> Iterator[Finding]:
    yield from _info_field(ctx, "license", "license")


def paths_empty(ctx: LintContext) -> Iterator[Finding]:
    data = as_dict(ctx.data)
    if not as_dict(data.get("paths")) and not as_dict(data.get("webhooks")):
        yield ctx.finding("the API has no paths", "/paths" if "paths" in data else "")


# ----------------------------------------------------------------------------- the table


_rule: Final = rule_factory(*OPENAPI)


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "info-contact-missing",
        Level.INFO,
        "info.contact says who owns the API.",
        info_contact_missing,
        checks="`info.contact` is present.",
        why="Consumers and the platform team need to know whom to ask about a contract.",
        example="info:\n  title: Orders\n  version: 1.0.0   # no contact",
        fix="Add `info.contact` with the owning team's name, URL or email.",
    ),
    _rule(
        "info-description-missing",
        Level.INFO,
        "info.description explains what the API is for.",
        info_description_missing,
        checks="`info.description` is present and not empty.",
        why="Catalogues, portals and generated clients show it as the API's introduction.",
        example="info:\n  title: Orders\n  version: 1.0.0   # no description",
        fix="Describe what the API does and who should use it.",
    ),
    _rule(
        "info-license-missing",
        Level.INFO,
        "info.license states the terms of use.",
        info_license_missing,
        checks="`info.license` is present.",
        why="Published contracts are reused; a licence makes the terms explicit.",
        example="info:\n  title: Orders\n  version: 1.0.0   # no license",
        fix="Add `info.license` with at least a `name`.",
    ),
    *rules_openapi_operations.RULES,
    *rules_openapi_paths.RULES,
    *rules_openapi_components.RULES,
    _rule(
        "paths-empty",
        Level.WARNING,
        "The API has at least one path or webhook.",
        paths_empty,
        checks="`paths` (or, in 3.1, `webhooks`) is not empty.",
        why="An API with no operations is usually a mistake in bundling or a wrong file.",
        example="paths: {}",
        fix="Add the operations, or check that the right file is linted.",
    ),
)
