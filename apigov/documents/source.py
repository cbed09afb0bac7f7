"""A loaded document: its data, where it came from, and (lazily) the line of every node."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

import yaml

from apigov.core import jsonptr
from apigov.core._types import JSONValue

Format: TypeAlias = Literal["json", "yaml"]
Position: TypeAlias = tuple[int, int]  # 1-based line, 1-based column


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
    _positions: dict[str, Position] | None = field(default=None, repr=False)

    def position(self, pointer: str) -> Position | None:
        """Line and column of the node at ``pointer`` (of its key, inside an object).

        Falls back to the nearest ancestor the index knows. Builds the index on first use.
        """
        if not self.text:
            return None
        if self._positions is None:
            self._positions = index_positions(self.text, self.format)
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


def index_positions(text: str, fmt: Format) -> dict[str, Position]:
    if fmt == "json":
        return _index_json(text)
    try:
        return _index_yaml(text)
    except yaml.YAMLError:
        return {}


_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+')


def _index_json(text: str) -> dict[str, Position]:
    positions: dict[str, Position] = {"": (1, 1)}
    # Each frame: [pointer, is_object, next_index_or_pending_key]
    stack: list[list[Any]] = []
    pending_key: str | None = None
    line = 1
    line_start = 0
    last = 0
    expect_value_pointer = ""

    for match in _JSON_TOKEN_RE.finditer(text):
        start = match.start()
        newlines = text.count("\n", last, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", last, start) + 1
        last = start
        lexeme = match.group()
        column = start - line_start + 1
        if lexeme == ":" or lexeme == ",":
            continue
        if lexeme in "]}":
            stack.pop()
            continue
        if stack and stack[-1][1] and pending_key is None:
            # an object key
            pending_key = json.loads(lexeme) if lexeme.startswith('"') else lexeme
            expect_value_pointer = stack[-1][0] + "/" + jsonptr.escape(pending_key)
            positions[expect_value_pointer] = (line, column)
            continue
        if stack:
            frame = stack[-1]
            if frame[1]:
                pointer = expect_value_pointer
                pending_key = None
            else:
                pointer = frame[0] + "/" + str(frame[2])
                frame[2] += 1
                positions[pointer] = (line, column)
        else:
            pointer = ""
        if lexeme == "{" or lexeme == "[":
            stack.append([pointer, lexeme == "{", 0])
    return positions


def _index_yaml(text: str) -> dict[str, Position]:
    from apigov.documents.load import yaml_event_parser

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
