"""Review of the load-speed shortcuts in refs.py (``_may_hold_ids``, ``check_all``, ``bundle``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.documents.bundle import bundle
from apigov.documents.kinds import Kind
from apigov.documents.refs import Workspace

# YAML lets a double-quoted key run over two lines: an escaped line break joins them with
# nothing between, so the text never holds "$id" or "$anchor" in one piece, nor an escape.
_FOLDED_ID = (
    "$schema: https://json-schema.org/draft/2020-12/schema\n"
    '? "$i\\\n'
    '  d"\n'
    ": https://example.com/root.json\n"
    "type: object\n"
    "properties:\n"
    "  pet: {$ref: 'pet.json'}\n"
    "$defs:\n"
    "  pet:\n"
    '    ? "$i\\\n'
    '      d"\n'
    "    : https://example.com/pet.json\n"
    "    type: string\n"
)
_FOLDED_ANCHOR = (
    "$schema: https://json-schema.org/draft/2020-12/schema\n"
    "type: object\n"
    "properties:\n"
    "  pet: {$ref: '#pet'}\n"
    "$defs:\n"
    "  pet:\n"
    '    ? "$anch\\\n'
    '      or"\n'
    "    : pet\n"
    "    type: string\n"
)


def test_anchor_spelled_over_two_lines_resolves(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(_FOLDED_ANCHOR)
    workspace = Workspace.open(spec)
    assert workspace.root.data["$defs"]["pet"] == {"$anchor": "pet", "type": "string"}  # type: ignore[index,call-overload]
    assert workspace.check_all() == 1  # feb055d: UnresolvedRef "no anchor named 'pet'"


@pytest.mark.parametrize("line_break", ["\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_anchor_folded_over_any_yaml_line_break_resolves(tmp_path: Path, line_break: str) -> None:
    """libyaml also folds an escaped NEL, LS or PS; beyond ASCII the text is a byte view."""
    spec = tmp_path / "s.yaml"
    spec.write_text(_FOLDED_ANCHOR.replace("\\\n", "\\" + line_break), encoding="utf-8", newline="")
    workspace = Workspace.open(spec)
    assert workspace.root.data["$defs"]["pet"] == {"$anchor": "pet", "type": "string"}  # type: ignore[index,call-overload]
    assert workspace.check_all() == 1  # 94a8fa7, NEL/LS/PS: UnresolvedRef "no anchor named 'pet'"


def test_id_spelled_over_two_lines_wins_over_a_file_of_that_name(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(_FOLDED_ID)
    (tmp_path / "pet.json").write_text('{"type": "integer"}')  # the wrong place
    workspace = Workspace.open(spec)
    target = workspace.resolve(workspace.root, "pet.json", at="/properties/pet")
    assert target.document is workspace.root  # feb055d: the file pet.json
    assert target.pointer == "/$defs/pet"


def test_fragment_refs_deduplicated_still_refuse_a_dangling_one_outside_examples(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              examples:\n                e: {$ref: '#/components/examples/Gone'}\n"
        "              schema: {$ref: '#/components/examples/Gone'}\n"
        "components: {}\n"
    )
    from apigov.core.errors import UnresolvedRef

    examples: list[object] = []
    with pytest.raises(UnresolvedRef):
        Workspace.open(spec).check_all(examples=examples)  # type: ignore[arg-type]


def test_single_document_bundle_is_the_root(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A: {$ref: 'openapi.yaml#/components/schemas/B'}\n    B: {type: string}\n"
    )
    workspace = Workspace.open(spec)
    workspace.check_all()
    assert bundle(workspace, Kind.OPENAPI_30).document.data == workspace.root.data


def test_a_bundled_yaml_root_keeps_the_loader_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A multi-file YAML spec's bundle is a new Document: without the loader's index, its first
    position parsed the whole root text a second time (what feb055d set out to avoid)."""
    import apigov.documents.document as source

    spec = tmp_path / "a.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: 's.yaml#/S'}\n"
    )
    (tmp_path / "s.yaml").write_text("S: {type: object, properties: {a: {type: string}}}\n")
    workspace = Workspace.open(spec)
    workspace.check_all()
    bundled = bundle(workspace, Kind.OPENAPI_30)
    assert bundled.document is not workspace.root  # a copy: s.yaml's schema was internalised

    def second_parse(text: str) -> dict[str, tuple[int, int]]:
        raise AssertionError("the root text was parsed again for positions")

    monkeypatch.setattr(source, "index_yaml_positions", second_parse)
    assert bundled.document.position("/paths/~1x/get") == (5, 5)
    assert bundled.document.position("/components/schemas/S") == (1, 1)  # not in the text: the root
