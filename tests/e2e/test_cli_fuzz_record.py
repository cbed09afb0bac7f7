"""``apigov fuzz --record`` and ``apigov can-i-deploy --require-fuzz`` in real processes: a correct
shop service recorded passes the gate, a buggy one recorded fails it with a reason naming the run;
``apigov registry show --fuzz-runs`` prints the records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examples.shop.services import contract_path, start

pytestmark = pytest.mark.e2e
FAST = (
    "--auth",
    "bearer:shop-token",
    "--seed",
    "1",
    "-n",
    "2",
    "--phases",
    "examples",
    "--include",
    "listOrders",
)


def apigov(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APIGOV_")}
    return subprocess.run(
        [sys.executable, "-m", "apigov", *args],
        capture_output=True, text=True, timeout=300, check=False, cwd=cwd, env=env,
    )  # fmt: skip


def test_record_then_require_fuzz_says_yes_for_a_correct_service_and_no_for_a_buggy_one(
    tmp_path: Path,
) -> None:
    registry = str(tmp_path / "registry")
    contract = str(contract_path("orders", 1))
    published = apigov(
        "publish", contract, "--subject", "orders", "--version", "1.0.0", "--registry", registry, cwd=tmp_path
    )
    assert published.returncode == 0, published.stderr

    with start("orders") as url:
        good = apigov("fuzz", "orders@1.0.0", "--base-url", url, *FAST, "--record", "--service-version", "1.4.0",
                      "--registry", registry, cwd=tmp_path)  # fmt: skip
    assert good.returncode == 0, good.stdout + good.stderr
    assert "recorded fuzz run" in good.stderr and "orders@1.0.0 (passed)" in good.stderr

    shown = apigov(
        "registry",
        "show",
        "orders@1.0.0",
        "--fuzz-runs",
        "--format",
        "json",
        "--registry",
        registry,
        cwd=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    runs = json.loads(shown.stdout)["runs"]
    assert len(runs) == 1
    run = runs[0]
    assert run["passed"] is True and run["service_version"] == "1.4.0" and run["seed"] == 1
    assert (
        run["contract"]["digest"].startswith("sha256:") and run["operations"][0]["operation"] == "GET /orders"
    )
    assert "shop-token" not in shown.stdout
    import jsonschema

    schema = Path(__file__).parents[2] / "contracts" / "schemas" / "fuzz-run.schema.json"
    jsonschema.Draft202012Validator(json.loads(schema.read_text())).validate(run)

    yes = apigov("can-i-deploy", "--pacticipant", "orders", "--version", "1.4.0", "--to-environment", "production",
                 "--require-fuzz", "--registry", registry, cwd=tmp_path)  # fmt: skip
    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert f"fuzz run {run['id'][:12]} of orders@1.0.0" in yes.stdout and "passed" in yes.stdout

    assert "no pact names orders: only its fuzz runs decide" in yes.stdout
    pact = Path(__file__).parents[2] / "examples" / "shop" / "pacts" / "backoffice-job-orders.json"
    pacts = apigov(
        "pact", "publish", str(pact), "--consumer-version", "1.0.0", "--registry", registry, cwd=tmp_path
    )
    assert pacts.returncode == 0, pacts.stderr  # orders is a pacticipant now (a provider)
    unknown = apigov("can-i-deploy", "--pacticipant", "orders", "--version", "9.9.9", "--to-environment", "production",
                     "--require-fuzz", "--registry", registry, cwd=tmp_path)  # fmt: skip
    assert unknown.returncode == 1
    assert (
        "no fuzz run of a version of contract orders is recorded for service version 9.9.9" in unknown.stdout
    )

    with start("orders", bug="server-error") as url:
        bad = apigov("fuzz", contract, "--base-url", url, *FAST, "--phases", "examples,coverage", "--record",
                     "--service-version", "1.5.0", "--subject", "orders", "--version", "1.0.0",
                     "--registry", registry, cwd=tmp_path)  # fmt: skip
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "(failed)" in bad.stderr
    no = apigov("can-i-deploy", "--pacticipant", "orders", "--version", "1.5.0", "--to-environment", "production",
                "--require-fuzz", "--contract", "orders@1.0.0", "--format", "json", "--registry", registry, cwd=tmp_path)  # fmt: skip
    assert no.returncode == 1, no.stdout + no.stderr
    answer = json.loads(no.stdout)
    assert answer["deployable"] is False
    assert answer["fuzz"][0]["ok"] is False
    assert "failed with" in answer["reasons"][0] and "orders@1.0.0" in answer["reasons"][0]
    # the newest run of the contract version decides: the passing one of 1.4.0 no longer does
    again = apigov("can-i-deploy", "--pacticipant", "orders", "--version", "1.4.0", "--to-environment", "production",
                   "--require-fuzz", "--registry", registry, cwd=tmp_path)  # fmt: skip
    assert again.returncode == 1, again.stdout


def test_record_of_a_file_needs_subject_and_version_and_a_service_version(tmp_path: Path) -> None:
    contract = str(contract_path("orders", 1))
    done = apigov(
        "fuzz",
        contract,
        "--base-url",
        "http://127.0.0.1:9",
        "--record",
        "--registry",
        str(tmp_path),
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "--record needs --service-version" in done.stderr
    done = apigov("fuzz", contract, "--base-url", "http://127.0.0.1:9", "--record", "--service-version", "1",
                  "--registry", str(tmp_path), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2 and "--subject and --version" in done.stderr
