"""The shop registry the UI tests read: the contracts as ``make demo`` publishes them
(examples/demo.sh: v1 of every HTTP API, notifications v2, event schemas), plus orders v2
(published as a major version under mode NONE, so the largest shop diff is in the registry),
the event backbone v1 and v2, and the pacts, verification results and deployments of
examples/pact-demo.sh (checkout-web and backoffice-job verified by orders 1.3.0 and payments
1.0.0, checkout-web's pact failed by orders 2.0.0, everything verified deployed to production),
and two recorded fuzz runs of orders-api 1.0.0 (one failed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.contract.model import Failure, PactState, Verification, parse_pact
from apigov.contract.publish import publish_pacts
from apigov.contract.store import pact_store_of
from apigov.fuzz.store import store_of
from apigov.registry.base import RegistryBackend, parse_mode
from apigov.registry.publish import PublishRequest, publish

SHOP: Final = Path(__file__).resolve().parents[3] / "examples" / "shop"

# (file under examples/shop, subject, bump): in the order the demo publishes them
PUBLISHED: Final = (
    ("orders/v1/openapi.yaml", "orders-api"),
    ("payments/v1/openapi.yaml", "payments-api"),
    ("inventory/v1/openapi.yaml", "inventory-api"),
    ("shipping/v1/openapi.yaml", "shipping-api"),
    ("notifications/v1/openapi.yaml", "notifications-api"),
    ("events/v1/schemas/order-created.json", "shop.orders.order-created-value"),
    ("events/v1/avro/inventory-reserved.avsc", "shop.inventory.inventory-reserved-value"),
    ("notifications/v2/openapi.yaml", "notifications-api"),
    ("events/v2/schemas/order-created.json", "shop.orders.order-created-value"),
    ("events/v1/asyncapi.yaml", "shop-events"),
)


def _publish(backend: RegistryBackend, file: str, subject: str, config: Config, *, sha: str) -> None:
    outcome = publish(
        backend,
        PublishRequest(
            file=SHOP / file,
            subject=subject,
            publisher="ci@shop.example.com",
            git_sha=sha,
            git_branch="main",
            source=f"examples/shop/{file}",
        ),
        config,
    )
    assert outcome.status == "published", (file, outcome.reasons)


def load_shop(backend: RegistryBackend) -> None:
    """Fill ``backend`` (empty) with the shop registry described in the module docstring."""
    config = Config(root=SHOP)
    for index, (file, subject) in enumerate(PUBLISHED):
        _publish(backend, file, subject, config, sha=f"{index + 1:02x}" * 20)
    backend.set_mode("orders-api", parse_mode("NONE"))
    _publish(backend, "orders/v2/openapi.yaml", "orders-api", config, sha="2a" * 20)
    backend.set_mode("shop-events", parse_mode("NONE"))
    _publish(backend, "events/v2/asyncapi.yaml", "shop-events", config, sha="3b" * 20)

    pacts = pact_store_of(backend)
    at = "2026-12-05T09:00:00Z"
    files = [(str(p), p.read_bytes()) for p in sorted((SHOP / "pacts").glob("checkout-web-*.json"))]
    publish_pacts(pacts, files, consumer_version="2.3.1", branch="main", at=at)
    backoffice = SHOP / "pacts" / "backoffice-job-orders.json"
    publish_pacts(
        pacts, [(str(backoffice), backoffice.read_bytes())], consumer_version="1.0.0", branch="main", at=at
    )
    digests = {
        (parsed.consumer, parsed.provider): parsed.digest
        for parsed in (parse_pact(p.read_bytes(), str(p)) for p in (SHOP / "pacts").glob("*.json"))
    }

    def verify(state: PactState) -> None:
        for (consumer, provider), digest in sorted(digests.items()):
            version = "1.3.0" if provider == "orders" else "1.0.0"
            state.record_verification(
                Verification(
                    digest, consumer, provider, version, True, verifier="apigov pact verify", verified_at=at
                )
            )
        state.record_verification(
            Verification(
                digests[("checkout-web", "orders")],
                "checkout-web",
                "orders",
                "2.0.0",
                False,
                (
                    Failure(
                        "checkout-web reads an order",
                        "$.customerEmail: expected a value, the response has none",
                    ),
                ),
                verifier="apigov pact verify",
                verified_at="2026-12-05T10:00:00Z",
            )
        )
        for name, version in (
            ("orders", "1.3.0"),
            ("payments", "1.0.0"),
            ("backoffice-job", "1.0.0"),
            ("checkout-web", "2.3.1"),
        ):
            state.record_deployment(name, version, "production", at=at)
        state.record_deployment("orders", "2.0.0", "staging", at="2026-12-05T10:05:00Z")

    pacts.change({}, verify)

    from tests.unit.fuzz._records import run_record

    fuzz = store_of(backend)
    fuzz.add(
        run_record(
            subject="orders-api", version="1.0.0", service="1.3.0", passed=True, ended="2026-12-05T10:00:01Z"
        )
    )
    fuzz.add(
        run_record(
            subject="orders-api", version="1.0.0", service="1.3.1", passed=False, ended="2026-12-05T11:00:01Z"
        )
    )
