"""``apigov registry``: list, inspect, compare and manage the subjects of a contract registry."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from apigov.cli.config_loading import project_config
from apigov.core.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

REGISTRY_HELP = (
    "The registry: a directory or a URL (default: APIGOV_REGISTRY, else 'registry:' in apigov.yaml, "
    "else ./contracts)."
)


def registry_option(func: F) -> F:
    return click.option("--registry", "-r", "registry", default=None, metavar="LOCATION", help=REGISTRY_HELP)(
        func
    )


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(["text", "json"], case_sensitive=False),
        default="text",
        show_default=True,
        help="Output format.",
    )(func)


def changelog_format_option(func: F) -> F:
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(["text", "json", "markdown"], case_sensitive=False),
        default="text",
        show_default=True,
        help="Output format (markdown: for release notes, spec text escaped).",
    )(func)


def location(registry: str | None) -> str:
    from apigov.registry.location import registry_location

    return registry_location(registry, project_config())


def _existing(location: str) -> str:
    """``location``, refused when it names a directory that does not exist (a typo, not an empty registry)."""
    if "://" not in location and not Path(location).is_dir():
        raise InputError(f"no registry at {location}", hint="name an existing registry directory or a URL")
    return location


@click.group("registry")
def registry_group() -> None:
    """Inspect and manage the contract registry.

    A registry holds subjects (one contract each, e.g. orders-api) with immutable semver versions,
    a compatibility mode per subject (BACKWARD, FORWARD, FULL, their _TRANSITIVE forms, NONE), how
    a change apigov cannot decide counts (breaking unless set to warning) and the changes each
    version brought. 'apigov publish' adds versions.
    """


@registry_group.command("list")
@registry_option
@format_option
def list_command(registry: str | None, output_format: str) -> int:
    """List the subjects: kind, mode, undecided level, latest version, number of versions."""
    from apigov.registry.commands import list_subjects
    from apigov.registry.present import render_listing

    render_listing(list_subjects(location(registry)), output_format.lower(), sys.stdout)
    return 0


@registry_group.command("versions")
@click.argument("subject")
@registry_option
@format_option
def versions_command(subject: str, registry: str | None, output_format: str) -> int:
    """List the versions of SUBJECT with when, who, git commit, digest and deprecation."""
    from apigov.registry.commands import versions
    from apigov.registry.present import render_versions

    render_versions(versions(location(registry), subject), output_format.lower(), sys.stdout)
    return 0


@registry_group.command("show")
@click.argument("ref", metavar="SUBJECT@VERSION")
@click.option(
    "--fuzz-runs",
    is_flag=True,
    help="Print the version's recorded fuzz runs (apigov fuzz --record), newest first.",
)
@registry_option
@format_option
def show_command(ref: str, fuzz_runs: bool, registry: str | None, output_format: str) -> int:
    """Print a version's contract (SUBJECT@1.2.0, SUBJECT@latest); with --format json also its metadata."""
    if fuzz_runs:
        from apigov.fuzz.show import render_runs, runs_of

        subject, version, runs = runs_of(location(registry), ref)
        render_runs(subject, version, runs, output_format.lower(), sys.stdout)
        return 0
    from apigov.registry.commands import show
    from apigov.registry.present import render_show

    render_show(show(location(registry), ref), output_format.lower(), sys.stdout)
    return 0


@registry_group.command("diff")
@click.argument("base", metavar="SUBJECT@A")
@click.argument("revision", metavar="SUBJECT@B")
@registry_option
@format_option
def diff_command(base: str, revision: str, registry: str | None, output_format: str) -> int:
    """Report what changed from one registered version to another. Exit 1 on a breaking change."""
    from apigov.cli.render import emit
    from apigov.registry.commands import registry_diff

    report = registry_diff(location(registry), base, revision, project_config())
    emit(report, output_format.lower(), None)
    return 1 if report.fails("breaking") else 0


@registry_group.command("changelog")
@click.argument("subject")
@registry_option
@changelog_format_option
def changelog_command(subject: str, registry: str | None, output_format: str) -> int:
    """Print the changelog of SUBJECT, newest version first, from what each publish recorded:
    for each version its bump, date, publisher and git commit, then its changes."""
    from apigov.registry.commands import changelog
    from apigov.registry.present import render_changelog

    render_changelog(changelog(location(registry), subject), output_format.lower(), sys.stdout)
    return 0


