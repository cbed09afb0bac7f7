"""Review of the wide-JSON reader (``Document.byte_view``) and the YAML index built while loading."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import InvalidYAML
from apigov.documents.document import JsonLocator, index_yaml_positions
from apigov.documents.load import decode_text, load_file, parse_text

# Inputs where the ASCII-escaped parse must agree with json.loads of the real text.
_SAME_AS_PLAIN = {
    "escaped backslash then é": b'{"a": "\\\\\xc3\xa9"}',
    "backslash escaping é": b'{"a": "\\\xc3\xa9"}',
    "three backslashes then é": b'{"a": "\\\\\\\xc3\xa9"}',
    "key beyond ASCII": b'{"\xc3\xa9": {"\xf0\x9f\x98\x80": [1, "\xc3\xbc"]}}',
    "C1 controls": b'{"a": "\xc2\x85\xc2\x9f"}',
    "U+2028": b'{"a": "\xe2\x80\xa8"}',
    "BOM then wide": b'\xef\xbb\xbf{"a": "\xc3\xa9"}',
    "BOM inside": b'{"a": "\xc3\xa9"}\xef\xbb\xbf',
    "truncated UTF-8": b'{"a": "\xc3"}',
    "overlong /": b'{"a": "\xc0\xaf"}',
    "surrogate in UTF-8": b'{"a": "\xed\xa0\x80"}',
    "NUL past 8 KiB": b'{"a": "\xc3\xa9"' + b" " * 9000 + b', "b": "\x00"}',
    "YAML in a .json": b"a: \xc3\xa9\n",
    "duplicate by escape": b'{"\xc3\xa9": 1, "\\u00e9": 2}',
    "Arabic digit": b"[1\xd9\xa3]",
    "wide outside a string": b'{"a": 1}\xc3\xa9',
    "NBSP as blank": b'{"a":\xc2\xa01}',
    "\\u00 then é": b'{"a": "\\u00\xc3\xa9"}',
    "scalar root": b'"\xc3\xa9"',
    "high escape then emoji": b'{"a": "\\ud83d\xf0\x9f\x98\x80"}',
    "emoji then low escape": b'{"a": "\xf0\x9f\x98\x80\\udc00"}',
    "pair escaped, then wide": b'{"a": "\\ud83d\\ude00 \xc3\xa9"}',
    "raw control": b'{"a": "\xc3\xa9\x01"}',
    "U+FFFE": b'{"a": "\xef\xbf\xbe"}',
}


def _plain(data: bytes) -> tuple[str, JSONValue]:
    try:
        return "ok", parse_text(decode_text(data, source="f.json"), "json", source="f.json")
    except InvalidYAML as exc:
        return "refused", str(exc)


@pytest.mark.parametrize("data", list(_SAME_AS_PLAIN.values()), ids=list(_SAME_AS_PLAIN))
def test_wide_json_reads_as_the_plain_path(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(data)
    try:
        got: tuple[str, JSONValue] = "ok", load_file(path, source="f.json").data
    except InvalidYAML as exc:
        got = "refused", str(exc)
    assert got == _plain(data)


def _pointers(value: JSONValue, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, pointer + "/" + jsonptr.escape(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, f"{pointer}/{index}")
    return found


@pytest.mark.parametrize(
    "text",
    [
        '{"é": 1, "a😀b": {"x\\u00e9": [1, "ü"]}, "\\ud83d\\ude00": 2, "z": "😀😀"}',
        '{\r\n  "é": "😀",\r\n  "b": {\r\n    "ü": 1\r\n  }\r\n}',
        '{"a/é": 1, "~é": {"ö~1": 2}, "\\"é": 3, "": {"é": 4}}',
        "{" + ", ".join(f'"k{i}é": "{"😀" * i}"' for i in range(60)) + "}",
    ],
)
def test_byte_view_positions_count_characters(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(text.encode("utf-8"))
    document = load_file(path)
    assert document.byte_view
    real = JsonLocator(text)
    for pointer in [*_pointers(document.data), "/nope", "/é/nope"]:
        assert document.position(pointer) == real.position(pointer), pointer


def test_positions_on_one_long_line_cost_no_more_than_ascii(tmp_path: Path) -> None:
    data = {f"k{i}": {"description": "é" + "x" * 100, "v": i} for i in range(10000)}
    wide, ascii_only = tmp_path / "wide.json", tmp_path / "ascii.json"
    wide.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    ascii_only.write_text(json.dumps(data, separators=(",", ":")))

    def seconds(path: Path) -> float:
        document = load_file(path)
        document.position("/k0/v")  # the scan of the top object, the same for both
        started = time.perf_counter()
        for i in range(0, 10000, 5):
            document.position(f"/k{i}/v")
        return time.perf_counter() - started

    assert load_file(wide).byte_view
    # a 1.1 MB line, 2,000 positions: feb055d took ~135x as long (25 s for a 14 MB line)
    assert seconds(wide) < 5 * seconds(ascii_only) + 0.05


def test_duplicate_key_spelled_by_escape_names_the_duplicate_line(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'{"\xc3\xa9": 1,\n"\\u00e9": 2}\n')
    with pytest.raises(InvalidYAML) as caught:
        load_file(path)
    assert caught.value.line == 2  # 95b6116: 2; now 1


def test_nested_duplicate_beyond_ascii_names_its_line_or_none(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes('{"é": {"x": 1},\n"b": {"é": 2,\n"é": 3}}\n'.encode())
    with pytest.raises(InvalidYAML) as caught:
        load_file(path)
    assert caught.value.line in (3, None)  # 95b6116: None; now 2, a line with no duplicate


def _old_position(text: str, pointer: str) -> tuple[int, int] | None:
    positions = index_yaml_positions(text)
    while pointer not in positions:
        if not pointer:
            return None
        pointer = pointer[: pointer.rfind("/")]
    return positions[pointer]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x {p: 1, q: [1, 2]}\nb: *x\nc:\n  - *x\n  - &y z\n  - *y\n",
        "base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  r: 3\ne:\n  <<: [*b, {s: 4}]\n  q: 5\n",
        '? |\n  long\n  key\n: 1\n? "two\n  lines"\n: {x: 2}\nz: 4\n',
        "a: |\n  x\nb: >-\n  z\nc:\t{d:\t1}\n",
        "- a\n- {b: 1}\n- [c, d]\n-\n  - e\n",
        "a:\r\n  b: 1\r\n  c:\r\n    - d\r\n",
        "é: {ü: 😀, x: [😀, é]}\n😀: 1\n200: a\n1.0: b\n~: c\n",
        "a:\n- b: 1\n  c:\n  - d\n",
    ],
)
def test_yaml_index_matches_the_second_parse(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_file(path)
    assert document.yaml_index is not None
    for pointer in [*_pointers(document.data), "/nope", "/a/nope/deeper", "/0/9", "/d/p", "/e/s"]:
        assert document.position(pointer) == _old_position(text, pointer), pointer


def test_yaml_scalar_document_position_is_where_the_scalar_is(tmp_path: Path) -> None:
    text = "# a comment\n---\n'just text'\n"
    path = tmp_path / "f.yaml"
    path.write_text(text)
    assert load_file(path).position("") == _old_position(text, "") == (3, 1)  # feb055d: (1, 1)
