"""``apigov ci github``: the whole pull-request gate in one step of a GitHub Actions job."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apigov import __version__
from apigov.ci.comments import COMMENT_KEY_DEFAULT, DEFAULT_AUTHOR, valid_key
from apigov.cli.config_loading import project_config
from apigov.core.atomic import atomic_text_writer
from apigov.core.errors import ConfigError, InputError
from apigov.core.findings import FAIL_ON

if TYPE_CHECKING:
    from apigov.ci.environment import GithubEnvironment, PullRequest
    from apigov.ci.gate import GateResult
    from apigov.config.project import Config

FORMATS = ("github", "text", "markdown", "sarif")


@click.group("ci")
def ci_group() -> None:
    """Run apigov as the gate of a CI pipeline (reads the CI system's environment)."""


def _paths(contracts: str | None) -> list[Path]:
    """The contracts input: one a line, or separated by spaces on one line (quote to keep
    spaces); globs (``api/**/*.yaml``) are expanded here, relative to the current directory."""
    if not contracts:
        return []
    if "\n" in contracts:
        words = [line.strip() for line in contracts.splitlines() if line.strip()]
    else:
        try:
            words = shlex.split(contracts)
        except ValueError as exc:
            raise ConfigError(f"--contracts cannot be read: {exc}") from exc
    paths: list[Path] = []
    for word in words:
        if not any(char in word for char in "*?["):
            paths.append(Path(word))
            continue
        if Path(word).is_absolute():
            raise ConfigError(
                f"--contracts pattern {word!r} is absolute", hint="write it relative to this directory"
            )
        matches = sorted(path for path in Path.cwd().glob(word) if path.is_file())
        if not matches:
            raise ConfigError(f"--contracts pattern {word!r} matches no file")
        paths.extend(matches)
    return paths


def _formats(value: str) -> list[str]:
    chosen = [part.strip().lower() for part in value.replace(" ", ",").split(",") if part.strip()]
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown:
        raise ConfigError(
            f"unknown format {unknown[0]!r} in --formats", hint="choose from " + ", ".join(FORMATS)
        )
    return chosen


def _append(path: Path, text: str, what: str) -> None:
    """Append to a file the runner gave (``GITHUB_STEP_SUMMARY``, ``GITHUB_OUTPUT``)."""
    try:
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {what} ({path}): {exc.strerror or exc}") from exc


def _note(message: str) -> None:
    click.echo(f"apigov: note: {message}", err=True)


def _comment(env: GithubEnvironment, pr: PullRequest, result: GateResult, key: str, author: str) -> None:
    """Post or edit the one comment; a fork's read-only token is a note, not an error."""
    from apigov.ci import publish
    from apigov.ci.comments import CommentError, marker, upsert_comment

    api = env.api()
    if api is None:
        _note("no pull-request comment: GITHUB_TOKEN, GITHUB_API_URL and GITHUB_REPOSITORY are needed")
        return
    try:
        posted = upsert_comment(
            *api, pr.number, publish.comment_body(result, key), marker=marker(key), author=author
        )
    except CommentError as exc:
        if not (pr.from_fork and exc.refused):
            raise
        _note(f"no pull-request comment: {exc} (this pull request comes from a fork)")
        return
    if env.output is not None:
        _append(env.output, publish.output_lines({"comment-url": posted.url}), "GITHUB_OUTPUT")
    _note(f"pull-request comment {posted.action}: {posted.url or posted.comment_id}")


def _registry(option: str | None, config: Config) -> str | None:
    """The registry's location when one is named (option, APIGOV_REGISTRY, apigov.yaml), else
    ``None`` (the default ./contracts is not taken for a registry of pacts here)."""
    from apigov.registry.location import ENV_VAR, registry_location

    if option or os.environ.get(ENV_VAR, "").strip() or config.registry:
        return registry_location(option, config)
    return None


def _split(value: str | None) -> list[str]:
    return (value or "").replace(",", " ").split()


def _names(value: str | None, config: Config, env: GithubEnvironment) -> list[str]:
    if _split(value):
        return _split(value)
    if config.pacticipant:
        return _split(config.pacticipant)
    if env.repository:
        return [env.repository.partition("/")[2]]
    raise ConfigError(
        "--can-i-deploy needs the pacticipant to ask about",
        hint="give --pacticipant (the action's pacticipant input, APIGOV_CI_PACTICIPANT)",
    )


def _asked(
    pacticipant: str | None,
    version: str | None,
    config: Config,
    env: GithubEnvironment,
    pr: PullRequest | None,
) -> list[tuple[str, str]]:
    chosen = version or (pr.head_sha if pr else None) or env.sha
    if not chosen:
        raise ConfigError(
            "--can-i-deploy needs the version to ask about",
            hint="give --pacticipant-version (APIGOV_CI_PACTICIPANT_VERSION); GITHUB_SHA is not set",
        )
    return [(name, chosen) for name in _names(pacticipant, config, env)]


def _with_registry(
    result: GateResult,
    location: str,
    config: Config,
    environment: str | None,
    asked: list[tuple[str, str]] | None,
    pacticipant: str | None,
) -> GateResult:
    """``result`` with each diff annotated with the consumers its breaking changes affect (as
    ``apigov diff --consumers``; apigov.yaml's diff.consumers policy applies) and, when asked,
    can-i-deploy's answer."""
    import dataclasses

    from apigov.ci.gate import DeployAnswer
    from apigov.contract.consumers import annotate, uses_consumers
    from apigov.contract.matrix import can_i_deploy
    from apigov.contract.store import open_pact_store

    store = open_pact_store(location, token=os.environ.get("APIGOV_TOKEN"))
    state = store.snapshot()
    names = _split(pacticipant) or _split(config.pacticipant)
    provider = names[0] if len(names) == 1 else None
    if state.publications and result.diffs:
        diffs = []
        for diff in result.diffs:
            if diff.report is None:
                diffs.append(diff)
                continue
            annotated = annotate(diff.report, state, store.content, provider=provider)
            if config.diff_consumers == "used":
                annotated = uses_consumers(annotated)
            diffs.append(dataclasses.replace(diff, report=annotated))
        result = dataclasses.replace(result, diffs=tuple(diffs), consumers=True)
    if environment and asked is not None:
        answer = can_i_deploy(state, asked, environment)
        deploy = DeployAnswer(
            environment=environment,
            asked=tuple(answer.asked),
            deployable=answer.deployable,
            reasons=tuple(answer.reasons),
            notices=tuple(answer.notices),
        )
        result = dataclasses.replace(result, deploy=deploy)
    return result


@ci_group.command("github")
@click.option(
    "--contracts",
    envvar="APIGOV_CI_CONTRACTS",
    default=None,
    help="Contract files, directories or globs, one a line or space-separated (default: the "
    "contracts of apigov.yaml). Env: APIGOV_CI_CONTRACTS.",
)
@click.option(
    "--base-ref",
    envvar="APIGOV_CI_BASE_REF",
    default=None,
    metavar="REV",
    help="Compare with this revision (default: the pull request's base commit, GITHUB_BASE_REF, "
    "the commit a push started from, or a merge group's base). Env: APIGOV_CI_BASE_REF.",
)
@click.option(
    "--fail-on",
    envvar="APIGOV_CI_FAIL_ON",
    type=click.Choice(list(FAIL_ON), case_sensitive=False),
    default=None,
    help="Fail the gate at this level, for check and diff alike (default: lint.fail-on and "
    "diff.fail-on of apigov.yaml, else error / breaking). Env: APIGOV_CI_FAIL_ON.",
)
@click.option(
    "--formats",
    envvar="APIGOV_CI_FORMATS",
    default="github,markdown,sarif",
    show_default=True,
    help="What to write: github (annotations in the log), text (the reports in the log), "
    "markdown (the job summary), sarif (--sarif-file). Env: APIGOV_CI_FORMATS.",
)
@click.option(
    "--sarif-file",
    envvar="APIGOV_CI_SARIF_FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("apigov.sarif"),
    show_default=True,
    help="Where the SARIF log for code scanning goes. Env: APIGOV_CI_SARIF_FILE.",
)
@click.option(
    "--can-i-deploy",
    "can_i_deploy",
    envvar="APIGOV_CI_CAN_I_DEPLOY",
    default=None,
    metavar="ENVIRONMENT",
    help="Ask can-i-deploy whether --pacticipant at --pacticipant-version may go to this "
    "environment (needs a registry); its answer and reasons go to the report, the can-i-deploy "
    "output is true or false, and a no fails the gate. Env: APIGOV_CI_CAN_I_DEPLOY.",
)
@click.option(
    "--pacticipant",
    envvar="APIGOV_CI_PACTICIPANT",
    default=None,
    metavar="NAMES",
    help="The service(s) can-i-deploy asks about, space- or comma-separated, deployed together "
    "(default: pacticipant: of apigov.yaml, else the repository's name from GITHUB_REPOSITORY). "
    "Env: APIGOV_CI_PACTICIPANT.",
)
@click.option(
    "--pacticipant-version",
    envvar="APIGOV_CI_PACTICIPANT_VERSION",
    default=None,
    metavar="VERSION",
    help="Their version (default: the pull request's head commit, else GITHUB_SHA). "
    "Env: APIGOV_CI_PACTICIPANT_VERSION.",
)
@click.option(
    "--registry",
    "-r",
    "registry",
    default=None,
    metavar="LOCATION",
    help="The registry with the pacts, verification results and deployments (default: "
    "APIGOV_REGISTRY, else registry: of apigov.yaml). With one, each breaking change of the diff "
    "names the consumers it affects (as apigov diff --consumers), and --can-i-deploy can run.",
)
@click.option(
    "--comment/--no-comment",
    envvar="APIGOV_CI_COMMENT",
    default=True,
    show_default=True,
    help="Post the report as one pull-request comment, edited in place on later runs (needs "
    "GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and httpx: pip install 'apigov[ci]').",
)
@click.option(
    "--comment-key",
    envvar="APIGOV_CI_COMMENT_KEY",
    default=COMMENT_KEY_DEFAULT,
    show_default=True,
    help="Names the comment, for several gates on one pull request (letters, digits, . _ -).",
)
@click.option(
    "--comment-author",
    envvar="APIGOV_CI_COMMENT_AUTHOR",
    default=DEFAULT_AUTHOR,
    show_default=True,
    help="Only a comment by this login is edited (the token's identity; empty: any).",
)
def github_command(
    contracts: str | None,
    base_ref: str | None,
    fail_on: str | None,
    formats: str,
    sarif_file: Path,
    can_i_deploy: str | None,
    pacticipant: str | None,
    pacticipant_version: str | None,
    registry: str | None,
    comment: bool,
    comment_key: str,
    comment_author: str,
) -> int:
    """The pull-request gate in a GitHub Actions job.

    Checks the contracts, diffs each against the pull request's base (git:BASE:path, from where
    the branch left it), writes the job summary, the step outputs (breaking, gate, summary and
    counts) and a SARIF log, prints annotations, and posts or edits one pull-request comment.
    With a registry, the diff names the consumers each breaking change affects, and
    --can-i-deploy ENV asks the verification matrix (a no fails the gate).
    Reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH (required), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
    GITHUB_BASE_REF, GITHUB_TOKEN, GITHUB_API_URL and GITHUB_REPOSITORY. Exit 1 when the gate
    fails, 2 on bad input (environment, event, contracts, the comments API refusing).
    """
    from apigov.ci import publish
    from apigov.ci.comments import require_httpx
    from apigov.ci.environment import read_environment
    from apigov.ci.gate import choose_base, run_gate

    chosen = _formats(formats)
    if not valid_key(comment_key):
        raise ConfigError(f"--comment-key {comment_key!r} is not 1 to 64 letters, digits, '.', '_' or '-'")
    env = read_environment(os.environ)
    pr = env.pull_request
    if comment and pr is not None and env.api() is not None:
        require_httpx()  # before any work: a missing extra is a setup error
    config = project_config()
    cwd = Path.cwd()
    pr_base = (pr.base_sha, pr.base_ref) if pr else (None, None)
    base = choose_base(base_ref, pr_base, env.base_ref, env.push_before, cwd)
    result = run_gate(
        _paths(contracts),
        config,
        cwd,
        base,
        fail_on=fail_on.lower() if fail_on else None,
        version=__version__,
        workspace=env.workspace,
    )
    location = _registry(registry, config)
    if location is None:
        if can_i_deploy:
            raise ConfigError(
                "--can-i-deploy needs a registry",
                hint="give it (the action's registry input, --registry or APIGOV_REGISTRY) or set "
                "registry: in apigov.yaml",
            )
    else:
        asked = None
        if can_i_deploy:
            asked = _asked(pacticipant, pacticipant_version, config, env, pr)
        result = _with_registry(result, location, config, can_i_deploy, asked, pacticipant)
    for name in ("github", "text"):
        if name in chosen:
            publish.write_reports(result, sys.stdout, name)
    if result.deploy is not None and not result.deploy.deployable:
        click.echo(f"::error title=apigov can-i-deploy::{publish.deploy_line(result.deploy)}")
    values = publish.outputs(result)
    if "sarif" in chosen:
        with atomic_text_writer(sarif_file) as handle:
            publish.write_sarif(result, handle)
        values["sarif-file"] = str(sarif_file)
    if "markdown" in chosen and env.step_summary is not None:
        _append(
            env.step_summary, publish.summary_markdown(result) + "\n", "the job summary (GITHUB_STEP_SUMMARY)"
        )
    if env.output is not None:
        _append(env.output, publish.output_lines(values), "the step outputs (GITHUB_OUTPUT)")
    if comment and pr is not None:
        _comment(env, pr, result, comment_key, comment_author)
    click.echo(f"apigov ci: {values['summary']}")
    return 1 if result.failed else 0


_files_argument = click.argument("files", nargs=-1, type=click.Path(path_type=Path))
_hook_fail_on = click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON), case_sensitive=False),
    default=None,
    help="Fail at this level (default: lint.fail-on / diff.fail-on of apigov.yaml).",
)


