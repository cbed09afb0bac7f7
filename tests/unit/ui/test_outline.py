"""The readable outline and the graph layout on the shapes that could trip them: recursive
``$ref``, nested Avro records, AsyncAPI 2.x receive, cycles between services."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from apigov.contract.model import PactState, parse_pact
from apigov.server.ui.graph import build, layout
from apigov.server.ui.outline import avro_fields, outline, schema_fields


def test_a_recursive_schema_is_walked_once_per_ref() -> None:
    root = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                        "parent": {"$ref": "#/components/schemas/Node"},
                    },
                }
            }
        }
    }
    fields, truncated = schema_fields(root, {"$ref": "#/components/schemas/Node"})
    assert [f.name for f in fields] == ["name", "children", "parent"]  # Node's own fields, once
    assert not truncated
    assert fields[0].required and not fields[1].required
    assert fields[1].type == "array of Node"


def test_avro_records_nest_and_optional_fields_are_not_required() -> None:
    schema = {
        "type": "record",
        "name": "Shipment",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "note", "type": ["null", "string"], "default": None},
            {
                "name": "address",
                "type": {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]},
            },
            {"name": "state", "type": {"type": "enum", "name": "State", "symbols": ["NEW", "DONE"]}},
        ],
    }
    fields, _ = avro_fields(schema)
    assert [(f.name, f.type, f.required) for f in fields] == [
        ("id", "string", True),
        ("note", "null | string", False),
        ("address", "record Address", True),
        ("address.city", "string", True),
        ("state", "enum State", True),
    ]
    assert fields[-1].enum == ("NEW", "DONE")


def test_asyncapi_2_publish_is_what_the_application_receives() -> None:
    document = {
        "asyncapi": "2.6.0",
        "channels": {
            "orders": {"publish": {"message": {"name": "OrderPlaced", "payload": {"type": "object"}}}},
            "mails": {"subscribe": {"message": {"name": "MailSent"}}},
        },
    }
    channels = outline("asyncapi", document).channels
    assert [(c.address, c.actions) for c in channels] == [("orders", ("receive",)), ("mails", ("send",))]


def test_a_cycle_of_calls_is_laid_out_with_every_arrow_between_its_boxes() -> None:
    state = PactState()
    contents = {}
    for consumer, provider in (("a", "b"), ("b", "c"), ("c", "a")):
        pact = parse_pact(
            (
                f'{{"consumer": {{"name": "{consumer}"}}, "provider": {{"name": "{provider}"}},'
                ' "interactions": [{"description": "d", "request": {"method": "GET", "path": "/x"}}]}'
            ).encode()
        )
        contents[pact.digest] = pact.canonical
        state.publish(pact, "1.0.0", at="2026-12-05T00:00:00Z")
    graph = layout(build(state, "", lambda d: [("GET /x", "d")], [], lambda name: None, lambda s: s))
    assert len(graph.nodes) == 3 and len(graph.edges) == 3
    for edge in graph.edges.values():
        source, target = graph.nodes[edge.source], graph.nodes[edge.target]
        (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
        assert abs(x0 - source.x) <= source.w / 2 + 0.5 and abs(y0 - source.y) <= source.h / 2 + 0.5
        assert abs(x1 - target.x) <= target.w / 2 + 0.5 and abs(y1 - target.y) <= target.h / 2 + 0.5
    boxes = sorted((n.y, n.x) for n in graph.nodes.values())
    assert len(set(boxes)) == 3  # no two boxes on the same spot


def test_the_confluent_api_cannot_be_mounted_under_the_ui(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "apigov",
            "serve",
            "-r",
            str(tmp_path),
            "--port",
            "0",
            "--confluent-prefix",
            "/ui",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "--confluent-prefix" in done.stderr


def test_an_all_of_tree_that_doubles_per_level_is_outlined_in_bounded_work() -> None:
    # S0 = allOf[S1, S1], S1 = allOf[S2, S2] ...: 2**30 paths without a field on the way
    schemas = {f"S{i}": {"allOf": [{"$ref": f"#/components/schemas/S{i + 1}"}] * 2} for i in range(30)}
    schemas["S30"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    fields, truncated = schema_fields(
        {"components": {"schemas": schemas}}, {"$ref": "#/components/schemas/S0"}
    )
    assert truncated and 0 < len(fields) <= 200


def test_a_pointer_with_a_non_ascii_digit_leads_nowhere() -> None:
    root = {"tags": [{"name": "a"}], "components": {"schemas": {"X": {"$ref": "#/tags/\u00b2"}}}}
    fields, _ = schema_fields(root, {"$ref": "#/components/schemas/X"})
    assert fields == ()
