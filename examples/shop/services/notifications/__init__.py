"""The shop's notifications service: an in-memory Starlette app honouring ``notifications/v1|v2/openapi.yaml``.

Run it with ``python -m examples.shop.services.notifications --port 0 [--contract-version 2]``.
"""

from __future__ import annotations

from typing import Any

from examples.shop.services._engine import ServiceSpec, build_app

SPEC = ServiceSpec(
    name="notifications",
    actions={"resendNotification": ("queued", ("queued", "cancelled", "suppressed"))},
    deletable={"cancelNotification": ("sent", "failed", "suppressed", "cancelled")},
)


def app(version: int = 1, bug: str | None = None) -> Any:
    """The ASGI application (contract ``version``, deliberate ``bug`` or none)."""
    return build_app(SPEC, version, bug)
