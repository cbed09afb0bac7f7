"""The ``apigov`` group, and the one mapping from outcomes to exit codes.

0 ok · 1 the gate failed (findings at or above ``--fail-on``) · 2 usage or input error (one
line on stderr) · 3 internal error ("please report"; traceback with ``--debug`` or
``APIGOV_DEBUG=1``) · 130 interrupted.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from apigov import __version__
from apigov.cli.commands.bundle import bundle_command
from apigov.cli.commands.check import check_command
from apigov.cli.commands.ci import ci_group
from apigov.cli.commands.diff import changelog_command, diff_command
from apigov.cli.commands.fuzz import fuzz_command
from apigov.cli.commands.generate import generate_group
from apigov.cli.commands.generate_client import client_command
from apigov.cli.commands.init import init_command
from apigov.cli.commands.mock import mock_command
from apigov.cli.commands.pact import (
    can_i_deploy_command,
    pact_group,
    record_deployment_command,
    record_release_command,
    record_undeployment_command,
)
from apigov.cli.commands.publish import publish_command
from apigov.cli.commands.registry import registry_group
from apigov.cli.commands.rules import rules_command
from apigov.cli.commands.serve import serve_command
from apigov.cli.commands.token import token_group
from apigov.cli.options import Settings
from apigov.core.errors import ApigovError
from apigov.core.extras import missing_extra_of

EXIT_OK = 0
EXIT_GATE = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="apigov", message="%(prog)s %(version)s")
@click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="APIGOV_CONFIG",
    help="Project configuration (default: the nearest apigov.yaml).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output (auto: only on a terminal, and never with NO_COLOR).",
)
@click.option("--debug", is_flag=True, envvar="APIGOV_DEBUG", help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, color: str, debug: bool) -> None:
    """apigov: contract-first API governance.

    Validate and lint OpenAPI, Swagger, AsyncAPI, JSON Schema and Avro contracts, find what a
    change breaks (diff, changelog; event schemas under registry compatibility modes), keep
    versioned contracts in a registry (publish, registry, serve, token), bundle multi-file
    specs, generate gateway configs and typed clients (generate), fuzz and mock services (fuzz,
    mock); 'apigov init' sets a project up. Exit codes: 0 ok, 1 gate failed, 2 usage or input
    error, 3 internal error.
    """
    ctx.obj = Settings(config_path=config_path, color=color, debug=debug)


cli.add_command(check_command)
cli.add_command(bundle_command)
cli.add_command(diff_command)
cli.add_command(changelog_command)
cli.add_command(rules_command)
cli.add_command(publish_command)
cli.add_command(registry_group)
cli.add_command(serve_command)
cli.add_command(token_group)
cli.add_command(ci_group)
cli.add_command(init_command)
cli.add_command(fuzz_command)
cli.add_command(mock_command)
generate_group.add_command(client_command)  # (here: generate_client imports generate)
cli.add_command(generate_group)
cli.add_command(pact_group)
cli.add_command(can_i_deploy_command)
cli.add_command(record_deployment_command)
cli.add_command(record_release_command)
cli.add_command(record_undeployment_command)


def _debug_wanted(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("APIGOV_DEBUG", "") not in ("", "0", "false")


_CONTROL = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]}


def _error(message: str) -> None:
    """One line on stderr; control characters (from file names or specs) are shown escaped."""
    line = " ".join(message.split()).translate(_CONTROL)
    sys.stderr.write(f"apigov: error: {line}\n")
    sys.stderr.flush()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises, never calls ``sys.exit``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args[1:]:  # accepted after the command too (`apigov check --debug x.yaml`)
        args = ["--debug", *(a for a in args if a != "--debug")]
    stdout = sys.stdout
    try:
        result = cli.main(args=args, prog_name="apigov", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help())
        return EXIT_OK
    except click.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        _error(exc.format_message() + hint)
        return EXIT_INPUT
    except click.ClickException as exc:
        _error(exc.format_message())
        return EXIT_INPUT
    except click.exceptions.Abort:
        sys.stderr.write("apigov: interrupted\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write("apigov: interrupted\n")
        return EXIT_INTERRUPTED
    except ApigovError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except BrokenPipeError:
        # the reader went away (apigov rules | head): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except SystemExit as exc:
        # click itself answers a closed stdout (EPIPE) with exit 1, after replacing sys.stdout
        if sys.stdout is not stdout:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_INTERNAL
    except RecursionError as exc:
        _error(f"input is nested too deeply to process ({exc.__class__.__name__})")
        return EXIT_INPUT
    except MemoryError:
        _error("out of memory while processing the input; it is too large")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the one place that turns any bug into exit 3
        # an optional extra that is not installed, on a path that did not call extras.require
        missing = missing_extra_of(exc) if isinstance(exc, ModuleNotFoundError) else None
        if missing is not None:
            _error(str(missing))
            return EXIT_INPUT
        _error(f"internal error, please report: {exc.__class__.__name__}: {exc}")
        if _debug_wanted(args):
            traceback.print_exc()
        else:
            sys.stderr.write("(run with --debug or APIGOV_DEBUG=1 for the traceback)\n")
        return EXIT_INTERNAL
    if isinstance(result, int):
        return result
    return EXIT_OK


def main() -> None:
    """Console-script entry point."""
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(code)
