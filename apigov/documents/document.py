"""A loaded document: its data, where it came from, and (lazily) the line of every node."""

from __future__ import annotations

import json
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

import yaml

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.documents._yaml_events import yaml_event_parser

Format: TypeAlias = Literal["json", "yaml"]
Position: TypeAlias = tuple[int, int]  # 1-based line, 1-based column


COLUMN_BITS: Final = 24


def packed_position(line: int, column: int) -> int:
    return line << COLUMN_BITS | min(column, (1 << COLUMN_BITS) - 1)


class YamlIndex:
    """Where a YAML collection and its members are written: its own position (its key's, in a
    mapping) and, per key or index, a member's position or, for a collection, its index. A
    position is ``line << 24 | column``: one small int a node, no pointer strings."""

    __slots__ = ("at", "members")

    def __init__(self, at: int, members: dict[str, YamlIndex | int] | list[YamlIndex | int]) -> None:
        self.at = at
        self.members = members

    def position(self, pointer: str) -> tuple[int, int]:
        """The position of ``pointer``, else of its nearest ancestor that is indexed."""
        here: YamlIndex | int = self
        at = self.at
        for token in jsonptr.split(pointer) if pointer else ():
            if isinstance(here, int):
                break
            members = here.members
            if isinstance(members, dict):
                found = members.get(token)
            elif token.isdigit() and int(token) < len(members):
                found = members[int(token)]
            else:
                found = None
            if found is None:
                break
            here = found
            at = found if isinstance(found, int) else found.at
        return at >> COLUMN_BITS, at & ((1 << COLUMN_BITS) - 1)


@dataclass(slots=True, eq=False)
class Document:
    """One parsed file.

    ``source`` is the name shown to users (as given on the command line), ``path`` the resolved
    absolute path (``None`` for documents that do not come from a file).
    """

    source: str
    path: Path | None
    data: JSONValue
    text: str = ""
    format: Format = "yaml"
    byte_view: bool = False
    """``text`` is the file's UTF-8 bytes decoded as Latin-1 (one character a byte: a compact
    string however wide the real characters are): how files beyond ASCII are kept. Searching it
    for ASCII words works as on the real text; positions come from ``JsonLocator`` (JSON) or
    ``yaml_index`` (YAML)."""
    yaml_index: YamlIndex | None = field(default=None, repr=False)
    """Where each node of a YAML text is written, as the loader found it (else indexed on first use)."""
    _positions: dict[str, Position] | None = field(default=None, repr=False)
    _json: JsonLocator | None = field(default=None, repr=False)

    def position(self, pointer: str) -> Position | None:
        """Line and column of the node at ``pointer`` (of its key, inside an object).

        Falls back to the nearest ancestor that exists. JSON is searched lazily, only along the
        pointers asked for; YAML is indexed on first use.
        """
        if not self.text:
            return None
        if self.format == "json":
            if self._json is None:
                self._json = JsonLocator(self.text, byte_view=self.byte_view)
            return self._json.position(pointer)
        if self.yaml_index is not None:
            return self.yaml_index.position(pointer)
        if self._positions is None:
            self._positions = index_yaml_positions(_utf8(self.text) if self.byte_view else self.text)
        positions = self._positions
        current = pointer
        while True:
            found = positions.get(current)
            if found is not None:
                return found
            if not current:
                return None
            current = current[: current.rfind("/")]

    def line(self, pointer: str) -> int | None:
        found = self.position(pointer)
        return found[0] if found else None


def index_yaml_positions(text: str) -> dict[str, Position]:
    """Every node's position in a YAML text (JSON texts use :class:`JsonLocator`)."""
    try:
        return _index_yaml(text)
    except yaml.YAMLError:
        return {}


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, at: int) -> int:
    """The offset of the first non-blank character from ``at``."""
    found = _WHITESPACE.match(text, at)
    return found.end() if found else at


_BLOCK: Final = 1 << 12
_EAGER_DEPTH: Final = 1
"""Levels of member containers scanned with a container (see ``JsonLocator._scan``): 1 was
fastest on the corpus (2 scans every member of Kubernetes' 700 definitions in Python)."""
_NOT_CONTINUATION: Final = bytes(byte for byte in range(256) if not 0x80 <= byte <= 0xBF)


def _continuation_count(view: str, start: int, end: int) -> int:
    """UTF-8 continuation bytes in ``view[start:end]`` of a byte view (counted in C, not per match)."""
    return len(view[start:end].encode("latin-1").translate(None, _NOT_CONTINUATION))


