"""backoffice-job: a nightly job that lists the orders and counts them by status."""

from __future__ import annotations

from collections import Counter

import httpx

TOKEN = "shop-token"


def count_by_status(base_url: str) -> dict[str, int]:
    answer = httpx.get(f"{base_url}/orders", params={"limit": "50"}, headers={"Authorization": f"Bearer {TOKEN}"})
    answer.raise_for_status()
    return dict(Counter(item["status"] for item in answer.json()["items"]))