@ci_group.command("pre-commit-check")
@_files_argument
@_hook_fail_on
def pre_commit_check_command(files: tuple[Path, ...], fail_on: str | None) -> int:
    """The apigov-check pre-commit hook: check the contracts among FILES.

    With contracts listed in apigov.yaml, only those are checked; otherwise every FILE that is
    an OpenAPI, AsyncAPI, JSON Schema or Avro document. Exit 1 when a finding reaches --fail-on.
    """
    from apigov.ci.gate import check_threshold
    from apigov.ci.hooks import check_files
    from apigov.cli.render import emit

    config = project_config()
    report = check_files(list(files), config, version=__version__)
    if report is None:
        return 0
    threshold = check_threshold(fail_on.lower() if fail_on else None, config)
    emit(report, "text", None, fail_on=threshold)
    return 1 if report.fails(threshold) else 0


@ci_group.command("pre-commit-diff")
@_files_argument
@_hook_fail_on
def pre_commit_diff_command(files: tuple[Path, ...], fail_on: str | None) -> int:
    """The apigov-diff pre-commit hook: diff each contract among FILES against HEAD.

    Contracts are chosen as for pre-commit-check; each is compared with its last commit
    (git:HEAD:path); a new one has nothing to compare with. Exit 1 when a change reaches --fail-on.
    """
    from apigov.ci.gate import diff_threshold
    from apigov.ci.hooks import diff_files
    from apigov.cli.render import emit

    config = project_config()
    diffs = diff_files(list(files), config, Path.cwd(), version=__version__)
    threshold = diff_threshold(fail_on.lower() if fail_on else None, config)
    for report in diffs.reports:
        emit(report, "text", None, fail_on=threshold)
    return 1 if any(report.fails(threshold) for report in diffs.reports) else 0
