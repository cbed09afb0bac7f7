"""backoffice-job's pact with orders (pact-python 4 consumer DSL)."""

from __future__ import annotations

from pathlib import Path

from pact import Pact, match

from examples.shop.consumers.backoffice_job.job import count_by_status


def test_the_job_lists_orders(pact_dir: Path) -> None:
    pact = Pact("backoffice-job", "orders").with_specification("V4")
    (
        pact.upon_receiving("backoffice-job lists orders")
        .given("an order exists", {"orderId": "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"})
        .with_request("GET", "/orders")
        .with_query_parameter("limit", "50")
        .with_header("Authorization", "Bearer shop-token")
        .will_respond_with(200)
        .with_body(
            {"items": match.each_like({"id": match.str("ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"), "status": match.str("paid")})},
            content_type="application/json",
        )
    )
    with pact.serve(addr="127.0.0.1") as server:
        counts = count_by_status(str(server.url).rstrip("/"))
    assert counts == {"paid": 1}
    pact.write_file(pact_dir, overwrite=True)
