"""The ``pattern`` keyword: matching a schema's regular expression safely, and finding strings it matches.

A spec's patterns are untrusted: Python's backtracking :mod:`re` takes exponential time on
patterns such as ``^(a+)+$``. :func:`search` runs them with RE2 (google-re2, linear in the input)
and answers only where RE2, Python's :mod:`re` (what most Python validators use) and ECMA-262
(what JSON Schema means) agree: printable ASCII text, patterns RE2 compiles and that use no POSIX
class (``[[:alpha:]]`` means something else to :mod:`re`). Elsewhere it answers ``None``.

:func:`matching` builds short printable-ASCII strings from the pattern's syntax tree (parsed by
the standard library's own regular-expression parser, :mod:`re._parser`): each quantifier at its
least count or stretched towards a wanted length, each character class and each alternative
taken in a few fixed ways. Deterministic, no search, bounded in length and in the number of
strings tried; every string it returns is checked with :func:`search`, so a construct it
handles only roughly (look-arounds, back-references, case folding) costs an answer, never a
wrong one. ``None`` when no string fits.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, Final

MAX_LENGTH: Final = 4096
"""The longest string :func:`matching` builds."""
_PRINTABLE: Final = (
    string.ascii_lowercase + string.digits + string.ascii_uppercase + " -_.@:/+*!#$%&'(),;<=>?[]^`{|}~\"\\"
)
"""Printable ASCII, readable characters first: the order characters of a class are taken in."""
_CHOICES: Final = (0, -1, 1, 2)
"""Which allowed character of each class a variant takes (first, last, second, third)."""


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> Any:
    """``pattern`` compiled by RE2 (linear time), or ``None`` when RE2 cannot run it or it uses a
    POSIX class (``[[:alpha:]]`` means something else to Python's and ECMA-262's dialects). The
    one RE2 helper of apigov: the schema engine and the lint rules both use it."""
    if "[:" in pattern:
        return None
    import re2  # imported on first use

    options = re2.Options()
    options.log_errors = False  # RE2 would print to stderr
    options.never_capture = True
    try:
        return re2.compile(pattern, options)
    except re2.error:
        return None


def clear_caches() -> None:
    """Forget every compiled pattern and built string (for benchmarks: each run does its own work)."""
    for cached in (compiled, matching, _tree, _in_class):
        cached.cache_clear()


def supported(pattern: str) -> bool:
    """Whether :func:`search` can answer for ``pattern`` at all."""
    return compiled(pattern) is not None


def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text``; ``None`` when the answer could depend on
    the regular-expression dialect (non-printable or non-ASCII text) or RE2 cannot run it."""
    if not (text.isascii() and text.isprintable()):
        return None
    regex = compiled(pattern)
    if regex is None:
        return None
    return regex.search(text) is not None


@lru_cache(maxsize=1024)
def matching(pattern: str, min_length: int = 0, max_length: int | None = None, avoid: str = "") -> str | None:
    """A printable-ASCII string ``pattern`` matches with ``min_length <= len <= max_length`` (and
    that ``avoid``, when given, does not match), or ``None`` when none is found."""
    if not supported(pattern) or (avoid and not supported(avoid)):
        return None
    high = MAX_LENGTH if max_length is None else min(max_length, MAX_LENGTH)
    if high < min_length:
        return None
    for text in _variants(pattern, min_length, high):
        fits = min_length <= len(text) <= high and search(pattern, text) is True
        if fits and (not avoid or search(avoid, text) is False):
            return text
    return None


def _variants(pattern: str, low: int, high: int) -> Iterator[str]:
    tree = _tree(pattern)
    if tree is None:
        return
    seen: set[str] = set()
    for target in dict.fromkeys((low, low + 1, min(high, low + 8), min(high, low + 64))):
        for choice in _CHOICES:
            builder = _Builder(choice, 0)
            for branch in range(3):
                builder = _Builder(choice, branch)
                try:
                    text = builder.sequence(tree, target)
                except _GiveUp:
                    break
                if text not in seen:
                    seen.add(text)
                    yield text
                if not builder.branched:
                    break  # the other alternatives would build the same string
            if not builder.chose:
                break  # so would the other characters


class _GiveUp(Exception):
    """The pattern uses something this builder cannot produce."""


_Node = tuple[Any, ...]
_Seq = tuple[tuple[_Node, ...], int]
"""A sequence of nodes and the length of the shortest text it matches."""


@lru_cache(maxsize=1024)
def _tree(pattern: str) -> _Seq | None:
    """The pattern's syntax tree in the builder's terms, or ``None`` when it cannot be built from."""
    try:
        import re._parser as sre  # type: ignore[import-not-found]  # the standard library's parser

        return _convert(sre.parse(pattern), 0)
    except (re.error, _GiveUp, RecursionError, OverflowError, ImportError, ValueError):
        return None


