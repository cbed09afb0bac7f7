"""The generator interface: what a gateway target or a client language implements.

A generator is a value with a ``name``, a ``kind`` (``gateway`` or ``client``) and one method,
``generate(request) -> Output``: pure, no I/O. It receives contracts that are already loaded,
bundled and checked (:class:`Contract`), never paths, and returns files as text plus warnings
for what it could not express. Writing the files (atomically, refusing to write outside the
output folder) and ``--check`` (is the committed output stale?) are done once, here, for
every generator.

Generators are found through the entry-point group ``apigov.generators`` (name = the target or
language, value = ``module:attribute`` naming a :class:`Generator` instance), so a third-party
package adds a target by declaring an entry point; apigov's own generators are declared the
same way in ``pyproject.toml``.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Final, Literal, Protocol, runtime_checkable

from apigov.core.errors import ConfigError, InputError

ENTRY_POINT_GROUP: Final = "apigov.generators"

GeneratorKind = Literal["gateway", "client"]
JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


@dataclass(frozen=True, slots=True)
class Contract:
    """One loaded contract, bundled into a single document (every ``$ref`` points inside it).

    ``name`` is the display name (a file path as given, or ``SUBJECT@VERSION``); ``subject``,
    ``version`` and ``digest`` are set when the contract came from a registry or apigov.yaml
    names its subject, and generators record them in their output (provenance).
    """

    name: str
    kind: str  # apigov.documents.kinds value, e.g. "openapi-3.1", "asyncapi-3.0"
    document: Mapping[str, JSONValue]
    subject: str | None = None
    version: str | None = None
    digest: str | None = None


@dataclass(frozen=True, slots=True)
class GenerateRequest:
    """What a generator is asked to render.

    ``options`` holds the generator-specific command-line options (e.g. ``package-name``);
    ``settings`` is the generator's section of apigov.yaml as parsed data (e.g. ``gateway:``),
    empty when there is none. Unknown keys are the generator's to refuse (``ConfigError``).
    """

    contracts: tuple[Contract, ...]
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    settings: Mapping[str, JSONValue] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """One output file: a relative POSIX path inside the output folder, and its text."""

    path: PurePosixPath
    content: str


@dataclass(frozen=True, slots=True)
class GeneratorWarning:
    """Something the target could not express, said instead of silently dropped.

    ``subject`` names what it concerns (a route, an operation, a schema) and ``feature`` the
    policy or construct (``rate-limit``, ``xml-body``).
    """

    generator: str
    feature: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.generator}: {self.subject}: {self.feature}: {' '.join(self.message.split())}"


@dataclass(frozen=True, slots=True)
class Output:
    files: tuple[GeneratedFile, ...]
    warnings: tuple[GeneratorWarning, ...] = ()


@runtime_checkable
class Generator(Protocol):
    """A gateway target or a client language."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> GeneratorKind: ...

    @property
    def description(self) -> str: ...

    def generate(self, request: GenerateRequest) -> Output: ...


def discover(kind: GeneratorKind | None = None) -> Mapping[str, Generator]:
    """Every generator declared in the entry-point group, by name (optionally of one kind).

    A plug-in that fails to load or is not a :class:`Generator` is an error naming it, never
    skipped in silence.
    """
    found: dict[str, Generator] = {}
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            value = point.load()
        except Exception as exc:  # a plug-in's own import error, reported with its name
            raise ConfigError(
                f"generator {point.name!r} ({point.value}) failed to load: {type(exc).__name__}: {exc}",
                hint="reinstall or remove the package that declares it",
            ) from exc
        if not isinstance(value, Generator):
            raise ConfigError(
                f"generator {point.name!r} ({point.value}) is not a generator",
                hint="an apigov.generators entry point must name an object with name, kind, "
                "description and generate()",
            )
        if kind is None or value.kind == kind:
            found[point.name] = value
    return MappingProxyType(found)


def get(name: str, kind: GeneratorKind) -> Generator:
    """The generator ``name`` of ``kind``; an unknown name is an input error listing the known ones."""
    known = discover(kind)
    if name not in known:
        choices = ", ".join(known) or "none installed"
        raise ConfigError(f"unknown {kind} generator {name!r}", hint=f"choose one of: {choices}")
    return known[name]


def _target(out_dir: Path, relative: PurePosixPath) -> Path:
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise InputError(f"generator produced a path outside the output folder: {str(relative)!r}")
    return out_dir.joinpath(*relative.parts)


def stale_files(output: Output, out_dir: Path) -> list[str]:
    """Unified diffs of every file whose committed copy under ``out_dir`` differs or is missing.

    Empty when the committed output is up to date. Files under ``out_dir`` that the generator
    would not write are not reported (an output folder may hold hand-written files too).
    """
    diffs: list[str] = []
    for file in sorted(output.files, key=lambda f: f.path):
        path = _target(out_dir, file.path)
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            diffs.append(f"missing: {file.path}\n")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the committed output: {exc}") from exc
        if current != file.content:
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        file.content.splitlines(keepends=True),
                        fromfile=f"committed/{file.path}",
                        tofile=f"generated/{file.path}",
                    )
                )
            )
    return diffs


def write_output(output: Output, out_dir: Path) -> list[Path]:
    """Write every file under ``out_dir``, each atomically (temp file + rename), and return the paths.

    All paths are checked before anything is written, so a bad path leaves nothing behind.
    """
    targets = [(_target(out_dir, f.path), f) for f in sorted(output.files, key=lambda f: f.path)]
    written: list[Path] = []
    for path, file in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(file.content)
            Path(tmp).chmod(0o644)  # mkstemp creates 0600; generated files are read by other users (gateways)
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written


def unique_paths(files: Sequence[GeneratedFile]) -> tuple[GeneratedFile, ...]:
    """``files`` as a tuple, refusing two files at one path (a generator bug, said plainly)."""
    seen: set[PurePosixPath] = set()
    for file in files:
        if file.path in seen:
            raise InputError(f"two generated files share the path {str(file.path)!r}")
        seen.add(file.path)
    return tuple(files)
