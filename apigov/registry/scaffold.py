"""``apigov init``: find a project's contracts and plan the files that set apigov up.

Three steps, each one call: :func:`scan` walks the project (bounded: it stops after
``max_entries`` directory entries or ``max_candidates`` parsed files and says so) and keeps
the OpenAPI, Swagger, AsyncAPI, JSON Schema and Avro documents it finds, each with a proposed
registry subject; :func:`plan` turns that into the files to write (``apigov.yaml``, the
registry directory with its ``.gitignore``, a GitHub workflow using apigov's action) and the
existing ones it would overwrite; :func:`write` writes them, all or nothing.

Nothing a spec says reaches the written files but the subject names, which are derived from
titles and file names down to ``[a-z0-9-]``; paths are written as quoted strings, and a file
whose path could not be written safely (control characters, glob characters that apigov.yaml
would read as a pattern) is listed as skipped. What is never walked: hidden directories
(``.git``, ``.venv`` ...), ``node_modules``, virtual environments, build output, and registry
directories (those holding ``subject.json`` files).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from apigov.config.project import CONFIG_NAMES
from apigov.core._types import JSONValue
from apigov.core.errors import ApigovError, InputError
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.limits import Limits
from apigov.documents.load import JSON_SUFFIXES, YAML_SUFFIXES, load_file
from apigov.registry.base import MAX_SUBJECT_LENGTH, check_subject
from apigov.registry.filesystem import _GITIGNORE, SUBJECT_FILE

__all__ = [
    "DEFAULT_ACTION",
    "WORKFLOW_PATH",
    "Found",
    "Plan",
    "Scan",
    "check_action",
    "plan",
    "scan",
    "subject_name",
    "write",
]

#: Directories never walked (besides every hidden one).
SKIP_DIRS: Final = frozenset(
    {
        "node_modules",
        "venv",
        "env",
        "__pycache__",
        "site-packages",
        "dist",
        "build",
        "target",
        "out",
        "vendor",
        "bower_components",
        "coverage",
        "htmlcov",
    }
)
#: Well-known files that are YAML or JSON but never contracts.
SKIP_FILES: Final = frozenset(
    {
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "composer.json",
        "composer.lock",
        "pnpm-lock.yaml",
        "yarn.lock",
        "renovate.json",
        "mkdocs.yml",
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yaml",
        "compose.yml",
        "codecov.yml",
        ".gitlab-ci.yml",
    }
)
SUFFIXES: Final = JSON_SUFFIXES | YAML_SUFFIXES
MAX_ENTRIES: Final = 100_000
MAX_CANDIDATES: Final = 2_000
#: Larger files are not opened while looking for contracts (name one in apigov.yaml yourself).
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
#: The search stops once the files it parsed add up to this many bytes.
MAX_TOTAL_BYTES: Final = 256 * 1024 * 1024
#: A file larger than this is parsed only when its first bytes name a contract kind.
PEEK_ABOVE: Final = 1024 * 1024
_PEEK_BYTES: Final = 8192
_KIND_KEY: Final = re.compile(rb'(?:^|[{,\s])"?(?:openapi|swagger|asyncapi|\$schema)"?\s*:', re.MULTILINE)
WORKFLOW_PATH: Final = ".github/workflows/apigov.yml"
#: apigov has no release yet: the workflow names a placeholder commit the user replaces.
DEFAULT_ACTION: Final = "apigov/apigov@" + "0" * 40
CHECKOUT: Final = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
_ACTION_RE: Final = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}@[A-Za-z0-9._/-]{1,100}"
)
_SCHEMA_HINT: Final = re.compile(r"(^|[./_-])schemas?([./_-]|$)")
_UNSAFE_PATH: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069*?\[\]\\]")


@dataclass(frozen=True, slots=True)
class Found:
    """A contract found: its path relative to the root (``/``-separated), kind and subject."""

    path: str
    kind: Kind
    subject: str


@dataclass(frozen=True, slots=True)
class Scan:
    """What :func:`scan` found. ``truncated``: it stopped at a limit (``limit`` says which:
    directory entries walked, files parsed, or bytes parsed)."""

    root: Path
    found: tuple[Found, ...]
    entries: int
    parsed: int
    truncated: bool = False
    limit: str = ""
    skipped: tuple[str, ...] = ()
    """Contracts left out because their path cannot be written into apigov.yaml safely."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The files :func:`write` would write (path relative to the root, content), the directories
    it would make, and the targets that already exist (any one of them: nothing is written)."""

    root: Path
    files: tuple[tuple[str, str], ...]
    directories: tuple[str, ...]
    registry: str
    existing: tuple[str, ...] = field(default=())


def subject_name(title: str | None, path: str) -> str:
    """A kebab-case subject from a title (``Orders API`` -> ``orders-api``), else the file name
    (``events/order-created.avsc`` -> ``order-created``); ``contract`` when neither gives one."""
    for text in (title, _stem(path)):
        if not text:
            continue
        spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)  # OrderCreated -> Order-Created
        name = re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")[:60].strip("-")
        if name in ("openapi", "swagger", "asyncapi", "schema", "api", "index", "spec"):
            continue  # a generic file name says nothing: try the next
        try:
            return check_subject(name)
        except InputError:
            continue
    return "contract"


def _stem(path: str) -> str:
    name = PurePosixPath(path).name
    for suffix in (".schema.json", ".schema.yaml", ".schema.yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    stem = PurePosixPath(name).stem
    if stem.lower() in ("openapi", "swagger", "asyncapi", "api", "spec", "index"):
        parent = PurePosixPath(path).parent
        parts = [p for p in parent.parts if not re.fullmatch(r"v\d+(\.\d+)*", p)]
        return parts[-1] if parts else stem
    return stem


def _title(data: JSONValue, kind: Kind) -> str | None:
    if not isinstance(data, dict):
        return None
    if kind.family in ("openapi", "asyncapi"):
        info = data.get("info")
        title = info.get("title") if isinstance(info, dict) else None
    elif kind is Kind.AVRO:
        title = data.get("name")
    else:
        title = data.get("title")
    return title if isinstance(title, str) else None


class _Walk:
    """Candidate files under ``root`` (sorted, depth first); ``seen`` counts the directory entries
    looked at, and the walk ends (``stopped``) once it would pass ``limit``."""

    def __init__(self, root: Path, limit: int) -> None:
        self.root = root
        self.limit = limit
        self.seen = 0
        self.stopped = False

    def __iter__(self) -> Iterator[Path]:
        stack = [self.root]
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as listing:  # never more than the limit in memory
                    entries = sorted(
                        itertools.islice(listing, self.limit - self.seen + 1), key=lambda e: e.name
                    )
            except OSError:
                continue
            if directory != self.root and any(entry.name == SUBJECT_FILE for entry in entries):
                continue  # a registry subject: its versions are copies, not the project's contracts
            subdirectories = []
            for entry in entries:
                if self.seen == self.limit:
                    self.stopped = True
                    return
                self.seen += 1
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if not entry.name.startswith(".") and entry.name not in SKIP_DIRS:
                            subdirectories.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False) and _candidate(entry.name):
                        yield Path(entry.path)
                except OSError:
                    continue
            stack.extend(reversed(subdirectories))


def _candidate(name: str) -> bool:
    lowered = name.lower()
    return (
        PurePosixPath(lowered).suffix in SUFFIXES
        and name not in CONFIG_NAMES
        and lowered not in SKIP_FILES
        and not lowered.endswith(".meta.json")
    )


def _kind(path: Path, relative: str, limits: Limits) -> tuple[Kind, str | None] | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None
        if size > PEEK_ABOVE and path.suffix.lower() != ".avsc":
            with path.open("rb") as handle:  # a big data file is not parsed just to be passed over
                if not _KIND_KEY.search(handle.read(_PEEK_BYTES)):
                    return None
        document = load_file(path, source=relative, limits=limits)
        kind, _ = detect_kind(document.data, path, source=relative)
    except (ApigovError, OSError, RecursionError, MemoryError):
        return None
    if kind.family == "jsonschema" and not _declared_schema(document.data, relative):
        return None  # package.json has "type": a schema must say so ($schema) or be named so
    return kind, _title(document.data, kind)


def _declared_schema(data: JSONValue, relative: str) -> bool:
    return (isinstance(data, dict) and "$schema" in data) or bool(_SCHEMA_HINT.search(relative.lower()))


def scan(
    root: Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_candidates: int = MAX_CANDIDATES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    limits: Limits | None = None,
) -> Scan:
    """The contracts under ``root`` with unique proposed subjects, in path order."""
    if not root.is_dir():
        raise InputError(f"{root} is not a directory", hint="name the project's directory")
    root = root.resolve()
    limits = limits or Limits(max_bytes=MAX_FILE_BYTES)
    found: list[Found] = []
    detections: list[tuple[str, Kind, str | None]] = []
    skipped: list[str] = []
    used: set[str] = set()
    parsed = total = 0
    truncated, limit = False, ""
    walk = _Walk(root, max_entries)
    for path in walk:
        if parsed >= max_candidates:
            truncated, limit = True, f"{max_candidates} YAML and JSON files"
            break
        try:
            total += path.stat().st_size
        except OSError:
            continue
        if total > max_total_bytes:
            truncated, limit = True, f"{max_total_bytes // (1024 * 1024)} MiB of YAML and JSON"
            break
        parsed += 1
        relative = path.relative_to(root).as_posix()
        detected = _kind(path, relative, limits)
        if detected is None:
            continue
        if _UNSAFE_PATH.search(relative):
            skipped.append(relative.encode("unicode_escape").decode("ascii"))
            continue
        detections.append((relative, *detected))
    if walk.stopped:
        truncated, limit = True, f"{max_entries} directory entries"
    for relative, kind, title in sorted(detections):
        found.append(Found(relative, kind, _unique(subject_name(title, relative), used)))
    return Scan(root, tuple(found), walk.seen, parsed, truncated, limit, tuple(sorted(skipped)))


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 1
    while candidate in used:
        number += 1
        suffix = f"-{number}"
        candidate = name[: MAX_SUBJECT_LENGTH - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def check_action(action: str) -> str:
    """``OWNER/REPO@REF`` as a workflow's ``uses:`` may name it (nothing else reaches the file)."""
    if not _ACTION_RE.fullmatch(action):
        raise InputError(
            f"--action {action[:80]!r} is not OWNER/REPO@REF",
            hint="for example apigov/apigov@<full commit id>",
        )
    return action


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def config_text(found: tuple[Found, ...], registry: str) -> str:
    lines = [
        "# apigov project configuration, written by 'apigov init' (README: \"Configuration\").",
        "version: 1",
        "# What 'apigov check' and the CI gate check; the subject names each one in the registry",
        "# ('apigov publish PATH --subject SUBJECT').",
    ]
    if not found:
        lines += ["contracts: []    # none found: list your contract files here"]
    else:
        lines += ["contracts:"]
        for contract in found:
            lines += [
                f"  - path: {_quoted(contract.path)}    # {contract.kind.value}",
                f"    subject: {contract.subject}",
            ]
    lines += [
        "lint:",
        "  fail-on: error       # error | warning | info | none",
        "diff:",
        "  fail-on: breaking    # breaking | warning | info | none",
        "# The contract registry: a directory (relative to this file) or a URL.",
        f"registry: {_quoted(registry)}",
        "",
    ]
    return "\n".join(lines)


