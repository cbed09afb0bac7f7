"""A publisher process for the concurrency tests:
``python -m tests.e2e._publisher REGISTRY WORKER COUNT OUT``.

Publishes ``COUNT`` JSON Schema contracts through the library's :func:`publish` (the same call
``apigov publish`` makes) into the registry at ``REGISTRY`` (a directory or a ``postgresql://``
URL), round-robin over three subjects, and writes one JSON line per publish to ``OUT``: the
outcome or the error.

- ``free`` (mode NONE): a new schema each time; always accepted, with a major bump when it
  breaks the latest;
- ``grow`` (BACKWARD): reads the latest enum and publishes it plus a value of its own; accepted,
  or refused as breaking when another publisher's value came first (the refusal must say so);
- ``fixed`` (NONE): version ``K.0.0`` always with the same content, so publishers race on the
  same versions: the first stores it, the others find it unchanged or refused as not above
  the latest.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from apigov.config.project import load_config
from apigov.core.errors import ApigovError, UnknownSubject
from apigov.registry.base import RegistryBackend, SemVer
from apigov.registry.location import open_backend
from apigov.registry.publish import PublishRequest, publish
from apigov.schema.modes import Mode


def _latest_enum(backend: RegistryBackend) -> list[str]:
    try:
        info = backend.subject("grow")
    except UnknownSubject:
        return []
    latest = info.latest
    assert latest is not None
    data = json.loads(backend.get_version("grow", latest).content)
    return list(data["enum"])


def main() -> None:
    registry, worker, count, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    backend = open_backend(registry)
    config = load_config(None)
    with tempfile.TemporaryDirectory() as temp, out.open("w", encoding="utf-8") as log:
        for index in range(count):
            subject = ("free", "grow", "fixed")[index % 3]
            version = None
            mode = Mode.NONE
            if subject == "free":
                schema: dict[str, object] = {
                    "type": "object",
                    "properties": {f"w{worker}i{index}": {"type": "integer"}},
                    "required": [f"w{worker}i{index}"],
                }
            elif subject == "grow":
                schema = {"type": "string", "enum": sorted({*_latest_enum(backend), f"w{worker}i{index}"})}
                mode = Mode.BACKWARD
            else:
                k = (index // 3 + worker) % 20 + 1
                schema = {"type": "string", "maxLength": k}
                version = str(SemVer(k, 0, 0))
            path = Path(temp) / f"{subject}-{index}.json"
            path.write_text(json.dumps(schema), encoding="utf-8")
            request = PublishRequest(
                file=path,
                subject=subject,
                version=version,
                mode=mode,
                publisher=f"worker-{worker}",
                git_sha="0" * 40,
                git_branch="test",
            )
            try:
                outcome = publish(backend, request, config)
                record: dict[str, object] = {
                    "subject": subject,
                    "status": outcome.status,
                    "version": str(outcome.version) if outcome.version else None,
                    "digest": outcome.digest,
                    "reasons": list(outcome.reasons),
                    "attempts": outcome.attempts,
                }
            except ApigovError as exc:
                record = {"subject": subject, "status": "error", "error": f"{type(exc).__name__}: {exc}"}
            log.write(json.dumps(record) + "\n")
            log.flush()


if __name__ == "__main__":
    main()