@registry_group.command("set-mode")
@click.argument("subject")
@click.argument("mode")
@registry_option
@format_option
def set_mode_command(subject: str, mode: str, registry: str | None, output_format: str) -> int:
    """Set the compatibility mode of SUBJECT: BACKWARD, FORWARD, FULL, their _TRANSITIVE forms, or NONE."""
    from apigov.registry.commands import set_mode
    from apigov.registry.present import render_subject

    info = set_mode(location(registry), subject, mode)
    render_subject(info, output_format.lower(), sys.stdout, message=f"{info.name}: mode {info.mode.value}")
    return 0


@registry_group.command("set-undecided")
@click.argument("subject")
@click.argument("level", metavar="LEVEL", type=click.Choice(["warning", "breaking"], case_sensitive=False))
@registry_option
@format_option
def set_undecided_command(subject: str, level: str, registry: str | None, output_format: str) -> int:
    """Set how publishes of SUBJECT count a change apigov cannot decide: breaking (refused, the
    default of every subject) or warning (accepted, and reported as undecided with the reason)."""
    from apigov.registry.commands import set_undecided
    from apigov.registry.present import render_subject

    info = set_undecided(location(registry), subject, level)
    message = f"{info.name}: undecided changes count as {info.undecided.value}"
    render_subject(info, output_format.lower(), sys.stdout, message=message)
    return 0


@registry_group.command("deprecate")
@click.argument("ref", metavar="SUBJECT@VERSION")
@click.option("--reason", default="", help="Why, and what to use instead (shown with the version).")
@click.option("--undo", is_flag=True, help="Remove the deprecation mark.")
@registry_option
@format_option
def deprecate_command(ref: str, reason: str, undo: bool, registry: str | None, output_format: str) -> int:
    """Mark a version deprecated (its content stays, and stays readable)."""
    from apigov.registry.commands import deprecate
    from apigov.registry.present import render_subject

    info, version = deprecate(location(registry), ref, reason=reason, undo=undo)
    what = "no longer deprecated" if undo else "deprecated"
    render_subject(info, output_format.lower(), sys.stdout, message=f"{info.name}@{version}: {what}")
    return 0


@registry_group.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("target", metavar="DST")
@format_option
def copy_command(source: str, target: str, output_format: str) -> int:
    """Copy registry SRC into DST (directories or postgresql:// URLs): subjects, modes,
    undecided levels, deprecations, every version with its digest and metadata, and the
    Confluent API's schema ids, unchanged. Copying again skips what is there; other content under a version or id is
    refused."""
    import json

    from apigov.registry.location import open_backend
    from apigov.registry.transfer import copy_registry

    done = copy_registry(open_backend(_existing(source)), open_backend(target))
    if output_format.lower() == "json":
        click.echo(
            json.dumps(
                {
                    "subjects": done.subjects,
                    "versions_copied": done.versions_copied,
                    "versions_present": done.versions_present,
                    "ids_copied": done.ids_copied,
                }
            )
        )
    else:
        click.echo(
            f"copied {done.versions_copied} versions of {done.subjects} subjects "
            f"({done.versions_present} already there) and {done.ids_copied} schema ids"
        )
    return 0


@registry_group.command("verify")
@registry_option
@format_option
def verify_command(registry: str | None, output_format: str) -> int:
    """Check the registry's integrity: contents against digests, and the Confluent API's schema
    ids (an id naming no version, two ids for one schema, a damaged id file such as two git
    branches that gave one id to different schemas). Exit 1 when a problem is found."""
    import json

    from apigov.registry.location import open_backend
    from apigov.registry.transfer import verify_registry

    found = verify_registry(open_backend(_existing(location(registry))))
    if output_format.lower() == "json":
        click.echo(
            json.dumps(
                {
                    "location": found.location,
                    "subjects": found.subjects,
                    "versions": found.versions,
                    "ids": found.ids,
                    "problems": found.problems,
                }
            )
        )
    else:
        for problem in found.problems:
            click.echo(f"problem: {problem}")
        click.echo(
            f"{found.location}: {found.subjects} subjects, {found.versions} versions, {found.ids} schema ids, "
            f"{len(found.problems)} problem{'s' if len(found.problems) != 1 else ''}"
        )
    return 0 if found.ok else 1
