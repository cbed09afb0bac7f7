"""OpenAPI Overlay 1.0: JSONPath subset, update merging, removal, extends, refusals."""

from __future__ import annotations

import pytest

from apigov.core.errors import InputError
from generators.base import Contract
from generators.overlay import apply_overlays, parse_overlay

DOC = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "tags": [{"name": "pets"}],
    "paths": {
        "/pets": {
            "get": {"operationId": "listPets", "tags": ["pets"], "responses": {}},
            "post": {"operationId": "createPet", "responses": {}},
        },
        "/pets/{id}": {"get": {"operationId": "getPet", "responses": {}, "x-internal": True}},
    },
}


def run(
    *actions: dict[str, object], extends: str | None = None, contract: Contract | None = None
) -> dict[str, object]:
    overlay = {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}
    if extends:
        overlay["extends"] = extends
    target = contract or Contract("pets.yaml", "openapi-3.1", DOC, subject="pets-api")
    (result,) = apply_overlays([target], [parse_overlay(overlay, "o.yaml")])
    return dict(result.document)


def test_update_merges_objects_into_every_selected_node() -> None:
    doc = run({"target": "$.paths.*.get", "update": {"x-apigov-timeout": "2s"}})
    assert doc["paths"]["/pets"]["get"]["x-apigov-timeout"] == "2s"
    assert doc["paths"]["/pets/{id}"]["get"]["x-apigov-timeout"] == "2s"
    assert "x-apigov-timeout" not in doc["paths"]["/pets"]["post"]
    assert "x-apigov-timeout" not in DOC["paths"]["/pets"]["get"]  # the contract is not changed


def test_bracket_names_filters_indexes_and_descendants() -> None:
    doc = run(
        {"target": "$.paths['/pets/{id}'].get", "update": {"summary": "one"}},
        {
            "target": "$.paths['/pets'][?(@.operationId == 'createPet')]",
            "update": {"x-apigov-max-body": "1k"},
        },
        {"target": "$.tags[0]", "update": {"description": "Pets"}},
        {"target": "$..[?@.x-internal]", "update": {"deprecated": True}},
        {"target": "$.paths['/pets'].get.tags", "update": "more"},
    )
    assert doc["paths"]["/pets/{id}"]["get"]["summary"] == "one"
    assert doc["paths"]["/pets"]["post"]["x-apigov-max-body"] == "1k"
    assert doc["tags"] == [{"name": "pets", "description": "Pets"}]
    assert doc["paths"]["/pets/{id}"]["get"]["deprecated"] is True
    assert doc["paths"]["/pets"]["get"]["tags"] == ["pets", "more"]  # arrays are appended to


def test_remove_takes_nodes_out() -> None:
    doc = run(
        {"target": "$.paths['/pets'].post", "remove": True}, {"target": "$..operationId", "remove": True}
    )
    assert set(doc["paths"]["/pets"]) == {"get"}
    assert "operationId" not in doc["paths"]["/pets"]["get"]


def test_extends_limits_the_overlay_to_one_contract() -> None:
    other = Contract("cats.yaml", "openapi-3.1", DOC, subject="cats-api")
    assert "x-a" not in run({"target": "$", "update": {"x-a": 1}}, extends="pets-api", contract=other)
    assert run({"target": "$", "update": {"x-a": 1}}, extends="pets-api")["x-a"] == 1


@pytest.mark.parametrize(
    ("overlay", "words"),
    [
        ({"openapi": "3.1.0"}, "not an Overlay document"),
        ({"overlay": "2.0.0", "actions": [{"target": "$", "remove": True}]}, "not supported"),
        ({"overlay": "1.0.0", "actions": []}, "non-empty 'actions'"),
        ({"overlay": "1.0.0", "actions": [{"target": "$.a"}]}, "'update' or 'remove: true'"),
        ({"overlay": "1.0.0", "actions": [{"target": "paths", "remove": True}]}, "must start with '$'"),
        (
            {"overlay": "1.0.0", "actions": [{"target": "$.a[?(@.x =~ /evil/)]", "remove": True}]},
            "not supported",
        ),
        ({"overlay": "1.0.0", "actions": [{"target": "$.a[(@.length-1)]", "remove": True}]}, "not supported"),
        ({"overlay": "1.0.0", "actions": [{"target": "$.a['b'", "remove": True}]}, "not closed"),
    ],
)
def test_bad_overlays_are_refused(overlay: dict[str, object], words: str) -> None:
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        parse_overlay(overlay, "o.yaml")
