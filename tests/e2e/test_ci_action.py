"""action.yml's own shell steps, run for real as the runner would run them: the install step
builds apigov from this checkout into a virtualenv (hence ``slow``), the gate step runs with the
environment action.yml maps from its inputs. The two ``uses:`` steps (setup-python,
upload-sarif) are GitHub's and cannot run here; the SARIF path they would get is checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.e2e._fake_github import fake_github
from tests.e2e.test_ci_github import MARKER, TOKEN, make_pull_request, outputs, pact_registry

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).parents[2]
_EXPRESSION = re.compile(r"\$\{\{\s*(inputs|github)\.([A-Za-z_-]+)\s*\}\}")


def run_action(with_: dict[str, str], job_env: dict[str, str], cwd: Path, runner_temp: Path) -> list[int]:
    """Run every ``run:`` step of action.yml in order (``uses:`` steps skipped); the exit codes."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    github = {"action_path": str(ROOT), "token": job_env.get("GITHUB_TOKEN", "")}
    inputs = {  # a default may be an expression itself (token: ${{ github.token }})
        name: _EXPRESSION.sub(lambda m: github[m[2]], str(spec.get("default", "")))
        for name, spec in action["inputs"].items()
    }
    inputs.update(with_)
    bin_dir = runner_temp / "bin"  # what setup-python provides: `python` on PATH
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "python").symlink_to(sys.executable)

    def expand(text: str) -> str:
        return _EXPRESSION.sub(lambda m: (inputs if m[1] == "inputs" else github)[m[2]], text)

    codes = []
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "APIGOV_", "RUNNER_"))}
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        assert step["shell"] == "bash"
        env = {**base, **job_env, "RUNNER_TEMP": str(runner_temp), "PATH": f"{bin_dir}:{base['PATH']}"}
        env.update({name: expand(str(value)) for name, value in step.get("env", {}).items()})
        assert "${{" not in step["run"], "inputs reach scripts through env only"
        directory = cwd / expand(step.get("working-directory", "."))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=directory,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        codes.append(done.returncode)
        if step.get("id") == "gate":
            assert TOKEN not in done.stdout + done.stderr
        elif done.returncode != 0:
            pytest.fail(f"step {step.get('name')} failed: {done.stdout}{done.stderr}")
    return codes


def test_the_action_installs_apigov_and_gates_the_pull_request(tmp_path: Path) -> None:
    repo, env = make_pull_request(tmp_path)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    with fake_github(TOKEN) as github:
        job_env = {**env, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN}
        inputs = {
            "fail-on": "breaking",
            "registry": str(pact_registry(tmp_path)),
            "can-i-deploy": "production",
            "pacticipant": "orders",
        }
        codes = run_action(inputs, job_env, repo.root, runner_temp)
        assert codes == [0, 1]  # installed; the gate failed on the breaking change
        (comment,) = github.comments
        assert comment["body"].startswith(MARKER)
        assert "can-i-deploy to `production`: ✅ yes" in comment["body"]
        assert "breaks web@&#8203;1 (production)" in comment["body"]
    values = outputs(env)
    assert values["breaking"] == "true" and values["can-i-deploy"] == "true"
    sarif = Path(values["sarif-file"])
    assert sarif == runner_temp / "apigov.sarif"
    assert json.loads(sarif.read_text())["runs"][0]["results"]
    assert "request-parameter-became-required" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()
