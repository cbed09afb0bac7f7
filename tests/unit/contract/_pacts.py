"""Small pact documents for the contract tests."""

from __future__ import annotations

import json


def pact(
    consumer: str = "web",
    provider: str = "orders",
    *,
    name: str = "x",
    spec: str = "3.0.0",
    interactions: int = 1,
) -> bytes:
    items = [
        {
            "description": f"get order {i}",
            "providerState": "an order exists",
            "request": {"method": "GET", "path": f"/orders/{i}"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/json"},
                "body": {"id": i, "name": name},
            },
        }
        for i in range(interactions)
    ]
    if spec.startswith("4"):
        for item in items:
            item["type"] = "Synchronous/HTTP"
    return json.dumps(
        {
            "consumer": {"name": consumer},
            "provider": {"name": provider},
            "interactions": items,
            "metadata": {"pactSpecification": {"version": spec}},
        }
    ).encode()
