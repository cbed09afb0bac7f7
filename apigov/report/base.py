"""The formatter protocol and the options every formatter receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from apigov.core.findings import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """``color``: use ANSI colours (the CLI decides: TTY, ``NO_COLOR``, ``--color``).

    ``fail_on``: the ``--fail-on`` threshold the command gates on (``None``: not known), so a
    summary can say why the gate failed when no finding's level says it.
    """

    color: bool = False
    fail_on: str | None = None


class Formatter(Protocol):
    """Renders a report. ``description`` is shown in ``--help``."""

    @property
    def description(self) -> str: ...

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None: ...
