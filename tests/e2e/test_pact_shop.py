"""The shop's contract-testing story with real processes: the consumers' pact-python tests write
their pacts; examples/pact-demo.sh publishes them, verifies the running orders and payments
services (v1 passes, v2 fails for checkout-web), and asks can-i-deploy and diff --consumers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).parents[2]


def test_the_consumers_pact_tests_write_the_committed_interactions(tmp_path: Path) -> None:
    env = {**os.environ, "PACT_OUTPUT_DIR": str(tmp_path), "PACT_DO_NOT_TRACK": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(ROOT),
         "examples/shop/consumers"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("checkout-web-orders.json", "checkout-web-payments.json", "backoffice-job-orders.json"):
        made = json.loads((tmp_path / name).read_text())
        committed = json.loads((ROOT / "examples/shop/pacts" / name).read_text())
        assert made["interactions"] == committed["interactions"], name


@pytest.mark.slow  # 30 s: five services started, two verifications, and make demo runs it too
def test_the_pact_demo_tells_the_story(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON": sys.executable, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "examples/pact-demo.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "can checkout-web@2.3.1 be deployed to production? yes" in out
    assert "breaks checkout-web@2.3.1 (production)" in out
    assert "Actual map is missing the following keys: customerEmail" in out
    assert "$.customerEmail: the consumer expects a property the contract does not document" in out
    assert "can orders@2.0.0 be deployed to production? no" in out and "reason: verification #5 of checkout-web@2.3.1" in out
    assert "'customerId': required property removed — no known consumer uses it" in out