class JsonLocator:
    """Line and column of nodes of a JSON text, found on demand.

    Each object or array on the way to a requested pointer is scanned once: its keys are read
    and its values skipped by the C JSON scanner, and the offsets of all its members are kept.
    A diff asks for a few thousand pointers of a multi-megabyte file; indexing every node of it
    in Python would cost more than the whole diff."""

    def __init__(self, text: str, *, byte_view: bool = False) -> None:
        self.text = text
        self.byte_view = byte_view
        # per block of the text: newlines before it, the offset of the last one before it (else -1)
        self._lines: tuple[array[int], array[int]] | None = None
        # pointer -> (offset of its key or, in an array or at the top, of its value; of its value)
        self._members: dict[str, tuple[int, int]] = {"": (_skip(text, 0),) * 2}
        self._scanned: set[str] = set()
        self._blocks: array[int] | None = None

    def position(self, pointer: str) -> Position | None:
        tokens = jsonptr.split(pointer) if pointer else []
        current = ""
        for token in tokens:
            child = current + "/" + jsonptr.escape(token)
            if child not in self._members:
                if current in self._scanned:
                    break
                self._scan(current)
                if child not in self._members:
                    break
            current = child
        return self._line_column(self._members[current][0])

    def _line_column(self, offset: int) -> Position:
        line, start = self._line_start(offset)
        if self.byte_view:  # count characters, not bytes: every byte but UTF-8's continuation bytes
            return line + 1, offset - start - (self._continuations(offset) - self._continuations(start)) + 1
        return line + 1, offset - start + 1

    def _line_start(self, offset: int) -> tuple[int, int]:
        """The 0-based line of ``offset`` and the offset its line starts at: newlines are counted
        once per block of the text (by C string methods), then within one block."""
        text = self.text
        if self._lines is None:
            counts, lasts = array("q", [0]), array("q", [-1])
            for block in range(0, len(text), _BLOCK):
                counts.append(counts[-1] + text.count("\n", block, block + _BLOCK))
                last = text.rfind("\n", block, block + _BLOCK)
                lasts.append(last if last >= 0 else lasts[-1])
            self._lines = counts, lasts
        counts, lasts = self._lines
        block = offset // _BLOCK
        line = counts[block] + text.count("\n", block * _BLOCK, offset)
        last = text.rfind("\n", block * _BLOCK, offset)
        return line, (last if last >= 0 else lasts[block]) + 1

    def _continuations(self, offset: int) -> int:
        """UTF-8 continuation bytes before ``offset`` of a byte view: counted once per block of the
        text, then within one block, so a minified one-line file costs no more per position."""
        if self._blocks is None:
            counts = array("q", [0])
            for block in range(0, len(self.text), _BLOCK):
                counts.append(counts[-1] + _continuation_count(self.text, block, block + _BLOCK))
            self._blocks = counts
        block = offset // _BLOCK
        return self._blocks[block] + _continuation_count(self.text, block * _BLOCK, offset)

    def _scan(self, pointer: str, at: int | None = None, depth: int = 0) -> int | None:
        """Keep the offsets of the members of the container at ``pointer`` (its value at ``at``).

        The containers among its members are scanned with it, strictly, instead of being skipped
        by the decoder: the levels of a document are then decoded half as often (a lookup below
        ``/components/schemas`` no longer decodes them again at ``/components``). Returns the offset after the container, ``None`` if it is not JSON
        (a nested one then stops its parent where decoding it would have stopped it)."""
        self._scanned.add(pointer)
        text = self.text
        if at is None:
            at = self._members[pointer][1]
        if at >= len(text) or text[at] not in "{[":
            return None
        strict = depth > 0
        is_object = text[at] == "{"
        close = "}" if is_object else "]"
        index = 0
        at = _skip(text, at + 1)
        try:
            while at < len(text) and text[at] != close:
                key_at = at
                if is_object:
                    if strict and text[at] != '"':
                        return None
                    key, end = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
                    if self.byte_view and not key.isascii():
                        key = json.loads(_utf8(text[at:end]))
                    at = end
                    at = _skip(text, at)
                    if strict and text[at] != ":":
                        return None
                    at = _skip(text, at + 1)  # the colon
                    token = jsonptr.escape(key)
                else:
                    token = str(index)
                    index += 1
                value_at = at
                child = pointer + "/" + token
                if depth < _EAGER_DEPTH and text[at] in "{[":
                    found = self._scan(child, at, depth + 1)
                    if found is None:
                        return None
                    at = found
                else:
                    _, at = _DECODER.raw_decode(text, at)
                self._members[child] = (key_at, value_at)
                at = _skip(text, at)
                if at < len(text) and text[at] == ",":
                    at = _skip(text, at + 1)
                    if strict and at < len(text) and text[at] == close:
                        return None
                elif strict and at < len(text) and text[at] != close:
                    return None
        except (ValueError, IndexError):
            return None  # not JSON after all (the data came from a YAML parser): ancestors only
        return at + 1 if at < len(text) else None


def _utf8(view: str, errors: str = "strict") -> str:
    """The real text of part of a byte view (see ``Document.byte_view``)."""
    return view.encode("latin-1").decode("utf-8", errors)


def _index_yaml(text: str) -> dict[str, Position]:
    parser = yaml_event_parser(text)
    positions: dict[str, Position] = {}
    stack: list[list[Any]] = []  # [pointer, is_map, index_or_key_state, pending_key]
    while True:
        event = parser.get_event()
        if event is None:
            break
        kind = type(event)
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            stack.pop()
            continue
        if kind not in (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
            continue
        mark = event.start_mark
        here = (mark.line + 1, mark.column + 1)
        if not stack:
            pointer = ""
            positions[""] = here
        else:
            frame = stack[-1]
            if frame[1]:
                if frame[3] is None:
                    key = event.value if kind is yaml.ScalarEvent else "?"
                    frame[3] = key
                    positions[frame[0] + "/" + jsonptr.escape(key)] = here
                    continue
                pointer = frame[0] + "/" + jsonptr.escape(frame[3])
                frame[3] = None
            else:
                pointer = frame[0] + "/" + str(frame[2])
                frame[2] += 1
                positions[pointer] = here
        if kind is yaml.MappingStartEvent:
            stack.append([pointer, True, 0, None])
        elif kind is yaml.SequenceStartEvent:
            stack.append([pointer, False, 0, None])
    return positions
