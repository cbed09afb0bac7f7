"""The shop's payments service: an in-memory Starlette app honouring ``payments/v1|v2/openapi.yaml``.

Run it with ``python -m examples.shop.services.payments --port 0 [--contract-version 2]``.
"""

from __future__ import annotations

from typing import Any

from examples.shop.services._engine import ServiceSpec, build_app

SPEC = ServiceSpec(
    name="payments",
    actions={
        "capturePayment": ("capturing", ("captured", "capturing", "refunded", "partially-refunded", "voided", "failed")),
        "voidPayment": ("voided", ("captured", "capturing", "refunded", "partially-refunded", "voided", "failed")),
        "createRefund": (None, ("requires-action", "authorized", "refunded", "voided", "failed")),
    },
    frozen=("voided", "failed"),
)


def app(version: int = 1, bug: str | None = None) -> Any:
    """The ASGI application (contract ``version``, deliberate ``bug`` or none)."""
    return build_app(SPEC, version, bug)
