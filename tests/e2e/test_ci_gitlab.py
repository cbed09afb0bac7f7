"""The README's GitLab CI job: valid for GitLab (check-jsonschema's ``vendor.gitlab-ci`` schema),
handing over apigov's ``codequality`` reports, and its script working on a real repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.unit.report.test_codequality import GITLAB_CODE_QUALITY

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SHOP = ROOT / "examples" / "shop"


def _component(name: str) -> str | None:
    found = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed (git: apt-get install git; else pip install -e '.[dev]')")
        pytest.skip(f"{name} is not installed (git: apt-get install git; else pip install -e '.[dev]')")
    return found


def gitlab_snippet() -> str:
    """The first ``yaml`` block of README's ``### GitLab CI`` section."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^### GitLab CI\n(.*?)(?=^#{1,3} )", text, re.DOTALL | re.MULTILINE)
    assert match, "README.md has no '### GitLab CI' section"
    block = re.search(r"^```yaml\n(.*?)^```$", match.group(1), re.DOTALL | re.MULTILINE)
    assert block, "the GitLab CI section has no yaml block"
    return block.group(1)


def test_readme_gitlab_job_is_valid_gitlab_ci(tmp_path: Path) -> None:
    checker = _component("check-jsonschema")
    snippet = tmp_path / ".gitlab-ci.yml"
    snippet.write_text(gitlab_snippet(), encoding="utf-8")
    done = subprocess.run(
        [checker, "--builtin-schema", "vendor.gitlab-ci", str(snippet)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_gitlab_job_hands_over_codequality_reports() -> None:
    job = yaml.safe_load(gitlab_snippet())["apigov"]
    reports = job["artifacts"]["reports"]["codequality"]
    script = "\n".join(job["script"])
    assert job["artifacts"]["when"] == "always"
    for report in reports:
        assert f"--format codequality --output {report}" in script


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def test_readme_gitlab_script_runs_on_a_merge_request(tmp_path: Path) -> None:
    """The job's script, run by bash as GitLab's runner would, on a repository whose merge request
    breaks api/openapi.yaml: both reports are written, valid, and the job fails (exit 1)."""
    _component("git")
    job = yaml.safe_load(gitlab_snippet())["apigov"]
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    work.mkdir()
    _git("init", "-q", "-b", "main", cwd=work)
    shutil.copytree(SHOP / "orders" / "v1", work / "api")
    (work / "apigov.yaml").write_text(
        "contracts: [api/openapi.yaml]\nlint: {fail-on: none}\n", encoding="utf-8"
    )
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1", cwd=work)
    _git("clone", "-q", "--bare", str(work), str(origin), cwd=tmp_path)
    _git("remote", "add", "origin", str(origin), cwd=work)
    shutil.rmtree(work / "api")
    shutil.copytree(SHOP / "orders" / "v2", work / "api")  # the merge request: orders v1 -> v2
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "NO_COLOR": "1",
    }
    script = "set -e\n" + "\n".join(job["script"]) + "\n"
    done = subprocess.run(
        ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 1, done.stdout + done.stderr
    validator = Draft202012Validator(GITLAB_CODE_QUALITY)
    issues: dict[str, Any] = {}
    for report in job["artifacts"]["reports"]["codequality"]:
        issues[report] = json.loads((work / report).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(issues[report])) == []
    diff = issues["gl-code-quality-diff.json"]
    assert any(issue["severity"] == "critical" for issue in diff)
    for issue in (*diff, *issues["gl-code-quality-check.json"]):
        assert (work / issue["location"]["path"]).is_file(), issue  # a file of the repository
