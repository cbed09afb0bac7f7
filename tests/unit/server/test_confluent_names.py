"""Confluent subject names map to apigov subject names one to one, and back; apigov's own names
map to themselves, so subjects registered before the mapping keep their names."""

from __future__ import annotations

import pytest

from apigov.core.errors import InputError
from apigov.registry.base import check_subject
from apigov.server.routers._confluent_names import confluent_name, subject_of


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("orders-value", "orders-value"),
        ("shop_orders.v1", "shop_orders.v1"),
        ("Orders-value", "cf--_orders-value"),
        ("com.Shop.Order", "cf--com._shop._order"),
        ("A_b", "cf--_a__b"),
        ("cf--x", "cf--cf--x"),  # a name that looks mapped is mapped too
        ("con", "cf--con"),  # a reserved device name on Windows
        (".hidden", "cf--.hidden"),
        ("..", "cf--.."),
        ("orders value", "cf--orders_0000020value"),
        ("commande-é", "cf--commande-_00000e9"),
        ("x:y", "cf--x_000003ay"),
    ],
)
def test_every_name_maps_to_a_safe_subject_and_back(name: str, subject: str) -> None:
    assert subject_of(name) == subject
    assert check_subject(subject) == subject
    assert confluent_name(subject) == name


def test_no_two_names_share_a_subject() -> None:
    names = ["a_b", "aB", "A_b", "a__b", "ab", "AB", "Ab", "cf--ab", "cf--_ab", "a-b", "a.b", "a b", "_ab"]
    subjects = [subject_of(name) for name in names]
    assert len(set(subjects)) == len(names)


@pytest.mark.parametrize("name", ["", "bad\x01name", "line\nbreak", "x" * 300, "Y" * 150])
def test_empty_control_characters_and_too_long_are_refused(name: str) -> None:
    with pytest.raises(InputError):
        subject_of(name)


@pytest.mark.parametrize("subject", ["cf--_", "cf--_0zz", "cf--_0110000", "cf--abc", "cf--_-x"])
def test_a_cf_name_that_is_no_mapping_stays_out_of_the_confluent_view(subject: str) -> None:
    assert confluent_name(subject) is None
