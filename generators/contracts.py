"""Loading the contracts a generator renders: files (bundled and checked) or registry references.

:func:`load_contracts` is what ``apigov generate ...`` calls. A file argument is bundled under
the default ``$ref`` policy (see ``apigov bundle``); an argument ``SUBJECT@VERSION`` or
``SUBJECT@latest`` is read from the registry and keeps its subject, version and digest so the
generated output can record where it came from. ``subjects`` names the subject of a file when
apigov.yaml declares one (provenance only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import cast

from apigov.core.errors import InputError
from apigov.documents.bundle import bundle_file
from apigov.documents.kinds import detect_kind
from apigov.documents.load import decode_text, parse_text
from apigov.registry.base import RegistryBackend
from apigov.registry.refs import is_ref, parse_ref, resolve_version
from generators.base import Contract, JSONValue


def load_contracts(
    specs: Sequence[str],
    backend: Callable[[], RegistryBackend],
    *,
    cwd: Path | None = None,
    subjects: Mapping[str, str] | None = None,
) -> tuple[Contract, ...]:
    """Each spec as a :class:`Contract`, in the order given. ``backend`` is called only for references."""
    if not specs:
        raise InputError("no contracts given", hint="name contract files or SUBJECT@VERSION references")
    store: RegistryBackend | None = None
    contracts: list[Contract] = []
    for spec in specs:
        if is_ref(spec, cwd=cwd):
            ref = parse_ref(spec)
            store = store or backend()
            stored = store.get_version(ref.subject, resolve_version(store, ref))
            label = f"{stored.subject}@{stored.version}"
            text = decode_text(stored.content, source=label)
            data = parse_text(text, "json" if stored.format == "json" else "yaml", source=label)
            contracts.append(
                Contract(
                    name=label,
                    kind=stored.kind,
                    document=_mapping(data, label),
                    subject=stored.subject,
                    version=str(stored.version),
                    digest=stored.digest,
                )
            )
            continue
        path = Path(spec) if cwd is None else cwd / spec
        bundled = bundle_file(path, source=spec)
        kind, _ = detect_kind(bundled.document.data, path, source=spec)
        contracts.append(
            Contract(
                name=spec,
                kind=kind.value,
                document=_mapping(bundled.document.data, spec),
                subject=(subjects or {}).get(spec),
            )
        )
    return tuple(contracts)


def _mapping(data: object, source: str) -> Mapping[str, JSONValue]:
    if not isinstance(data, dict):
        raise InputError(f"{source}: a contract must be a mapping at the top level")
    return cast("Mapping[str, JSONValue]", data)
