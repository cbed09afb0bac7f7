"""The project's GitHub Actions files, and the README's workflow, pass GitHub's schemas
(check-jsonschema's vendored ``vendor.github-workflows`` / ``vendor.github-actions``) and zizmor's
security audits (offline). Both tools come from PyPI (the dev extra) and run for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted([*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob(".github/workflows/*.yaml")])
README_WORKFLOW = "# .github/workflows/contracts.yml"


def tool(name: str) -> str:
    """The tool installed beside this Python (the venv), else on PATH; missing: skip, or fail under CI."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        message = f"{name} is not installed (pip install -e '.[dev]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def readme_block(first_line: str) -> str:
    """The README's fenced block whose first line is ``first_line``: the snippet users copy."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```$", readme, flags=re.MULTILINE | re.DOTALL)
    found = [block for block in blocks if block.startswith(first_line + "\n")]
    assert len(found) == 1, f"README.md has {len(found)} blocks starting {first_line!r}"
    return found[0]


@pytest.fixture
def readme_workflow(tmp_path: Path) -> Path:
    path = tmp_path / ".github" / "workflows" / "contracts.yml"
    path.parent.mkdir(parents=True)
    path.write_text(readme_block(README_WORKFLOW))
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")
    }
    return subprocess.run(args, capture_output=True, text=True, timeout=300, check=False, env=env)


def test_the_repository_has_workflows_and_the_action() -> None:
    assert ACTION.is_file()
    assert WORKFLOWS, "no workflow under .github/workflows"


def test_workflows_match_githubs_schema(readme_workflow: Path) -> None:
    files = [str(p) for p in (*WORKFLOWS, readme_workflow)]
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_action_matches_githubs_schema() -> None:
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(ACTION))
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing(readme_workflow: Path) -> None:
    files = [str(p) for p in (ACTION, *WORKFLOWS, readme_workflow)]
    done = run(tool("zizmor"), "--offline", "--no-progress", *files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_workflow_uses_the_action_as_it_is() -> None:
    """Every input the README passes exists, and the README's job has what the action needs."""
    action = yaml.safe_load(ACTION.read_text())
    workflow = yaml.safe_load(readme_block(README_WORKFLOW))
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "pull-requests": "write", "security-events": "write"}
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    gate = next(s for s in steps if s.get("uses", "").startswith("apigov/apigov@"))
    assert set(gate.get("with", {})) <= set(action["inputs"])
    assert {"breaking", "summary"} <= set(action["outputs"])


def test_the_action_passes_inputs_to_options_that_exist() -> None:
    """Every APIGOV_CI_* variable the action sets is read by an option of `apigov ci github`."""
    from apigov.cli.commands.ci import github_command

    action = yaml.safe_load(ACTION.read_text())
    gate = next(step for step in action["runs"]["steps"] if step.get("id") == "gate")
    passed = {name for name in gate["env"] if name.startswith("APIGOV_CI_")}
    read = {param.envvar for param in github_command.params if isinstance(param.envvar, str)}
    assert passed and passed <= read
    for name, value in gate["env"].items():
        assert re.fullmatch(r"\$\{\{ inputs\.[a-z-]+ \}\}", value), (name, value)
