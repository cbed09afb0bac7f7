"""Behind a proxy: ``--public-url`` makes the session cookie Secure when the proxy terminates TLS
and accepts the sign-in form from the public origin when the proxy rewrites ``Host``; and every
answer under /ui, whoever gives it (a 404, a limit), carries the UI's headers."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from starlette.testclient import TestClient

from apigov.cli.commands.serve import public_origin
from apigov.config.project import Config
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore
from apigov.server.app import ServerSettings, create_app
from apigov.server.ui.access import COOKIE, HEADERS
from tests.e2e.ui._shop import SHOP

_FORM = {"content-type": "application/x-www-form-urlencoded"}


def _client(root: Path, **settings: object) -> TestClient:
    tokens = FileTokenStore(root.parent / "tokens.json")
    app = create_app(DirectoryBackend(root), tokens, ServerSettings(**settings), Config(root=SHOP))  # type: ignore[arg-type]
    return TestClient(app, follow_redirects=False, base_url="http://10.0.0.7:8080")  # the proxy's view


def _sign_in(client: TestClient, token: str, origin: str) -> tuple[int, str]:
    answer = client.post("/ui/signin", content=f"token={token}".encode(), headers={**_FORM, "origin": origin})
    return answer.status_code, answer.headers.get("set-cookie", "")


def test_behind_a_tls_proxy_the_cookie_is_secure_and_the_public_origin_may_sign_in(
    shop_registry: Path, read_token: str
) -> None:
    with _client(shop_registry, public_url="https://registry.example.com") as client:
        status, cookie = _sign_in(client, read_token, "https://registry.example.com")
        assert status == 303 and f"{COOKIE}=" in cookie and "Secure" in cookie
        assert _sign_in(client, read_token, "https://evil.example") == (403, "")
        # the Host the proxy forwards is not the public one: without --public-url it is refused
        assert _sign_in(client, read_token, "http://10.0.0.7:8080")[0] == 403
    with _client(shop_registry) as client:  # no proxy named: the request's own Host and scheme
        assert _sign_in(client, read_token, "https://registry.example.com")[0] == 403
        status, cookie = _sign_in(client, read_token, "http://10.0.0.7:8080")
        assert status == 303 and "Secure" not in cookie


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("https://Registry.Example.com", "https://registry.example.com"),
        ("https://registry.example.com:443/", "https://registry.example.com"),
        ("http://registry.example.com:8080", "http://registry.example.com:8080"),
        ("https://[::1]:8443", "https://[::1]:8443"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
    ],
)
def test_public_url_is_read_as_the_origin_a_browser_sends(given: str, origin: str) -> None:
    assert public_origin(given) == origin


@pytest.mark.parametrize(
    "given",
    [
        "registry.example.com",
        "ftp://x.example",
        "https://u:p@x.example",
        "https://x.example/ui",
        "https://x:99999",
        "https://x:0",
        "https://a b",
        "https://%zz",
        "https://reg.example.com.",
        "https://-x.example",
    ],
)
def test_a_public_url_that_is_no_origin_is_a_usage_error(given: str) -> None:
    with pytest.raises(click.BadParameter):
        public_origin(given)


def test_every_answer_under_ui_has_the_ui_headers(shop_registry: Path) -> None:
    with _client(shop_registry, anonymous_read=True, rate_limit=1.0, rate_burst=1) as client:
        missing = client.get("/ui/no/such/page")
        wrong_method = client.delete("/ui/")
        client.get("/ui/")
        limited = client.get("/ui/")  # the burst of one is spent
        for answer in (missing, wrong_method, limited):
            assert answer.status_code in (404, 405, 429), answer.status_code
            for name, value in HEADERS.items():
                assert answer.headers.get(name) == value, (answer.status_code, name)
        api = client.get("/v1/no-such-thing")
        assert api.status_code == 404 and "content-security-policy" not in api.headers
