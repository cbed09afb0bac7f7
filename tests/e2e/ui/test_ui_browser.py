"""The web UI in a real browser: Playwright driving Debian's Chromium against a real
``apigov serve`` on the shop registry (as the demo publishes it, with its pacts).

One walk signs in with a read token, then goes catalog -> subject -> diff -> graph -> deploy
view -> evidence, asserting what each page says, running axe-core on each (no serious or
critical violation) and saving a screenshot of each to ``test-artifacts/ui/``. Other tests
check the keyboard, pages without JavaScript, and that a hostile contract runs no script.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from apigov.registry.filesystem import DirectoryBackend
from tests.e2e._server import Server, make_token, running_servers
from tests.e2e.ui._browser import axe_source, chromium, screenshot, serious_violations
from tests.e2e.ui._hostile import load_hostile
from tests.e2e.ui._shop import load_shop

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # a browser, two servers: about a minute
__all__ = ["chromium"]  # the fixture, imported for pytest


@pytest.fixture(scope="module")
def shop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    tmp = tmp_path_factory.mktemp("ui-shop")
    location = str(tmp / "registry")
    load_shop(DirectoryBackend(Path(location)))
    token = make_token(location, "read", "ui-browser")
    with running_servers(location, tmp) as servers:
        yield servers[0], token


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("ui-hostile")
    load_hostile(DirectoryBackend(tmp / "registry"), tmp)
    with running_servers(str(tmp / "registry"), tmp, extra=("--anonymous-read",)) as servers:
        yield servers[0]


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=axe_source())  # through the DevTools protocol: not a page script
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors


def _checked(page: Any, name: str, *, full: bool = True) -> None:
    """axe-core on the page (no serious or critical violation) and a screenshot."""
    assert serious_violations(page) == [], name
    screenshot(page, name, full=full)


def test_walk_catalog_subject_diff_graph_deploy(page: Any, shop_server: tuple[Server, str]) -> None:
    server, token = shop_server
    page.goto(server.url + "/ui/")
    assert page.locator("h1").inner_text() == "Sign in"
    _checked(page, "0-sign-in")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    assert page.url == server.url + "/ui/"
    cookie = next(c for c in page.context.cookies() if c["name"] == "apigov_ui")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/ui"

    # catalog
    rows = page.locator("table.catalog tbody tr")
    assert rows.count() == 8
    orders = page.locator("table.catalog tbody tr", has_text="orders-api")
    assert (
        "OpenAPI" in orders.inner_text()
        and "2.0.0" in orders.inner_text()
        and "Orders team" in orders.inner_text()
    )
    _checked(page, "1-catalog")
    page.get_by_label("Search by name, tag or text").fill("Platform team")
    page.get_by_role("button", name="Search").click()
    assert page.locator("table.catalog tbody tr").count() == 1
    page.goto(server.url + "/ui/")

    # subject
    page.get_by_role("link", name="orders-api", exact=True).click()
    assert page.locator("h1").inner_text().startswith("orders-api")
    history = page.locator("table.history tbody tr")
    assert history.count() == 2 and "major from 1.0.0" in history.first.inner_text()
    assert page.locator("article.operation").count() >= 5
    assert page.get_by_text("checkout-web", exact=True).count() >= 1
    _checked(page, "2-subject", full=False)

    # diff, from the form
    page.get_by_label("From", exact=True).select_option("1.0.0")
    page.get_by_label("To", exact=True).select_option("2.0.0")
    page.get_by_role("button", name="Show the diff").click()
    assert page.url.endswith("/ui/subjects/orders-api/diff/1.0.0/2.0.0")  # the permalink
    assert page.locator(".verdict").inner_text().startswith("Breaking:")
    assert page.locator("li.change-breaking").count() >= 1
    assert "checkout-web@2.3.1 (production)" in page.locator("main").inner_text()
    _checked(page, "3-diff", full=False)

    # graph
    page.get_by_role("link", name="Service graph").click()
    svg = page.locator("figure.graph svg")
    assert svg.count() == 1
    labels = svg.locator("g.node text").all_text_contents()
    assert {"checkout-web", "backoffice-job", "orders", "payments", "shop.orders.order-created"} <= set(
        labels
    )
    titles = svg.locator("g.edge title").all_text_contents()
    assert any(t.startswith("checkout-web calls orders: GET /orders/") for t in titles)
    _checked(page, "4-graph")
    page.get_by_label("Environment").select_option("production")
    page.get_by_role("button", name="Show").click()
    assert "environment=production" in page.url
    svg.locator("a", has=page.locator("g.node", has_text="payments")).first.click()
    assert page.url.endswith("/ui/subjects/payments-api")

    # deploy view and its evidence
    page.get_by_role("link", name="Deploy").click()
    assert page.locator("h1").inner_text() == "Can I deploy? — production"
    matrix = page.locator("table.matrix", has_text="checkout-web → orders")
    assert matrix.locator("td.cell-verified").count() >= 1 and matrix.locator("td.cell-failed").count() == 1
    _checked(page, "5-deploy")
    matrix.locator("td.cell-failed a").click()
    assert "checkout-web reads an order" in page.locator("main").inner_text()
    _checked(page, "6-verification")
    page.go_back()
    page.locator("a.cell-failed", has_text="failed").first.click()
    assert page.locator("h1").inner_text().startswith("Fuzz run of orders-api@1.0.0")
    _checked(page, "7-fuzz-run")

    # the token never reached a log line or a URL
    assert token not in "\n".join(server.log_lines())


def _tab_to(page: Any, text: str, limit: int = 20) -> None:
    """Press Tab until the focused element's text is ``text`` (failing after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == text:
            return
    raise AssertionError(f"{text!r} is not reachable with the keyboard")


