"""Contract sources named on the command line: local files and ``git:REV:path``.

:func:`materialise` turns what the user typed into a local file to load. A plain path is used
as it is. ``git:REV:path`` names a file as git stores it at a revision (``git show REV:path``);
the *directory* holding it is exported from that revision into a temporary directory (removed
when the ``with`` block ends), so a spec split into several files with relative ``$ref`` loads
as it did at that revision.

``REV`` and ``path`` are untrusted text. git runs without a shell, a revision starting with
``-`` is refused, ``--end-of-options`` ends git's option parsing, and the revision is resolved
to a commit id before anything else uses it. The export is bounded by the documents limits
(``max_files``, ``max_bytes``) before it is written, and unpacked with :mod:`tarfile`'s
``data`` filter (no absolute paths, no ``..``, no device files; links leading outside are left out).

A plain path that really starts with ``git:`` can be given as ``./git:...``.
"""

from __future__ import annotations

import io
import posixpath
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from apigov.core.errors import InputError, LimitExceeded
from apigov.documents.git import run_git
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.load import JSON_SUFFIXES, YAML_SUFFIXES

GIT_PREFIX: Final = "git:"
_REGULAR_MODES: Final = frozenset({"100644", "100755"})
#: Files exported when the whole directory is over the limits (a spec at the root of a big repo).
_DOCUMENT_SUFFIXES: Final = JSON_SUFFIXES | YAML_SUFFIXES


SourceOpener = Callable[[str], AbstractContextManager["Source"]]
"""Turns a spec as typed into a :class:`Source` that exists while the ``with`` block runs
(:func:`materialise` for files and git sources; the registry layer adds ``SUBJECT@VERSION``)."""


class PathNotInRevision(InputError):
    """``git:REV:path`` names a revision that exists but a path it does not hold."""


@dataclass(frozen=True, slots=True)
class Source:
    """A contract ready to load.

    ``path``: the local file (for a git source: inside a temporary directory that exists only
    while :func:`materialise`'s ``with`` block runs). ``display``: what the user typed, for
    messages. ``root``: the directory that bounds relative ``$ref`` (the spec's directory, or the
    matching directory of the exported tree).
    """

    path: Path
    display: str
    root: Path
    #: for git sources: the revision as typed and the spec's directory relative to the repository
    rev: str | None = None
    repo_dir: str | None = None
    #: the file was written from elsewhere (a registry version) into a temporary directory: it
    #: is named ``display``, never by its temporary path
    stored: bool = False
    #: for a registry version: its subject and the kind family the subject holds
    subject: str | None = None
    kind: str | None = None
    #: a registry version: the exact reference it was read as (``orders-api@1.4.0`` for
    #: ``orders-api@latest``), so reports can say which version ``latest`` was
    resolved: str | None = None

    @property
    def renamed(self) -> bool:
        """Whether files of this source are named otherwise than by their path (see :meth:`display_for`)."""
        return self.stored or (self.rev is not None and self.repo_dir is not None)

    def display_for(self, path: Path) -> str:
        """How to name ``path`` (the spec or a file its ``$ref`` reach) in messages.

        For a git source, files of the exported tree read ``git:REV:dir/file``; for a stored
        source the spec reads ``display`` (``SUBJECT@VERSION``) and another file of its directory
        ``display:file``; anything else is shown as its path.
        """
        if not self.renamed:
            return str(path)
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except (OSError, ValueError):
            return str(path)
        if self.stored:
            return self.display if path.resolve() == self.path.resolve() else f"{self.display}:{relative}"
        assert self.repo_dir is not None
        inner = posixpath.join(self.repo_dir, relative.as_posix()) if self.repo_dir else relative.as_posix()
        return f"{GIT_PREFIX}{self.rev}:{posixpath.normpath(inner)}"


def resolve_revision(rev: str, *, cwd: Path | None = None, source: str | None = None) -> str:
    """The commit id ``rev`` names in the repository around ``cwd``.

    Raises a one-line :class:`~apigov.core.errors.InputError` (named ``source``, default the
    revision) when git is missing, ``cwd`` is not in a repository or the revision is unknown.
    """
    shown = source if source is not None else rev
    _check_revision(rev, shown)
    git = _Git(shown, cwd if cwd is not None else Path.cwd())
    git.run(["rev-parse", "--show-toplevel"], what="find the repository")
    return git.commit(rev)


def is_git_ref(spec: str) -> bool:
    """True when ``spec`` names a file at a git revision (``git:REV:path``)."""
    return spec.startswith(GIT_PREFIX)


def repository_path(display: str) -> str:
    """The file a ``git:REV:path`` name stands for in the repository (``path``); any other name
    as it is. Code-scanning annotations attach to repository files, not to revisions."""
    if not is_git_ref(display):
        return display
    _, sep, path = display[len(GIT_PREFIX) :].partition(":")
    return posixpath.normpath(path) if sep and path else display


