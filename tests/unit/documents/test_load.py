"""Safe loading: plain data only, bounded, and every bad input a DocumentError with file and line."""

from __future__ import annotations

import json
import math
import re
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from apigov.core.errors import InvalidYAML, LimitExceeded
from apigov.documents import load as load_module
from apigov.documents.document import Document, index_yaml_positions
from apigov.documents.limits import Limits
from apigov.documents.load import load_file


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_yaml_follows_the_core_schema(tmp_path: Path) -> None:
    doc = load_file(
        write(
            tmp_path,
            "a.yaml",
            "a: yes\nb: on\nc: 2024-01-02\nd: true\ne: 0x1F\nf: 1.5e3\ng: ~\nh: .inf\ni: '12'\n200: x\nj: 0o17\n",
        )
    )
    assert doc.data == {
        "a": "yes",
        "b": "on",
        "c": "2024-01-02",
        "d": True,
        "e": 31,
        "f": 1500.0,
        "g": None,
        "h": math.inf,
        "i": "12",
        "200": "x",
        "j": 15,
    }


def test_yaml_merge_keys_and_anchors(tmp_path: Path) -> None:
    text = "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n"
    data = load_file(write(tmp_path, "m.yaml", text)).data
    assert data == {"base": {"x": 1, "y": 2}, "derived": {"x": 1, "y": 3}, "list": [{"x": 1, "y": 2}] * 2}


@pytest.mark.parametrize(
    ("name", "content", "expected_line", "words"),
    [
        ("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n", 3, "invalid YAML"),
        ("bad.json", '{\n  "a": 1,\n  "b": \n}\n', 4, "invalid JSON"),
        ("dup.yaml", "a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("dup.json", '{\n "a": 1,\n "a": 2\n}', 3, "duplicate key 'a'"),
        ("tag.yaml", "a: !!python/object/apply:os.system ['true']\n", 1, "tag"),
        ("custom.yaml", "a: !Ref Thing\n", 1, "tag"),
        ("multi.yaml", "a: 1\n---\nb: 2\n", 2, "more than one YAML document"),
        ("nan.json", '{"a": NaN}', None, "not valid JSON"),
    ],
)
def test_malformed_input_names_file_and_line(
    tmp_path: Path, name: str, content: str, expected_line: int | None, words: str
) -> None:
    with pytest.raises(InvalidYAML) as caught:
        load_file(write(tmp_path, name, content), source=name)
    error = caught.value
    assert words in str(error)
    assert error.line == expected_line
    assert str(error).startswith(name + (f":{expected_line}" if expected_line else ""))
    assert "\n" not in str(error)


@pytest.mark.parametrize("content", ["", "   \n\n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: str | bytes) -> None:
    with pytest.raises(InvalidYAML, match="empty document"):
        load_file(write(tmp_path, "e.yaml", content))


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"abc\xff\xfe\xfa\x00"])
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(InvalidYAML, match="binary"):
        load_file(write(tmp_path, "b.yaml", content))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidYAML, match="no such file"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(InvalidYAML, match="not a regular file"):
        load_file(tmp_path)


def test_billion_laughs_is_refused_quickly_with_bounded_memory(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    started = time.process_time()
    with pytest.raises(LimitExceeded, match="aliases expand to more than"):
        load_file(path)
    elapsed = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 10.0  # CPU seconds (~0.1 s alone; expanding it all: minutes and gigabytes)
    assert peak < 20 * 1024 * 1024


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidYAML):
        load_file(write(tmp_path, "r.yaml", "a: &x\n  b: *x\n"))


@pytest.mark.parametrize(
    ("name", "opening"), [("deep.yaml", "["), ("deep.json", "["), ("deep2.json", '{"a":')]
)
def test_huge_deeply_nested_document_is_refused_quickly(tmp_path: Path, name: str, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    # 50 MB in all: half opening, half closing
    depth = 50_000_000 // (len(opening) + 1) + 1
    path = tmp_path / name
    with path.open("w") as handle:
        handle.write(opening * depth)
        handle.write(closing * depth)
    assert path.stat().st_size >= 50_000_000
    started = time.process_time()
    with pytest.raises(LimitExceeded, match="nested"):
        load_file(path)
    assert time.process_time() - started < 20.0  # CPU seconds: catches a hang, not a slow machine


@pytest.mark.parametrize("depth", [65, 999, 1001, 20_000])
def test_flow_nesting_on_one_line_meets_apigovs_limit_before_the_yaml_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, depth: int
) -> None:
    """libyaml reads a line ahead before it hands over events, and some versions refuse 1000
    levels there with their own message: apigov's limit must be the one that speaks, whatever
    the installed PyYAML does (the parser is not even started)."""

    def no_parser(text: str) -> object:
        raise AssertionError("the YAML parser was started")

    monkeypatch.setattr(load_module, "yaml_event_parser", no_parser)
    text = "openapi: 3.1.0\nx: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(LimitExceeded, match="nested deeper than 64 levels") as caught:
        load_file(write(tmp_path, "deep.yaml", text))
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "line",
    [
        "p: '" + "[" * 100 + "'",
        'p: "' + "{" * 100 + '\\" "',
        "p: x # " + "[" * 100,
        "p: ^" + "[a-z" * 100,
        "p: [" + "[a], " * 100 + "]",
    ],
)
def test_brackets_that_do_not_nest_are_not_counted(tmp_path: Path, line: str) -> None:
    assert load_file(write(tmp_path, "ok.yaml", line + "\n")).data


