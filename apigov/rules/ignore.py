"""Ignore files: accepted diff findings, each with a reason and maybe an expiry date.

::

    version: 1
    ignore:
      - id: response-property-enum-value-added      # a rule id
        operation: GET /pets/{petId}                 # or: pointer: "#/components/schemas/Pet"
        reason: clients treat status as an open enum
        expires: 2027-01-31                          # optional; applies through that day, not after

``expires`` is the last day the entry applies (inclusive), judged by the date of the run's
``today`` (the local date, as ``date.today()`` gives it, unless the caller passes another): an
entry with ``expires: 2027-01-31`` still applies on 2027-01-31 and stops applying on 2027-02-01.

An entry matches on the rule id plus the operation or the JSON pointer, never on message text
(messages are prose and change). ``operation`` is ``METHOD /path``: the method in any case, path
parameter names ignored (``/pets/{id}`` matches ``/pets/{petId}``); callbacks and webhooks use
their labels (``CALLBACK name POST /path``, ``WEBHOOK POST name``). ``pointer`` (with or without
the ``#``) matches the finding's location pointer or its ``base_pointer`` detail, and anything
below it.

:func:`load_ignore_file` reads and checks a file (one-line :class:`~apigov.core.errors.ConfigError`
with file and line); :func:`apply_ignores` splits findings into kept and suppressed and says
which entries expired or matched nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import ConfigError, InvalidYAML
from apigov.core.findings import Details, Finding, Location
from apigov.documents.document import Document
from apigov.documents.load import load_file
from apigov.rules.catalogue import BY_ID
from apigov.rules.openapi.notices import EXPIRED_ID, UNUSED_ID

_TOP_KEYS: Final = frozenset({"version", "ignore"})
_ENTRY_KEYS: Final = frozenset({"id", "operation", "pointer", "reason", "expires"})
_METHODS: Final = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY"})
_PARAMETER_RE: Final = re.compile(r"\{[^{}/]*\}")
_FORMAT_HINT: Final = (
    "version: 1, then 'ignore:' a list of entries with id, operation or pointer, reason, expires"
)


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One accepted finding: ``rule_id`` plus ``operation`` or ``pointer`` (exactly one)."""

    rule_id: str
    operation: str | None
    pointer: str | None
    reason: str
    expires: dt.date | None
    line: int | None

    def expired(self, today: dt.date) -> bool:
        """The entry applies through its ``expires`` day (inclusive) and no longer from the day after."""
        return self.expires is not None and today > self.expires

    def target(self) -> str:
        return self.operation if self.operation is not None else f"#{self.pointer}"

    def matches(self, finding: Finding) -> bool:
        if finding.rule_id != self.rule_id:
            return False
        if self.operation is not None:
            label = _operation_of(finding)
            return label is not None and _operation_key(label) == _operation_key(self.operation)
        prefix = self.pointer or ""
        candidates = (finding.location.pointer, finding.details.base_pointer)
        return any(p is not None and _under(p, prefix) for p in candidates)


@dataclass(frozen=True, slots=True)
class IgnoreFile:
    """A loaded ignore file: ``source`` names it in messages."""

    source: str
    entries: tuple[IgnoreEntry, ...]


def load_ignore_file(path: Path, *, known_ids: Collection[str] | None = None) -> IgnoreFile:
    """Read an ignore file (safe YAML or JSON, with the documents limits).

    Raises :class:`~apigov.core.errors.ConfigError` (``file:line: what; hint``) on unknown keys,
    a missing ``id`` or ``reason``, both or neither of ``operation`` and ``pointer``, a bad date,
    a malformed operation or pointer, and, when ``known_ids`` is given, an unknown rule id.
    """
    try:
        document = load_file(path)
    except InvalidYAML as exc:
        if exc.hint and "must not be empty" in exc.hint:  # the loader speaks of contracts
            raise ConfigError(
                "the ignore file is empty",
                source=str(path),
                hint="write 'version: 1' and an 'ignore:' list of entries (see 'apigov diff --help')",
            ) from exc
        raise
    return _Reader(document, known_ids).read()


