"""``apigov fuzz``: a contract against a running service (Schemathesis 4, the ``fuzz`` extra)."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apigov.cli.commands.registry import registry_option
from apigov.cli.config_loading import project_config
from apigov.cli.options import format_option, output_option
from apigov.core.errors import InputError

if TYPE_CHECKING:
    from apigov.fuzz.model import Auth
    from apigov.fuzz.record import ContractId

FORMATS = ("text", "json", "junit", "markdown")


def parse_auth(text: str) -> Auth:
    """``bearer:TOKEN``, ``apikey:HEADER=VALUE`` or ``oauth2:CLIENT_ID:CLIENT_SECRET[@TOKEN_URL][#SCOPES]``;
    any part written ``env:NAME`` is read from the environment variable ``NAME``."""
    from apigov.fuzz.model import Auth

    def env(value: str) -> str:
        if value.startswith("env:"):
            name = value[4:]
            if name not in os.environ:
                raise InputError(f"--auth names the environment variable {name}, which is not set")
            return os.environ[name]
        return value

    kind, _, rest = text.partition(":")
    kind = kind.strip().lower()
    if kind == "bearer" and rest:
        return Auth("bearer", value=env(rest))
    if kind == "apikey" and "=" in rest:
        name, _, value = rest.partition("=")
        if name.strip():
            return Auth("apikey", value=env(value), name=name.strip())
    if kind == "oauth2":
        rest, _, scopes = rest.partition("#")
        creds, _, url = rest.partition("@")
        tokens = creds.split(":")
        parts: list[str] = []
        while tokens:  # env:NAME is one part
            part = tokens.pop(0)
            parts.append(f"env:{tokens.pop(0)}" if part == "env" and tokens else part)
        if len(parts) == 2 and all(parts):
            return Auth(
                "oauth2",
                client_id=env(parts[0]),
                client_secret=env(parts[1]),
                token_url=url,
                scopes=tuple(s for s in scopes.split(",") if s),
            )
    raise InputError(
        f"--auth {text.split(':', 1)[0]}:... is not one of bearer:TOKEN, apikey:HEADER=VALUE, "
        "oauth2:CLIENT_ID:CLIENT_SECRET[@TOKEN_URL]"
    )


def _checks(text: str) -> tuple[str, ...]:
    from apigov.fuzz.model import CHECK_NAMES, DEFAULT_CHECKS

    chosen: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part == "all":
            chosen += [c for c in CHECK_NAMES if c != "max_response_time"]
        elif part == "default":
            chosen += DEFAULT_CHECKS
        elif part:
            chosen.append(part)
    if not chosen:  # a run without checks would pass whatever the service does
        raise InputError(f"--checks {text!r} names no check; use 'default', 'all' or check names")
    return tuple(dict.fromkeys(chosen))


@click.command("fuzz")
@click.argument("contract", metavar="CONTRACT_OR_REF")
@click.option(
    "--base-url", "-u", required=True, metavar="URL", help="Where the service runs (http://host:port[/base])."
)
@click.option(
    "--max-examples", "-n", default=20, show_default=True, type=int, help="Examples per operation and phase."
)
@click.option(
    "--max-time",
    default=300.0,
    show_default=True,
    type=float,
    help="Hard bound on the whole run, in seconds (the run then reports what it found).",
)
@click.option("--seed", type=int, default=None, help="Seed of the data generation (the report names it).")
@click.option(
    "--workers", "-w", default=1, show_default=True, type=click.IntRange(1, 64), help="Concurrent workers."
)
@click.option(
    "--phases",
    default="examples,coverage,fuzzing,stateful",
    show_default=True,
    help="Comma-separated phases; stateful follows OpenAPI links (and links inferred from Location).",
)
@click.option(
    "--checks",
    "checks_text",
    default=None,
    help="Comma-separated check names, 'default' or 'all' [default: default = not_a_server_error, "
    "status_code_conformance, content_type_conformance, response_headers_conformance, "
    "response_schema_conformance, missing_required_header, unsupported_method, allow_header_conformance, "
    "ignored_auth, use_after_free, ensure_resource_availability: what a correct service passes; all adds "
    "negative_data_rejection and positive_data_acceptance; max_response_time by name].",
)
@click.option(
    "--auth",
    "auth_text",
    default=None,
    envvar="APIGOV_FUZZ_AUTH",
    help="bearer:TOKEN, apikey:HEADER=VALUE or oauth2:CLIENT_ID:SECRET[@TOKEN_URL]; env:NAME reads a part "
    "from the environment (default: fuzz.auth of apigov.yaml).",
)
@click.option(
    "--header",
    "-H",
    "headers",
    multiple=True,
    metavar="NAME: VALUE",
    help="A header sent with every request.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="ID|TAG|/PATH",
    help="Only these operations (operationId, tag, path; path* = prefix).",
)
@click.option("--exclude", multiple=True, metavar="ID|TAG|/PATH", help="Not these operations.")
@click.option("--request-timeout", default=5.0, show_default=True, type=float, help="Seconds per request.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Known failures (operation, check, fingerprint, reason, expires) that do not fail the run.",
)
@click.option("--update-baseline", is_flag=True, help="Write every failure of this run to --baseline.")
@click.option(
    "--allow-untested",
    is_flag=True,
    help="Operations Schemathesis could not test (reported as 'not tested' with the reason) do not fail the run.",
)
@format_option(FORMATS, help_text="Report format.")
@output_option()
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on standard error (default: on a terminal, not in CI).",
)
@click.option(
    "--record",
    is_flag=True,
    help="Store the result in the registry (--registry), for 'registry show' and 'can-i-deploy --require-fuzz'.",
)
@click.option(
    "--service-version", default=None, help="The version of the service fuzzed (needed by --record)."
)
@click.option(
    "--subject", default=None, help="With --record of a contract file: the subject it is a version of."
)
@click.option(
    "--version",
    "contract_version",
    default=None,
    help="With --record of a contract file: its version (a registry ref names both).",
)
@registry_option
def fuzz_command(
    contract: str,
    base_url: str,
    max_examples: int,
    max_time: float,
    seed: int | None,
    workers: int,
    phases: str,
    checks_text: str | None,
    auth_text: str | None,
    headers: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    request_timeout: float,
    baseline: Path | None,
    update_baseline: bool,
    allow_untested: bool,
    output_format: str,
    output: Path | None,
    progress: bool | None,
    record: bool,
    service_version: str | None,
    subject: str | None,
    contract_version: str | None,
    registry: str | None,
) -> int:
    """Fuzz a running service with its contract (Schemathesis 4).

    CONTRACT_OR_REF is an OpenAPI file or a registry ref (orders-api@1.3.0). Every failure is
    replayed before it is reported (a stateful one: its whole chain of requests, links applied
    anew); one that passes on replay is dropped, one that cannot be replayed is reported as
    UNCONFIRMED and still fails the run. Each comes with a curl command that reproduces it; the
    credential is read from $APIGOV_FUZZ_TOKEN, never written into a report.

    Exit 1 when a check fails (outside --baseline) or an operation could not be tested (an
    unsupported schema, no request generated, --max-time reached; --allow-untested lets those
    pass, still reported), 2 on bad input (unreachable --base-url, no operations, --max-time 0, a
    pattern RE2 cannot run), 0 otherwise. Needs the fuzz extra: pip install 'apigov[fuzz]'.

    --record stores the run (contract subject, version and digest, --service-version, seed,
    checks, pass/fail per operation and check, failure fingerprints) in the registry, immutable;
    a registry ref names the contract, a file needs --subject and --version.
    """
    import importlib.util

    try:
        missing = importlib.util.find_spec("schemathesis") is None
    except (ImportError, ValueError):  # ValueError: sys.modules holds None for it
        missing = True
    if missing:
        raise InputError("apigov fuzz needs Schemathesis: pip install 'apigov[fuzz]'")
    from apigov.fuzz.run import fuzz, fuzz_worker

    # the Schemathesis child starts first: it imports while the contract is resolved and loaded
    with fuzz_worker() as warm:
        from apigov.cli.diffing import registry_of_refs
        from apigov.fuzz.baseline import apply_baseline, load_baseline, write_baseline
        from apigov.fuzz.model import FuzzOptions
        from apigov.fuzz.report import FORMATS as RENDERERS
        from apigov.registry.refs import ref_opener

        if update_baseline and baseline is None:
            raise click.UsageError("--update-baseline needs --baseline FILE")
        if record and not (service_version or "").strip():
            raise click.UsageError("--record needs --service-version")
        if not record and (service_version or subject or contract_version):
            raise click.UsageError("--service-version, --subject and --version go with --record")
        for option, seconds in (("--max-time", max_time), ("--request-timeout", request_timeout)):
            if not (math.isfinite(seconds) and seconds > 0):  # nan passes a '<= 0' test, inf bounds nothing
                raise InputError(f"{option} must be a number of seconds above 0 (got {seconds:g})")
        config = project_config()
        auth_spec = auth_text or config.fuzz_auth
        pairs = []
        for header in headers:
            name, sep, value = header.partition(":")
            if not sep or not name.strip():
                raise click.UsageError(f"--header {header!r} is not NAME: VALUE")
            pairs.append((name.strip(), value.strip()))
        options = FuzzOptions(
            base_url=base_url,
            max_examples=max_examples,
            max_time=max_time,
            seed=seed,
            workers=workers,
            phases=tuple(p.strip() for p in phases.split(",") if p.strip()),
            checks=_checks(checks_text or config.fuzz_checks or "default"),
            auth=parse_auth(auth_spec) if auth_spec else None,
            headers=tuple(pairs),
            include=include,
            exclude=exclude,
            request_timeout=max(0.1, min(request_timeout, max_time)),
            allow_untested=allow_untested,
        )
        entries = load_baseline(baseline) if baseline is not None else ()
        show = progress if progress is not None else (sys.stderr.isatty() and not os.environ.get("CI"))
        bar = _Bar() if show else None
        from apigov.fuzz.record import utc_now

        runs_store = None
        if record:  # before the run: a registry that cannot be opened is found in a second, not after it
            from apigov.cli.commands.registry import location
            from apigov.fuzz.store import open_fuzz_store

            runs_store = open_fuzz_store(location(registry), token=os.environ.get("APIGOV_TOKEN"))
        started_at = utc_now()
        contract_id = None
        with ref_opener(lambda: registry_of_refs(config, registry))(contract) as source:
            if record:
                contract_id = _contract_id(
                    contract, source.path, source.display, subject, contract_version, registry
                )
            result = fuzz(
                source.path, options, label=source.display, progress=bar.update if bar else None, worker=warm
            )
        ended_at = utc_now()
        if bar is not None:
            bar.close()
        if baseline is not None and update_baseline:
            added = write_baseline(baseline, result, entries)
            click.echo(f"{baseline}: {added} new known failure(s) written", err=True)
            entries = load_baseline(baseline)
        result = apply_baseline(result, entries)
        if contract_id is not None and runs_store is not None:
            from apigov.fuzz.record import build_record

            entry = build_record(
                result,
                contract_id,
                service_version=(service_version or "").strip(),
                max_examples=max_examples,
                started_at=started_at,
                ended_at=ended_at,
            )
            rid = runs_store.add(entry)
            click.echo(
                f"recorded fuzz run {rid[:12]} of {contract_id.subject}@{contract_id.version} "
                f"({'passed' if result.passed else 'failed'}) in {runs_store.location}",
                err=True,
            )
        render = RENDERERS[output_format.lower()]
        if output is None:
            render(result, sys.stdout)
        else:
            from apigov.core.atomic import atomic_text_writer

            with atomic_text_writer(output) as out:
                render(result, out)
        return 0 if result.passed else 1


def _contract_id(
    spec: str, path: Path, display: str, subject: str | None, version: str | None, registry: str | None
) -> ContractId:
    """Subject, version and digest of the contract fuzzed: from the registry for a ref, else the
    bundled file's digest and --subject/--version."""
    from apigov.cli.diffing import registry_of_refs
    from apigov.fuzz.record import ContractId, file_digest
    from apigov.registry.base import check_subject, parse_version
    from apigov.registry.refs import is_ref, parse_ref, resolve_version

    if is_ref(spec):
        if subject or version:
            raise click.UsageError("--subject and --version are for a contract file; a ref names both")
        ref = parse_ref(spec)
        backend = registry_of_refs(project_config(), registry)
        stored = backend.get_version(ref.subject, resolve_version(backend, ref))
        return ContractId(stored.subject, str(stored.version), stored.digest)
    if not subject or not version:
        raise click.UsageError("--record of a contract file needs --subject and --version")
    return ContractId(check_subject(subject), str(parse_version(version)), file_digest(path, display))


class _Bar:
    """``[#####-----] 3/7 operations, 1 failure`` redrawn on standard error."""

    def __init__(self) -> None:
        self.drawn = False

    def update(self, done: int, total: int, failures: int) -> None:
        width = 24
        filled = width * done // total if total else 0
        text = f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} operations, {failures} failure(s)"
        sys.stderr.write(text)
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
