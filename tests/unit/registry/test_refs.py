"""Registry references: what counts as one, and how it is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.core.errors import InputError
from apigov.registry.base import SemVer
from apigov.registry.refs import RegistryRef, is_ref, parse_ref


def test_an_existing_file_wins_over_a_ref(tmp_path: Path) -> None:
    assert is_ref("orders-api@1.0.0", cwd=tmp_path)
    (tmp_path / "orders-api@1.0.0").write_text("x")
    assert not is_ref("orders-api@1.0.0", cwd=tmp_path)


@pytest.mark.parametrize("spec", ["openapi.yaml", "./a@1.0.0", "dir/a@1.0.0", "git:HEAD:a@1.0.0.yaml"])
def test_paths_are_never_refs(tmp_path: Path, spec: str) -> None:
    assert not is_ref(spec, cwd=tmp_path)


def test_parse() -> None:
    assert parse_ref("orders-api@1.2.0") == RegistryRef("orders-api", SemVer(1, 2, 0))
    assert parse_ref("orders-api@latest") == RegistryRef("orders-api", None)
    assert str(parse_ref("orders-api@latest")) == "orders-api@latest"
    assert parse_ref("orders-api", allow_bare=True) == RegistryRef("orders-api", None)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("orders-api@", "no version"),
        ("orders-api", "invalid registry reference"),
        ("Orders@1.0.0", "invalid subject name"),
        ("@1.0.0", "empty subject name"),
        ("orders-api@1.0", "invalid version"),
        ("orders-api@LATEST", "invalid version"),
    ],
)
def test_bad_refs(spec: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_ref(spec)