def test_block_nesting_is_bounded(tmp_path: Path) -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(70))
    with pytest.raises(LimitExceeded, match="nested deeper than 64"):
        load_file(write(tmp_path, "block.yaml", text))
    fine = "".join(" " * i + f"k{i}:\n" for i in range(60))
    assert load_file(write(tmp_path, "fine.yaml", fine)).data


@pytest.mark.parametrize("depth", [65, 300, 950])
def test_json_nesting_is_bounded_like_yaml(tmp_path: Path, depth: int) -> None:
    text = '{"a": ' * depth + "1" + "}" * depth
    with pytest.raises(LimitExceeded, match="nested deeper than 64"):
        load_file(write(tmp_path, "deep.json", text))
    assert load_file(write(tmp_path, "ok.json", '{"a": ' * 63 + "1" + "}" * 63)).data


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.json", '{"a": "' + "x" * 2000 + '"}')
    with pytest.raises(LimitExceeded, match="over the limit"):
        load_file(path, limits=Limits(max_bytes=1000))


def test_positions_are_found_lazily_for_yaml_and_json(tmp_path: Path) -> None:
    yaml_doc = load_file(write(tmp_path, "p.yaml", "a:\n  b:\n    - x\n    - {c: 1}\n"))
    assert yaml_doc.position("/a/b/1/c") == (4, 8)
    assert yaml_doc.position("/a/b/0") == (3, 7)
    assert yaml_doc.line("/a/missing") == 1
    json_doc = load_file(
        write(tmp_path, "p.json", '{\n  "a": {\n    "b~c/d": [1,\n      {"e": 2}]\n  }\n}\n')
    )
    assert json_doc.position("/a/b~0c~1d/1/e") == (4, 8)
    assert json_doc.position("/a/b~0c~1d/0") == (3, 15)


def test_total_values_are_bounded_too(tmp_path: Path) -> None:
    path = write(tmp_path, "wide.yaml", "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a]\n")
    with pytest.raises(LimitExceeded, match="document expands to more than 30 values"):
        load_file(path, limits=Limits(max_nodes=30))
    assert load_file(path, limits=Limits(max_nodes=100)).data


