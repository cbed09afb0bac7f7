"""``apigov publish``: add a version of a contract to the registry, under its mode and semver policy."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apigov.cli.commands.registry import format_option, registry_option
from apigov.cli.config_loading import project_config
from apigov.cli.options import kind_option, ref_options

BUMPS = ("auto", "major", "minor", "patch")


def _labels(values: tuple[str, ...]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--label")
        labels[key.strip()] = text
    return labels


@click.command("publish")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--subject", "-s", required=True, help="The subject to publish to (lower-case letters, digits, - . _)."
)
@click.option("--version", "version", default=None, metavar="X.Y.Z", help="Publish exactly this version.")
@click.option(
    "--bump",
    type=click.Choice(BUMPS, case_sensitive=False),
    default="auto",
    show_default=True,
    help="Without --version: the part to bump; auto picks the smallest bump the changes allow.",
)
@click.option("--dry-run", is_flag=True, help="Judge and report, but store nothing.")
@click.option(
    "--mode",
    default=None,
    metavar="MODE",
    help="Compatibility mode of a subject this publish creates: BACKWARD (default), FORWARD, FULL, "
    "their _TRANSITIVE forms, or NONE.",
)
@kind_option()
@click.option("--label", "labels", multiple=True, metavar="KEY=VALUE", help="Record a label (repeatable).")
@click.option(
    "--publisher", default=None, help="Who publishes (default: APIGOV_PUBLISHER, git user.email, login)."
)
@registry_option
@format_option
@click.option(
    "--consumers",
    "consumers",
    is_flag=True,
    help="After judging, name on stderr the registered consumers whose pacts use each breaking "
    "change against the latest version (as 'apigov diff --consumers').",
)
@click.option("--provider", default=None, help="With --consumers: only the pacts with this provider.")
@ref_options
def publish_command(
    file: Path,
    subject: str,
    version: str | None,
    bump: str,
    dry_run: bool,
    mode: str | None,
    kind: str | None,
    labels: tuple[str, ...],
    publisher: str | None,
    registry: str | None,
    output_format: str,
    consumers: bool,
    provider: str | None,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
) -> int:
    """Publish FILE as a new version of a registry subject.

    FILE is bundled (external $ref internalised), so every version is self-contained. It is
    compared with the versions the subject's mode names (OpenAPI: the breaking-change rules of
    'apigov diff'; JSON Schema and Avro: schema compatibility) and refused, exit 1 with the
    changes, when it breaks the mode; a change apigov cannot decide counts as breaking unless the
    subject's undecided level is warning ('apigov registry set-undecided'). Semver: a breaking
    change needs a major bump, an addition a minor one. FILE must be valid as 'apigov check' validates it (lint findings do not block);
    an earlier version that is not (stored by an older apigov) is left out of the judgement with
    a warning. Publishing the same content again is a no-op (the same data: key order, YAML or
    JSON and number spelling do not count, strings are compared exactly); other content under an
    existing version is refused. The output names the registry; a registry directory that --registry,
    APIGOV_REGISTRY or apigov.yaml names is created, an unnamed ./contracts never is.
    """
    if version is not None and bump.lower() != "auto":
        raise click.UsageError("give --version or --bump, not both")
    from apigov.registry.base import parse_mode
    from apigov.registry.location import open_backend, publish_location
    from apigov.registry.present import render_outcome
    from apigov.registry.publish import PublishRequest, publish

    config = project_config()
    request = PublishRequest(
        file=file,
        subject=subject,
        version=version,
        bump=bump.lower(),
        dry_run=dry_run,
        mode=parse_mode(mode) if mode else None,
        labels=_labels(labels),
        publisher=publisher,
        allow_remote_refs=allow_remote_refs,
        allow_ref_outside=allow_ref_outside,
        kind=kind.lower() if kind else None,
    )
    backend = open_backend(publish_location(registry, config))
    outcome = publish(backend, request, config)
    for warning in outcome.warnings:
        click.echo(f"apigov: warning: {warning}", err=True)
    render_outcome(outcome, output_format.lower(), sys.stdout, registry=backend.location)
    if consumers and outcome.previous is not None:
        from apigov.cli.commands.pact import consumers_of_publish

        consumers_of_publish(f"{subject}@{outcome.previous}", file, registry, provider)
    return 1 if outcome.refused else 0
