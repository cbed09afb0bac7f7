"""The limits of ``apigov serve`` as units: the per-token rate (burst, refill, Retry-After), the
connection cap that fits the descriptor limit, and the uvicorn hooks the guarded protocol needs
(an incompatible uvicorn fails here, not in production)."""

from __future__ import annotations

import inspect
import resource

import pytest

from apigov.server.limits import RateLimiter


def test_a_burst_passes_then_the_rate_holds_and_refills() -> None:
    limiter = RateLimiter(rate=2.0, burst=5)
    assert [limiter.take("ci", now=100.0) for _ in range(5)] == [None] * 5
    assert limiter.take("ci", now=100.0) == 1  # empty: retry in a second
    assert limiter.take("other", now=100.0) is None  # buckets are per key
    assert limiter.take("ci", now=100.6) is None  # 1.2 requests came back
    assert limiter.take("ci", now=100.6) == 1
    assert [limiter.take("ci", now=200.0) for _ in range(5)] == [None] * 5  # full again, not more


def test_a_slow_rate_says_how_long_to_wait_and_zero_means_no_limit() -> None:
    slow = RateLimiter(rate=0.1, burst=1)
    assert slow.take("k", now=0.0) is None
    assert slow.take("k", now=0.0) == 10
    off = RateLimiter(rate=0, burst=1)
    assert all(off.take("k", now=0.0) is None for _ in range(1000))


def test_the_remembered_keys_are_bounded() -> None:
    limiter = RateLimiter(rate=1.0, burst=1, max_keys=10)
    for index in range(100):
        limiter.take(f"anonymous:{index}", now=0.0)
    assert len(limiter._buckets) == 10


@pytest.mark.parametrize(("soft", "expected_max"), [(200, 111), (1024, 640), (65536, 1000)])
def test_the_connection_cap_fits_the_descriptor_limit(
    monkeypatch: pytest.MonkeyPatch, soft: int, expected_max: int
) -> None:
    from apigov.server import run

    monkeypatch.setattr(resource, "getrlimit", lambda which: (soft, soft))
    connections, backlog = run._fitting_connections(1000)
    assert connections == expected_max
    assert connections + backlog + 64 <= soft  # one accept burst and the process's own files fit


def test_uvicorn_still_has_the_hooks_the_guarded_protocol_overrides() -> None:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    from apigov.server._uvicorn import guarded_protocol

    for name in ("connection_made", "data_received", "on_response_complete", "connection_lost"):
        assert callable(getattr(H11Protocol, name, None)), name
    source = inspect.getsource(H11Protocol)
    for attribute in ("self.cycle", "self.connections", "self.transport", "self.loop"):
        assert attribute in source, attribute
    protocol = guarded_protocol(header_timeout=1.0, max_connections=10, dropped=lambda reason: None)
    assert issubclass(protocol, H11Protocol)
