"""``apigov generate client``: a typed client package (Python or TypeScript) from one contract."""

from __future__ import annotations

from pathlib import Path

import click

from apigov.cli.commands.registry import registry_option

LANGUAGES = ("python", "typescript")


@click.command("client")
@click.argument("contract", metavar="CONTRACT_OR_REF")
@click.option("--lang", "-l", type=click.Choice(LANGUAGES), required=True, help="Client language.")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of the generated package (created; other files in it are left alone).",
)
@click.option(
    "--package-name", default=None, help="Python package or npm package name (default: from the title)."
)
@click.option("--package-version", default=None, help="Package version (default: the contract's version).")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 when the committed client in OUT is stale."
)
@registry_option
def client_command(
    contract: str,
    lang: str,
    output: Path,
    package_name: str | None,
    package_version: str | None,
    check: bool,
    registry: str | None,
) -> int:
    """Generate a typed client of CONTRACT_OR_REF (a file or SUBJECT@VERSION) into OUT.

    The package is ready to install (pyproject.toml or package.json + tsconfig.json), has its
    own README and records the contract it came from (subject@version and digest when read
    from the registry). Python: httpx, sync and async clients, models parsed at runtime.
    TypeScript: ESM, fetch, no dependencies. Both retry idempotent calls with backoff and
    jitter, honour Retry-After and keep a circuit breaker per host. What a client cannot
    express (e.g. XML bodies) is a warning on stderr.
    """
    from apigov.cli.commands.generate import run_generator

    options: dict[str, str] = {}
    if package_name is not None:
        options["package-name"] = package_name
    if package_version is not None:
        options["package-version"] = package_version
    return run_generator("client", lang, (contract,), output, check, registry, options=options)
