"""The registry model: subject names and versions are checked before any backend sees them."""

from __future__ import annotations

import pytest

from apigov.core.errors import InputError
from apigov.registry.base import (
    MAX_SUBJECT_LENGTH,
    SemVer,
    VersionMeta,
    check_subject,
    parse_mode,
    parse_version,
)
from apigov.schema.modes import Mode


@pytest.mark.parametrize(
    "name", ["orders-api", "shop.orders.order-created-value", "a", "x_1", "9lives", "a" * MAX_SUBJECT_LENGTH]
)
def test_valid_subject_names(name: str) -> None:
    assert check_subject(name) == name


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("", "empty"),
        ("../../etc", "invalid"),
        ("..", "invalid"),
        (".hidden", "invalid"),
        ("-flag", "invalid"),
        ("Orders", "invalid"),
        ("orders api", "invalid"),
        ("orders/api", "invalid"),
        ("orders@1.0.0", "invalid"),
        ("ordérs", "invalid"),
        ("orders\n", "invalid"),
        ("a" * (MAX_SUBJECT_LENGTH + 1), "longer"),
        ("con", "reserved"),
        ("nul.events", "reserved"),
        ("lpt1", "reserved"),
    ],
)
def test_invalid_subject_names_are_refused_in_one_line(name: str, word: str) -> None:
    with pytest.raises(InputError) as caught:
        check_subject(name)
    assert word in str(caught.value)
    assert "\n" not in str(caught.value)


def test_versions_parse_and_order_numerically() -> None:
    assert parse_version("1.10.0") > parse_version("1.9.3")
    assert str(parse_version("0.0.0")) == "0.0.0"
    assert SemVer(1, 2, 3).bump("major") == SemVer(2, 0, 0)
    assert SemVer(1, 2, 3).bump("minor") == SemVer(1, 3, 0)
    assert SemVer(1, 2, 3).bump("patch") == SemVer(1, 2, 4)
    assert SemVer(2, 0, 0).bump_from(SemVer(1, 9, 9)) == "major"
    assert SemVer(1, 3, 0).bump_from(SemVer(1, 2, 9)) == "minor"
    assert SemVer(1, 2, 4).bump_from(SemVer(1, 2, 3)) == "patch"
    assert SemVer(1, 2, 3).bump_from(SemVer(1, 2, 3)) == "none"


@pytest.mark.parametrize(
    "text", ["", "1", "1.2", "01.2.3", "1.2.3-rc1", "v1.2.3", "1.2.3.4", " 1.2.3", "1.x.0"]
)
def test_bad_versions_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="invalid version"):
        parse_version(text)


def test_modes_parse_in_any_spelling() -> None:
    assert parse_mode("backward-transitive") is Mode.BACKWARD_TRANSITIVE
    assert parse_mode("FULL") is Mode.FULL
    with pytest.raises(InputError, match="unknown compatibility mode"):
        parse_mode("sideways")


def test_metadata_round_trips_through_json() -> None:
    meta = VersionMeta(
        published_at="2026-11-21T08:00:00Z",
        publisher="ci@example.com",
        git_sha="abc",
        git_branch="main",
        labels={"team": "orders"},
        previous="1.0.0",
        bump="minor",
    )
    assert VersionMeta.from_json(meta.to_json()) == meta
    with pytest.raises(ValueError, match="labels"):
        VersionMeta.from_json({**meta.to_json(), "labels": ["x"]})