@contextmanager
def materialise(spec: str, *, cwd: Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Iterator[Source]:
    """Yield a :class:`Source` for ``spec`` (a path, or ``git:REV:path``).

    Raises :class:`~apigov.core.errors.InputError` (one line) when the file does not exist, the
    directory is not a git repository, the revision or the path at that revision is unknown, git
    is not installed, or the exported tree is over the limits.
    """
    base = cwd if cwd is not None else Path.cwd()
    if not is_git_ref(spec):
        yield _local_source(spec, base)
        return
    rev, repo_path = _parse(spec)
    git = _Git(spec, base)
    top = Path(git.run(["rev-parse", "--show-toplevel"], what="find the repository").strip())
    prefix = git.run(["rev-parse", "--show-prefix"], what="find the repository").strip()
    inner = _repo_relative(spec, repo_path, prefix)
    commit = git.commit(rev)
    _check_file_at(git, spec, commit, inner, top, rev, _relative_hint(rev, repo_path, prefix))
    directory = posixpath.dirname(inner)
    pathspecs = _export_pathspecs(git, spec, commit, directory, top, limits)
    archive = git.run_bytes(["archive", "--format=tar", commit, "--", *pathspecs], cwd=top, what="export")
    with tempfile.TemporaryDirectory(prefix="apigov-git-") as temp:
        tree = Path(temp)
        _extract(archive, tree, spec, limits)
        path = tree.joinpath(*PurePosixPath(inner).parts)
        if not path.is_file():
            raise InputError(f"{inner!r} could not be exported from revision {rev}", source=spec)
        yield Source(path=path, display=spec, root=path.parent, rev=rev, repo_dir=directory)


def _local_source(spec: str, base: Path) -> Source:
    path = Path(spec)
    if not path.is_absolute():
        path = base / path
    try:
        exists, is_file = path.exists(), path.is_file()
    except (OSError, ValueError) as exc:  # a NUL byte, a name too long ...
        raise InputError("not a usable file name", source=spec) from exc
    if not exists:
        raise InputError("no such file", source=spec, hint="check the path")
    if not is_file:
        raise InputError("not a file", source=spec, hint="name one contract file")
    return Source(path=path, display=spec, root=path.absolute().parent)


def _parse(spec: str) -> tuple[str, str]:
    rest = spec[len(GIT_PREFIX) :]
    rev, sep, repo_path = rest.partition(":")
    if not sep or not rev or not repo_path:
        raise InputError(
            "a git source reads git:REV:path", source=spec, hint="for example git:HEAD~1:api/openapi.yaml"
        )
    _check_revision(rev, spec)
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in repo_path):
        raise InputError("control characters in a git source", source=spec)
    return rev, repo_path


def _check_revision(rev: str, source: str) -> None:
    if not rev:
        raise InputError("empty git revision", source=source, hint="name a branch, tag or commit")
    if rev.startswith("-"):
        raise InputError(
            f"revision {rev!r} starts with '-'", source=source, hint="name a branch, tag or commit"
        )
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in rev):
        raise InputError("control characters in a git revision", source=source)


def _repo_relative(spec: str, repo_path: str, prefix: str) -> str:
    """The path inside the repository: as given (like ``git show``), or, for ``./x`` and
    ``../x``, relative to the current directory's place in the repository."""
    if repo_path.startswith("/"):
        raise InputError(
            "the path of a git source is relative to the repository root, not absolute",
            source=spec,
            hint="drop the leading '/' (or write ./path for a path relative to this directory)",
        )
    relative_to_cwd = repo_path in (".", "..") or repo_path.startswith(("./", "../"))
    joined = posixpath.join(prefix, repo_path) if relative_to_cwd else repo_path
    normal = posixpath.normpath(joined)
    if normal in (".", "") or normal == ".." or normal.startswith("../"):
        raise InputError("the path of a git source leads outside the repository", source=spec)
    return normal