def apply_ignores(
    findings: Sequence[Finding], ignores: IgnoreFile, *, today: dt.date
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """Split ``findings`` into ``(kept, suppressed, notices)``.

    A finding matched by an entry in force is suppressed, its ``details`` gaining
    ``ignore_reason`` (and ``ignore_expires``). Notices: ``ignore-entry-expired`` (warning) for
    each expired entry that matched a finding (the finding is kept), ``ignore-entry-unused``
    (info) for each entry that matched nothing.
    """
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    matched: set[int] = set()
    for finding in findings:
        active: IgnoreEntry | None = None
        for index, entry in enumerate(ignores.entries):
            if entry.matches(finding):
                matched.add(index)
                if active is None and not entry.expired(today):
                    active = entry
        if active is None:
            kept.append(finding)
            continue
        marked = finding.details.updated(ignore_reason=active.reason)
        if active.expires is not None:
            marked = marked.updated(ignore_expires=active.expires)
        suppressed.append(replace(finding, details=marked))
    notices: list[Finding] = []
    for index, entry in enumerate(ignores.entries):
        location = Location(file=ignores.source, pointer=f"/ignore/{index}", line=entry.line)
        about = Details.of(ignored_rule=entry.rule_id, target=entry.target())
        if index not in matched:
            notices.append(
                Finding(
                    rule_id=UNUSED_ID,
                    level=BY_ID[UNUSED_ID].level,
                    message=f"ignore entry for {entry.rule_id} at {entry.target()} matched no finding; "
                    "remove it",
                    location=location,
                    details=about,
                )
            )
        elif entry.expires is not None and entry.expired(today):
            notices.append(
                Finding(
                    rule_id=EXPIRED_ID,
                    level=BY_ID[EXPIRED_ID].level,
                    message=f"ignore entry for {entry.rule_id} at {entry.target()} expired: it applied "
                    f"through {entry.expires.isoformat()} and no longer applies",
                    location=location,
                    details=about.updated(expired=entry.expires),
                )
            )
    return kept, suppressed, notices


# --------------------------------------------------------------------------- matching


def _operation_of(finding: Finding) -> str | None:
    if finding.operation is not None:
        return finding.operation
    method, path = finding.details.method, finding.details.path
    if method and path:
        return f"{method} {path}"
    return None


def _operation_key(label: str) -> tuple[str, ...]:
    """``get /pets/{id}`` and ``GET /pets/{petId}`` are the same operation."""
    tokens = label.split()
    if len(tokens) < 2:
        return tuple(tokens)
    *prefix, method, path = tokens
    if prefix:
        prefix[0] = prefix[0].upper()
    return (*prefix, method.upper(), _PARAMETER_RE.sub("{}", path))


def _under(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, document: Document, known_ids: Collection[str] | None) -> None:
        self.document = document
        self.known_ids = known_ids

    def fail(self, pointer: str, message: str, hint: str | None = _FORMAT_HINT) -> ConfigError:
        return ConfigError(message, source=self.document.source, line=self.document.line(pointer), hint=hint)

    def read(self) -> IgnoreFile:
        data = self.document.data
        if not isinstance(data, dict):
            raise self.fail("", "an ignore file is a mapping with 'version: 1' and an 'ignore' list")
        self.unknown_keys(data, _TOP_KEYS, "", "an ignore file holds only 'version' and 'ignore'")
        version = data.get("version")
        if version != 1 or isinstance(version, bool):
            raise self.fail(
                "/version" if "version" in data else "",
                "ignore file 'version' must be 1" if "version" in data else "ignore file has no 'version: 1'",
            )
        raw = data.get("ignore")
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise self.fail("/ignore", "'ignore' must be a list of entries")
        entries = tuple(self.entry(item, f"/ignore/{index}") for index, item in enumerate(raw))
        return IgnoreFile(source=self.document.source, entries=entries)

    def unknown_keys(
        self, data: Mapping[str, JSONValue], allowed: frozenset[str], at: str, hint: str
    ) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(jsonptr.join(at, key), f"unknown key {key!r}", hint)

    def text(self, item: Mapping[str, JSONValue], key: str, at: str) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(jsonptr.join(at, key), f"'{key}' must be non-empty text")
        return value.strip()

    def entry(self, item: JSONValue, at: str) -> IgnoreEntry:
        if not isinstance(item, dict):
            raise self.fail(
                at, "an ignore entry is a mapping with 'id', 'reason' and 'operation' or 'pointer'"
            )
        self.unknown_keys(item, _ENTRY_KEYS, at, "an entry holds id, operation or pointer, reason, expires")
        rule_id = self.text(item, "id", at)
        if rule_id is None:
            raise self.fail(at, "ignore entry has no 'id'", "name the rule id it accepts")
        if self.known_ids is not None and rule_id not in self.known_ids:
            close = difflib.get_close_matches(rule_id, list(self.known_ids), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "'apigov rules' lists every id"
            raise self.fail(jsonptr.join(at, "id"), f"unknown rule id {rule_id!r}", hint)
        reason = self.text(item, "reason", at)
        if reason is None:
            raise self.fail(at, f"ignore entry for {rule_id} has no 'reason'", "say why it is accepted")
        operation = self.text(item, "operation", at)
        pointer_text = self.text(item, "pointer", at)
        if (operation is None) == (pointer_text is None):
            what = "both" if operation is not None else "neither"
            raise self.fail(
                at,
                f"ignore entry for {rule_id} has {what} of 'operation' and 'pointer'",
                "give exactly one: operation: 'GET /pets/{petId}' or pointer: '#/components/schemas/Pet'",
            )
        if operation is not None:
            self.check_operation(operation, jsonptr.join(at, "operation"))
        pointer = None if pointer_text is None else self.pointer(pointer_text, jsonptr.join(at, "pointer"))
        return IgnoreEntry(
            rule_id=rule_id,
            operation=operation,
            pointer=pointer,
            reason=reason,
            expires=self.expires(item.get("expires"), jsonptr.join(at, "expires")),
            line=self.document.line(at),
        )

    def check_operation(self, operation: str, at: str) -> None:
        tokens = operation.split()
        if len(tokens) < 2 or tokens[-2].upper() not in _METHODS:
            raise self.fail(
                at, f"operation {operation!r} does not read 'METHOD /path'", "e.g. GET /pets/{petId}"
            )

    def pointer(self, text: str, at: str) -> str:
        pointer = jsonptr.from_fragment(text[1:]) if text.startswith("#") else text
        if not pointer.startswith("/"):
            raise self.fail(
                at,
                f"pointer {text!r} is not a JSON pointer to a place in the contract",
                "e.g. '#/components/schemas/Pet'",
            )
        return pointer

    def expires(self, value: JSONValue, at: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(at, f"'expires' must be a date (YYYY-MM-DD), not {value!r}")
