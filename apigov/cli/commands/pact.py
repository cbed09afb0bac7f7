"""``apigov pact`` (publish, verify, check), ``apigov can-i-deploy`` and ``apigov record-*``:
consumer-driven contracts kept in the registry (library: :mod:`apigov.contract`)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apigov.cli.commands.registry import format_option, location, registry_option
from apigov.cli.options import format_option as report_format
from apigov.cli.options import output_option
from apigov.report.formatters import FORMATTERS

if TYPE_CHECKING:
    from apigov.contract.store import PactStore
    from apigov.core.findings import Report


def _store(registry: str | None) -> PactStore:
    import os

    from apigov.contract.store import open_pact_store

    return open_pact_store(location(registry), token=os.environ.get("APIGOV_TOKEN"))


@click.group("pact")
def pact_group() -> None:
    """Consumer-driven contracts: publish pacts, verify a provider, check a pact against OpenAPI.

    Pacts live in the registry beside the contracts (a directory's .pacts/, PostgreSQL tables,
    or a remote 'apigov serve', whose Pact Broker API is at /pact). Consumer versions are
    immutable: the same version with other pact content is refused.
    """


@pact_group.command("publish")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--consumer-version", required=True, help="The consumer's version (a semver or git sha).")
@click.option("--branch", default="", help="The consumer's branch.")
@click.option("--tag", "tags", multiple=True, help="A tag for the consumer version (repeatable).")
@click.option("--build-url", default="", help="The CI build that published.")
@registry_option
@format_option
def publish_command(
    paths: tuple[Path, ...],
    consumer_version: str,
    branch: str,
    tags: tuple[str, ...],
    build_url: str,
    registry: str | None,
    output_format: str,
) -> int:
    """Publish PACT_FILES_OR_DIR (every *.json of a directory) for --consumer-version."""
    from apigov.contract.publish import collect_pact_files, publish_pacts
    from apigov.registry.provenance import now

    files = collect_pact_files(list(paths))
    done = publish_pacts(
        _store(registry),
        files,
        consumer_version=consumer_version,
        branch=branch,
        tags=tags,
        build_url=build_url,
        at=now(),
    )
    if output_format.lower() == "json":
        click.echo(
            json.dumps(
                {
                    "apigov": "pact-publish/1",
                    "published": [
                        {
                            "consumer": d.publication.consumer,
                            "provider": d.publication.provider,
                            "consumer_version": d.publication.consumer_version,
                            "digest": d.publication.digest,
                            "created": d.created,
                            "interactions": d.interactions,
                        }
                        for d in done
                    ],
                },
                indent=2,
            )
        )
    else:
        for d in done:
            p = d.publication
            state = "published" if d.created else "unchanged (already published)"
            click.echo(
                f"{p.consumer}@{p.consumer_version} -> {p.provider}: {state}, {d.interactions} interactions, sha256 {p.digest[:12]}"
            )
    return 0


@contextlib.contextmanager
def _verifier_output_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr while pact's Rust verifier runs (it prints its report on
    the process's stdout), so stdout holds only apigov's summary (one JSON document with -f json)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@pact_group.command("verify")
@click.option("--provider", required=True, help="The provider's pacticipant name.")
@click.option("--base-url", required=True, help="Where the provider runs (http://127.0.0.1:8000).")
@click.option("--provider-version", required=True, help="The provider's version (a semver or git sha).")
@click.option("--provider-branch", default="", help="The provider's branch.")
@click.option(
    "--state-change-url", default="", help="The provider's state-change endpoint (POSTed a JSON body)."
)
@click.option(
    "--consumer-version-selectors",
    "selectors",
    default="",
    help='JSON list of selectors, e.g. \'[{"mainBranch": true}, {"deployedOrReleased": true}]\' (default: the latest pact of every consumer).',
)
@click.option("--publish", is_flag=True, help="Record the results in the registry (for can-i-deploy).")
@registry_option
@format_option
def verify_command(
    provider: str,
    base_url: str,
    provider_version: str,
    provider_branch: str,
    state_change_url: str,
    selectors: str,
    publish: bool,
    registry: str | None,
    output_format: str,
) -> int:
    """Replay the consumers' pacts against a running provider (pact-python 4's Verifier).

    Exit 1 when an interaction fails; the summary names each failed interaction with what was
    expected and what came.
    """
    try:
        import pact  # noqa: F401
    except ImportError:
        from apigov.core.errors import ConfigError

        raise ConfigError(
            "apigov pact verify needs pact-python", hint="pip install 'apigov[contract]'"
        ) from None
    from apigov.contract.selectors import parse_selectors
    from apigov.contract.verify import verify_provider
    from apigov.registry.provenance import now

    parsed = parse_selectors(selectors) if selectors.strip() else []
    store = _store(registry)
    with _verifier_output_to_stderr():  # Pact's own report goes to stderr; stdout is the summary
        outcome = verify_provider(
            store,
            provider=provider,
            base_url=base_url,
            provider_version=provider_version,
            provider_branch=provider_branch,
            state_change_url=state_change_url,
            selectors=parsed,
            publish=publish,
            at=now(),
        )
    if output_format.lower() == "json":
        click.echo(
            json.dumps(
                {
                    "apigov": "pact-verify/1",
                    "provider": provider,
                    "provider_version": provider_version,
                    "success": outcome.success,
                    "pacts": [
                        {
                            "consumer": r.chosen.publication.consumer,
                            "consumer_version": r.chosen.publication.consumer_version,
                            "digest": r.chosen.publication.digest,
                            "selectors": r.chosen.why,
                            "success": r.success,
                            "interactions": r.interactions,
                            "failures": [f.to_json() for f in r.failures],
                        }
                        for r in outcome.results
                    ],
                    "published": [v.id for v in outcome.recorded],
                },
                indent=2,
            )
        )
    else:
        click.echo(f"\nverification of {provider}@{provider_version} against {base_url}:")
        for r in outcome.results:
            p = r.chosen.publication
            mark = "passed" if r.success else "FAILED"
            click.echo(
                f"  {p.consumer}@{p.consumer_version} ({r.interactions} interactions, chosen by {', '.join(r.chosen.why)}): {mark}"
            )
            for f in r.failures:
                click.echo(f"    - {f.interaction}: {f.message}")
        if outcome.recorded:
            click.echo(
                f"results recorded: verification {', '.join('#' + str(v.id) for v in outcome.recorded)}"
            )
        click.echo("verification " + ("passed" if outcome.success else "failed"))
    return 0 if outcome.success else 1


@click.command("can-i-deploy")
@click.option(
    "--pacticipant",
    "pacticipants",
    multiple=True,
    required=True,
    help="A service to deploy (repeatable, each followed by --version or --latest).",
)
@click.option("--version", "versions", multiple=True, help="The version of the --pacticipant before it.")
@click.option(
    "--latest", "latest", is_flag=True, help="Use the latest version of each pacticipant without --version."
)
@click.option("--branch", default="", help="With --latest: the latest on this branch.")
@click.option("--to-environment", "environment", required=True, help="The environment to deploy to.")
@click.option(
    "--require-fuzz",
    is_flag=True,
    help="Also require a passing recorded fuzz run (apigov fuzz --record, default checks at least) "
    "of the contract version each pacticipant version provides.",
)
@click.option(
    "--contract",
    "contracts",
    multiple=True,
    metavar="SUBJECT@VERSION",
    help="With --require-fuzz: the contract version the --pacticipant in the same position provides "
    "[default: subject named like the pacticipant, version of its newest run recorded with "
    "--service-version equal to the pacticipant version].",
)
@registry_option
@format_option
def can_i_deploy_command(
    pacticipants: tuple[str, ...],
    versions: tuple[str, ...],
    latest: bool,
    branch: str,
    environment: str,
    require_fuzz: bool,
    contracts: tuple[str, ...],
    registry: str | None,
    output_format: str,
) -> int:
    """May these versions go to --to-environment? Exit 0 yes, 1 no.

    Asks the verification matrix: every provider version in the environment must have verified
    the pacts of the version to deploy, and it must have verified the pacts of every consumer
    version in the environment. Each row names the selector, the environment and the
    verification that decided it. A pacticipant that no pact names has no integrations: the
    answer is yes, and says so. --require-fuzz adds, per pacticipant version, the newest
    recorded fuzz run of the contract version it provides: it must have passed.
    """
    from apigov.contract.matrix import can_i_deploy, latest_version
    from apigov.core.errors import ConfigError

    if len(versions) > len(pacticipants) or (len(versions) < len(pacticipants) and not latest):
        raise ConfigError("give a --version for each --pacticipant, or --latest")
    state = _store(registry).snapshot()
    asked = [
        (name, versions[i] if i < len(versions) else latest_version(state, name, branch))
        for i, name in enumerate(pacticipants)
    ]
    if len(contracts) > len(pacticipants) or (contracts and not require_fuzz):
        raise ConfigError("give at most one --contract per --pacticipant, with --require-fuzz")
    unknown: list[str] = []
    if require_fuzz:  # a service gated by its fuzz runs alone need not be a pacticipant
        from apigov.contract.matrix import Answer

        known = {v.pacticipant for v in state.versions.values()} | {
            p.provider for p in state.publications.values()
        }
        unknown = [n for n, _ in asked if n not in known]
    in_pacts = [(n, v) for n, v in asked if n not in unknown]
    answer = can_i_deploy(state, in_pacts, environment) if in_pacts else Answer(True, environment, [])
    answer.asked = list(asked)
    for name in unknown:
        answer.notices.append(f"no pact names {name}: only its fuzz runs decide")
    fuzz_verdicts = []
    if require_fuzz:
        from apigov.fuzz.gate import require_fuzz as fuzz_gate
        from apigov.fuzz.store import open_fuzz_store

        where = location(registry)
        runs = open_fuzz_store(where, token=os.environ.get("APIGOV_TOKEN"))
        for i, (name, version) in enumerate(asked):
            verdict = fuzz_gate(runs, where, name, version, contracts[i] if i < len(contracts) else None)
            fuzz_verdicts.append(verdict)
            if verdict.ok:
                answer.notices.append(verdict.reason)
            else:
                answer.reasons.append(verdict.reason)
                answer.deployable = False
    if output_format.lower() == "json":
        document = answer.to_json()
        if require_fuzz:
            document["fuzz"] = [v.to_json() for v in fuzz_verdicts]
        click.echo(json.dumps(document, indent=2))
    else:
        rows = [("CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SELECTOR", "VERIFICATION", "OK")]
        for r in answer.rows:
            v = r.verification
            rows.append(
                (
                    r.consumer,
                    r.consumer_version,
                    r.provider,
                    r.provider_version or "-",
                    r.selector,
                    "-" if v is None else f"#{v.id} {'success' if v.success else 'failed'} {v.verified_at}",
                    "yes" if r.ok else "no",
                )
            )
        if answer.rows:
            widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
            for row in rows:
                click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            click.echo("")
        asked_text = ", ".join(f"{n}@{v}" for n, v in asked)
        click.echo(f"can {asked_text} be deployed to {environment}? {'yes' if answer.deployable else 'no'}")
        for reason in answer.reasons:
            click.echo(f"  reason: {reason}")
        for notice in answer.notices:
            click.echo(f"  note: {notice}")
    return 0 if answer.deployable else 1


def _record(kind: str, help_text: str) -> click.Command:
    @click.command(f"record-{kind}", help=help_text)
    @click.option("--service", "--pacticipant", "service", required=True, help="The pacticipant.")
    @click.option("--version", required=True, help="Its version.")
    @click.option("--env", "--environment", "environment", required=True, help="The environment.")
    @click.option(
        "--instance", default="", help="The application instance (deployments of several instances)."
    )
    @registry_option
    def command(service: str, version: str, environment: str, instance: str, registry: str | None) -> int:
        from apigov.contract.model import PactState, check_name, check_version
        from apigov.registry.provenance import now

        check_name(service)
        check_version(version)
        check_name(environment, "environment")
        at = now()

        def step(state: PactState) -> str:
            if kind == "deployment":
                state.record_deployment(
                    service, version, environment, kind="deployment", instance=instance, at=at
                )
                return f"{service}@{version} recorded as deployed to {environment}"
            if kind == "release":
                state.record_deployment(service, version, environment, kind="release", at=at)
                return f"{service}@{version} recorded as released to {environment}"
            ended = state.end_deployments(
                service, environment, version=version, instance=instance or None, at=at
            )
            ended += state.end_deployments(service, environment, version=version, kind="release", at=at)
            if not ended:
                from apigov.core.errors import InputError

                raise InputError(f"{service}@{version} is not deployed or released in {environment}")
            return f"{service}@{version} recorded as no longer in {environment}"

        click.echo(_store(registry).change({}, step))
        return 0

    return command


record_deployment_command = _record(
    "deployment",
    "Record that --service --version is now deployed to --env (replacing the version deployed there before).",
)
record_release_command = _record(
    "release", "Record that --service --version is released to --env (releases stay until undeployed)."
)
record_undeployment_command = _record(
    "undeployment", "Record that --service --version is no longer deployed or released in --env."
)


@pact_group.command("check")
@click.argument("pact_file", metavar="PACT", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("contract", metavar="CONTRACT_OR_REF")
@report_format(list(FORMATTERS))
@output_option()
@registry_option
def check_command(
    pact_file: Path, contract: str, output_format: str, output: Path | None, registry: str | None
) -> int:
    """Check each interaction of PACT against an OpenAPI contract, with no provider running.

    CONTRACT_OR_REF is a file or a registry reference (orders-api@1.0.0, orders-api@latest).
    Each interaction must match an operation (method + path template + media types); its
    request must be valid against the request schema, parameters and security, and its response
    against the documented response for that status. Rule ids: docs/pact-check-rules.md.
    Exit 1 when an interaction does not fit.
    """
    from apigov import __version__
    from apigov.cli.render import emit
    from apigov.contract.check import check_pact, load_openapi
    from apigov.contract.model import MAX_PACT_BYTES, parse_pact
    from apigov.core.errors import InputError

    try:
        with pact_file.open("rb") as handle:
            raw = handle.read(MAX_PACT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{pact_file}: cannot read: {exc.strerror or exc}") from None
    parsed = parse_pact(raw, str(pact_file))
    document, kind = load_openapi(contract, location(registry))
    report = check_pact(
        parsed,
        document,
        pact_source=str(pact_file),
        contract_source=contract,
        contract_kind=kind,
        tool_version=__version__,
    )
    emit(report, output_format, output, fail_on="error")
    return 1 if report.fails("error") else 0


def emit_with_consumers(
    report: Report,
    registry: str | None,
    provider: str | None,
    output_format: str,
    output: Path | None,
    threshold: str,
) -> Report:
    """``apigov diff --consumers``: annotate the finished diff with the consumers that use each
    breaking change (apigov.contract.consumers), apply apigov.yaml's ``diff.consumers`` policy,
    and render (JSON: ``consumers`` per change)."""
    import io
    import sys

    from apigov.cli.config_loading import project_config
    from apigov.cli.render import emit
    from apigov.contract.consumers import annotate, consumers_in_json, uses_consumers
    from apigov.contract.model import check_name
    from apigov.core.atomic import atomic_text_writer

    if provider is not None:
        check_name(provider, "provider")
    store = _store(registry)
    annotated = annotate(report, store.snapshot(), store.content, provider=provider)
    if project_config().diff_consumers == "used":
        annotated = uses_consumers(annotated)
    if output_format.lower() != "json":
        emit(annotated, output_format, output, fail_on=threshold)
        return annotated
    buffer = io.StringIO()
    from apigov.report.base import RenderOptions

    FORMATTERS["json"].render(annotated, buffer, RenderOptions(color=False, fail_on=threshold))
    text = json.dumps(consumers_in_json(json.loads(buffer.getvalue())), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        with atomic_text_writer(output) as handle:
            handle.write(text)
    return annotated


def consumers_of_publish(base: str, file: Path, registry: str | None, provider: str | None) -> None:
    """``apigov publish --consumers``: the breaking changes from ``base`` (the subject's latest
    version before this publish) to ``file``, each with the consumers that use it, on stderr."""
    from apigov.cli.diffing import diff_report
    from apigov.contract.consumers import annotate
    from apigov.contract.model import check_name

    if provider is not None:
        check_name(provider, "provider")
    report = diff_report(base, str(file), None, False, False, None, registry=registry)
    store = _store(registry)
    annotated = annotate(report, store.snapshot(), store.content, provider=provider)
    breaking = [f for f in annotated.findings if f.level.value == "breaking"]
    if not breaking:
        click.echo(f"consumers: no breaking change against {base}", err=True)
    for finding in breaking:
        click.echo(f"consumers: {finding.operation or '-'}: {finding.rule_id}: {finding.message}", err=True)
