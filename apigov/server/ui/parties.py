"""Which pacticipant (a service in the pacts) a subject describes, and back.

Pacts name services (``orders``); the registry names contracts (``orders-api``). A subject is
the contract of pacticipant ``P`` when apigov.yaml's ``gateway.services.P.contract`` names it,
else when it is ``P-api`` or ``P`` itself (the shop's convention, and Pact Broker's usual one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from apigov.config.project import Config

__all__ = ["Parties"]


class Parties:
    """The mapping for one registry (its subjects) and one configuration."""

    def __init__(self, config: Config, exists: Callable[[str], bool]) -> None:
        self._exists = exists
        self._configured: dict[str, str] = {}
        gateway = config.sections.get("gateway")
        services = gateway.get("services") if isinstance(gateway, Mapping) else None
        if isinstance(services, Mapping):
            for name, settings in services.items():
                if isinstance(settings, Mapping) and isinstance(settings.get("contract"), str):
                    self._configured[str(name)] = str(settings["contract"])

    def subject_of(self, pacticipant: str) -> str | None:
        """The subject holding ``pacticipant``'s contract, ``None`` when there is none."""
        configured = self._configured.get(pacticipant)
        for candidate in (configured, f"{pacticipant}-api", pacticipant):
            if candidate and self._exists(candidate):
                return candidate
        return None

    def pacticipant_of(self, subject: str, known: Iterable[str]) -> str | None:
        """The pacticipant among ``known`` whose contract ``subject`` is."""
        for name in known:
            if self.subject_of(name) == subject:
                return name
        return None
