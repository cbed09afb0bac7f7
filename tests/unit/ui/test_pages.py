"""The UI's pages over the shop registry, rendered by the real app in-process: what each page
says, its links, its security headers, and who may read it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from apigov.server.ui.access import COOKIE
from tests.unit.ui.conftest import client_of

PAGES = (
    "/ui/",
    "/ui/?q=orders",
    "/ui/subjects/orders-api",
    "/ui/subjects/orders-api/versions/1.0.0",
    "/ui/subjects/shop-events",
    "/ui/subjects/shop.inventory.inventory-reserved-value",
    "/ui/subjects/shop.orders.order-created-value",
    "/ui/subjects/orders-api/diff/1.0.0/2.0.0",
    "/ui/graph",
    "/ui/graph?environment=production",
    "/ui/deploy",
    "/ui/deploy?environment=staging",
)


def _text(html: str) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_html_with_a_strict_policy(shop: TestClient, url: str) -> None:
    response = shop.get(url)
    assert response.status_code == 200, response.text[-500:]
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert (
        "default-src 'none'" in policy
        and "script-src 'none'" in policy
        and "frame-ancestors 'none'" in policy
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text  # the UI has no script at all
    assert 'lang="en"' in response.text and '<main id="main">' in response.text


def test_errors_and_assets_carry_the_policy_too(shop: TestClient) -> None:
    for url, status in (("/ui/subjects/nope", 404), ("/ui/subjects/Bad!", 400), ("/ui/static/ui.css", 200)):
        response = shop.get(url)
        assert response.status_code == status, url
        assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "unknown subject" in shop.get("/ui/subjects/nope").text
    assert shop.get("/ui/static/../app.py").status_code == 404
    assert shop.get("/ui").status_code == 307


def test_the_catalog_lists_every_subject_with_its_facts(shop: TestClient) -> None:
    text = _text(shop.get("/ui/").text)
    assert "8 subjects." in text
    assert "orders-api Shop Orders API OpenAPI 2.0.0 2 versions NONE Orders team active" in text
    assert "shop-events Shop event backbone AsyncAPI 2.0.0 2 versions NONE Platform team" in text
    assert "shop.inventory.inventory-reserved-value" in text and "Avro" in text and "JSON Schema" in text


def test_the_catalog_searches_names_tags_and_text(shop: TestClient) -> None:
    assert "1 subject matching" in _text(shop.get("/ui/?q=Platform+team").text)
    by_name = _text(shop.get("/ui/?q=inventory-api").text)
    assert "inventory-api" in by_name and "payments-api" not in by_name
    assert "0 subjects matching" in _text(shop.get("/ui/?q=no-such-word-anywhere").text)


def test_the_catalog_is_paged(shop: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from apigov.server.routers import ui

    monkeypatch.setattr(ui, "PAGE_SIZE", 3)
    first = shop.get("/ui/").text
    assert "page 1 of 3" in first and 'rel="next" href="/ui/?page=2"' in first
    third = _text(shop.get("/ui/?page=3").text)
    assert (
        "page 3 of 3" in third and "shop.orders.order-created-value" in third and "inventory-api" not in third
    )


def test_the_subject_page_has_the_history_and_the_operations(shop: TestClient) -> None:
    html = shop.get("/ui/subjects/orders-api").text
    text = _text(html)
    assert "2.0.0 " in text and "ci@shop.example.com" in text and "2a2a2a2a2a2a on main" in text
    assert "major from 1.0.0 — diff" in text and "breaking" in text
    assert 'href="/ui/subjects/orders-api/diff/1.0.0/2.0.0"' in html
    assert "GET /orders/{orderId}" in text and "Parameters" in text
    assert 'id="op-GET--orders--orderId-"' in html
    assert "checkout-web 2.3.1" in text and "backoffice-job 1.0.0" in text  # consumers from the pacts
    assert "Undecided changes refused (breaking)" in text  # the subject's undecided level


def test_the_subject_page_outlines_events_and_schemas(shop: TestClient) -> None:
    events = _text(shop.get("/ui/subjects/shop-events").text)
    assert "shop.orders.order-created send" in events and "Message OrderCreated" in events
    v1 = _text(shop.get("/ui/subjects/shop-events/versions/1.0.0").text)
    assert "shop.orders.order-created send" in v1  # AsyncAPI 2.x: subscribe = the application sends
    avro = _text(shop.get("/ui/subjects/shop.inventory.inventory-reserved-value").text)
    assert re.search(r"orderId string yes", avro), avro[:2000]
    schema = _text(shop.get("/ui/subjects/shop.orders.order-created-value").text)
    assert "Fields" in schema and "orderId" in schema


def test_the_diff_page_renders_the_diff_model_with_consumers(shop: TestClient) -> None:
    html = shop.get("/ui/subjects/orders-api/diff/1.0.0/2.0.0").text
    text = _text(html)
    assert "Breaking:" in text
    assert "Rule" in text and "Location #/paths/" in text
    assert "checkout-web@2.3.1 (production)" in text
    assert "Counter-example" in text
    assert "apigov registry diff orders-api@1.0.0 orders-api@2.0.0" in text
    compatible = _text(shop.get("/ui/subjects/notifications-api/diff/1.0.0/1.1.0").text)
    assert "Compatible: no breaking change" in compatible


def test_the_diff_form_redirects_to_the_permalink(shop: TestClient) -> None:
    response = shop.get("/ui/subjects/orders-api/diff?base=1.0.0&revision=2.0.0")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/subjects/orders-api/diff/1.0.0/2.0.0"
    assert shop.get("/ui/subjects/orders-api/diff/1.0.0/9.9.9").status_code == 404
    assert shop.get("/ui/subjects/orders-api/diff?base=x&revision=2.0.0").status_code == 400


def test_the_graph_draws_calls_and_events(shop: TestClient) -> None:
    html = shop.get("/ui/graph").text
    assert (
        html.count('<g class="node node-service">') == 6
    )  # checkout-web, backoffice-job, orders, payments, inventory, shipping
    assert re.search(r'<a href="/ui/subjects/orders-api">\s*<g class="node node-service">', html)
    assert "checkout-web calls orders: GET /orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V" in html
    assert '<g class="edge edge-sends"><title>orders sends shop.orders.order-created' in html
    assert re.search(
        r'<a href="/ui/subjects/shop.orders.order-created-value">\s*<g class="node node-event">', html
    )
    staging = shop.get("/ui/graph?environment=staging").text
    assert "edge-calls" not in staging  # no consumer version is deployed to staging
    assert shop.get("/ui/graph?environment=nowhere").status_code == 404


def test_the_deploy_view_has_the_matrix_and_the_fuzz_runs(shop: TestClient) -> None:
    html = shop.get("/ui/deploy").text
    text = _text(html)
    assert "Can I deploy? — production" in text
    assert "checkout-web → orders" in text
    assert re.search(r'<td class="cell cell-verified"><a href="/ui/verifications/\d+">verified</a>', html)
    failed = re.search(r'<td class="cell cell-failed"><a href="(/ui/verifications/\d+)">failed</a>', html)
    assert failed is not None
    evidence = _text(shop.get(failed.group(1)).text)
    assert "failed" in evidence and "checkout-web reads an order" in evidence and "customerEmail" in evidence
    runs = re.findall(r'href="(/ui/subjects/orders-api/versions/1\.0\.0/fuzz-runs/[0-9a-f]{64})"', html)
    assert len(runs) == 2
    run = _text(shop.get(runs[0]).text)
    assert "Fuzz run of orders-api@1.0.0" in run and "not_a_server_error" in run


def test_reading_needs_a_token_unless_anonymous_reads_are_allowed(
    shop_registry: Path, read_token: str
) -> None:
    with client_of(shop_registry, anonymous=False) as client:
        asked = client.get("/ui/")
        assert asked.status_code == 401 and 'action="/ui/signin"' in asked.text
        refused = client.post(
            "/ui/signin",
            content=b"token=apigov_wrong",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert refused.status_code == 401 and COOKIE not in refused.headers.get("set-cookie", "")
        signed = client.post(
            "/ui/signin",
            content=f"token={read_token}".encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert signed.status_code == 303 and signed.headers["location"] == "/ui/"
        forged = client.post(
            "/ui/signin",
            content=f"token={read_token}".encode(),
            headers={"content-type": "application/x-www-form-urlencoded", "origin": "https://evil.example"},
        )
        assert forged.status_code == 403 and "set-cookie" not in forged.headers
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
        assert read_token not in signed.headers["location"]
        assert client.get("/ui/").status_code == 200
        assert "Sign out" in client.get("/ui/").text
        out = client.post("/ui/signout")
        assert out.status_code == 303 and 'apigov_ui=""' in out.headers["set-cookie"]
    with client_of(shop_registry, anonymous=False) as client:
        assert client.get("/ui/", headers={"Authorization": f"Bearer {read_token}"}).status_code == 200
        client.cookies.set(COOKIE, "apigov_revoked")
        assert client.get("/ui/").status_code == 401
        # the cookie is the UI's alone: the API never reads it, for a read or a write
        client.cookies.set(COOKIE, read_token)
        assert client.get("/ui/").status_code == 200
        assert client.get("/v1/subjects").status_code == 401
        assert client.post("/v1/subjects/orders-api/publish", json={"content": "x"}).status_code == 401


def test_no_ui_turns_it_off(shop_registry: Path) -> None:
    with client_of(shop_registry, ui=False) as client:
        assert client.get("/ui/").status_code == 404
        assert client.get("/v1/subjects").status_code == 200


class _Markup(HTMLParser):
    """Every element and attribute a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