def _convert(items: Any, depth: int) -> _Seq:
    if depth > 64:
        raise _GiveUp
    nodes: list[_Node] = []
    least = 0
    for op, arg in items:
        name = str(op)
        node: _Node
        if name == "LITERAL":
            node, size = ("chars", chr(arg)), 1
        elif name in ("NOT_LITERAL", "ANY", "IN"):
            node, size = ("chars", _allowed(name, arg)), 1
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # checked by the validator afterwards
        elif name == "SUBPATTERN":
            body = _convert(arg[-1], depth + 1)
            node, size = ("group", arg[0], body), body[1]
        elif name == "ATOMIC_GROUP":
            body = _convert(arg, depth + 1)
            node, size = ("group", None, body), body[1]
        elif name == "BRANCH":
            options = tuple(_convert(option, depth + 1) for option in arg[1])
            node, size = ("branch", options), min(o[1] for o in options)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            body = _convert(arg[2], depth + 1)
            node, size = ("repeat", arg[0], arg[1], body), arg[0] * body[1]
        elif name == "GROUPREF":
            node, size = ("ref", arg), 0
        elif name == "GROUPREF_EXISTS":
            yes = _convert(arg[1], depth + 1)
            no = _convert(arg[2], depth + 1) if arg[2] is not None else ((), 0)
            node, size = ("exists", arg[0], yes, no), min(yes[1], no[1])
        else:
            raise _GiveUp
        nodes.append(node)
        least = min(least + size, MAX_LENGTH + 1)
    return tuple(nodes), least


def _allowed(name: str, arg: Any) -> str:
    if name == "ANY":
        return _PRINTABLE
    if name == "NOT_LITERAL":
        return _PRINTABLE.replace(chr(arg), "")
    return _in_class(tuple((str(o), a) for o, a in arg))


class _Builder:
    """Builds one string: ``choice`` picks the character of each class, ``branch`` the alternative."""

    __slots__ = ("branch", "branched", "choice", "chose", "groups", "length")

    def __init__(self, choice: int, branch: int) -> None:
        self.choice = choice
        self.branch = branch
        self.branched = False
        self.chose = False
        self.groups: dict[int, str] = {}
        self.length = 0

    def sequence(self, seq: _Seq, target: int) -> str:
        """The text of a sequence, stretched towards ``target`` characters."""
        text, _ = self._stretched(seq, max(target - seq[1], 0))
        return text

    def _stretched(self, seq: _Seq, extra: int) -> tuple[str, int]:
        """The text of a sequence with up to ``extra`` characters more than its least, and the
        extra characters still wanted."""
        parts: list[str] = []
        for node in seq[0]:
            kind = node[0]
            if kind == "chars":
                allowed = node[1]
                if not allowed:
                    raise _GiveUp
                if len(allowed) > 1:
                    self.chose = True
                text = allowed[self.choice % len(allowed)]
            elif kind == "group":
                text, extra = self._stretched(node[2], extra)
                if node[1] is not None:
                    self.groups[node[1]] = text
            elif kind == "branch":
                self.branched = True
                options = node[1]
                text, extra = self._stretched(options[self.branch % len(options)], extra)
            elif kind == "repeat":
                text, extra = self._repeat(node[1], node[2], node[3], extra)
            elif kind == "ref":
                text = self.groups.get(node[1], "")
            else:  # "exists"
                text, extra = self._stretched(node[2] if node[1] in self.groups else node[3], extra)
            parts.append(text)
            self.length += len(text)
            if self.length > MAX_LENGTH:
                raise _GiveUp
        return "".join(parts), extra

    def _repeat(self, least: int, most: int, body: _Seq, extra: int) -> tuple[str, int]:
        unit = body[1]
        count = least
        if extra and unit:
            more = min(-(-extra // unit), most - least)  # unbounded: ``most`` is a huge number
            count += more
            extra = max(extra - more * unit, 0)
        elif extra and not unit and most > least:
            count += 1  # a body that can be empty: once, stretched
        if count * max(unit, 1) > MAX_LENGTH:
            raise _GiveUp
        parts = []
        for _ in range(count):
            text, extra = self._stretched(body, extra)
            parts.append(text)
        return "".join(parts), extra


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


_CATEGORIES: Final[dict[str, Callable[[str], bool]]] = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": _word,
}


@lru_cache(maxsize=1024)
def _in_class(items: tuple[tuple[str, Any], ...]) -> str:
    """The printable ASCII characters a ``[...]`` class accepts, in :data:`_PRINTABLE` order."""
    negate = any(op == "NEGATE" for op, _ in items)

    def member(char: str) -> bool:
        code = ord(char)
        for op, arg in items:
            if (op == "LITERAL" and code == arg) or (op == "RANGE" and arg[0] <= code <= arg[1]):
                return True
            if op == "CATEGORY":
                name = str(arg)
                test = _CATEGORIES.get(name.replace("NOT_", ""))
                if test is None:
                    raise _GiveUp
                if test(char) != ("NOT_" in name):
                    return True
        return False

    return "".join(c for c in _PRINTABLE if member(c) != negate)
