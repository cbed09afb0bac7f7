"""8 Kafka clients x 50 registrations through 2 ``apigov serve`` replicas sharing one registry:
every distinct schema gets exactly one id, every client is told the same id for it, and no
request fails. Half the registrations race on one shared subject."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest

from tests.e2e._server import REGISTRIES, make_token, running_servers

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _schema(fields: int, name: str) -> str:
    extra = [{"name": f"f{i}", "type": "string", "default": ""} for i in range(fields)]
    return json.dumps({"type": "record", "name": name, "fields": [{"name": "id", "type": "string"}, *extra]})


@pytest.mark.parametrize("backend_name", sorted(REGISTRIES))
def test_concurrent_registrations_give_each_schema_one_id(backend_name: str, tmp_path: Path) -> None:
    location = REGISTRIES[backend_name](tmp_path)
    token = make_token(location, "publish", "producers")
    with running_servers(location, tmp_path, count=2) as servers:
        seen: list[dict[str, int]] = [{} for _ in range(8)]
        failures: list[str] = []

        def client(index: int) -> None:
            base = servers[index % 2].url + "/confluent"
            with httpx.Client(auth=("producer", token), timeout=120) as http:
                for n in range(50):
                    subject, schema = (
                        ("shared-value", _schema(n // 2, "Shared"))
                        if n % 2 == 0
                        else (
                            f"c{index}-value",
                            _schema(n // 2, f"C{index}"),
                        )
                    )
                    answer = http.post(f"{base}/subjects/{subject}/versions", json={"schema": schema})
                    if answer.status_code != 200:
                        failures.append(f"{answer.status_code} {answer.text[:300]}")
                        continue
                    seen[index][schema] = answer.json()["id"]

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        assert not failures, failures[:5]
        merged: dict[str, int] = {}
        for found in seen:
            for schema, schema_id in found.items():
                assert merged.setdefault(schema, schema_id) == schema_id, "two ids for one schema"
        assert len(merged) == 25 + 8 * 25
        assert len(set(merged.values())) == len(merged), "one id for two schemas"
        with httpx.Client(auth=("x", token), timeout=60) as http:
            for schema, schema_id in list(merged.items())[::20]:
                got = http.get(f"{servers[1].url}/confluent/schemas/ids/{schema_id}").json()
                assert json.loads(got["schema"]) == json.loads(schema)
