"""checkout-web's pacts with orders and payments (pact-python 4 consumer DSL)."""

from __future__ import annotations

from pathlib import Path

from pact import Pact, match

from examples.shop.consumers.checkout_web.client import order_summary, payment_summary

ORDER_ID = "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"
PAYMENT_ID = "pay_01JD3YRB6N8Q0S2T4W6Y8A0C2E"
AUTH = "Bearer shop-token"


def test_checkout_reads_an_order(pact_dir: Path) -> None:
    pact = Pact("checkout-web", "orders").with_specification("V4")
    (
        pact.upon_receiving("checkout-web reads an order")
        .given("an order exists", {"orderId": ORDER_ID})
        .with_request("GET", f"/orders/{ORDER_ID}")
        .with_header("Authorization", AUTH)
        .will_respond_with(200)
        .with_body(
            {
                "id": match.str(ORDER_ID),
                "status": match.regex("paid", regex=r"^[a-z-]+$"),
                "totalAmount": match.str("54.85"),
                "currency": match.str("EUR"),
                "customerEmail": match.str("erika.mustermann@mail.example.com"),
            },
            content_type="application/json",
        )
    )
    with pact.serve(addr="127.0.0.1") as server:
        summary = order_summary(str(server.url).rstrip("/"), ORDER_ID)
    assert summary.receipt_to == "erika.mustermann@mail.example.com" and summary.currency == "EUR"
    pact.write_file(pact_dir, overwrite=True)


def test_checkout_reads_a_payment(pact_dir: Path) -> None:
    pact = Pact("checkout-web", "payments").with_specification("V4")
    (
        pact.upon_receiving("checkout-web reads a payment")
        .given("a payment exists", {"paymentId": PAYMENT_ID})
        .with_request("GET", f"/payments/{PAYMENT_ID}")
        .with_header("Authorization", AUTH)
        .will_respond_with(200)
        .with_body(
            {"id": match.str(PAYMENT_ID), "status": match.str("captured"), "amount": match.str("54.85")},
            content_type="application/json",
        )
    )
    with pact.serve(addr="127.0.0.1") as server:
        summary = payment_summary(str(server.url).rstrip("/"), PAYMENT_ID)
    assert summary.status == "captured"
    pact.write_file(pact_dir, overwrite=True)
