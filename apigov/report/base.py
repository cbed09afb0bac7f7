"""The formatter protocol and the options every formatter receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from apigov.core.findings import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """``color``: use ANSI colours (the CLI decides: TTY, ``NO_COLOR``, ``--color``)."""

    color: bool = False


class Formatter(Protocol):
    """Renders a report. ``description`` is shown in ``--help``."""

    @property
    def description(self) -> str: ...

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None: ...
