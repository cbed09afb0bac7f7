"""``apigov mock``: serve one or more contracts from their examples (Starlette on uvicorn)."""

from __future__ import annotations

import click

from apigov.cli.commands.registry import registry_option
from apigov.cli.config_loading import project_config
from apigov.core.errors import InputError


@click.command("mock", short_help="Serve contracts as a mock server: examples, request validation, state.")
@click.argument("contracts", nargs=-1, required=True, metavar="CONTRACT_OR_REF...")
@click.option(
    "--port",
    "-p",
    default=4010,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: a free one; the URL is printed).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--dynamic", is_flag=True, help="Bodies generated from the response schemas instead of the examples."
)
@click.option(
    "--stateful",
    is_flag=True,
    help="Remember what POST creates: GET returns it, PATCH changes it, DELETE removes it.",
)
@click.option(
    "--memory-mb",
    default=64,
    show_default=True,
    type=click.IntRange(1, 4096),
    help="With --stateful: at most this much created data is kept (the oldest is forgotten).",
)
@registry_option
def mock_command(
    contracts: tuple[str, ...],
    port: int,
    host: str,
    dynamic: bool,
    stateful: bool,
    memory_mb: int,
    registry: str | None,
) -> int:
    """Serve CONTRACT_OR_REF... (OpenAPI 3 files or registry refs) as a mock server.

    Each contract answers under the path of its first server URL (variables at their
    defaults). Responses come from the contract's examples (choose with 'Prefer:
    example=NAME' or 'Prefer: code=404', or let the request choose: an example named like a path
    or query parameter value, or x-apigov-mock rules); requests are validated (400/422 problem
    naming the field); unknown paths 404, other methods 405. A contract with a pattern RE2
    cannot run (backreferences, lookaround) is refused (exit 2), as by apigov fuzz: the mock
    could not check requests against it. Needs the fuzz extra (Starlette, uvicorn).
    """
    import importlib.util

    if any(importlib.util.find_spec(name) is None for name in ("starlette", "uvicorn")):
        raise InputError("apigov mock needs Starlette and uvicorn: pip install 'apigov[fuzz]'")
    from apigov.cli.diffing import registry_of_refs
    from apigov.fuzz.mock import DEFAULT_MEMORY, load_contract, serve
    from apigov.registry.refs import ref_opener

    config = project_config()
    opener = ref_opener(lambda: registry_of_refs(config, registry))
    loaded = []
    for spec in contracts:
        with opener(spec) as source:  # the contract is loaded whole: the temporary copy may go
            loaded.append(load_contract(source.path, source.display))
    served: dict[str, str] = {}
    for contract in loaded:
        base = contract.base_path or "/"
        if base in served:
            raise InputError(
                f"{served[base]} and {contract.source} are both served under {base}",
                hint="give one of them another first server URL",
            )
        served[base] = contract.source

    def ready(url: str) -> None:
        # the URL ends its line (copied or clicked as it is); one line per contract follows
        click.echo(f"apigov mock listening on {url}")
        for contract in loaded:
            click.echo(f"  {url}{contract.base_path or '/'} serves {contract.source}")

    serve(
        loaded,
        host=host,
        port=port,
        dynamic=dynamic,
        stateful=stateful,
        memory_bytes=memory_mb * 1024 * 1024 if memory_mb else DEFAULT_MEMORY,
        ready=ready,
    )
    return 0
