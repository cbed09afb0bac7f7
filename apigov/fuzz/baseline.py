"""Known fuzz failures: a baseline file whose entries do not fail a run until they expire.

The file (YAML or JSON) holds ``failures``, each naming an ``operation`` (``METHOD /path``), a
``check``, the failure's ``fingerprint`` (from a report), a ``reason`` and an ``expires`` date
(``YYYY-MM-DD``; an expired entry no longer hides the failure)::

    failures:
      - operation: GET /orders
        check: not_a_server_error
        fingerprint: 3f1c2b9a0d4e
        reason: "ORD-412: limit=100 crashes the page query; fix in 1.4"
        expires: 2027-01-31
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from apigov.core.errors import InputError
from apigov.fuzz.model import Failure, FuzzResult

DEFAULT_EXPIRY_DAYS: Final = 90


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    operation: str
    check: str
    fingerprint: str
    reason: str
    expires: dt.date


def load_baseline(path: Path) -> tuple[BaselineEntry, ...]:
    """The entries of ``path`` (an empty baseline when the file does not exist)."""
    from apigov.documents.load import load_file

    if not path.exists():
        return ()
    data = load_file(path).data
    source = str(path)
    raw = data.get("failures") if isinstance(data, dict) else None
    if data is None or (isinstance(data, dict) and raw is None):
        return ()
    if not isinstance(raw, list):
        raise InputError("a baseline holds a list 'failures'", source=source, pointer="/failures")
    entries = []
    for index, item in enumerate(raw):
        pointer = f"/failures/{index}"
        if not isinstance(item, dict):
            raise InputError("a baseline entry is a mapping", source=source, pointer=pointer)
        missing = [k for k in ("operation", "check", "fingerprint", "reason", "expires") if not item.get(k)]
        if missing:
            raise InputError(
                f"baseline entry without {missing[0]!r}",
                source=source,
                pointer=pointer,
                hint="each entry names operation, check, fingerprint, reason and expires",
            )
        try:
            expires = dt.date.fromisoformat(str(item["expires"]))
        except ValueError as exc:
            raise InputError(
                f"expires {item['expires']!r} is not a date (YYYY-MM-DD)",
                source=source,
                pointer=pointer + "/expires",
            ) from exc
        entries.append(
            BaselineEntry(
                str(item["operation"]),
                str(item["check"]),
                str(item["fingerprint"]),
                str(item["reason"]),
                expires,
            )
        )
    return tuple(entries)


def apply_baseline(
    result: FuzzResult, entries: tuple[BaselineEntry, ...], today: dt.date | None = None
) -> FuzzResult:
    """``result`` with the failures the baseline knows (and that have not expired) moved to ``known``."""
    today = today or dt.date.today()
    live = {e.fingerprint: e for e in entries if e.expires >= today}
    new: list[Failure] = []
    known: list[tuple[Failure, str]] = list(result.known)
    for failure in result.failures:
        entry = live.get(failure.fingerprint)
        if entry is not None:
            known.append((failure, entry.reason))
        else:
            new.append(failure)
    return dataclasses.replace(result, failures=tuple(new), known=tuple(known))


def write_baseline(
    path: Path, result: FuzzResult, entries: tuple[BaselineEntry, ...], today: dt.date | None = None
) -> int:
    """Write every failure of ``result`` to ``path`` (atomically), keeping the reasons and expiry
    dates already written; new entries get a placeholder reason and expire in 90 days. Returns
    how many entries are new."""
    from apigov.core.atomic import atomic_text_writer
    from apigov.documents.dump import dump_text

    today = today or dt.date.today()
    by_fp = {e.fingerprint: e for e in entries}
    rows: list[dict[str, str]] = []
    added = 0
    failures = [*result.failures, *(f for f, _ in result.known)]
    for failure in sorted(failures, key=lambda f: (f.operation, f.check, f.fingerprint)):
        old = by_fp.get(failure.fingerprint)
        if old is None:
            added += 1
        rows.append(
            {
                "operation": failure.operation,
                "check": failure.check,
                "fingerprint": failure.fingerprint,
                "reason": old.reason if old else f"TODO: why {failure.title.lower()} is accepted for now",
                "expires": (
                    old.expires if old else today + dt.timedelta(days=DEFAULT_EXPIRY_DAYS)
                ).isoformat(),
            }
        )
    text = "# apigov fuzz baseline: known failures that do not fail a run until they expire\n"
    text += dump_text({"failures": rows}, "json" if path.suffix.lower() == ".json" else "yaml")  # type: ignore[dict-item]
    with atomic_text_writer(path) as out:
        out.write(text if path.suffix.lower() != ".json" else text.split("\n", 1)[1])
    return added
