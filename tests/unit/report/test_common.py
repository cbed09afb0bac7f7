"""Helpers shared by the formatters."""

from __future__ import annotations

import io
import json

import pytest

from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report
from apigov.report._common import by_file, dump_json, printable, summary_sentence, worst_level

from ._cases import CASES


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, ünïcode ✓", "plain text, ünïcode ✓"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("\x00\x1b[2J\x7f\x85", "\\x00\\x1b[2J\\x7f\\x85"),
        ("\u202eevil\u2066", "\\u202eevil\\u2066"),
        ("lone\ud800", "lone\\ud800"),
        ("line\u2028paragraph\u2029end", "line\\u2028paragraph\\u2029end"),
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_printable_keeps_what_it_is_told() -> None:
    assert printable("a\nb\x07", keep="\n") == "a\nb\\x07"


def test_by_file_lists_documents_first_then_other_files() -> None:
    groups = by_file(CASES["mixed"], include_clean=True)
    assert [g.file for g in groups] == [
        "api/orders.yaml",
        "api/payments.yaml",
        "schemas/customer.json",
        "events/shop.yaml",
        "api/common.yaml",
    ]
    assert groups[-1].document is None
    assert "schemas/customer.json" not in [g.file for g in by_file(CASES["mixed"], include_clean=False)]


def test_summary_sentence() -> None:
    assert summary_sentence(CASES["mixed"]) == "6 problems (2 errors, 2 warnings, 2 info) in 4 files"
    one = Report("check", (Finding("r", Level.INFO, "m", Location("a")),), (DocumentInfo("a", "avro"),))
    assert summary_sentence(one) == "1 problem (0 errors, 0 warnings, 1 info) in 1 file"
    assert summary_sentence(CASES["clean"]) == "no problems in 2 files"


def test_worst_level() -> None:
    assert worst_level(CASES["empty"]) is None
    assert worst_level(CASES["mixed"]) in (Level.ERROR, Level.BREAKING)


def test_dump_json_is_safe_to_print() -> None:
    out = io.StringIO()
    dump_json({"m": "\ud800\x85\u202e\u2028ok"}, out)
    assert out.getvalue() == '{\n  "m": "\ufffd\\u0085\\u202e\\u2028ok"\n}\n'


def test_dump_json_writes_integers_beyond_64_bits_and_plain_text_alike() -> None:
    out = io.StringIO()
    dump_json({"maximum": 2**70, "text": "é\x1b", "list": [1.5, None, {}]}, out)
    assert json.loads(out.getvalue()) == {"maximum": 2**70, "text": "é\x1b", "list": [1.5, None, {}]}
    assert '"text": "é\\u001b"' in out.getvalue()  # readable non-ASCII, escaped controls
