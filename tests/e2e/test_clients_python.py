"""Generated Python clients: strict-clean, deterministic, and calling the shop's real services.

The shop's five v2 clients are generated once per module; mypy --strict and ruff must report
nothing; every operation is called through the sync and the async client against the running
services (examples/shop/services); resilience is checked against a flaky server of this file
whose clock, sleep and randomness are injected (no wall-clock assertions).
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.e2e._cli import apigov
from tests.e2e._clients import SERVICES, TOKEN, example_calls, generate, mypy_strict, ruff, spec

pytestmark = pytest.mark.e2e

# operations whose seeded resource is in a status that forbids them: the provider state to set first
STATES: dict[tuple[str, str], dict[str, str]] = {
    ("payments", "capture_payment"): {"status": "authorized"},
    ("payments", "void_payment"): {"status": "authorized"},
    ("notifications", "resend_notification"): {"status": "failed"},
}


@pytest.fixture(scope="module")
def shop_clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("py-clients")
    for service in SERVICES:
        generate("python", spec(service), out / service, f"shop_{service}")
    sys.path[:0] = [str(out / s) for s in SERVICES]
    yield out
    for s in SERVICES:
        sys.path.remove(str(out / s))
        for name in [m for m in sys.modules if m == f"shop_{s}" or m.startswith(f"shop_{s}.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def shop_urls() -> Iterator[dict[str, str]]:
    from examples.shop.services import start_all

    with start_all(version=2) as urls:
        yield urls


def client_module(service: str) -> ModuleType:
    return importlib.import_module(f"shop_{service}")


def test_shop_clients_pass_mypy_strict_and_ruff(shop_clients: Path) -> None:
    # one folder holding every package, so one mypy process checks them all
    flat = shop_clients / "_all"
    flat.mkdir(exist_ok=True)
    for service in SERVICES:
        target = flat / f"shop_{service}"
        if not target.exists():
            target.symlink_to(shop_clients / service / f"shop_{service}", target_is_directory=True)
    checked = mypy_strict(flat, *(f"shop_{s}" for s in SERVICES))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Success: no issues found" in checked.stdout
    for service in SERVICES:
        linted = ruff(shop_clients / service)
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_cli_generates_deterministically_and_check_reports_staleness(tmp_path: Path) -> None:
    a = apigov("generate", "client", "--lang", "python", str(spec("orders")), "-o", str(tmp_path / "a"))
    assert a.returncode == 0, a.stderr
    b = apigov("generate", "client", "--lang", "python", str(spec("orders")), "-o", str(tmp_path / "b"))
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == 7
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert b.returncode == 0
    pyproject = (tmp_path / "a" / "pyproject.toml").read_text()
    assert 'name = "shop-orders-api-client"' in pyproject
    assert 'digest = "sha256:' in pyproject
    readme = (tmp_path / "a" / "README.md").read_text()
    assert "Shop Orders API" in readme and "sha256:" in readme
    ok = apigov(
        "generate", "client", "--lang", "python", str(spec("orders")), "-o", str(tmp_path / "a"), "--check"
    )
    assert ok.returncode == 0, ok.stderr
    models = next((tmp_path / "a").rglob("models.py"))
    models.write_text(models.read_text() + "# edited\n")
    stale = apigov(
        "generate", "client", "--lang", "python", str(spec("orders")), "-o", str(tmp_path / "a"), "--check"
    )
    assert stale.returncode == 1
    assert "models.py" in stale.stdout and "stale" in stale.stderr
    events = apigov(
        "generate",
        "client",
        "--lang",
        "typescript",
        str(spec("orders").parents[2] / "events" / "v2" / "asyncapi.yaml"),
        "-o",
        str(tmp_path / "d"),
    )
    assert events.returncode == 2 and "OpenAPI" in events.stderr and events.stderr.count("\n") == 1
    assert not (tmp_path / "d").exists()
    bad = apigov(
        "generate",
        "client",
        "--lang",
        "python",
        str(spec("orders")),
        "-o",
        str(tmp_path / "c"),
        "--package-name",
        "no-dash",
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def _setup(url: str, service: str, call: Any) -> None:
    state = STATES.get((service, call.key))
    params = {}
    if state is not None:
        params = {**call.path_wire, **state}
    body = {"state": "resource", "params": params, "action": "setup"} if params else {"state": "reset"}
    httpx.post(url + "/_pact/provider-states", json=body, timeout=10).raise_for_status()


def _kwargs(module: ModuleType, call: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {ident: value for ident, _, _, value in call.other_args}
    if call.body is not None:
        assert call.body_decoder, call.key
        owner, _, attr = call.body_decoder.rpartition(".")
        decoder = getattr(getattr(module.models, owner), attr) if owner else getattr(module.models, attr)
        kwargs["body"] = decoder(call.body, "$")
    return kwargs


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_round_trips_against_the_running_service(
    shop_clients: Path, shop_urls: dict[str, str], service: str
) -> None:
    module = client_module(service)
    url = shop_urls[service]
    called = 0
    with module.Client(url, auth=module.BearerAuth(TOKEN), breaker=False) as client:
        for call in example_calls(service):
            _setup(url, service, call)
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                result = getattr(client, call.key)(
                    *(v for _, _, v in call.path_args), **_kwargs(module, call)
                )
            assert [w.category for w in seen if w.category is DeprecationWarning] == (
                [DeprecationWarning] if call.deprecated else []
            ), call.key
            if call.method != "delete":
                assert isinstance(result, module.models.__dict__.get(type(result).__name__, object)), call.key
            called += 1
    assert called >= 7


@pytest.mark.parametrize("service", ["orders", "notifications"])
def test_async_client_round_trips_too(shop_clients: Path, shop_urls: dict[str, str], service: str) -> None:
    module = client_module(service)
    url = shop_urls[service]

    async def main() -> int:
        done = 0
        async with module.AsyncClient(url, auth=module.BearerAuth(TOKEN)) as client:
            for call in example_calls(service):
                _setup(url, service, call)
                await getattr(client, call.key)(*(v for _, _, v in call.path_args), **_kwargs(module, call))
                done += 1
        return done

    assert asyncio.run(main()) >= 8


def test_errors_are_typed_and_problem_aware(shop_clients: Path, shop_urls: dict[str, str]) -> None:
    orders = client_module("orders")
    with orders.Client(shop_urls["orders"], auth=orders.BearerAuth(TOKEN)) as client:
        with pytest.raises(orders.NotFoundError) as missing:
            client.get_order("ord_01JD3YQ8ZK4T9W6M2N5P7R8S0Z")
        assert missing.value.status == 404
        assert isinstance(missing.value.body, orders.models.Problem)
        assert missing.value.problem is not None and missing.value.problem.status == 404
    with (
        orders.Client(shop_urls["orders"], auth=orders.BearerAuth("wrong")) as client,
        pytest.raises(orders.UnauthorizedError),
    ):
        client.list_orders()


def test_unset_and_value_in_requests_and_null_unset_in_responses(
    shop_clients: Path, shop_urls: dict[str, str]
) -> None:
    orders = client_module("orders")
    sent: list[bytes] = []

    def record(request: httpx.Request) -> None:
        sent.append(request.content)

    http = httpx.Client(event_hooks={"request": [record]})
    models = orders.models
    with orders.Client(shop_urls["orders"], auth=orders.BearerAuth(TOKEN), http_client=http) as client:
        order_id = "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"
        httpx.post(shop_urls["orders"] + "/_pact/provider-states", json={"state": "reset"})
        changed = client.update_order(order_id, body=models.UpdateOrderRequest(note="Ring twice"))
        address = changed.shipping_address
        kept = client.update_order(order_id, body=models.UpdateOrderRequest(shipping_address=address))
    assert sent[-2][:21] == b'{"note":"Ring twice"}'
    assert b"note" not in sent[-1] and sent[-1].startswith(b'{"shippingAddress":')  # UNSET is not sent
    assert changed.note == kept.note == "Ring twice"
    absent = _order_example()
    absent.pop("note", None)
    assert models.Order._decode(absent, "$").note is orders.UNSET
    with pytest.raises(orders.DecodeError) as wrong:
        models.Order._decode({**absent, "lines": [{"sku": 5}]}, "$")
    assert wrong.value.path.startswith("$.lines[0]")


def test_pagination_helper_follows_the_cursor(shop_clients: Path, shop_urls: dict[str, str]) -> None:
    orders = client_module("orders")
    url = shop_urls["orders"]
    httpx.post(url + "/_pact/provider-states", json={"state": "reset"})
    with orders.Client(url, auth=orders.BearerAuth(TOKEN)) as client:
        call = next(c for c in example_calls("orders") if c.key == "create_order")
        body = orders.models.CreateOrderRequest._decode(call.body, "$")
        for i in range(4):
            client.create_order(body=body, idempotency_key=f"paging-key-{i:04d}")
        pages = client.list_orders(limit=2)
        assert len(pages.items) == 2 and pages.next_cursor
        every = list(client.iter_list_orders(limit=2))
    assert len(every) >= 5
    assert len({o.id for o in every}) == len(every)


def _order_example() -> dict[str, Any]:
    from generators.contracts import load_contracts
    from tests.e2e._clients import _example, _resolve

    doc = dict(load_contracts([str(spec("orders"))], backend=lambda: None)[0].document)  # type: ignore[arg-type,return-value]
    media = _resolve(doc, doc["paths"]["/orders/{orderId}"]["get"]["responses"]["200"])["content"][
        "application/json"
    ]
    return dict(_example(doc, media))


# -- resilience against a flaky server -------------------------------------------------------------


class Flaky:
    """A scripted HTTP server: each request takes the next (status, headers) of ``plan``, then 200."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.plan: list[tuple[int, dict[str, str]]] = []
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.tokens = 0

    def app(self) -> Any:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse, Response
        from starlette.routing import Route

        async def token(request: Request) -> Response:
            self.tokens += 1
            return JSONResponse(
                {"access_token": f"tok-{self.tokens}", "token_type": "Bearer", "expires_in": 60}
            )

        async def any_route(request: Request) -> Response:
            self.seen.append((request.method, request.url.path, dict(request.headers)))
            if self.plan:
                status, headers = self.plan.pop(0)
                problem = {"type": "about:blank", "title": "scripted", "status": status}
                return JSONResponse(
                    problem, status_code=status, headers=headers, media_type="application/problem+json"
                )
            return JSONResponse(self.body, status_code=201 if request.url.path == "/orders" else 200)

        return Starlette(
            routes=[
                Route("/token", token, methods=["POST"]),
                Route("/{rest:path}", any_route, methods=["GET", "POST", "PATCH", "DELETE", "PUT"]),
            ]
        )