@pytest.mark.parametrize(
    "url",
    [
        "/ui/",
        "/ui/subjects/hostile-api",
        "/ui/subjects/hostile-api/versions/1.0.0",
        "/ui/subjects/hostile-api/diff/1.0.0/2.0.0",
        "/ui/graph",
        "/ui/deploy",
    ],
)
def test_hostile_text_is_escaped_everywhere(hostile_registry: Path, url: str) -> None:
    with client_of(hostile_registry) as client:
        html = client.get(url).text
    markup = _Markup()
    markup.feed(html)
    assert "script" not in markup.tags and "img" not in markup.tags
    assert markup.tags.count("svg") == (1 if url == "/ui/graph" else 0)  # the graph's own
    assert not [name for name, _ in markup.attributes if name.startswith("on")]
    assert not [
        v
        for name, v in markup.attributes
        if name in ("href", "src", "action") and not v.startswith(("/", "#", "?"))
    ]
    if url != "/ui/deploy":
        assert "&lt;script&gt;" in html


def test_numbers_in_the_query_and_path_are_ascii_digits_only(shop: TestClient) -> None:
    # '²' is a digit to str.isdigit() but not to int(): the page falls back, never a 500
    assert shop.get("/ui/?page=%C2%B2").status_code == 200
    assert shop.get("/ui/subjects/orders-api?history=%C2%B2").status_code == 200
    assert shop.get("/ui/verifications/%C2%B2").status_code == 400


def test_ui_reads_and_sign_in_tries_share_the_api_rate_limits(shop_registry: Path, read_token: str) -> None:
    with client_of(shop_registry, rate_limit=0.01, rate_burst=2) as anonymous:
        answers = [anonymous.get("/ui/").status_code for _ in range(4)]
    assert answers[:2] == [200, 200] and answers[-1] == 429, answers
    with client_of(shop_registry, anonymous=False, rate_limit=0.01, rate_burst=2) as browser:
        browser.cookies.set(COOKIE, read_token)
        answers = [browser.get("/ui/").status_code for _ in range(4)]
        assert answers[-1] == 429, answers
        tries = [browser.post("/ui/signin", data={"token": "guess"}).status_code for _ in range(4)]
        assert tries[-1] == 429, tries