def test_json_beyond_ascii_is_kept_compact_and_located_by_character(tmp_path: Path) -> None:
    """One emoji would make Python store the whole text at 4 bytes a character; the document
    keeps the bytes instead, and positions still count characters and find non-ASCII keys."""
    text = (
        '{\n  "info": {"title": "Ships 🚢 and cafés"},\n'
        '  "café": {"naïve": [1, {"ü\\u00e9": 2}]},\n'
        '  "caf\\u00e9s": {"x": "€", "y": 3}\n}\n'
    )
    path = tmp_path / "wide.json"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert document.byte_view
    assert sys.getsizeof(document.text) < len(text.encode("utf-8")) + 100  # one byte a byte
    assert document.data == json.loads(text)

    def where(fragment: str) -> tuple[int, int]:  # the real text's line and column of a fragment
        offset = text.index(fragment)
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    assert document.position("/café/naïve") == where('"naïve"')
    assert document.position("/café/naïve/1/üé") == where('"ü\\u00e9"')
    assert document.position("/cafés/y") == where('"y"')
    assert document.position("/cafés/missing") == where('"caf\\u00e9s"')


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "🚢 ships", "b": ["é", "\\u00e9", "€"], "c\\u0080": "\u0085"}',
        '{"k": "\\\\é"}',  # an escaped backslash, then a character beyond ASCII
        '{"pair": "\\ud83d\\udea2 and 🚢"}',
    ],
)
def test_json_beyond_ascii_reads_as_the_standard_parser_does(tmp_path: Path, text: str) -> None:
    path = tmp_path / "wide.json"
    path.write_bytes(text.encode("utf-8"))
    assert load_file(path).data == json.loads(text)


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (b'{\n"a": "caf\xc3"}', "non-UTF-8", 2),
        (b'{\n"a": "\\\xc3\xa9"}', "invalid JSON", 2),  # a backslash before a character beyond ASCII
        (b'{"caf\xc3\xa9": 1,\n "caf\xc3\xa9": 2}', "duplicate key 'caf\xe9'", 2),
        (b'{"a": "\xc3\xa9 \\ud800"}', "lone UTF-16 surrogate", None),
        (b'{"a": \xc3\xa9}', "invalid JSON", 1),
    ],
)
def test_bad_json_beyond_ascii_is_refused_as_plainly_as_ever(
    tmp_path: Path, raw: bytes, message: str, line: int | None
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    with pytest.raises(InvalidYAML, match=re.escape(message)) as caught:
        load_file(path)
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("body", "lone"),
    [
        ('"\\ud83d\\ude00"', False),  # a pair, as json.dumps writes an emoji
        ('"\\ud83d"', True),
        ('"\\ude00"', True),
        ('"\\ud83dx\\ude00"', True),
        ('"\\ude00\\ud83d"', True),
        ('"\\\\ud83d\\ude00"', True),  # text "\ud83d", then a low half alone
        ('"\\ud83d\\\\ude00"', True),  # a high half alone, then text
        ('"\\\\\\ud83d\\ude00"', False),  # an escaped backslash, then a pair
        ('"\\\\ud800 is how you write it"', False),  # text only
    ],
)
def test_only_unpaired_surrogate_escapes_are_refused(tmp_path: Path, body: str, lone: bool) -> None:
    path = write(tmp_path, "s.json", '{"a": ' + body + "}")
    if lone:
        with pytest.raises(InvalidYAML, match="lone UTF-16 surrogate"):
            load_file(path)
    else:
        assert load_file(path).data == json.loads('{"a": ' + body + "}")


TRICKY_YAML = """\
openapi: 3.1.0
base: &base
  type: object
  properties: {id: {type: integer}, tags: [a, b, {c: d}]}
paths:
  /pets:
    get:
      parameters:
        - name: limit
          in: query
          schema: *base
        - {name: page, in: query}
      description: |
        many
        lines
      merged:
        <<: *base
        extra: [1,
          2]
      "quoted key": 'x'
      ? complex
      : value
"""


def test_yaml_positions_come_from_the_load_and_agree_with_a_fresh_index(tmp_path: Path) -> None:
    """The loader records where each node is written; a separate pass over the text (what was
    used before, and still is for documents made from text) must find every position the same."""
    document = load_file(write(tmp_path, "p.yaml", TRICKY_YAML))
    assert document.yaml_index is not None
    fresh = index_yaml_positions(TRICKY_YAML)
    assert len(fresh) > 30
    asked = [
        *(pointer for pointer in fresh if "<<" not in pointer),  # a merge key is no member
        "/paths/~1pets/get/parameters/0/schema/type",
        "/base/properties/id/nope",
        "/nope",
        "/paths/~1pets/get/parameters/9",
    ]
    for pointer in asked:
        current = pointer
        while current not in fresh:
            current = current[: current.rfind("/")]
        assert document.position(pointer) == fresh[current], pointer
    assert document.position("/paths/~1pets/get/merged/type") == fresh["/paths/~1pets/get/merged"]