def workflow_text(action: str) -> str:
    pin = (
        "  # placeholder: put the full commit id of the apigov revision you use"
        if action == DEFAULT_ACTION
        else ""
    )
    return f"""\
# The apigov contract gate of every pull request, written by 'apigov init'.
# It checks the contracts of apigov.yaml, diffs each against the pull request's base branch,
# comments on the pull request and uploads SARIF to code scanning.
name: apigov
on:
  pull_request:
permissions: {{}}
jobs:
  contracts:
    runs-on: ubuntu-latest
    permissions:
      contents: read          # check out the repository
      pull-requests: write    # the one report comment
      security-events: write  # the SARIF log for code scanning
    steps:
      - uses: {CHECKOUT}
        with:
          fetch-depth: 0      # the diff reads the base branch from git
          persist-credentials: false
      - uses: {action}{pin}
        # with:                      # all optional
        #   contracts: api/openapi.yaml   # default: the contracts of apigov.yaml
        #   base-ref: main                # default: the pull request's base
        #   registry: contracts
        #   fail-on: breaking             # default: lint/diff fail-on of apigov.yaml
        #   formats: github,markdown,sarif
"""


def plan(
    found: Scan, *, registry: str = "contracts", workflow: bool = True, action: str = DEFAULT_ACTION
) -> Plan:
    """The files to write under ``found.root``, and those that already exist."""
    root = found.root
    registry_path = PurePosixPath(registry)
    if registry_path.is_absolute() or ".." in registry_path.parts or _UNSAFE_PATH.search(registry):
        raise InputError(
            f"--registry {registry!r} must be a directory inside the project",
            hint="for example contracts",
        )
    files: list[tuple[str, str]] = [("apigov.yaml", config_text(found.found, registry_path.as_posix()))]
    directories: list[str] = []
    target = root / registry_path
    existing = [name for name in CONFIG_NAMES if (root / name).exists() or (root / name).is_symlink()]
    if target.exists() and not target.is_dir():
        existing.append(registry_path.as_posix())
    elif not target.exists():
        directories.append(registry_path.as_posix())
        files.append(((registry_path / ".gitignore").as_posix(), _GITIGNORE))
    if workflow:
        files.append((WORKFLOW_PATH, workflow_text(check_action(action))))
        workflow_file = root / WORKFLOW_PATH
        if workflow_file.exists() or workflow_file.is_symlink():
            existing.append(WORKFLOW_PATH)
    return Plan(root, tuple(files), tuple(directories), registry_path.as_posix(), tuple(existing))


