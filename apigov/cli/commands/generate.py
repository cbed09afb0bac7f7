"""``apigov generate``: gateway configs and clients from contracts.

Every subcommand is one small function that names its generator kind and options and calls
:func:`run_generator`, which does the rest the same way for all of them: contracts from the
arguments, apigov.yaml or the registry; the generator's apigov.yaml section; warnings on
stderr; atomic output or ``--check``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import click

from apigov.cli.commands.registry import registry_option

if TYPE_CHECKING:
    from apigov.config.project import Config
    from generators.base import GeneratorKind, Output

_F = Callable[..., Any]


def generate_options(function: _F) -> _F:
    """CONTRACTS..., --output/-o, --check and --registry: what every generate subcommand takes."""
    function = click.argument("contracts", nargs=-1, metavar="[CONTRACT | SUBJECT@VERSION]...")(function)
    function = click.option(
        "--output",
        "-o",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Output folder (default: the current folder).",
    )(function)
    function = click.option(
        "--check",
        is_flag=True,
        help="Write nothing; exit 1 and show the differences when the files in the output folder are stale.",
    )(function)
    return registry_option(function)


@click.group("generate")
def generate_group() -> None:
    """Generate gateway configs and clients from contracts.

    Contracts are files or registry references (SUBJECT@VERSION, SUBJECT@latest); with none,
    the contracts listed in apigov.yaml. Output is deterministic (stable order, no timestamps),
    so it can be committed and checked in CI with --check. What a target cannot express is
    reported as a warning on stderr, never dropped in silence.
    """


@generate_group.command("gateway")
@click.option("--target", "-t", required=True, metavar="TARGET", help="The gateway (see the list above).")
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="An OpenAPI Overlay 1.0 document applied to the contracts first (repeatable; also "
    "gateway.overlays in apigov.yaml).",
)
@generate_options
def gateway_command(
    target: str,
    overlays: tuple[Path, ...],
    contracts: tuple[str, ...],
    output: Path | None,
    check: bool,
    registry: str | None,
) -> int:
    """Route configs for an API gateway, from HTTP contracts and apigov.yaml's gateway section.

    Targets: nginx, envoy, haproxy, caddy, traefik, kong (decK declarative config),
    httproute (Kubernetes Gateway API), and any installed apigov.generators plug-in of kind
    gateway.
    Each service in the gateway section names its contract and upstream replicas, with its
    policies (timeouts, retries, rate limits, circuit breaking, max body, CORS, caching,
    health checks); x-apigov-* extensions in a spec set the same policies per document, path
    or operation. Exit codes: 0 written or up to date, 1 --check found stale files, 2 bad input.
    """
    return run_generator(
        "gateway", target, contracts, output, check, registry, section="gateway", overlays=overlays
    )


def run_generator(
    kind: GeneratorKind,
    name: str,
    specs: tuple[str, ...],
    output: Path | None,
    check: bool,
    registry: str | None,
    *,
    section: str | None = None,
    options: Mapping[str, str] | None = None,
    overlays: tuple[Path, ...] = (),
) -> int:
    """Load, generate, then write atomically or compare (``--check``); returns the exit code."""
    from apigov.cli.config_loading import project_config
    from apigov.core.errors import ConfigError, InputError
    from generators.base import GenerateRequest, get, stale_files, write_output
    from generators.contracts import load_contracts

    config = project_config()
    generator = get(name, kind)
    settings = config.sections.get(section) if section else None
    if section and settings is not None and not isinstance(settings, dict):
        raise ConfigError(
            f"{section} must be a mapping", source=config.source, line=config.line(f"/{section}")
        )
    contracts = _load(specs, config, registry, load_contracts)
    contracts = _overlaid(contracts, overlays, settings, config)
    request = GenerateRequest(
        contracts=contracts,
        options=dict(options or {}),
        settings=settings if isinstance(settings, dict) else {},
    )
    try:
        result = generator.generate(request)
    except InputError as exc:
        raise _located(exc, config) from exc
    for warning in result.warnings:
        sys.stderr.write(f"apigov: warning: {_one_line(str(warning))}\n")
    out_dir = output or Path.cwd()
    if check:
        return _check(result, out_dir, stale_files)
    for path in write_output(result, out_dir):
        sys.stdout.write(f"wrote {path}\n")
    return 0


def _load(
    specs: tuple[str, ...], config: Config, registry: str | None, load_contracts: Callable[..., Any]
) -> Any:
    from apigov.cli.commands.registry import location
    from apigov.registry.location import open_backend

    subjects: dict[str, str] = {}
    known = {(config.root / e.path).resolve(): e.subject for e in config.contracts if e.subject}
    if specs:
        for spec in specs:
            subject = known.get(Path(spec).resolve())
            if subject:
                subjects[spec] = subject
        return load_contracts(specs, lambda: open_backend(location(registry)), subjects=subjects)
    entries = [e.path for e in config.contracts]
    subjects = {e.path: e.subject for e in config.contracts if e.subject}
    return load_contracts(
        entries, lambda: open_backend(location(registry)), cwd=config.root, subjects=subjects
    )


def _overlaid(contracts: Any, given: tuple[Path, ...], settings: object, config: Config) -> Any:
    """The contracts with the overlays of the command line and of the section's ``overlays``."""
    from apigov.core.errors import ConfigError
    from apigov.documents.load import load_file
    from generators.overlay import apply_overlays, parse_overlay

    paths = list(given)
    listed = settings.get("overlays") if isinstance(settings, dict) else None
    if listed is not None:
        if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
            raise ConfigError("overlays must be a list of files", source=config.source)
        paths.extend(config.root / p for p in listed)
    if not paths:
        return contracts
    overlays = [parse_overlay(load_file(p, source=str(p)).data, str(p)) for p in paths]
    return apply_overlays(contracts, overlays)


