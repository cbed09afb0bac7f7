"""Details: typed facts that the reports show as the same ``name: text`` map as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apigov.core._types import JSONObject
from apigov.core.findings import Details, Facts, Finding, Level, Location, Notes


def test_facts_are_typed_and_shown_as_the_reports_show_them() -> None:
    details = Details.of(
        undecided=True,
        ref_chain=("#/components/schemas/A", "#/components/schemas/B"),
        method="get",
        side="revision",
        base_pointer="/paths/~1a",
        base_location=Location("v1.yaml", "/paths/~1a", 9, 5),
        counter_example={"b": "é", "a": [1, None]},
        mode_none_level=Level.BREAKING,
        instance_paths=3,
        ignore_expires=dt.date(2027, 1, 31),
    )
    assert details.undecided is True
    assert details.side == "revision"
    assert details.base_location == Location("v1.yaml", "/paths/~1a", 9, 5)
    assert details.counter_example == {"b": "é", "a": [1, None]}
    assert details.as_map() == {
        "undecided": "true",
        "ref_chain": "#/components/schemas/A -> #/components/schemas/B",
        "method": "get",
        "side": "revision",
        "base_pointer": "/paths/~1a",
        "base_location": "v1.yaml:9:5",
        "counter_example": '{"a": [1, null], "b": "é"}',
        "mode_none_level": "breaking",
        "instance_paths": "3",
        "ignore_expires": "2027-01-31",
    }
    # the key order is the order the facts were stated in
    assert list(details.as_map()) == list(details) == list(details.order)


def test_an_unstated_fact_is_absent_and_a_null_counter_example_is_stated() -> None:
    none = Details.of(side="base")
    assert not none.has("counter_example") and "counter_example" not in none.as_map()
    assert none.undecided is False and none.base_location is None
    null = Details.of(counter_example=None)
    assert null.has("counter_example") and null.as_map() == {"counter_example": "null"}


def test_updated_and_without_keep_the_order_a_dict_keeps() -> None:
    details = Details.of(
        method="get", side="base", base_pointer="/a", base_location=Location("v1.yaml", line=2)
    )
    moved = (
        details.updated(direction="forward", side="revision")
        .without("base_location")
        .updated(revision_location=Location("v1.yaml", line=2))
    )
    as_dict: dict[str, str] = dict(details.as_map())
    as_dict["direction"] = "forward"
    as_dict["side"] = "revision"
    as_dict["revision_location"] = as_dict.pop("base_location")
    assert moved.as_map() == as_dict
    assert list(moved.as_map()) == list(as_dict)
    assert moved.base_location is None and moved.revision_location == Location("v1.yaml", line=2)


def test_extra_facts_come_first_and_a_typed_fact_may_not_be_free_text() -> None:
    details = Details.of({"interaction": "get a pet", "status": "200"}, path="/pets")
    assert details.as_map() == {"interaction": "get a pet", "status": "200", "path": "/pets"}
    assert details.path == "/pets"
    assert details.updated(path="/dogs").as_map() == {
        "interaction": "get a pet",
        "status": "200",
        "path": "/dogs",
    }
    with pytest.raises(ValueError, match="undecided"):
        Details.of({"undecided": "true"})


def test_the_mapping_view_is_the_shown_map() -> None:
    details = Details.of(undecided=True, engine="enum: narrowed")
    assert dict(details) == details.as_map()
    assert details["undecided"] == "true" and details.get("side") is None
    assert "engine" in details and "side" not in details and len(details) == 2
    with pytest.raises(KeyError):
        details["side"]


def test_a_map_is_read_back_into_types_where_its_text_is_the_types_own() -> None:
    details = Details.from_map(
        {
            "side": "base",
            "undecided": "true",
            "base_location": "git:HEAD~1:api/v1.yaml:12:7",
            "counter_example": '{"id": 3}',
            "level_without_stability": "warning",
            "expired": "2026-12-31",
            "wire": "?y=",
        }
    )
    assert details.side == "base" and details.undecided is True
    assert details.base_location == Location("git:HEAD~1:api/v1.yaml", line=12, column=7)
    assert details.counter_example == {"id": 3}
    assert details.level_without_stability is Level.WARNING
    assert details.expired == dt.date(2026, 12, 31)
    assert details.extra == ()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("counter_example", "NaN-ish, not JSON"),
        ("counter_example", '{"b": 1,  "a": 2}'),  # JSON, but not as apigov writes it
        ("undecided", "yes"),
        ("side", "left"),
        ("mode_none_level", "fatal"),
        ("instance_paths", "03"),
    ],
)
def test_a_text_that_is_not_its_types_own_stays_text(name: str, text: str) -> None:
    details = Details.from_map({"path": "/a", name: text, "z": "1"})
    assert details.as_map() == {"path": "/a", name: text, "z": "1"}
    assert list(details.as_map()) == ["path", name, "z"]
    assert details.extra == ((name, text), ("z", "1"))
    # a restated fact replaces the text it had
    assert details.updated(undecided=False, counter_example=1).as_map()["counter_example"] == "1"


@given(
    st.dictionaries(
        st.sampled_from(["side", "undecided", "counter_example", "base_location", "x", "path"]), st.text()
    )
)
def test_any_map_is_shown_exactly_as_given(shown: dict[str, str]) -> None:
    details = Details.from_map(shown)
    assert details.as_map() == shown
    assert list(details.as_map()) == list(shown)


def test_a_finding_given_a_plain_map_holds_details() -> None:
    finding = Finding(
        "x",
        Level.WARNING,
        "m",
        Location("a.yaml"),
        details=MappingProxyType({"undecided": "true", "counter_example": json.dumps([1])}),  # type: ignore[arg-type]
    )
    assert isinstance(finding.details, Details)
    assert finding.details.undecided is True and finding.details.counter_example == [1]
    assert Finding("x", Level.INFO, "m", Location("a.yaml")).details.as_map() == {}


def test_every_fact_a_check_may_state_is_a_field_of_details() -> None:
    stated = set(Facts.__annotations__) | set(Notes.__annotations__)
    fields = {f.name for f in dataclasses.fields(Details)} - {"extra", "order"}
    assert stated == fields


def test_consumers_are_usages_shown_as_a_json_list() -> None:
    usage: JSONObject = {
        "consumer": "web",
        "version": "1.0.0",
        "environments": ["prod"],
        "interactions": ["é"],
    }
    details = Details.of(consumers=(usage,))
    shown = details.as_map()["consumers"]
    assert shown == json.dumps([usage])  # ASCII, as the diff/1 report always showed it
    assert Details.from_map({"consumers": shown}).consumers == (usage,)
    assert Details.of(consumers=()).as_map() == {"consumers": "[]"}
