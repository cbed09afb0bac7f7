"""Compatibility modes: which comparisons each mode makes, in which direction."""

from __future__ import annotations

import pytest

from apigov.core._types import JSONValue
from apigov.schema.compat import Status
from apigov.schema.model import local_resolver
from apigov.schema.modes import Mode, Version, check


def version(schema: JSONValue) -> Version:
    return Version(schema, local_resolver(schema))


V1 = version({"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]})
V2 = version({"type": "object", "properties": {"id": {"type": "integer"}}})  # required dropped: wider
V3 = version({"type": "object", "properties": {"id": {"type": "number"}}, "required": ["id"]})


@pytest.mark.parametrize(
    ("text", "mode"), [("backward", Mode.BACKWARD), ("Full-Transitive", Mode.FULL_TRANSITIVE)]
)
def test_parse_is_case_insensitive(text: str, mode: Mode) -> None:
    assert Mode.parse(text) is mode


def test_parse_rejects_unknown_modes() -> None:
    with pytest.raises(ValueError, match="SIDEWAYS"):
        Mode.parse("sideways")


def statuses(mode: Mode, earlier: list[Version], new: Version) -> list[tuple[int, str, Status]]:
    return [(c.against, c.direction, c.verdict.status) for c in check(mode, earlier, new)]


def test_backward_compares_old_inside_new_against_the_latest_only() -> None:
    assert statuses(Mode.BACKWARD, [V1, V2], V3) == [(1, "backward", Status.NOT_SUBSET)]
    assert statuses(Mode.BACKWARD, [V1], V2) == [(0, "backward", Status.SUBSET)]


def test_forward_compares_new_inside_old() -> None:
    assert statuses(Mode.FORWARD, [V1], V2) == [(0, "forward", Status.NOT_SUBSET)]
    assert statuses(Mode.FORWARD, [V2], V1) == [(0, "forward", Status.SUBSET)]


def test_transitive_and_full() -> None:
    assert statuses(Mode.BACKWARD_TRANSITIVE, [V1, V2], V3) == [
        (0, "backward", Status.SUBSET),
        (1, "backward", Status.NOT_SUBSET),
    ]
    assert [c.direction for c in check(Mode.FULL_TRANSITIVE, [V1, V2], V3)] == ["backward", "forward"] * 2
    assert check(Mode.NONE, [V1], V3) == ()
    assert check(Mode.FULL, [], V3) == ()
