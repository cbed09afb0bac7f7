"""One Avro parser: what ``apigov check`` finds structurally wrong is what the engine refuses."""

from __future__ import annotations

from typing import Any

import pytest

from apigov.core.errors import InputError
from apigov.schema.avro import can_read
from apigov.schema.avro_parse import iter_structural

INVALID: list[Any] = [
    {"type": "record", "name": "R", "fields": [{"name": "a", "type": "Nope"}]},
    {"type": "enum", "name": "E", "symbols": ["A", "A"]},
    {"type": "fixed", "name": "F", "size": -1},
    ["null", ["string"]],
    {"type": "record", "name": "1R", "fields": []},
    {"type": "array"},
]


@pytest.mark.parametrize("schema", INVALID)
def test_the_engine_refuses_what_check_reports_with_the_same_words(schema: Any) -> None:
    first = next(iter_structural(schema))
    with pytest.raises(InputError) as raised:
        can_read(schema, schema)
    assert first.message in str(raised.value)


def test_a_reader_default_of_the_wrong_type_is_judged_not_refused() -> None:
    writer = {"type": "record", "name": "R", "fields": []}
    reader = {"type": "record", "name": "R", "fields": [{"name": "b", "type": "string", "default": 1}]}
    assert [i for i in iter_structural(reader) if i.default]  # check reports it ...
    assert {i.kind for i in can_read(reader, writer)} == {
        "reader-field-default-invalid"
    }  # ... the engine judges it
