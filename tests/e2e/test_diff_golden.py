"""The findings of ``apigov diff`` on the shop example and on every pair of ../shared/corpus stay
the same (tests/_diff_golden.py; ``pytest --update-goldens`` rewrites them, review the diff)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests._corpus import corpus_dir
from tests._diff_golden import EXAMPLE_PAIRS, EXAMPLES, check_golden, diff_json, summarise


def test_examples_diff_golden(tmp_path: Path) -> None:
    summaries: dict[str, Any] = {}
    for name, args in EXAMPLE_PAIRS:
        summaries[name] = summarise(diff_json(args, EXAMPLES, tmp_path / f"{name}.json"))
    check_golden("examples", summaries)


@pytest.mark.slow
def test_corpus_diff_golden(tmp_path: Path) -> None:
    corpus = corpus_dir()
    summaries: dict[str, Any] = {}
    for line in (corpus / "pairs.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        old, new = line.split()
        out = tmp_path / "out.json"
        summaries[f"{old} {new}"] = summarise(diff_json((old, new), corpus, out))
    check_golden("corpus", summaries)
