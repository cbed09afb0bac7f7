"""What a registry server answers is untrusted too: an answer for another subject or version, or
content that does not match its digest, is refused before anything is written; and a client's
made-up HTTP methods cannot grow the server's metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from apigov.core.errors import InputError, RegistryError
from apigov.registry.base import SemVer, StoredVersion, VersionMeta, digest_of
from apigov.registry.http import HttpBackend
from apigov.registry.stored import write_version
from apigov.server.observe import Metrics

CONTENT = '{"type": "object"}\n'
META: dict[str, Any] = {"published_at": "2026-11-21T00:00:00Z", "publisher": "t"}


def _answering(answer: dict[str, Any]) -> HttpBackend:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer)

    return HttpBackend(
        "http://registry.test",
        client=httpx.Client(base_url="http://registry.test", transport=httpx.MockTransport(handler)),
    )


def _answer(**changes: Any) -> dict[str, Any]:
    answer = {
        "subject": "orders-value",
        "version": "1.0.0",
        "kind": "jsonschema",
        "format": "json",
        "content": CONTENT,
        "digest": digest_of(CONTENT.encode()),
        "meta": META,
    }
    return {**answer, **changes}


def test_an_honest_answer_is_taken() -> None:
    stored = _answering(_answer()).get_version("orders-value", SemVer(1, 0, 0))
    assert stored.content == CONTENT.encode()


@pytest.mark.parametrize(
    "changes",
    [
        {"subject": "../../tmp/pwned"},
        {"subject": "other-value"},
        {"version": "2.0.0"},
        {"digest": "sha256:" + "0" * 64},
    ],
)
def test_an_answer_that_is_not_the_version_asked_for_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(RegistryError, match="is not that version"):
        _answering(_answer(**changes)).get_version("orders-value", SemVer(1, 0, 0))


def test_a_stored_version_is_never_written_outside_its_directory(tmp_path: Path) -> None:
    stored = StoredVersion(
        subject="../escaped",
        version=SemVer(1, 0, 0),
        kind="jsonschema",
        format="json",
        content=b"{}",
        digest=digest_of(b"{}"),
        meta=VersionMeta.from_json(META),
    )
    with pytest.raises(InputError):
        write_version(stored, tmp_path / "inner")
    assert not (tmp_path / "escaped@1.0.0.json").exists()


def test_made_up_methods_share_one_metrics_label() -> None:
    metrics = Metrics()
    for index in range(100):
        metrics.request(f"X{index:04d}" * 100, "listSubjects", 405, 0.001)
    metrics.request("GET", "listSubjects", 200, 0.001)
    text = metrics.render()
    assert 'method="other",operation="listSubjects",status="405"} 100' in text
    assert "X0001" not in text
