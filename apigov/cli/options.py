"""Options shared by several commands, and the settings the group passes down."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from apigov.core.atomic import OUTPUT_HELP

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(slots=True)
class Settings:
    """What the ``apigov`` group knows before a command runs."""

    config_path: Path | None
    color: str
    debug: bool

    def use_color(self, stream: TextIO) -> bool:
        if self.color == "always":
            return True
        if self.color == "never" or os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        return stream.isatty()


def settings() -> Settings:
    ctx = click.get_current_context()
    found = ctx.find_object(Settings)
    if found is None:  # a command invoked on its own (tests)
        return Settings(config_path=None, color="auto", debug=False)
    return found


def format_option(
    choices: Sequence[str], default: str = "text", help_text: str = "Output format."
) -> Callable[[F], F]:
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(choices, case_sensitive=False),
        default=default,
        show_default=True,
        help=help_text,
    )


def output_option() -> Callable[[F], F]:
    return click.option(
        "--output",
        "-o",
        "output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the report to this file instead of standard output. " + OUTPUT_HELP,
    )


MODES = (
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
    "NONE",
)


class _ModeChoice(click.Choice[str]):
    """A mode name in any case, with ``-`` or ``_`` (``backward-transitive``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str):
            value = value.replace("-", "_")
        return str(super().convert(value, param, ctx))


def mode_option() -> Callable[[F], F]:
    """``--mode``: the schema-registry compatibility mode (case-insensitive), as a subject's mode means it."""
    return click.option(
        "--mode",
        "mode",
        type=_ModeChoice(MODES, case_sensitive=False),
        default=None,
        help="Compatibility mode, as a registry subject's: BACKWARD (the default: readers on the new "
        "version read old data; for OpenAPI, clients of BASE keep working with REVISION), FORWARD "
        "(readers on the old version read new data; for OpenAPI, rolling back from REVISION to BASE "
        "breaks no client: the changes from REVISION back to BASE), FULL (both), NONE (no gate: "
        "every change is info), and the _TRANSITIVE forms (event schemas: against every earlier "
        "version). AsyncAPI without --mode: per message, from its operations' actions.",
    )


def ref_options(func: F) -> F:
    func = click.option(
        "--allow-ref-outside",
        is_flag=True,
        help="Follow $ref to files outside the project root (the directory of apigov.yaml, else the git "
        "work tree, else the spec's directory).",
    )(func)
    return click.option(
        "--allow-remote-refs",
        is_flag=True,
        help="Fetch $ref that point to http(s) URLs (no network access without it).",
    )(func)


def stdout() -> TextIO:
    return sys.stdout


KIND_FAMILIES = ("jsonschema", "avro", "openapi", "asyncapi")


def kind_option() -> Callable[[F], F]:
    """``--kind``: read the contracts as this kind family instead of detecting it."""
    return click.option(
        "--kind",
        "kind",
        type=click.Choice(KIND_FAMILIES, case_sensitive=False),
        default=None,
        help="Read the contracts as this kind (default: detected from the content, else the 'kind' "
        "of apigov.yaml; a JSON Schema is then any object or boolean, even {} or true).",
    )
