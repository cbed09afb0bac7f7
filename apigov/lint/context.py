"""What a lint check receives: one bundled document, its kind, and a way to report."""

from __future__ import annotations

from dataclasses import dataclass, field

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Details, Finding, Level, Location
from apigov.documents.bundle import Bundled
from apigov.documents.kinds import Kind
from apigov.documents.refs import Workspace


@dataclass(slots=True)
class LintContext:
    """The document under check. ``data`` is the bundled document (only local ``$ref`` left)."""

    bundled: Bundled
    kind: Kind
    spec_version: str
    workspace: Workspace
    rule_id: str = ""
    level: Level = Level.ERROR
    _cache: dict[str, object] = field(default_factory=dict)

    @property
    def data(self) -> JSONValue:
        return self.bundled.document.data

    def location(self, pointer: str) -> Location:
        document, original = self.bundled.locate(pointer)
        position = document.position(original)
        if position is None:
            return Location(file=document.source, pointer=original)
        return Location(file=document.source, pointer=original, line=position[0], column=position[1])

    def finding(
        self,
        message: str,
        pointer: str,
        *,
        operation: str | None = None,
        rule_id: str | None = None,
        level: Level | None = None,
        **details: str,
    ) -> Finding:
        """A finding of the rule being run, at ``pointer`` of the bundled document."""
        api_path = details.pop("path", None) or api_path_of(pointer)
        return Finding(
            rule_id=rule_id or self.rule_id,
            level=level or self.level,
            message=message,
            location=self.location(pointer),
            operation=operation,
            details=Details.of(details) if api_path is None else Details.of(details, path=api_path),
        )

    def resolve(self, value: JSONValue) -> JSONValue:
        """Follow local ``$ref`` chains in the bundled document (cycles are already refused)."""
        seen = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 64:
            ref = value["$ref"]
            assert isinstance(ref, str)
            if not ref.startswith("#"):
                return value
            try:
                value = jsonptr.resolve(self.data, jsonptr.from_fragment(ref[1:]))
            except (jsonptr.PointerError, ValueError):
                return value
            seen += 1
        return value

    def cached(self, key: str) -> object | None:
        return self._cache.get(key)

    def remember(self, key: str, value: object) -> None:
        self._cache[key] = value


def api_path_of(pointer: str) -> str | None:
    """The API path (or channel) a pointer of the bundled document is under, if any."""
    for prefix in ("/paths/", "/channels/", "/webhooks/"):
        if pointer.startswith(prefix):
            token = pointer[len(prefix) :].split("/", 1)[0]
            return jsonptr.unescape(token)
    return None
