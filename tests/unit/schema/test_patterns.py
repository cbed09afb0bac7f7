"""Patterns: RE2 matching answers only where dialects agree; built strings really match, fast."""

from __future__ import annotations

import re
import time

import pytest

from apigov.schema.patterns import matching, search

PATTERNS = [
    "^[a-z]+$",
    "^ord_[0-9A-HJKMNP-TV-Z]{26}$",
    r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$",
    r"^\w+@\S+\.(com|org)$",
    r"^[^a-z]{3,}$",
    "^.{2,5}$",
    r"^\+?[1-9]\d{1,14}$",
    "^(x|yy|zzz)*-[A-F0-9]{2}$",
    "(?i)^abc$",
    "[0-9]",
    r"^\s*\S+$",
    "^a{0}b?c??d*?$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize(("low", "high"), [(0, None), (3, None), (0, 4), (6, 9)])
def test_built_strings_match_under_python_re_and_fit(pattern: str, low: int, high: int | None) -> None:
    text = matching(pattern, low, high)
    if text is None:
        return
    assert re.search(pattern, text) is not None
    assert low <= len(text) <= (high if high is not None else len(text))
    assert text.isascii() and text.isprintable()


@pytest.mark.parametrize("pattern", PATTERNS)
def test_most_patterns_get_a_string(pattern: str) -> None:
    assert matching(pattern) is not None


def test_a_string_the_other_pattern_rejects() -> None:
    text = matching("^[a-z]+$", avoid="^[a-c]+$")
    assert text is not None and re.search("^[a-c]+$", text) is None
    assert matching("^[a-c]+$", avoid="^[a-z]+$") is None  # every string of the first matches the second


def test_lengths_out_of_reach_give_none() -> None:
    assert matching("^[a-z]{2,4}$", 5) is None
    assert matching("^[a-z]+$", 3, 2) is None


def test_unsupported_patterns_are_unknown_not_false() -> None:
    assert search(r"^(\w)\1$", "aa") is None  # back-reference: RE2 cannot run it
    assert search("^[[:alpha:]]$", "a") is None  # POSIX class: dialects disagree
    assert search("(", "a") is None  # not a regular expression
    assert search("^a$", "a\n") is None  # Python's $ matches before a final newline, ECMA's does not
    assert search("^é$", "é") is None  # non-ASCII text
    assert matching(r"^(\w)\1$") is None
    assert matching("(") is None


def test_search_agrees_with_python_re_on_plain_text() -> None:
    for pattern in PATTERNS:
        for text in ("", "abc", "ABC", "a@b.com", "0", "12.5", "zz-0F", "+4930123", " x"):
            verdict = search(pattern, text)
            if verdict is not None:
                assert verdict == (re.search(pattern, text) is not None), (pattern, text)


def test_catastrophic_patterns_run_in_linear_time() -> None:
    started = time.process_time()
    assert search("^(a+)+$", "a" * 5000 + "!") is False
    assert matching("^(a|aa)+$", 200, avoid="^(a+)+b$") is not None
    assert time.process_time() - started < 10.0  # CPU s; backtracking: hours


def test_huge_repeats_are_bounded() -> None:
    started = time.process_time()
    assert matching("^(a{1000}){1000}$") is None
    assert matching("^((((a{9}){9}){9}){9}){9}$") is None
    assert time.process_time() - started < 10.0  # CPU s; backtracking: hours