@pytest.fixture(scope="module")
def flaky() -> Iterator[tuple[Flaky, str]]:
    import uvicorn

    from tests.e2e._server import free_port

    server = Flaky(_order_example())
    port = free_port()
    config = uvicorn.Config(server.app(), host="127.0.0.1", port=port, log_level="error", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "flaky server did not start"
        time.sleep(0.02)
    yield server, f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _client(orders: ModuleType, url: str, clock: Clock, **kw: Any) -> Any:
    kw.setdefault("retry", orders.RetryPolicy(max_attempts=4, initial_backoff=0.5, max_backoff=2.0))
    kw.setdefault("breaker", False)
    return orders.Client(url, sleep=clock.sleep, wall_clock=clock, **kw)


def test_idempotent_calls_retry_with_full_jitter_within_bounds(
    shop_clients: Path, flaky: tuple[Flaky, str]
) -> None:
    server, url = flaky
    orders = client_module("orders")
    for rng, expected in ((lambda: 1.0, [0.5, 1.0, 2.0]), (lambda: 0.0, [0.0, 0.0, 0.0])):
        clock = Clock()
        server.plan = [(503, {}), (502, {}), (504, {})]
        server.seen.clear()
        with _client(orders, url, clock, rng=rng) as client:
            order = client.get_order("ord_1")
        assert order.id == _order_example()["id"]
        assert len(server.seen) == 4
        assert clock.sleeps == expected  # the caps 0.5 * 2^n, limited by max_backoff
    import random

    seeded = random.Random(7)
    clock = Clock()
    server.plan = [(503, {})] * 3
    with _client(orders, url, clock, rng=seeded.random) as client:
        client.get_order("ord_1")
    caps = [0.5, 1.0, 2.0]
    assert all(0.0 <= s <= cap for s, cap in zip(clock.sleeps, caps, strict=True))
    assert len(set(clock.sleeps)) == 3


def test_retry_after_is_honoured_and_attempts_are_bounded(
    shop_clients: Path, flaky: tuple[Flaky, str]
) -> None:
    server, url = flaky
    orders = client_module("orders")
    clock = Clock()
    server.plan = [(429, {"Retry-After": "7"}), (503, {"Retry-After": "3"})]
    with _client(orders, url, clock) as client:
        client.get_order("ord_1")
    assert clock.sleeps == [7.0, 3.0]
    clock = Clock()
    server.plan = [(503, {})] * 4
    server.seen.clear()
    with _client(orders, url, clock) as client, pytest.raises(orders.ServerError) as failed:
        client.get_order("ord_1")
    assert failed.value.status == 503 and len(server.seen) == 4 and len(clock.sleeps) == 3
    clock = Clock()
    server.plan = [(503, {"Retry-After": "3600"})]
    server.seen.clear()
    with _client(orders, url, clock) as client, pytest.raises(orders.ServerError):
        client.get_order("ord_1")
    assert clock.sleeps == [] and len(server.seen) == 1  # beyond max_retry_after: no retry


def test_post_is_retried_only_with_an_idempotency_key(shop_clients: Path, flaky: tuple[Flaky, str]) -> None:
    server, url = flaky
    orders = client_module("orders")
    models = orders.models
    clock = Clock()
    server.plan = [(503, {})]
    server.seen.clear()
    with _client(orders, url, clock) as client, pytest.raises(orders.ServerError):
        client.cancel_order("ord_1", body=models.CancelOrderRequest(reason="customer-request"))
    assert len(server.seen) == 1 and clock.sleeps == []
    call = next(c for c in example_calls("orders") if c.key == "create_order")
    server.plan = [(503, {}), (503, {})]
    server.seen.clear()
    with _client(orders, url, clock) as client:
        client.create_order(
            body=models.CreateOrderRequest._decode(call.body, "$"), idempotency_key="retry-key-0001"
        )
    keys = [headers.get("idempotency-key") for _, _, headers in server.seen]
    assert keys == ["retry-key-0001"] * 3  # the same key on every retry


def test_circuit_breaker_opens_and_half_opens_on_an_injected_clock(
    shop_clients: Path, flaky: tuple[Flaky, str]
) -> None:
    server, url = flaky
    orders = client_module("orders")
    clock = Clock()
    breaker = orders.CircuitBreaker(failure_threshold=3, reset_timeout=30.0, clock=clock)
    server.plan = [(500, {})] * 3
    server.seen.clear()
    with _client(orders, url, clock, breaker=breaker, retry=orders.RetryPolicy(max_attempts=1)) as client:
        for _ in range(3):
            with pytest.raises(orders.ServerError):
                client.get_order("ord_1")
        host = url.split("//", 1)[1]
        assert breaker.state(host) == "open"
        with pytest.raises(orders.CircuitOpenError):
            client.get_order("ord_1")
        assert len(server.seen) == 3  # nothing sent while open
        clock.now += 29.9
        with pytest.raises(orders.CircuitOpenError):
            client.get_order("ord_1")
        clock.now += 0.2
        assert breaker.state(host) == "half-open"
        server.plan = [(500, {})]
        with pytest.raises(orders.ServerError):
            client.get_order("ord_1")  # the trial fails: open again
        assert breaker.state(host) == "open"
        clock.now += 30.0
        assert client.get_order("ord_1").id  # the trial succeeds: closed
        assert breaker.state(host) == "closed"
        assert len(server.seen) == 5


def test_oauth2_client_credentials_fetch_and_refresh(shop_clients: Path, flaky: tuple[Flaky, str]) -> None:
    server, url = flaky
    orders = client_module("orders")
    clock = Clock()
    auth = orders.OAuth2ClientCredentials(
        url + "/token", "svc", "secret", scopes=["orders:read"], clock=clock
    )
    server.seen.clear()
    before = server.tokens
    with _client(orders, url, clock, auth=auth) as client:
        client.get_order("ord_1")
        client.get_order("ord_1")
        assert server.tokens == before + 1
        clock.now += 45  # within the 30 s leeway of the 60 s lifetime: refreshed
        client.get_order("ord_1")
        assert server.tokens == before + 2
        server.plan = [(401, {})]
        client.get_order("ord_1")  # a 401 drops the token and fetches a new one, once
        assert server.tokens == before + 3
    auths = [h.get("authorization") for _, _, h in server.seen]
    assert auths[0] == f"Bearer tok-{before + 1}" and auths[-1] == f"Bearer tok-{before + 3}"


def test_other_auth_schemes(shop_clients: Path, flaky: tuple[Flaky, str]) -> None:
    server, url = flaky
    orders = client_module("orders")
    clock = Clock()
    for auth, header, expected in (
        (orders.BearerAuth("abc"), "authorization", "Bearer abc"),
        (orders.BasicAuth("u", "p"), "authorization", "Basic dTpw"),
        (orders.ApiKeyAuth("X-Api-Key", "k1"), "x-api-key", "k1"),
    ):
        server.seen.clear()
        with _client(orders, url, clock, auth=auth) as client:
            client.get_order("ord_1")
        assert server.seen[0][2].get(header) == expected


def test_generating_from_a_registry_ref_records_subject_version_and_digest(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    published = apigov(
        "publish", str(spec("orders")), "--subject", "orders-api", "--version", "2.0.0", "-r", str(registry)
    )
    assert published.returncode == 0, published.stderr
    out = tmp_path / "client"
    made = apigov(
        "generate", "client", "--lang", "python", "orders-api@latest", "-r", str(registry), "-o", str(out)
    )
    assert made.returncode == 0, made.stderr
    pyproject = (out / "pyproject.toml").read_text()
    assert 'generated_from = "orders-api@2.0.0"' in pyproject
    assert 'subject = "orders-api"' in pyproject and 'version = "2.0.0"' in pyproject
    digest = next(line for line in pyproject.splitlines() if line.startswith("digest = "))
    readme = (out / "README.md").read_text()
    assert digest.split('"')[1] in readme and "orders-api@2.0.0" in readme
    assert (out / "orders_api_client" / "__init__.py").read_text().count(
        'GENERATED_FROM = "orders-api@2.0.0"'
    ) == 1
    unknown = apigov(
        "generate", "client", "--lang", "python", "nope-api@latest", "-r", str(registry), "-o", str(out)
    )
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_a_file_named_in_apigov_yaml_records_its_subject(tmp_path: Path) -> None:
    shop = spec("orders").parents[2]
    made = apigov(
        "generate", "client", "--lang", "python", "orders/v2/openapi.yaml", "-o", str(tmp_path), cwd=shop
    )
    assert made.returncode == 0, made.stderr
    pyproject = (tmp_path / "pyproject.toml").read_text()
    assert 'subject = "orders-api"' in pyproject and 'generated_from = "orders/v2/openapi.yaml"' in pyproject