def test_a_duplicate_yaml_key_names_both_lines(tmp_path: Path) -> None:
    with pytest.raises(InvalidYAML, match="duplicate key 'b'") as caught:
        load_file(write(tmp_path, "d.yaml", "a: 1\nb: 2\nc:\n  x: 1\nb: 3\n"))
    assert caught.value.line == 5
    assert caught.value.hint == "it is first defined on line 2"


def test_yaml_beyond_ascii_is_kept_compact_with_its_positions(tmp_path: Path) -> None:
    text = "info:\n  title: Ships 🚢\npaths:\n  /cafés:\n    get: {summary: naïve, x-é: [1, 2]}\n"
    path = tmp_path / "wide.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert document.byte_view and sys.getsizeof(document.text) < len(text.encode()) + 100
    assert "x-é" not in document.text and "paths" in document.text  # ASCII words still found
    fresh = index_yaml_positions(text)
    for pointer in fresh:
        assert document.position(pointer) == fresh[pointer], pointer
    line = text.splitlines()[4]
    assert document.position("/paths/~1cafés/get/x-é/1") == (5, line.index("2") + 1)  # characters, not bytes


def test_columns_on_one_long_line_beyond_ascii(tmp_path: Path) -> None:
    """A minified file is one line: columns count characters across many blocks of it."""
    data = {f"k{i}": {"d": "é🚢" * (i % 7), f"ü{i}": i} for i in range(3000)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path = tmp_path / "min.json"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert document.byte_view
    for i in (0, 1, 777, 1500, 2999):
        assert document.position(f"/k{i}/ü{i}") == (1, text.index(f'"ü{i}"') + 1)


@pytest.mark.parametrize("wide", [False, True])
def test_lines_and_columns_across_blocks_of_an_indented_file(tmp_path: Path, wide: bool) -> None:
    """Lines are counted per block of the text: a key on either side of a block's edge, on a
    line that starts in an earlier block, still gets the line and column an editor shows."""
    word = "é🚢" if wide else "ab"
    data = {f"k{i}": {"d": word * (i % 50), f"v{i}": [i, {"x": word}]} for i in range(400)}
    text = json.dumps(data, ensure_ascii=False, indent=1 + len(word) % 3)
    path = tmp_path / "indented.json"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert document.byte_view == wide
    lines = text.split("\n")
    for i in range(400):
        key = f'"v{i}"'
        number = next(n for n, line in enumerate(lines) if key in line)
        assert document.position(f"/k{i}/v{i}") == (number + 1, lines[number].index(key) + 1), i
        assert document.line(f"/k{i}/v{i}/1/x") == number + 4


ASKED = ["", "/a", "/a/x", "/a/x/1/y", "/c", "/c/z"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": {"x": [1, {"y": 2}]},\n "c": {"z": 3}}', [(1, 1), (1, 2), (1, 8), (1, 18), (2, 2), (2, 8)]),
        ('{"a": {"x": 1}', [(1, 1), (1, 2), (1, 8), (1, 8), (1, 1), (1, 1)]),
        *((text, [(1, 1)] * 6) for text in ('{"a": {b: 1}, "c": 2}', '{"a": {"x": 1,}, "c": 2}', '{"a": [1 2], "c": 2}')),
        *((text, [(1, 1)] * 6) for text in ('{"a": {"x" 1}, "c": 2}', '{"a": {"x": 1 "y": 2}, "c": 2}', '{"a": {"x": 1')),
    ],
)
def test_a_member_that_is_not_json_stops_its_parent(text: str, expected: list[tuple[int, int]]) -> None:
    """A container's members are scanned with it: one that is not strict JSON (a YAML flow, a
    trailing comma) ends the scan there, as skipping it with the decoder would."""
    document = Document("t.json", None, {}, text=text, format="json")
    assert [document.position(pointer) for pointer in ASKED] == expected
