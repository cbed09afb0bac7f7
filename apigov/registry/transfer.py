"""``apigov registry copy`` and ``apigov registry verify`` as library calls.

:func:`copy_registry` copies every subject (kind, mode, undecided level, deprecations), every version (content,
digest, metadata, unchanged) and every global schema id (:mod:`apigov.registry.schema_ids`) from
one backend to another, so the ids inside Kafka messages keep naming the same schemas after a
move from a directory to PostgreSQL or back. Copying again is harmless (what is there is
skipped); a destination that holds something else under the same version or id is refused.

:func:`verify_registry` checks a registry's integrity: each version's content against its
digest, each schema id against the versions (an id naming no version's content, two ids for one
content, a damaged id file such as a git merge conflict, a version registered through the
Confluent API whose id was lost). On a directory registry kept in git, two branches that each
gave id 7 to a different schema meet in ``_confluent/ids/7.json``; run ``apigov registry verify``
on the merge result in CI so that merge never lands.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apigov.core.errors import RegistryError, UnknownSubject
from apigov.registry.base import RegistryBackend, digest_of
from apigov.registry.schema_ids import DirectorySchemaIds, SchemaIds, schema_ids_for

__all__ = ["CopyOutcome", "Verification", "copy_registry", "verify_registry"]

CONFLUENT_LABEL = ("via", "confluent-api")
"""The label a version registered through the Confluent API carries."""


@dataclass(slots=True)
class CopyOutcome:
    subjects: int = 0
    versions_copied: int = 0
    versions_present: int = 0
    ids_copied: int = 0


@dataclass(slots=True)
class Verification:
    location: str
    subjects: int = 0
    versions: int = 0
    ids: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _ids_of(backend: RegistryBackend) -> SchemaIds | None:
    try:
        return schema_ids_for(backend)
    except RegistryError:
        return None


def copy_registry(source: RegistryBackend, target: RegistryBackend) -> CopyOutcome:
    """Copy ``source`` into ``target`` (see the module docstring)."""
    outcome = CopyOutcome()
    source_ids = _ids_of(source)
    known = source_ids.all_ids() if source_ids is not None else {}
    target_ids = _ids_of(target)
    if known and target_ids is None:
        raise RegistryError(
            f"the registry at {target.location} keeps no schema ids; {len(known)} would be lost",
            hint="copy to a directory or a PostgreSQL registry",
        )
    for info in source.list_subjects():
        outcome.subjects += 1
        try:
            present = target.subject(info.name)
        except UnknownSubject:
            present = None
        latest = present.latest if present is not None else None
        for version in info.versions:
            stored = source.get_version(info.name, version)
            if present is not None and version in present.versions:
                if target.get_version(info.name, version).digest != stored.digest:
                    raise RegistryError(
                        f"{info.name}@{version} holds other content at {target.location}",
                        hint="copy into an empty registry, or one copied from the same source",
                    )
                outcome.versions_present += 1
                continue
            target.put_version(
                info.name,
                version,
                kind=stored.kind,
                content_format=stored.format,
                content=stored.content,
                digest=stored.digest,
                meta=stored.meta,
                expected_latest=latest,
                mode=info.mode,
            )
            latest = version
            outcome.versions_copied += 1
        copied = target.subject(info.name)
        if copied.mode is not info.mode:
            target.set_mode(info.name, info.mode)
        if copied.undecided is not info.undecided:
            target.set_undecided(info.name, info.undecided)
        for text, deprecation in info.deprecated.items():
            for version in info.versions:
                if str(version) == text:
                    target.deprecate(info.name, version, deprecation)
    if target_ids is not None and source_ids is not None:
        already = target_ids.all_ids()
        for schema_id, digest in sorted(known.items()):
            if already.get(schema_id) == digest:
                continue
            target_ids.put(schema_id, digest)
            outcome.ids_copied += 1
        for key in ("compatibility", "mode"):
            value = source_ids.setting(key)
            if value is not None:
                target_ids.set_setting(key, value)
    return outcome


def verify_registry(backend: RegistryBackend) -> Verification:
    """Every integrity problem of ``backend`` (see the module docstring)."""
    result = Verification(backend.location)
    contents: dict[str, list[str]] = {}
    confluent: dict[str, str] = {}
    for info in backend.list_subjects():
        result.subjects += 1
        for version in info.versions:
            result.versions += 1
            try:
                stored = backend.get_version(info.name, version)
            except RegistryError as exc:
                result.problems.append(f"{info.name}@{version}: {exc}")
                continue
            if digest_of(stored.content) != stored.digest:
                result.problems.append(f"{info.name}@{version}: the content does not match its digest")
            contents.setdefault(stored.digest, []).append(f"{info.name}@{version}")
            if stored.meta.labels.get(CONFLUENT_LABEL[0]) == CONFLUENT_LABEL[1]:
                confluent[stored.digest] = f"{info.name}@{version}"
    ids = _ids_of(backend)
    if ids is None:
        return result
    if isinstance(ids, DirectorySchemaIds):
        for schema_id, digest in sorted(ids.read_files()):
            if digest is None:
                result.problems.append(
                    f"_confluent/ids/{schema_id}.json is damaged (a git merge conflict? two branches "
                    f"gave id {schema_id} to different schemas)"
                )
    by_digest: dict[str, list[int]] = {}
    for schema_id, digest in sorted(ids.all_ids().items()):
        result.ids += 1
        by_digest.setdefault(digest, []).append(schema_id)
        if digest not in contents:
            result.problems.append(
                f"schema id {schema_id} names a schema no version holds ({digest[:19]}...)"
            )
    for digest, numbers in by_digest.items():
        if len(numbers) > 1:
            shown = contents.get(digest, ["no version"])[0]
            result.problems.append(
                f"one schema ({shown}) has ids {', '.join(map(str, numbers))}: two branches registered it"
            )
    for digest, where in sorted(confluent.items(), key=lambda item: item[1]):
        if digest not in by_digest:
            result.problems.append(
                f"{where} was registered through the Confluent API but has no schema id "
                "(lost in a merge? messages may carry an id that now names another schema)"
            )
    return result
