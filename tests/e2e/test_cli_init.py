"""``apigov init`` as a user runs it: on the shop example, then check and publish with what it wrote;
the workflow it writes passes GitHub's workflow schema and zizmor; it never overwrites; it asks
on a terminal and needs --yes elsewhere."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from apigov.config.project import load_config
from tests.e2e._cli import apigov, assert_input_error

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
WORKFLOW = ".github/workflows/apigov.yml"


def _tool(name: str) -> str:
    found = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed (git: apt-get install git; else pip install -e '.[dev]')")
        pytest.skip(f"{name} is not installed (git: apt-get install git; else pip install -e '.[dev]')")
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two services and the events of the shop, in a fresh git repository, without apigov.yaml."""
    root = tmp_path / "shop"
    for part in ("orders", "notifications", "events"):
        shutil.copytree(SHOP / part, root / part)
    (root / "node_modules" / "x").mkdir(parents=True)
    shutil.copy(SHOP / "orders" / "v1" / "openapi.yaml", root / "node_modules" / "x" / "openapi.yaml")
    subprocess.run([_tool("git"), "init", "-q", str(root)], check=True, timeout=60)
    return root


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts)


def test_init_then_check_and_publish(project: Path) -> None:
    result = apigov("init", "--yes", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("23 contracts found in .")
    assert any(line.split()[:2] == ["openapi-3.1", "orders/v2/openapi.yaml"] for line in lines)
    assert not any("node_modules" in line for line in lines)
    assert lines[-2] == f"wrote apigov.yaml, contracts/.gitignore, {WORKFLOW}"
    config = load_config(project / "apigov.yaml")  # apigov's own loader takes what init wrote
    assert len(config.contracts) == 23
    subjects = {c.path: c.subject for c in config.contracts}
    assert subjects["orders/v1/openapi.yaml"] == "shop-orders-api"
    assert subjects["orders/v2/openapi.yaml"] == "shop-orders-api-2"
    assert subjects["events/v1/avro/inventory-reserved.avsc"] == "inventory-reserved"
    assert len(set(subjects.values())) == 23
    check = apigov("check", "--fail-on", "none", cwd=project)  # the contracts of apigov.yaml
    assert check.returncode == 0, check.stderr
    assert check.stdout.rstrip().endswith("in 23 files"), check.stdout
    sub = apigov("check", "--fail-on", "none", cwd=project / "orders")  # found from a subdirectory
    assert sub.returncode == 0 and sub.stdout.rstrip().endswith("in 23 files")
    published = apigov(
        "publish", "orders/v1/openapi.yaml", "-s", subjects["orders/v1/openapi.yaml"], cwd=project
    )
    assert published.returncode == 0, published.stderr
    assert published.stdout.splitlines()[1] == f"  registry: {project / 'contracts'}"
    assert (project / "contracts" / "shop-orders-api" / "1.0.0.yaml").is_file()


def test_the_workflow_is_valid_for_github_and_zizmor(project: Path) -> None:
    checker, zizmor = _tool("check-jsonschema"), _tool("zizmor")
    result = apigov("init", "--yes", "--no-workflow", cwd=project)
    assert result.returncode == 0 and not (project / ".github").exists()
    (project / "apigov.yaml").unlink()
    result = apigov("init", "--yes", cwd=project)
    assert result.returncode == 0, result.stderr
    workflow = project / WORKFLOW
    done = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    steps = yaml.safe_load(workflow.read_text())["jobs"]["contracts"]["steps"]
    assert steps[0]["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert steps[1]["uses"] == "apigov/apigov@" + "0" * 40


@pytest.mark.parametrize("existing", ["apigov.yaml", WORKFLOW])
def test_init_never_overwrites(project: Path, existing: str) -> None:
    (project / existing).parent.mkdir(parents=True, exist_ok=True)
    (project / existing).write_text("mine\n")
    before = _listing(project)
    result = apigov("init", "--yes", cwd=project)
    assert_input_error(result, f"{project / existing} already exists", "no file written")
    assert result.stdout == ""
    assert _listing(project) == before and (project / existing).read_text() == "mine\n"


def test_without_a_terminal_init_needs_yes(project: Path) -> None:
    before = _listing(project)
    result = apigov("init", cwd=project)
    assert_input_error(result, "no terminal to ask on", "--yes")
    dry = apigov("init", "--dry-run", cwd=project)
    assert dry.returncode == 0 and "files it would write:" in dry.stdout
    assert _listing(project) == before


def _on_a_terminal(cwd: Path, answer: bytes) -> tuple[int, str]:
    """``apigov init`` with a pseudo-terminal as stdin/stdout; ``answer`` typed at the prompt."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "apigov", "init"],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "NO_COLOR": "1", "APIGOV_DEBUG": ""},
    )
    os.close(follower)
    output = b""
    answered = False
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                output += chunk
            if not answered and b"Write these files? [y/N]" in output:
                os.write(leader, answer)
                answered = True
            if process.poll() is not None and not ready:
                break
        code = process.wait(timeout=30)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
    assert answered, output.decode(errors="replace")
    return code, output.decode(errors="replace")


def test_on_a_terminal_init_asks_first(project: Path) -> None:
    before = _listing(project)
    code, output = _on_a_terminal(project, b"n\n")
    assert code == 0 and "nothing written" in output
    assert _listing(project) == before
    code, output = _on_a_terminal(project, b"y\n")
    assert code == 0 and "wrote apigov.yaml" in output, output
    assert (project / "apigov.yaml").is_file() and (project / WORKFLOW).is_file()
