"""A counter-example cut to a width around the place that breaks, for human-readable formats.

A counter-example is the compact JSON text of a diff finding's ``counter_example`` detail, and
the finding's ``instance_path`` (a JSON pointer into it) names the value the two contracts
disagree on. Cutting the text at its end would often cut exactly that value (keys are sorted, so
``warehouseId`` comes last). :func:`excerpt` keeps instead the path to that value and the value
itself, writes every container on the way with ``…`` for the members it leaves out, and fills
what room is left with the members nearest to the path, innermost first::

    {…, "items": [{…, "sku": "TSHIRT-BLK-M", "warehouseId": 3}], …}

When the path ends at a member the example does not have (a required property removed from a
response: the example is a response without it), the members around the place it would take
are shown. Without a path the members are kept from the start. Nothing here escapes text: the
formatter that writes the excerpt does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue

ELLIPSIS: Final = "…"
#: A member beside the path longer than this is shown shortened (``"cus_01JC…"``, ``{…}``).
_SIBLING_WIDTH: Final = 28
#: The shortest a value at the end of the path is cut to when the path alone fills the width.
_LEAF_MINIMUM: Final = 16


def _compact(value: JSONValue) -> str:
    """The JSON text a counter-example detail holds (sorted keys, ``", "`` and ``": "``)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when it was cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def _brief(value: JSONValue, width: int = _SIBLING_WIDTH) -> str:
    """A member beside the path: whole when short, else its start (a string) or ``{…}`` / ``[…]``."""
    text = _compact(value)
    if len(text) <= width:
        return text
    if isinstance(value, str):
        return cut(text[:-1], width - 1) + '"'
    if isinstance(value, dict):
        return "{" + ELLIPSIS + "}"
    if isinstance(value, list):
        return "[" + ELLIPSIS + "]"
    return cut(text, width)


@dataclass(slots=True)
class _Frame:
    """One container on the path: its members, the one the path goes through (``focus``; for a
    member the container lacks, the position it would take) and the others shown so far."""

    container: dict[str, JSONValue] | list[JSONValue]
    focus: int
    present: bool
    #: the members shown beside the path, as they are written (whole, or shortened)
    shown: dict[int, str] = field(default_factory=dict)
    keys: list[str] | None = field(init=False)
    values: list[JSONValue] = field(init=False)

    def __post_init__(self) -> None:
        if isinstance(self.container, dict):
            self.keys, self.values = list(self.container), list(self.container.values())
        else:
            self.keys, self.values = None, self.container

    def candidates(self) -> Iterator[int]:
        """Members not on the path, nearest to it first (the one before, then the one after)."""
        before = self.focus - 1
        after = self.focus + 1 if self.present else self.focus
        while before >= 0 or after < len(self.values):
            if before >= 0:
                yield before
                before -= 1
            if after < len(self.values):
                yield after
                after += 1

    def member(self, index: int, inner: str) -> str:
        return inner if self.keys is None else f"{_compact(self.keys[index])}: {inner}"

    def render(self, inner: str | None) -> str:
        """The container with the path's member written as ``inner`` and runs of hidden members as ``…``."""
        visible = dict(self.shown)
        if self.present:
            visible[self.focus] = inner or ""
        parts: list[str] = []
        last = -1
        for index in sorted(visible):
            if index > last + 1:
                parts.append(ELLIPSIS)
            parts.append(self.member(index, visible[index]))
            last = index
        if last < len(self.values) - 1:
            parts.append(ELLIPSIS)
        opening, closing = ("[", "]") if self.keys is None else ("{", "}")
        return opening + ", ".join(parts) + closing


def _frames(value: JSONValue, tokens: list[str]) -> tuple[list[_Frame], JSONValue | None, bool]:
    """The containers along ``tokens``, the value the path ends at, and whether it reaches one."""
    frames: list[_Frame] = []
    here = value
    for token in tokens:
        if isinstance(here, dict):
            keys = list(here)
            if token in here:
                frames.append(_Frame(here, keys.index(token), present=True))
                here = here[token]
                continue
            position = sum(1 for key in keys if key < token)
            frames.append(_Frame(here, position, present=False))
            return frames, None, False
        if isinstance(here, list):
            if token.isdigit() and int(token) < len(here):
                frames.append(_Frame(here, int(token), present=True))
                here = here[int(token)]
                continue
            frames.append(_Frame(here, len(here), present=False))
            return frames, None, False
        break  # the path goes on inside a scalar: the scalar is what differs
    return frames, here, True


def _render(frames: list[_Frame], leaf: str | None) -> str:
    text = leaf
    for frame in reversed(frames):
        text = frame.render(text)
    return text or ""


def _fill(frames: list[_Frame], leaf: str | None, width: int) -> str:
    """Members beside the path added, innermost container first, nearest first, each whole when
    it fits and shortened (to the room left, else to a few characters) when only that fits,
    until one does not fit at all."""
    for frame in reversed(frames):
        for index in frame.candidates():
            value = frame.values[index]
            frame.shown[index] = ""
            spare = width - len(_render(frames, leaf))
            shortened = _leaf(value, spare) if spare > _SIBLING_WIDTH else _brief(value)
            for text in dict.fromkeys((_compact(value), shortened, _brief(value))):
                frame.shown[index] = text
                if len(_render(frames, leaf)) <= width:
                    break
                del frame.shown[index]
            if index not in frame.shown:
                break
    return _render(frames, leaf)


def _leaf(value: JSONValue, room: int) -> str:
    """The value at the end of the path, cut to ``room`` (its start kept) when it is longer."""
    text = _compact(value)
    if len(text) <= room:
        return text
    if isinstance(value, (dict, list)):  # its first members that fit
        return _fill([_Frame(value, 0, present=False)], None, room)
    if isinstance(value, str):
        return cut(text[:-1], room - 1) + '"'
    return text


def excerpt(text: str, instance_path: str | None = None, width: int = 120) -> str:
    """The counter-example ``text`` in at most ``width`` characters where it can be, keeping the
    value at ``instance_path`` and the path to it (even when they alone are longer)."""
    if len(text) <= width:
        return text
    try:
        value: JSONValue = json.loads(text)
        tokens = jsonptr.split(instance_path or "")
    except (ValueError, RecursionError):
        return cut(text, width)
    frames, end, reached = _frames(value, tokens)
    if not frames:  # no path into a container: the value itself, from its start
        return _leaf(value, width)
    if not reached:
        return _fill(frames, None, width)
    skeleton = len(_render(frames, ""))
    leaf = _leaf(end, max(width - skeleton, _LEAF_MINIMUM))
    return _fill(frames, leaf, width)
