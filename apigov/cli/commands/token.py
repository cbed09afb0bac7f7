"""``apigov token``: bearer tokens of 'apigov serve' (create, list, revoke)."""

from __future__ import annotations

import json

import click

from apigov.cli.commands.registry import format_option, location, registry_option


@click.group("token")
def token_group() -> None:
    """Manage the bearer tokens of 'apigov serve'.

    Scopes: read (list and fetch), publish (also publish through the policy), admin (also raw
    version writes, modes and deprecations); each grants the ones before it. The registry keeps
    only a sha256 of each token.
    """


@token_group.command("create")
@click.option(
    "--scope",
    type=click.Choice(["read", "publish", "admin"]),
    required=True,
    help="What the token may do.",
)
@click.option("--name", default=None, help="A unique name, shown in logs (default: <scope>-<n>).")
@click.option(
    "--pacticipant",
    "pacticipants",
    multiple=True,
    help="Limit the token's writes in the Pact Broker API (/pact) to this pacticipant (repeatable): "
    "a consumer team's CI may then publish only its own pacts.",
)
@click.option(
    "--subject",
    "subjects",
    multiple=True,
    help="Limit the token's writes (publish, raw versions, modes, deprecations, Confluent "
    "registrations and configs) to this subject on every API (repeatable). A token limited to "
    "subjects or pacticipants writes only what its limits name.",
)
@registry_option
@format_option
def create_command(
    scope: str,
    name: str | None,
    pacticipants: tuple[str, ...],
    subjects: tuple[str, ...],
    registry: str | None,
    output_format: str,
) -> int:
    """Create a token and print it once (it cannot be shown again)."""
    from apigov.cli.config_loading import project_config
    from apigov.registry.location import open_token_store, publish_location
    from apigov.registry.provenance import now
    from apigov.registry.tokens import create_token

    store = open_token_store(publish_location(registry, project_config(), purpose="to keep the token in"))
    if name is None:
        taken = {r.name for r in store.records()}
        name = next(f"{scope}-{n}" for n in range(1, len(taken) + 2) if f"{scope}-{n}" not in taken)
    made = create_token(
        store, name=name, scope=scope, created_at=now(), pacticipants=pacticipants, subjects=subjects
    )
    if output_format.lower() == "json":
        click.echo(
            json.dumps({"apigov": "token/1", "name": made.record.name, "scope": scope, "token": made.token})
        )
    else:
        click.echo(made.token)
        click.echo(f"token {made.record.name!r} (scope {scope}) created; it is shown only now", err=True)
    return 0


@token_group.command("list")
@registry_option
@format_option
def list_command(registry: str | None, output_format: str) -> int:
    """List the tokens: name, scope, creation time, limits (never the tokens)."""
    from apigov.registry.location import open_token_store

    records = open_token_store(location(registry)).records()
    if output_format.lower() == "json":
        rows = [
            {"name": r.name, "scope": r.scope, "created_at": r.created_at}
            | ({"pacticipants": list(r.pacticipants)} if r.pacticipants else {})
            | ({"subjects": list(r.subjects)} if r.subjects else {})
            for r in records
        ]
        click.echo(json.dumps({"apigov": "token-list/1", "tokens": rows}, indent=2))
    elif not records:
        click.echo("no tokens")
    else:
        width = max(len(r.name) for r in records)
        for r in records:
            limits = ", ".join([*r.subjects, *r.pacticipants])
            click.echo(
                f"{r.name:<{width}}  {r.scope:<7}  {r.created_at}" + (f"  only {limits}" if limits else "")
            )
    return 0


@token_group.command("revoke")
@click.argument("name")
@registry_option
def revoke_command(name: str, registry: str | None) -> int:
    """Revoke the token called NAME (servers refuse it from their next request on)."""
    from apigov.core.errors import InputError
    from apigov.registry.location import open_token_store

    if not open_token_store(location(registry)).revoke(name):
        raise InputError(f"no token named {name[:60]!r}", hint="'apigov token list' shows them")
    click.echo(f"token {name!r} revoked")
    return 0
