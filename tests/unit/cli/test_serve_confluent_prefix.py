"""``apigov serve --confluent-prefix`` must not share a path with apigov's own API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

SERVER_CONTRACT = Path(__file__).parents[3] / "apigov" / "server" / "openapi.yaml"


def _own_first_segments() -> set[str]:
    paths = yaml.safe_load(SERVER_CONTRACT.read_text())["paths"]
    return {path.split("/")[1] for path in paths}


@pytest.mark.parametrize(
    "prefix", [*sorted(f"/{s}" for s in _own_first_segments()), "/v1/confluent", "/../v1"]
)
def test_a_prefix_inside_apigovs_own_api_is_exit_2(prefix: str, tmp_path: Path) -> None:
    """With '--confluent-prefix /v1', GET /v1/subjects answered apigov's listing, not Confluent's:
    a serializer configured with that URL got the wrong API for some endpoints."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "apigov",
            "serve",
            "-r",
            str(tmp_path),
            "--port",
            "0",
            "--confluent-prefix",
            prefix,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "--confluent-prefix" in done.stderr