def _located(exc: Exception, config: Config) -> Exception:
    """An error in the generator's apigov.yaml section gets the file and line."""
    from apigov.core.errors import ConfigError

    pointer = getattr(exc, "pointer", None)
    located = getattr(exc, "source", None) is None and isinstance(pointer, str) and pointer.startswith("/")
    if not located or not config.source:
        return exc
    return ConfigError(
        getattr(exc, "message", str(exc)),
        source=config.source,
        line=config.line(str(pointer)),
        pointer=pointer,
        hint=getattr(exc, "hint", None),
    )


def _check(result: Output, out_dir: Path, stale_files: Callable[[Output, Path], list[str]]) -> int:
    """Exit 1 with what differs: structured files (YAML, JSON) compared parsed, with deepdiff, when
    their data differs; text files (and structured ones differing only in comments) as a unified diff."""
    stale = stale_files(result, out_dir)
    if not stale:
        sys.stdout.write(f"up to date: {len(result.files)} file(s) in {out_dir}\n")
        return 0
    by_name = {str(f.path): f for f in result.files}
    for diff in stale:
        name = _stale_name(diff)
        structured = _structured_diff(out_dir / name, by_name[name].content) if name in by_name else None
        text = structured or diff
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.write(f"apigov: {len(stale)} generated file(s) in {out_dir} are stale\n")
    return 1


def _stale_name(diff: str) -> str:
    first = diff.splitlines()[0] if diff else ""
    if first.startswith("missing: "):
        return first.removeprefix("missing: ")
    return first.removeprefix("--- committed/")


def _structured_diff(committed: Path, generated: str) -> str | None:
    """A deepdiff of the parsed documents, or ``None`` for text formats and unparsable files."""
    if committed.suffix not in (".yaml", ".yml", ".json") or not committed.is_file():
        return None
    import yaml

    try:
        from deepdiff import DeepDiff
    except ImportError:  # the generate extra brings it; without it, the unified diff says enough
        return None

    try:
        old = list(yaml.safe_load_all(committed.read_text(encoding="utf-8")))
        new = list(yaml.safe_load_all(generated))
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return None
    changes = DeepDiff(old, new, ignore_order=False, verbose_level=2)
    if not changes:
        return None
    return f"{committed.name}: the parsed configuration differs\n{changes.pretty()}\n"


_CONTROL: Final = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]}


def _one_line(text: str) -> str:
    """One line, with control characters from a spec shown escaped (no terminal escapes)."""
    return " ".join(text.split()).translate(_CONTROL)
