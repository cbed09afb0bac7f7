"""Corpus-scale clients (slow stage): GitHub, Stripe and Kubernetes pass mypy --strict, ruff and tsc --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._corpus import corpus_dir
from tests.e2e._clients import generate, mypy_strict, ruff, run, tsc

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SPECS = {
    "github": "github/2022-07-18_v6.7.1.json",
    "stripe": "stripe/2022-04-12_v127.json",
    "kubernetes": "kubernetes/release-1.36.json",
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_python_client_of_a_corpus_spec_is_strict_clean(name: str, tmp_path: Path) -> None:
    spec = corpus_dir() / SPECS[name]
    generate("python", spec, tmp_path, f"{name}_client")
    checked = mypy_strict(tmp_path, f"{name}_client")
    assert checked.returncode == 0, checked.stdout[-4000:]
    linted = ruff(tmp_path)
    assert linted.returncode == 0, linted.stdout[-4000:]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_typescript_client_of_a_corpus_spec_is_strict_clean(name: str, tmp_path: Path) -> None:
    compiler = tsc()
    spec = corpus_dir() / SPECS[name]
    generate("typescript", spec, tmp_path, f"{name}-client")
    checked = run([str(compiler), "-p", ".", "--noEmit"], tmp_path, timeout=1200)
    assert checked.returncode == 0, checked.stdout[-4000:]