def write(scaffold: Plan) -> None:
    """Write every file of ``scaffold``, or none: each goes to a temporary file first, and is
    linked into place only if nothing is there (a file that appeared since :func:`plan` is not
    replaced); on any failure what was written is removed again."""
    if scaffold.existing:
        raise InputError(
            f"{scaffold.root / scaffold.existing[0]} already exists, and apigov init overwrites "
            "nothing: no file written",
            hint="remove or rename it, or leave the workflow out with --no-workflow"
            if scaffold.existing[0] == WORKFLOW_PATH
            else "remove or rename it (apigov.yaml in README says what goes in it)",
        )
    made: list[Path] = []
    placed: list[Path] = []
    temps: list[Path] = []
    try:
        staged: list[tuple[Path, Path]] = []
        for relative, content in scaffold.files:
            target = scaffold.root / relative
            _make_parents(target.parent, scaffold.root, made)
            fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temp = Path(temp_name)
            temps.append(temp)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            temp.chmod(0o644)
            staged.append((temp, target))
        for staged_file, target in staged:
            try:
                os.link(staged_file, target)  # never replaces: fails if the target exists
            except FileExistsError:
                raise InputError(
                    f"{target} appeared while apigov init ran, and apigov init overwrites nothing: "
                    "no file written"
                ) from None
            placed.append(target)
    except BaseException as exc:
        _undo(temps + placed, made)
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot write the files of apigov init in {scaffold.root}: {exc.strerror or exc}; "
                "no file written"
            ) from exc
        raise
    _undo(temps, [])


def _make_parents(directory: Path, root: Path, made: list[Path]) -> None:
    """Make ``directory`` and its missing parents under ``root``, adding each to ``made``."""
    missing: list[Path] = []
    current = directory
    while current != root and not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _undo(files: list[Path], made: list[Path]) -> None:
    """Remove ``files``, then the directories in ``made`` (innermost first)."""
    for path in files:
        with contextlib.suppress(OSError):
            path.unlink()
    for directory in reversed(made):
        with contextlib.suppress(OSError):
            directory.rmdir()