def test_keyboard_reaches_everything_and_pages_read_without_javascript(
    chromium: Any, shop_server: tuple[Server, str]
) -> None:
    server, token = shop_server
    context = chromium.new_context(
        java_script_enabled=False, extra_http_headers={"Authorization": f"Bearer {token}"}
    )
    page = context.new_page()
    try:
        page.goto(server.url + "/ui/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.keyboard.press("Tab")  # the brand, then the first item of the main navigation
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Catalog"
        page.locator("#q").focus()
        page.keyboard.type("shop-events")
        page.keyboard.press("Enter")
        page.wait_for_url("**/ui/?q=shop-events")
        assert page.locator("table.catalog tbody tr").count() == 1
        _tab_to(page, "shop-events")
        page.keyboard.press("Enter")
        page.wait_for_url("**/ui/subjects/shop-events")
        assert "shop.orders.order-created" in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_a_hostile_contract_runs_no_script(chromium: Any, hostile_server: Server, bypass_csp: bool) -> None:
    """Without the policy too (``bypass_csp``): the escaping alone keeps every script out."""
    context = chromium.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    heard: list[str] = []
    page.on("dialog", lambda dialog: (heard.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: heard.append(f"console: {message.text}"))
    page.on("pageerror", lambda exc: heard.append(f"error: {exc}"))
    try:
        for path in (
            "/ui/",
            "/ui/subjects/hostile-api",
            "/ui/subjects/hostile-api/versions/1.0.0",
            "/ui/subjects/hostile-api/diff/1.0.0/2.0.0",
            "/ui/graph",
            "/ui/deploy",
        ):
            page.goto(hostile_server.url + path)
            page.wait_for_load_state("load")
            assert page.locator("script").count() == 0, path
            assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0, path
            if path == "/ui/subjects/hostile-api":
                assert "<script>alert('script')</script>" in page.locator("main").inner_text()
                screenshot(page, f"hostile-{'no-csp' if bypass_csp else 'csp'}")
        assert heard == []
    finally:
        context.close()


def test_serve_answers_no_ui_with_no_ui(tmp_path: Path) -> None:
    (tmp_path / "registry").mkdir()
    with running_servers(
        str(tmp_path / "registry"), tmp_path, extra=("--no-ui", "--anonymous-read")
    ) as servers:
        import httpx

        assert httpx.get(servers[0].url + "/ui/").status_code == 404
        assert httpx.get(servers[0].url + "/v1/subjects").status_code == 200
    done = subprocess.run(
        [sys.executable, "-m", "apigov", "serve", "--help"], capture_output=True, text=True, check=True
    )
    assert "--no-ui" in done.stdout
