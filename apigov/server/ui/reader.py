"""The registry reads of the UI's pages, with bounded caches.

Published versions are immutable, so what is derived from one (its parsed document, summary,
outline, and the diff of two) is cached by ``subject@version`` for as long as the process runs
(least recently used first out). Subject indexes, the catalog, pacts and deployments change and
are read on every request (pacts and fuzz runs at most once a second).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from apigov.contract.model import PactState
from apigov.core._types import JSONValue
from apigov.registry.base import RegistryBackend, SemVer, StoredVersion, SubjectInfo
from apigov.registry.pages import CatalogPage, HistoryEntry, catalog_page, history, latest_index, search_words
from apigov.server.ui.summary import Summary, parse_document, summarise

__all__ = ["Lru", "Reader"]

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """At most ``limit`` items, the least recently used dropped first (thread-safe)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: K) -> V | None:
        with self._lock:
            return self._items.get(key)

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return value


class Reader:
    """What the pages read, over one backend (and the pact and fuzz-run stores beside it)."""

    def __init__(self, backend: RegistryBackend) -> None:
        self.backend = backend
        self._versions: Lru[tuple[str, SemVer], StoredVersion] = Lru(512)
        self._documents: Lru[str, JSONValue] = Lru(512)
        self._summaries: Lru[str, Summary] = Lru(20_000)
        self.derived: Lru[tuple[str, ...], Any] = Lru(512)
        """Outlines of versions, by digest."""
        self.views: Lru[tuple[str, ...], Any] = Lru(64)
        """Diffs and laid-out graphs, keyed by what they were computed from (apart from the
        outlines, so browsing many subjects never drops a layout that took a second)."""
        self.pact_operations: Lru[str, list[tuple[str, str]]] = Lru(20_000)
        """The interactions of each pact, by digest (pacts are immutable too)."""
        self._pacts: tuple[float, PactState | None] | None = None
        self._latest: tuple[float, list[tuple[str, SemVer, str]]] | None = None
        self._pact_store: Any = None
        self._fuzz_store: Any = None

    # ------------------------------------------------------------------ contracts

    def subject(self, name: str) -> SubjectInfo:
        return self.backend.subject(name)

    def version(self, subject: str, version: SemVer) -> StoredVersion:
        return self._versions.get((subject, version), lambda: self.backend.get_version(subject, version))

    def document(self, stored: StoredVersion) -> JSONValue:
        return self._documents.get(stored.digest, lambda: parse_document(stored))

    def summary(self, stored: StoredVersion) -> Summary:
        return self._summaries.get(stored.digest, lambda: summarise(stored.kind, self.document(stored)))

    def catalog(self, search: str, offset: int, limit: int) -> CatalogPage:
        """A page of the catalog: without a search, paged by the backend (in SQL on PostgreSQL);
        with one, the subjects whose name or latest version's title, description, owner or tags
        hold every word (the summaries of the latest versions are kept, so only a new version is
        read again)."""
        latest = lambda info: self.version(info.name, info.versions[-1])  # noqa: E731
        words = search_words(search)
        if not words:
            page = catalog_page(self.backend, offset, limit, latest=latest)
        else:
            index = self._index()
            missing = [name for name, _, digest in index if self._summaries.peek(digest) is None]
            if missing:  # read in one go (one query on PostgreSQL), the first time only
                for _, stored in catalog_page(self.backend, 0, len(missing), names=missing).rows:
                    self.summary(stored)
            matched = []
            for name, version, digest in index:
                summary = self._summaries.peek(digest) or self.summary(self.version(name, version))
                if all(word in name or word in summary.words for word in words):
                    matched.append(name)
            shown = catalog_page(
                self.backend, 0, limit, latest=latest, names=matched[offset : offset + limit]
            )
            page = CatalogPage(len(matched), shown.rows)
        for _, stored in page.rows:  # the page's versions are what the subject pages read next
            self._versions.get((stored.subject, stored.version), lambda s=stored: s)  # type: ignore[misc]
        return page

    def _index(self) -> list[tuple[str, SemVer, str]]:
        """Every subject's latest version and digest, at most 5 s old."""
        known = self._latest
        if known is None or time.monotonic() - known[0] > 5:
            self._latest = known = (time.monotonic(), latest_index(self.backend))
        return known[1]

    def history(self, info: SubjectInfo) -> list[HistoryEntry]:
        return history(self.backend, info.name, info)

    # ------------------------------------------------------------------ pacts and fuzz runs

    def pacts(self) -> PactState | None:
        """The pact store's snapshot (``None`` when this backend keeps no pacts), at most 1 s old."""
        known = self._pacts
        if known is not None and time.monotonic() - known[0] < 1.0:
            return known[1]
        from apigov.contract.store import pact_store_of
        from apigov.core.errors import BackendUnavailable

        state: PactState | None
        try:
            if self._pact_store is None:
                self._pact_store = pact_store_of(self.backend)
            state = self._pact_store.snapshot()
        except BackendUnavailable:
            state = None
        self._pacts = (time.monotonic(), state)
        return state

    def pact_content(self, digest: str) -> bytes:
        if self._pact_store is None:
            self.pacts()
        if self._pact_store is None:
            return b"{}"
        content: bytes = self._pact_store.content(digest)
        return content

    def fuzz_runs(self, subject: str, version: SemVer) -> list[dict[str, Any]]:
        from apigov.core.errors import BackendUnavailable
        from apigov.fuzz.store import store_of

        try:
            if self._fuzz_store is None:
                self._fuzz_store = store_of(self.backend)
            runs: list[dict[str, Any]] = self._fuzz_store.runs(subject, str(version))
        except BackendUnavailable:
            return []
        return runs
