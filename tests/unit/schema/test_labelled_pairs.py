"""apigov's engine scored on the hand-labelled JSON Schema pairs of tests/data/compat/jsonschema-pairs.json.

The same file feeds ``benchmarks/subschema.py`` (apigov against jsonsubschema). Labels follow JSON
Schema 2020-12: ``backward_compatible`` is whether every instance valid under ``old`` is valid
under ``new``; an incompatible pair carries a ``witness`` that proves it. Pairs marked ``formats``
also read the numeric formats of OpenAPI's registry (int32, int64, float...) as bounds, as apigov
does. The engine must never
contradict a label. ``UNKNOWN`` is allowed, but only for the pairs listed in :data:`KNOWN_UNKNOWN`
(the engine's current gaps): a pair that was decided and becomes UNKNOWN fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigov.schema.compat import Status, is_subset
from apigov.schema.model import local_resolver

from ._pairs import NUMBERS

PAIRS_FILE = Path(__file__).resolve().parents[2] / "data" / "compat" / "jsonschema-pairs.json"
PAIRS: list[dict[str, Any]] = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))

KNOWN_UNKNOWN = frozenset(
    {
        # numbers: integrality, empty ranges, finite integer ranges
        "number multipleOf 1 to integer",
        "empty number range to boolean",
        "small integer range to enum",
        # strings: patterns against patterns, enums or lengths; an unsatisfiable old schema;
        # "maxLength to dot pattern" is proven only by a line break, where regex dialects differ
        "pattern widened",
        "maxLength to dot pattern",
        "dot pattern to maxLength",
        "pattern to enum",
        "impossible string to false",
        # oneOf whose overlapping branches exclude instances
        "oneOf overlapping strings to minLength",
    }
)


def test_the_file() -> None:
    assert len(PAIRS) >= 250
    names = [pair["name"] for pair in PAIRS]
    assert len(set(names)) == len(names)
    assert set(names) >= KNOWN_UNKNOWN
    for pair in PAIRS:
        assert {"name", "old", "new", "backward_compatible", "why"} <= pair.keys()
        assert isinstance(pair["backward_compatible"], bool)


@pytest.mark.parametrize("pair", [p for p in PAIRS if not p["backward_compatible"]], ids=lambda p: p["name"])
def test_witness_proves_the_label(pair: dict[str, Any]) -> None:
    witness = pair["witness"]
    checker = NUMBERS if pair.get("formats") else None
    assert Draft202012Validator(pair["old"], format_checker=checker).is_valid(witness)
    assert not Draft202012Validator(pair["new"], format_checker=checker).is_valid(witness)


def test_apigov_is_never_wrong() -> None:
    wrong: list[str] = []
    unknown: set[str] = set()
    for pair in PAIRS:
        old, new = pair["old"], pair["new"]
        verdict = is_subset(old, new, resolve_a=local_resolver(old), resolve_b=local_resolver(new))
        if verdict.status is Status.UNKNOWN:
            unknown.add(pair["name"])
        elif (verdict.status is Status.SUBSET) is not pair["backward_compatible"]:
            wrong.append(f"{pair['name']}: {verdict.status}")
    assert wrong == []
    assert unknown <= KNOWN_UNKNOWN, sorted(unknown - KNOWN_UNKNOWN)
