"""``apigov generate``: the group of generators (client languages, gateway targets).

Each kind of generator adds its subcommand from its own module (``generate_client.py``...).
"""

from __future__ import annotations

import click

from apigov.cli.commands.generate_client import client_command


@click.group("generate")
def generate_group() -> None:
    """Generate code and configuration from contracts.

    Generators are plug-ins of the entry-point group 'apigov.generators'; output is written
    atomically, and --check says whether a committed output is stale (exit 1).
    """


generate_group.add_command(client_command)
