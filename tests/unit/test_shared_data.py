"""tests._corpus: data from ../shared is skipped when absent (even under CI=true) unless
APIGOV_REQUIRE_CORPUS=1, which .ci/run sets, makes its absence a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import _corpus


def test_absent_shared_data_skips_naming_it_even_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_corpus, "SHARED", tmp_path / "shared")
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv(_corpus.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"shared/corpus is missing"):
        _corpus.corpus_dir()


def test_absent_shared_data_fails_where_it_is_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_corpus, "SHARED", tmp_path / "shared")
    monkeypatch.setenv(_corpus.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=r"gateway-schemas is missing.*APIGOV_REQUIRE_CORPUS=1"):
        _corpus.shared_dir("gateway-schemas")


def test_present_shared_data_is_returned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    monkeypatch.setattr(_corpus, "SHARED", tmp_path / "shared")
    assert _corpus.corpus_dir() == tmp_path / "shared" / "corpus"
