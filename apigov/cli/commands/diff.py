"""``apigov diff`` and ``apigov changelog``: what changed between two contracts, and what it breaks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apigov.cli.commands.registry import registry_option
from apigov.cli.config_loading import project_config
from apigov.cli.diffing import diff_report
from apigov.cli.options import format_option, kind_option, mode_option, output_option, ref_options
from apigov.cli.render import emit
from apigov.core.atomic import atomic_text_writer
from apigov.core.findings import FAIL_ON
from apigov.report.formatters import FORMATTERS

if TYPE_CHECKING:
    pass

CHANGELOG_CHOICES = ("markdown", "html")


def _keep_inputs(output: Path | None, ignore: Path | None) -> None:
    """``--output`` must not replace the ignore file (given, or ``diff.ignore`` of apigov.yaml)."""
    if output is None:
        return
    from apigov.cli.render import refuse_overwriting

    refuse_overwriting(output, [p for p in (ignore, project_config().diff_ignore) if p is not None])


_ignore_option = click.option(
    "--ignore",
    "ignore",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="An ignore file accepting specific changes (rule id + operation or pointer + reason [+ expires: "
    "the last day it applies]).",
)
_strict_option = click.option(
    "--strict-open-model/--lenient-open-model",
    "strict_open_model",
    default=None,
    help="Judge a property added under an open content model by what old clients may have sent or "
    "received there (default: lenient, or diff.strict-open-model in apigov.yaml).",
)


@click.command("diff")
@click.argument("base")
@click.argument("revision")
@click.argument("more", nargs=-1)
@format_option(list(FORMATTERS))
@output_option()
@click.option(
    "--fail-on",
    type=click.Choice([k for k in FAIL_ON if k != "error"], case_sensitive=False),
    default=None,
    help="Exit 1 when a change is at or above this level (default: diff.fail-on in apigov.yaml, else breaking).",
)
@mode_option()
@kind_option()
@_ignore_option
@_strict_option
@click.option(
    "--undecided",
    type=click.Choice(["warning", "breaking"], case_sensitive=False),
    default=None,
    help="The level of a change apigov cannot decide (default: diff.undecided in apigov.yaml, else "
    "warning; a registry publish judges it breaking).",
)
@click.option(
    "--tier",
    type=click.Choice(["wire", "sdk"], case_sensitive=False),
    default=None,
    help="Whom to protect: clients of the wire format (wire), or also code using generated clients "
    "(sdk: a renamed operationId, component schema, path parameter or enum spelling breaks too; "
    "default: diff.tier in apigov.yaml, else wire).",
)
@registry_option
@click.option(
    "--consumers",
    "consumers",
    is_flag=True,
    help="Name, on each breaking change, the registered consumers whose pacts use what changed and "
    "where those versions are deployed (needs a registry; JSON gains 'consumers' per change).",
)
@click.option(
    "--provider", default=None, help="With --consumers: only the pacts with this provider (pacticipant name)."
)
@ref_options
def diff_command(
    base: str,
    revision: str,
    more: tuple[str, ...],
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    ignore: Path | None,
    strict_open_model: bool | None,
    mode: str | None,
    kind: str | None,
    undecided: str | None,
    tier: str | None,
    registry: str | None,
    consumers: bool,
    provider: str | None,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
) -> int:
    """Report what changed from BASE to REVISION and what it breaks for clients.

    BASE and REVISION are OpenAPI 3.x or Swagger 2.0 files, AsyncAPI 2.6 / 3.0 documents, JSON
    Schemas or Avro schemas (.avsc), git refs (git:REV:path, the path relative to the repository
    root) or registry refs (SUBJECT@1.2.0,
    SUBJECT@latest; the registry of --registry, APIGOV_REGISTRY, apigov.yaml or ./contracts). An existing file
    always wins over a registry ref: write ./name@1.0.0.yaml to be sure. Event schemas may be given
    as more versions, oldest first (BASE REVISION MORE...): the last one is judged under --mode
    against the one before it, or against every earlier one for a _TRANSITIVE mode. OpenAPI
    documents are judged under --mode as a registry subject in that mode judges a publish. Every
    breaking schema change carries a counter-example. Exit 1 when a change reaches --fail-on.
    """
    _keep_inputs(output, ignore)
    report = diff_report(
        base,
        revision,
        ignore,
        allow_remote_refs,
        allow_ref_outside,
        strict_open_model,
        mode,
        more,
        registry,
        undecided.lower() if undecided else None,
        tier.lower() if tier else None,
        kind.lower() if kind else None,
    )
    threshold = (fail_on or project_config().diff_fail_on).lower()
    if consumers:
        from apigov.cli.commands.pact import emit_with_consumers

        report = emit_with_consumers(report, registry, provider, output_format, output, threshold)
        return 1 if report.fails(threshold) else 0
    emit(report, output_format, output, fail_on=threshold)
    return 1 if report.fails(threshold) else 0


@click.command("changelog")
@click.argument("base")
@click.argument("revision")
@format_option(CHANGELOG_CHOICES, "markdown")
@output_option()
@_ignore_option
@registry_option
@ref_options
def changelog_command(
    base: str,
    revision: str,
    output_format: str,
    output: Path | None,
    ignore: Path | None,
    registry: str | None,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
) -> int:
    """Write a human changelog from BASE to REVISION (markdown or a standalone html page).

    BASE and REVISION are files, git refs (git:REV:path, the path relative to the repository root)
    or registry refs (SUBJECT@VERSION,
    SUBJECT@latest, from the registry of --registry, APIGOV_REGISTRY, apigov.yaml or ./contracts);
    an existing file wins over a registry ref.
    """
    from apigov.report.changelog import render_changelog

    _keep_inputs(output, ignore)
    report = diff_report(
        base, revision, ignore, allow_remote_refs, allow_ref_outside, None, registry=registry
    )
    if output is None:
        render_changelog(report, sys.stdout, output_format.lower())
        return 0
    from apigov.cli.render import refuse_overwriting

    refuse_overwriting(output, [Path(d.source) for d in report.documents])
    with atomic_text_writer(output) as handle:
        render_changelog(report, handle, output_format.lower())
    return 0
