"""Every rule id is spelled out once where it is emitted: ``grep -rn ID apigov/`` finds the check.

Ids generated over places (schema changes x request/response places, callbacks and webhooks,
event schema places) are spelled out in tables (apigov/rules/ids.py, event_ids.py) that the
checks look ids up in; the tables must be exactly the product the catalogue builds.
"""

from __future__ import annotations

import ast
import importlib
import sys
from functools import cache
from pathlib import Path

from apigov.rules._families import FAMILIES, PREFIXES
from apigov.rules.catalogue import BY_ID, RULES
from apigov.rules.events.catalogue import EVENT_FAMILIES, EVENT_RULES, SCHEMA_PLACES
from apigov.rules.events.ids import EVENT_SCHEMA_IDS
from apigov.rules.openapi.ids import PLACE_IDS, SENT_BY_API_IDS


@cache
def _literals(module: str) -> frozenset[str]:
    path = Path(importlib.import_module(module).__file__ or "")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


@cache
def _imports(module: str) -> frozenset[str]:
    """The apigov.rules modules ``module`` imports from."""
    path = Path(importlib.import_module(module).__file__ or "")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return frozenset(m for m in found if m.startswith("apigov.rules") and m in sys.modules)


def _spelled_near(rule_id: str, module: str) -> bool:
    """``rule_id`` is a literal in ``module`` or in a module it imports from (one step: an id
    table, or the schema module a check hands schemas to, and the tables that one reads)."""
    if rule_id in _literals(module):
        return True
    for imported in _imports(module):
        if rule_id in _literals(imported):
            return True
        if any(rule_id in _literals(m) for m in _imports(imported)):
            return True
    return False


def test_every_openapi_id_is_spelled_out_by_its_check() -> None:
    missing = [r.id for r in RULES if r.check is not None and not _spelled_near(r.id, r.check.__module__)]
    assert missing == []


def test_every_event_id_is_spelled_out_in_the_event_modules() -> None:
    modules = (
        "apigov.rules.events.catalogue",
        "apigov.rules.events.asyncapi",
        "apigov.rules.events.avro",
        "apigov.rules.events.ids",
    )
    missing = [r.id for r in EVENT_RULES if not any(r.id in _literals(m) for m in modules)]
    assert missing == []


def test_the_place_table_holds_every_id_of_a_place() -> None:
    places = {prefix for prefix, _ in PREFIXES}
    expected = {
        (place, rule_id.removeprefix(place + "-")): rule_id
        for rule_id in BY_ID
        for place in places
        if rule_id.startswith(place + "-")
    }
    assert dict(PLACE_IDS) == expected
    for family in FAMILIES:  # the schema-change product is in it
        for place in places:
            if family.key != "required" or place.endswith("property"):
                assert PLACE_IDS[(place, family.narrow)] == f"{place}-{family.narrow}"


def test_the_callback_table_holds_both_twins() -> None:
    kinds = {rest for kind, rest in SENT_BY_API_IDS if kind == "callback"}
    assert kinds == {rest for kind, rest in SENT_BY_API_IDS if kind == "webhook"}
    for (kind, rest), rule_id in SENT_BY_API_IDS.items():
        assert rule_id == f"{kind}-{rest}" and rule_id in BY_ID


def test_the_event_table_is_the_product_of_places_and_families() -> None:
    expected = {}
    for prefix, _noun, _families in SCHEMA_PLACES:
        for family in EVENT_FAMILIES:
            for suffix in (family.narrow, family.widen):
                generated = (
                    suffix if prefix == "schema" and suffix.startswith("schema-") else f"{prefix}-{suffix}"
                )
                expected[(prefix, suffix)] = generated
    assert dict(EVENT_SCHEMA_IDS) == expected


_ROW_TUPLES = ("RULES", "CHANGE_RULES", "SEMVER_RULES", "MEDIA_RULES", "PROPERTY_RULES", "FAMILY_RULES")


def test_every_row_id_is_spelled_out_in_the_module_that_declares_the_row() -> None:
    """An area module declares its rows beside its checks; each id is a literal there, or in the
    id table it builds generated rows from (rules/openapi/ids.py), or a constant it imports
    (the ignore file's notices)."""
    import pkgutil

    import apigov.rules.openapi as openapi

    declared: list[str] = []
    missing: list[tuple[str, str]] = []
    for info in pkgutil.iter_modules(openapi.__path__):
        name = f"apigov.rules.openapi.{info.name}"
        module = importlib.import_module(name)
        for tuple_name in _ROW_TUPLES:
            for rule in getattr(module, tuple_name, ()):
                declared.append(rule.id)
                literal = rule.id in _literals(name)
                imported = any(rule.id in _literals(m) for m in _imports(name))  # an id table, a constant
                if not (literal or imported):
                    missing.append((name, rule.id))
    assert missing == []
    assert sorted(declared) == sorted(BY_ID)  # every row is declared in exactly one area module