class _Git:
    """Runs git (never through a shell) and turns its failures into one-line input errors."""

    def __init__(self, spec: str, cwd: Path) -> None:
        self.spec = spec
        self.cwd = cwd

    def run_bytes(self, args: Sequence[str], *, what: str, cwd: Path | None = None) -> bytes:
        try:
            done = run_git(args, cwd or self.cwd)
        except FileNotFoundError as exc:
            if not (cwd or self.cwd).is_dir():
                raise InputError(f"directory {cwd or self.cwd} does not exist", source=self.spec) from exc
            raise InputError(
                "git is not installed (or not on PATH)",
                source=self.spec,
                hint="install git to read git sources",
            ) from exc
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(f"cannot run git to {what}: {exc}", source=self.spec) from exc
        if done.returncode != 0:
            message = _first_line(done.stderr)
            if "not a git repository" in message:
                raise InputError(
                    f"{self.cwd} is not inside a git repository",
                    source=self.spec,
                    hint="run apigov inside the repository, or name a file instead",
                )
            raise InputError(f"git cannot {what}: {message or 'failed'}", source=self.spec)
        return done.stdout

    def run(self, args: Sequence[str], *, what: str, cwd: Path | None = None) -> str:
        return self.run_bytes(args, what=what, cwd=cwd).decode("utf-8", "surrogateescape")

    def commit(self, rev: str) -> str:
        try:
            done = run_git(
                ["rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"], self.cwd
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(f"cannot run git to resolve the revision: {exc}", source=self.spec) from exc
        commit = done.stdout.decode("ascii", "replace").strip()
        if done.returncode != 0 or not commit or any(ch not in "0123456789abcdef" for ch in commit):
            raise InputError(
                f"unknown revision {rev!r}",
                source=self.spec,
                hint="name a branch, tag or commit of this repository (is the history fetched?)",
            )
        return commit


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        text = line.strip()
        if text.startswith(("fatal:", "error:")):
            return text.split(":", 1)[1].strip()
        if text:
            return text
    return ""


def _relative_hint(rev: str, repo_path: str, prefix: str) -> str:
    """What to say when ``git:REV:path`` names no file: where paths are relative to, and, run in a
    subdirectory with a path not starting ``./``, the two ways to name a file of this directory."""
    hint = "paths in git:REV:path are relative to the repository root"
    prefix = prefix.strip("/")
    if not prefix or repo_path.startswith(("./", "../")):
        return hint + " (check the path)"
    in_here = posixpath.normpath(posixpath.join(prefix, repo_path))
    return (
        f"{hint}, not to this directory ({prefix}/): for a file here write "
        f"git:{rev}:{in_here} or git:{rev}:./{repo_path}"
    )


def _check_file_at(git: _Git, spec: str, commit: str, inner: str, top: Path, rev: str, hint: str) -> None:
    listing = git.run_bytes(["ls-tree", "-z", "--full-tree", commit, "--", inner], cwd=top, what="list")
    entries = [e for e in listing.split(b"\0") if e]
    match = None
    for entry in entries:
        meta, _, name = entry.partition(b"\t")
        if name.decode("utf-8", "surrogateescape") == inner:
            match = meta.split()
    if match is None:
        raise PathNotInRevision(f"{inner!r} does not exist at revision {rev}", source=spec, hint=hint)
    mode, kind = match[0].decode(), match[1].decode()
    if kind != "blob" or mode not in _REGULAR_MODES:
        what = "a directory" if kind == "tree" else "a symbolic link" if mode == "120000" else "not a file"
        raise InputError(f"{inner!r} is {what} at revision {rev}", source=spec, hint="name one contract file")


def _export_pathspecs(
    git: _Git, spec: str, commit: str, directory: str, top: Path, limits: Limits
) -> list[str]:
    """What to export: the spec's whole directory, or when that is over the limits (a spec at the
    root of a large repository) only its YAML and JSON files; refused when even those are over."""
    args = ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]
    if directory:
        args += ["--", directory]
    listing = git.run_bytes(args, cwd=top, what="list the revision")
    files: list[tuple[str, int]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) < 4 or fields[1] != b"blob":
            continue  # submodules are not exported
        size = int(fields[3]) if fields[3].isdigit() else 0
        files.append((name.decode("utf-8", "surrogateescape"), size))
    whole = [":(literal,top)" + directory] if directory else []
    if _within(files, limits):
        return whole
    documents = [
        (name, size) for name, size in files if PurePosixPath(name).suffix.lower() in _DOCUMENT_SUFFIXES
    ]
    if _within(documents, limits):
        return [":(literal,top)" + name for name, _ in documents]
    total = sum(size for _, size in documents)
    raise LimitExceeded(
        f"the directory {directory or '(repository root)'} holds {len(documents)} contract files "
        f"({total} bytes) at that revision, over the limits of {limits.max_files} files and "
        f"{limits.max_bytes} bytes",
        source=spec,
        hint="keep the spec in a directory of its own",
    )


def _within(files: Sequence[tuple[str, int]], limits: Limits) -> bool:
    return len(files) <= limits.max_files and sum(size for _, size in files) <= limits.max_bytes


def _data_filter(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's ``data`` filter; a link it refuses (leading outside the tree) is left out rather
    than failing the export, so an unrelated link beside the spec does not make it unreadable."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        if member.issym() or member.islnk():
            return None
        raise


def _extract(archive: bytes, into: Path, spec: str, limits: Limits) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            members = tar.getmembers()
            regular = [m for m in members if m.isfile()]
            if len(regular) > limits.max_files or sum(m.size for m in regular) > limits.max_bytes:
                raise LimitExceeded("the exported tree is over the documents limits", source=spec)
            tar.extractall(into, members=members, filter=_data_filter)  # noqa: S202 - data filter
    except tarfile.TarError as exc:
        raise InputError(f"cannot unpack the tree git exported: {exc}", source=spec) from exc
