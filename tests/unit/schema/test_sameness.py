"""The one sameness checker: its two questions and how each settles pairs of references."""

from __future__ import annotations

from apigov.core._types import JSONValue
from apigov.schema._sameness import Written
from apigov.schema.compat import Comparator
from apigov.schema.model import local_resolver


def _loop(description: str, place: str = "definitions") -> dict[str, JSONValue]:
    """A schema that references itself, with an annotation; ``place`` as in 2.0 or 3.x."""
    node: JSONValue = {
        "description": description,
        "type": "object",
        "properties": {"next": {"$ref": f"#/{place}/Node"}},
    }
    return (
        {"definitions": {"Node": node}}
        if place == "definitions"
        else {"components": {"schemas": {"Node": node}}}
    )


def test_written_counts_annotations_and_remembers_the_pairs_a_yes_rested_on() -> None:
    old, new = _loop("a node"), _loop("a node", "components/schemas")
    checker = Written(old, new)
    node_new = {"$ref": "#/components/schemas/Node"}
    assert checker.question(("q", "q"), {"$ref": "#/definitions/Node"}, node_new)
    assert checker.verdicts[("/definitions/Node", "/components/schemas/Node")] is True
    assert not checker.tentative and checker.verdicts[("q", "q")] is True
    changed = Written(old, _loop("a link"))
    assert not changed.question(("q", "q"), {"$ref": "#/definitions/Node"}, {"$ref": "#/definitions/Node"})
    assert changed.verdicts[("/definitions/Node", "/definitions/Node")] is False


def test_the_engine_question_ignores_annotations_and_follows_its_resolvers() -> None:
    old, new = _loop("a node"), _loop("a link")
    session = Comparator(local_resolver(old), local_resolver(new))
    ref: JSONValue = {"$ref": "#/definitions/Node"}
    assert session.same(ref, ref)
    assert not Written(old, new).question(("q", "q"), ref, ref)
