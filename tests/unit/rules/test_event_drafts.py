"""Event schemas of every draft, keyword-light schemas and odd shapes (issue 12, classes 19-21).

Draft-04/06/07 idioms are judged as their draft means them (``items`` as an array with
``additionalItems``, boolean exclusive bounds, ``dependencies``, ``definitions``, ``$ref``
replacing its siblings), a JSON Schema without ``$schema`` is read as draft-07 unless its keywords
need another draft or apigov.yaml says otherwise, and no schema shape ends in an internal error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.cli.main import run
from apigov.core._types import JSONValue
from apigov.core.findings import Report
from apigov.rules.run import DiffRequest, diff_sources
from tests.unit.rules._events import diff_versions

D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"


def _levels(report: Report) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.rule_id, set()).add(finding.level.value)
    return found


def _breaking(report: Report) -> bool:
    return any(f.level.value == "breaking" for f in report.findings)


def _obj(prop: JSONValue, draft: str | None = None, **more: JSONValue) -> JSONValue:
    doc: dict[str, JSONValue] = {"type": "object", "properties": {"p": prop}, **more}
    if draft is not None:
        doc["$schema"] = draft
    return doc


TUPLE = {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False}
TUPLE_OPEN = {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}
TUPLE_NARROW = {
    "type": "array",
    "items": [{"type": "string"}, {"type": "integer", "maximum": 5}],
    "additionalItems": False,
}
BOUND_04 = {"type": "number", "maximum": 10, "exclusiveMaximum": True}
BOUND_04_INCL = {"type": "number", "maximum": 10}
BOUND_07 = {"type": "number", "exclusiveMaximum": 10}
BOUND_07_LOWER = {"type": "number", "exclusiveMaximum": 5}
DEPS = {"type": "object", "dependencies": {"a": ["b"]}}
DEPS_SCHEMA = {"type": "object", "dependencies": {"a": {"required": ["c"]}}}


# (base, revision, breaking in BACKWARD, breaking in FORWARD); FULL is either
PAIRS: list[tuple[str, JSONValue, JSONValue, bool, bool]] = [
    ("tuple items closed -> open", _obj(TUPLE, D7), _obj(TUPLE_OPEN, D7), False, True),
    ("tuple item narrowed", _obj(TUPLE, D7), _obj(TUPLE_NARROW, D7), True, False),
    ("tuple same, no $schema", _obj(TUPLE), _obj(TUPLE), False, False),
    ("tuple item narrowed, no $schema", _obj(TUPLE), _obj(TUPLE_NARROW), True, False),
    ("draft-04 exclusive bound dropped", _obj(BOUND_04, D4), _obj(BOUND_04_INCL, D4), False, True),
    ("draft-04 exclusive bound, no $schema", _obj(BOUND_04), _obj(BOUND_04_INCL), False, True),
    ("draft-06 exclusive bound lowered", _obj(BOUND_07, D6), _obj(BOUND_07_LOWER, D6), True, False),
    ("dependencies added", _obj({"type": "object"}, D7), _obj(DEPS, D7), True, False),
    ("dependencies schema removed", _obj(DEPS_SCHEMA, D7), _obj({"type": "object"}, D7), False, True),
    (
        "definitions ref narrowed",
        _obj({"$ref": "#/definitions/s"}, D7, definitions={"s": {"type": "string"}}),
        _obj({"$ref": "#/definitions/s"}, D7, definitions={"s": {"type": "string", "maxLength": 3}}),
        True,
        False,
    ),
    (  # up to draft-07 $ref replaces its siblings: the added maxLength asserts nothing
        "$ref sibling ignored",
        _obj({"$ref": "#/definitions/s"}, D7, definitions={"s": {"type": "string"}}),
        _obj({"$ref": "#/definitions/s", "maxLength": 3}, D7, definitions={"s": {"type": "string"}}),
        False,
        False,
    ),
    (  # ... but it does in 2020-12
        "$ref sibling in 2020-12",
        _obj(
            {"$ref": "#/$defs/s"},
            "https://json-schema.org/draft/2020-12/schema",
            **{"$defs": {"s": {"type": "string"}}},
        ),
        _obj(
            {"$ref": "#/$defs/s", "maxLength": 3},
            "https://json-schema.org/draft/2020-12/schema",
            **{"$defs": {"s": {"type": "string"}}},
        ),
        True,
        False,
    ),
    (  # prefixItems is no keyword in draft-07: an annotation
        "prefixItems in draft-07",
        _obj({"type": "array"}, D7),
        _obj({"type": "array", "prefixItems": [{"type": "string"}]}, D7),
        False,
        False,
    ),
    (
        "if/then in draft-06 is no keyword",
        _obj({}, D6),
        _obj({"if": {"type": "string"}, "then": False}, D6),
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "base", "revision", "backward", "forward"), PAIRS, ids=[p[0] for p in PAIRS]
)
def test_older_draft_idioms_are_judged_as_their_draft_means_them(
    tmp_path: Path, name: str, base: JSONValue, revision: JSONValue, backward: bool, forward: bool
) -> None:
    for mode, expected in (("BACKWARD", backward), ("FORWARD", forward), ("FULL", backward or forward)):
        report = diff_versions(tmp_path / mode, base, revision, mode=mode)
        assert _breaking(report) is expected, (name, mode, _levels(report))


def test_a_schema_without_dollar_schema_using_older_keywords_says_which_draft(tmp_path: Path) -> None:
    report = diff_versions(tmp_path, _obj(TUPLE), _obj(TUPLE_NARROW))
    notes = [f for f in report.findings if f.rule_id == "schema-draft-assumed"]
    assert [n.level.value for n in notes] == ["info", "info"]
    assert "read as draft-07" in notes[0].message and "items as an array" in notes[0].message
    assert report.documents[0].kind == "jsonschema-draft-07"
    draft4 = diff_versions(tmp_path / "d4", _obj(BOUND_04), _obj(BOUND_04))
    assert next(f.message for f in draft4.findings if f.rule_id == "schema-draft-assumed").startswith(
        "no $schema: read as draft-04, as it uses a boolean exclusiveMaximum"
    )
    safe = diff_versions(tmp_path / "safe", _obj({"type": "string"}), _obj({"type": "string"}))
    assert safe.findings == ()  # nothing draft-specific: no note
    declared = diff_versions(tmp_path / "declared", _obj(TUPLE, D7), _obj(TUPLE, D7))
    assert declared.findings == ()


def test_the_default_draft_comes_from_apigov_yaml(tmp_path: Path) -> None:
    (tmp_path / "apigov.yaml").write_text(
        "jsonschema: {default-draft: 2020-12}\n"
        "contracts:\n  - {path: 'old/*.json', default-draft: draft-04}\n  - {path: 'x/*.json', subject: s, kind: jsonschema}\n",
        encoding="utf-8",
    )
    from apigov.config.project import load_config

    config = load_config(tmp_path / "apigov.yaml")
    assert config.default_draft == "2020-12"
    assert config.kind_hint(tmp_path / "a.json").default_draft == "2020-12"
    assert config.kind_hint(tmp_path / "old" / "a.json").default_draft == "draft-04"
    assert config.kind_hint(tmp_path / "x" / "a.json").family == "jsonschema"
    assert config.kind_hint(None, subject="s").family == "jsonschema"
    assert config.kind_hint(None, subject="s", family="avro").family == "avro"
    paths = []
    for index, data in enumerate(({"type": "string"}, {"type": "string", "maxLength": 3}), start=1):
        path = tmp_path / f"v{index}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(str(path))
    report = diff_sources(DiffRequest(base=paths[0], revision=paths[1]), config)
    assert report.documents[1].kind == "jsonschema-2020-12"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("jsonschema: {default-draft: draft-05}\n", "jsonschema.default-draft must be one of draft-04"),
        ("kind: protobuf\n", "kind must be one of openapi, asyncapi, jsonschema, avro"),
        ("contracts: [{path: a.json, kind: x}]\n", "contracts.0.kind must be one of"),
        ("jsonschema: {draft: 7}\n", "unknown key 'draft'"),
    ],
)
def test_bad_kind_settings_are_config_errors(tmp_path: Path, text: str, words: str) -> None:
    from apigov.config.project import load_config
    from apigov.core.errors import ConfigError

    (tmp_path / "apigov.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=words):
        load_config(tmp_path / "apigov.yaml")


# ---------------------------------------------------------------------- keyword-light schemas


LIGHT: list[JSONValue] = [{}, {"$id": "x"}, {"properties": {"a": {"type": "string"}}}, True, {"title": "T"}]


@pytest.mark.parametrize("data", LIGHT, ids=[json.dumps(d) for d in LIGHT])
def test_keyword_light_schemas_are_compared_with_a_mode_or_a_kind(
    tmp_path: Path, data: JSONValue, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(data), encoding="utf-8")
    b.write_text(json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}), encoding="utf-8")
    assert run(["diff", "--mode", "BACKWARD", str(a), str(b)]) in (0, 1), capsys.readouterr().err
    assert run(["diff", "--kind", "jsonschema", str(a), str(b)]) in (0, 1), capsys.readouterr().err
    assert run(["check", "--kind", "jsonschema", str(a)]) == 0, capsys.readouterr().err
    (tmp_path / "apigov.yaml").write_text("kind: jsonschema\n", encoding="utf-8")
    assert run(["--config", str(tmp_path / "apigov.yaml"), "diff", str(a), str(b)]) in (0, 1), (
        capsys.readouterr().err
    )


def test_a_keyword_light_schema_joins_a_json_schema_subject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = tmp_path / "reg"
    first, light = tmp_path / "first.json", tmp_path / "light.json"
    first.write_text('{"type": "object"}', encoding="utf-8")
    light.write_text('{"title": "Order"}', encoding="utf-8")
    assert run(["publish", "--registry", str(registry), "-s", "ev", str(first)]) == 0, capsys.readouterr().err
    assert run(["publish", "--registry", str(registry), "-s", "ev", str(light)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    code = run(["diff", "--registry", str(registry), "ev@1.0.0", "ev@latest", "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["revision"]["kind"] == "jsonschema-draft-07"
    # a new subject learns nothing from the registry: --kind says it
    assert run(["publish", "--registry", str(registry), "-s", "other", str(light)]) == 2
    assert "--kind" in capsys.readouterr().err
    assert (
        run(["publish", "--registry", str(registry), "-s", "other", "--kind", "jsonschema", str(light)]) == 0
    )


# ---------------------------------------------------------------------- odd shapes: never exit 3

ODD: list[JSONValue] = [
    {"type": ["object", "array"]},
    {"type": ["object", "array", "null"], "properties": {"a": {"type": ["string", "integer"]}}},
    {"type": {"type": "string"}},
    {"type": 5},
    {"type": None},
    {"type": []},
    {"$ref": 5},
    {"$ref": ["#"]},
    {"$ref": "#/nowhere"},
    {"$ref": "#"},
    {"$ref": ""},
    {"items": [True, False], "additionalItems": {"type": "string"}},
    {"exclusiveMaximum": True},
    {"exclusiveMaximum": "x"},
    {"definitions": [1]},
    {"dependencies": {"a": 5}},
    {"properties": [1, 2]},
    {"properties": {"a": None}},
    {"allOf": {}},
    {"enum": 5},
    {"required": "a"},
    True,
    False,
    {},
    [],
    [1],
    None,
    3,
    "x",
]


def test_odd_event_schemas_never_end_in_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for index, data in enumerate(ODD):
        path = tmp_path / f"s{index}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        files.append(str(path))
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    files.append(str(tmp_path / "empty.json"))
    codes: dict[str, int] = {}
    for index, name in enumerate(files):
        other = files[(index * 7 + 3) % len(files)]
        for args in (
            ["diff", "--mode", "BACKWARD", name, other],
            ["diff", "--mode", "FULL", "--kind", "jsonschema", other, name],
            ["diff", name, name],
            ["check", name],
        ):
            code = run(args)
            err = capsys.readouterr().err
            codes[" ".join(args)] = code
            assert code != 3, (args, err)
            if code == 2:
                assert len(err.strip().splitlines()) == 1, err
    assert run(["diff", "--mode", "BACKWARD", files[0], files[1]]) == 0, capsys.readouterr().err


def test_an_avro_array_of_a_union_is_no_json_schema_idiom(tmp_path: Path) -> None:
    """An Avro ``items`` that is a union (a list) must not be read as a draft-07 tuple."""
    report = diff_versions(
        tmp_path,
        {"type": "map", "values": "int"},
        {"type": "array", "items": ["int"]},
        suffix=".avsc",
        mode="FULL",
    )
    assert "schema-draft-assumed" not in {f.rule_id for f in report.findings}
    assert report.documents[1].kind == "avro"


def test_a_subjects_default_draft_decides_a_publish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``$ref`` siblings assert nothing in draft-07 (the default) but do in 2020-12: the subject's
    ``default-draft`` in apigov.yaml decides whether a new sibling ``maxLength`` breaks readers."""
    v1 = _obj({"$ref": "#/definitions/s"}, definitions={"s": {"type": "string"}})
    v2 = _obj({"$ref": "#/definitions/s", "maxLength": 3}, definitions={"s": {"type": "string"}})
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    first.write_text(json.dumps(v1), encoding="utf-8")
    second.write_text(json.dumps(v2), encoding="utf-8")
    config = tmp_path / "apigov.yaml"
    config.write_text(
        "contracts:\n  - {path: 'none/*.json', subject: strict, default-draft: 2020-12}\n", encoding="utf-8"
    )
    registry = str(tmp_path / "reg")
    for subject, code in (("lenient", 0), ("strict", 1)):
        assert (
            run(["--config", str(config), "publish", "--registry", registry, "-s", subject, str(first)]) == 0
        )
        got = run(["--config", str(config), "publish", "--registry", registry, "-s", subject, str(second)])
        assert got == code, (subject, capsys.readouterr())


def test_the_draft_note_is_no_change_for_semver(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A description change of a draft-07-idiom schema is a patch, as any description change."""
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    first.write_text(json.dumps(_obj(TUPLE, description="A.")), encoding="utf-8")
    second.write_text(json.dumps(_obj(TUPLE, description="B.")), encoding="utf-8")
    registry = str(tmp_path / "reg")
    assert run(["publish", "--registry", registry, "-s", "t", str(first)]) == 0
    capsys.readouterr()
    assert run(["publish", "--registry", registry, "-s", "t", str(second)]) == 0
    assert "published t@1.0.1" in capsys.readouterr().out
