"""``apigov check``: validate and lint contracts."""

from __future__ import annotations

from pathlib import Path

import click

from apigov import __version__
from apigov.cli.config_loading import project_config
from apigov.cli.options import format_option, kind_option, output_option, ref_options
from apigov.cli.render import emit
from apigov.core.errors import InputError
from apigov.core.findings import FAIL_ON
from apigov.report.formatters import FORMATTERS


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(list(FORMATTERS))
@output_option()
@click.option(
    "--fail-on",
    type=click.Choice([k for k in FAIL_ON if k != "breaking"], case_sensitive=False),
    default=None,
    help="Exit 1 when a finding is at or above this level (default: lint.fail-on in apigov.yaml, else error).",
)
@ref_options
@kind_option()
@click.option(
    "--changed-since",
    "changed_since",
    metavar="REV",
    default=None,
    help="Report only findings not already present in the same files at git revision REV "
    "(forwards-only governance; the count left out goes to stderr).",
)
@click.option(
    "--max-seconds",
    "max_seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="A time budget for the check: over it, stop with an input error (exit 2, 'budget exceeded').",
)
def check_command(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
    kind: str | None,
    changed_since: str | None,
    max_seconds: float | None,
) -> int:
    """Validate contracts against their specification and lint them.

    PATHS are files or directories (searched for .yaml, .yml, .json and .avsc contracts); with
    none, the contracts listed in apigov.yaml. Exit 1 when a finding reaches --fail-on. Of
    several files, one that cannot be read is reported (document-unreadable) with the others,
    and the command then exits 2.
    """
    from apigov.lint.check import UNREADABLE, CheckOptions, check_paths, unreadable_count

    config = project_config()
    threshold = (fail_on or config.fail_on).lower()
    options = CheckOptions(
        allow_remote_refs=allow_remote_refs,
        allow_ref_outside=allow_ref_outside,
        max_seconds=max_seconds,
        kind=kind.lower() if kind else None,
    )
    if changed_since is None:
        report = check_paths(list(paths), config, options, version=__version__)
        emit(report, output_format, output, fail_on=threshold)
    else:
        from apigov.lint.changed import check_changed_since

        changed = check_changed_since(list(paths), config, changed_since, options, version=__version__)
        report = changed.report
        emit(report, output_format, output, fail_on=threshold)
        if changed.preexisting:
            noun = "finding" if changed.preexisting == 1 else "findings"
            click.echo(f"{changed.preexisting} {noun} already present at {changed_since} not shown", err=True)
    unreadable = unreadable_count(report)
    if unreadable:
        noun = "file" if unreadable == 1 else "files"
        raise InputError(f"{unreadable} {noun} could not be read ({UNREADABLE} in the report)")
    return 1 if report.fails(threshold) else 0
