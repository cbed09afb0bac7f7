"""checkout-web's client of the shop: what the checkout page shows about an order and its payment."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

TOKEN = "shop-token"


@dataclass(frozen=True)
class OrderSummary:
    id: str
    status: str
    total: str
    currency: str
    receipt_to: str  # the order's customerEmail: the checkout page says where the receipt goes


@dataclass(frozen=True)
class PaymentSummary:
    id: str
    status: str
    amount: str


def order_summary(base_url: str, order_id: str) -> OrderSummary:
    answer = httpx.get(f"{base_url}/orders/{order_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    answer.raise_for_status()
    data = answer.json()
    return OrderSummary(data["id"], data["status"], data["totalAmount"], data["currency"], data["customerEmail"])


def payment_summary(base_url: str, payment_id: str) -> PaymentSummary:
    answer = httpx.get(f"{base_url}/payments/{payment_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    answer.raise_for_status()
    data = answer.json()
    return PaymentSummary(data["id"], data["status"], data["amount"])
