"""``apigov init``: set a project up (apigov.yaml, a registry directory, a GitHub workflow)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apigov.core.errors import InputError


@click.command("init", short_help="Set a project up: apigov.yaml, a registry directory, a GitHub workflow.")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Write without asking (needed when not on a terminal).")
@click.option("--dry-run", is_flag=True, help="Show what would be written, and write nothing.")
@click.option(
    "--registry",
    "registry",
    default="contracts",
    show_default=True,
    metavar="DIR",
    help="The registry directory to name in apigov.yaml (made if missing), relative to DIRECTORY.",
)
@click.option("--no-workflow", is_flag=True, help="Do not write .github/workflows/apigov.yml.")
@click.option(
    "--action",
    default=None,
    metavar="OWNER/REPO@REF",
    help="The apigov action the workflow uses (default: apigov/apigov at a placeholder commit id "
    "to replace with the apigov commit you use).",
)
def init_command(
    directory: Path, yes: bool, dry_run: bool, registry: str, no_workflow: bool, action: str | None
) -> int:
    """Set up apigov in DIRECTORY (default: here): write apigov.yaml, a registry directory and a
    GitHub workflow that runs apigov's action on every pull request.

    The project is searched for OpenAPI, Swagger, AsyncAPI, JSON Schema and Avro files (hidden
    directories, node_modules, virtual environments, build output and registries are skipped;
    the search stops after 100,000 directory entries, 2,000 YAML and JSON files or 256 MiB read,
    and says so);
    apigov.yaml lists them, each with a subject name for the registry. Existing files are never
    overwritten: if any target exists, nothing is written (exit 2). On a terminal apigov init asks
    before writing; elsewhere pass --yes.
    """
    from apigov.registry.scaffold import DEFAULT_ACTION, WORKFLOW_PATH, plan, scan, write

    if not (yes or dry_run or sys.stdin.isatty()):
        raise InputError(
            "apigov init asks before writing, and there is no terminal to ask on",
            hint="pass --yes to write, or --dry-run to see what it would write",
        )
    found = scan(directory)
    scaffold = plan(found, registry=registry, workflow=not no_workflow, action=action or DEFAULT_ACTION)
    if scaffold.existing and not dry_run:
        write(scaffold)  # refuses, naming the first existing file
    echo = click.echo
    noun = "contract" if len(found.found) == 1 else "contracts"
    echo(
        f"{len(found.found)} {noun} found in {directory} ({found.entries} directory entries looked at, "
        f"{found.parsed} YAML and JSON files read)"
    )
    width = max((len(c.path) for c in found.found), default=0)
    for contract in found.found:
        echo(f"  {contract.kind.value:<20} {contract.path:<{width}}  subject {contract.subject}")
    if found.truncated:
        echo(
            f"  note: the search stopped after {found.limit}; contracts beyond are not listed "
            "(add them to apigov.yaml, or run apigov init on a smaller directory)"
        )
    for skipped in found.skipped:
        echo(f"  note: left out {skipped}: its name cannot go into apigov.yaml as a plain path")
    if not found.found:
        echo("  (list your contracts under 'contracts:' in apigov.yaml)")
    echo("files to write:" if not dry_run else "files it would write:")
    for relative, _ in scaffold.files:
        what = ""
        if relative == "apigov.yaml":
            what = "the project configuration"
        elif relative == WORKFLOW_PATH:
            what = "the pull-request gate"
            if (action or DEFAULT_ACTION) == DEFAULT_ACTION:
                what += "; put the apigov commit you use in its 'uses:' line"
        else:
            what = f"the registry ('apigov publish' stores versions in {scaffold.registry}/)"
        echo(f"  {relative}  ({what})")
    if scaffold.registry not in scaffold.directories:
        echo(f"  ({scaffold.registry}/ exists and is kept as the registry)")
    if dry_run:
        for name in scaffold.existing:
            echo(f"  note: {name} already exists: apigov init would write nothing")
        return 0
    if not yes and not click.confirm("Write these files?", default=False, err=True):
        click.echo("nothing written", err=True)
        return 0
    write(scaffold)
    echo(f"wrote {', '.join(relative for relative, _ in scaffold.files)}")
    echo("next: 'apigov check' checks the contracts listed; commit the new files")
    return 0
