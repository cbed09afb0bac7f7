"""``apigov publish`` and ``apigov registry``: real processes on a directory registry."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e._cli import apigov, assert_input_error

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def _copy_shop(into: Path, *, config: bool = True) -> Path:
    """Three services of the shop; with ``config``, an apigov.yaml naming ./contracts the registry."""
    for service in ("orders", "payments", "notifications"):
        for version in ("v1", "v2"):
            shutil.copytree(SHOP / service / version, into / service / version)
    if config:
        (into / "apigov.yaml").write_text("registry: contracts\n", encoding="utf-8")
    return into


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return _copy_shop(tmp_path)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One registry holding orders-api@1.0.0, shared by the bad-input cases (which change nothing)."""
    work = _copy_shop(tmp_path_factory.mktemp("published"))
    assert _run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api")[0] == 0
    return work


def _run(work: Path, *args: str) -> tuple[int, str, str]:
    result = apigov(*args, cwd=work, env={"APIGOV_PUBLISHER": "ci@example.com"})
    return result.returncode, result.stdout, result.stderr


def test_publish_accepts_compatible_versions_and_refuses_breaking_ones(work: Path) -> None:
    code, out, err = _run(work, "publish", "orders/v1/openapi.yaml", "--subject", "orders-api")
    assert (code, err) == (0, ""), err
    assert out.startswith("published orders-api@1.0.0 (first version)")
    # the registry apigov.yaml names, plain files
    assert (work / "contracts" / "orders-api" / "1.0.0.yaml").is_file()
    code, out, _ = _run(work, "publish", "orders/v2/openapi.yaml", "--subject", "orders-api")
    assert code == 1
    assert "refused: orders-api@2.0.0 from 1.0.0 (mode BACKWARD)" in out
    assert "request-parameter-became-required" in out
    code, out, _ = _run(work, "publish", "orders/v2/openapi.yaml", "-s", "orders-api", "-f", "json")
    assert code == 1
    body = json.loads(out)
    assert (body["apigov"], body["status"], body["required_bump"]) == ("publish/1", "refused", "major")
    assert "request-parameter-became-required" in {c["id"] for c in body["failures"][0]["changes"]}
    # a NONE subject takes the breaking change, as a major version only
    assert _run(work, "registry", "set-mode", "orders-api", "none")[0] == 0
    code, out, _ = _run(work, "publish", "orders/v2/openapi.yaml", "-s", "orders-api", "--version", "1.1.0")
    assert code == 1
    assert "need a major bump" in out
    code, out, _ = _run(work, "publish", "orders/v2/openapi.yaml", "-s", "orders-api")
    assert code == 0, out
    assert out.startswith("published orders-api@2.0.0 (major bump from 1.0.0)")


def test_auto_bump_dry_run_no_op_and_immutability(work: Path) -> None:
    assert (
        _run(
            work,
            "publish",
            "notifications/v1/openapi.yaml",
            "-s",
            "notifications-api",
            "--label",
            "team=notifications",
        )[0]
        == 0
    )
    code, out, _ = _run(
        work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api", "--dry-run"
    )
    assert code == 0
    assert out.startswith("dry run: would publish notifications-api@1.1.0 (minor bump from 1.0.0)")
    assert not (work / "contracts" / "notifications-api" / "1.1.0.yaml").exists()
    code, out, _ = _run(
        work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api", "--bump", "patch"
    )
    assert code == 1
    assert "need a minor bump, not patch" in out
    code, out, _ = _run(work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api")
    assert (code, out.split(" (")[0]) == (0, "published notifications-api@1.1.0")
    code, out, _ = _run(work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api")
    assert (code, out.split(":")[0]) == (0, "unchanged")
    code, out, _ = _run(
        work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api", "--version", "1.1.0"
    )
    assert (code, out.split(":")[0]) == (0, "unchanged")
    result = apigov(
        "publish", "notifications/v1/openapi.yaml", "-s", "notifications-api", "--version", "1.1.0", cwd=work
    )
    assert_input_error(result, "notifications-api@1.1.0 is already published with other content")
    versions = json.loads(_run(work, "registry", "versions", "notifications-api", "-f", "json")[1])
    assert [v["version"] for v in versions["versions"]] == ["1.0.0", "1.1.0"]
    first = versions["versions"][0]
    assert (first["publisher"], first["labels"], first["bump"]) == (
        "ci@example.com",
        {"team": "notifications"},
        "none",
    )
    assert versions["versions"][1]["previous"] == "1.0.0"


def test_registry_commands(work: Path) -> None:
    _run(work, "publish", "notifications/v1/openapi.yaml", "-s", "notifications-api")
    _run(work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api")
    _run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api", "--mode", "none")
    code, out, _ = _run(work, "registry", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["SUBJECT", "KIND", "MODE", "UNDECIDED", "LATEST", "VERSIONS"]
    assert lines[1].split() == ["notifications-api", "openapi", "BACKWARD", "breaking", "1.1.0", "2"]
    assert lines[2].split() == ["orders-api", "openapi", "NONE", "breaking", "1.0.0", "1"]
    listing = json.loads(_run(work, "registry", "list", "-f", "json")[1])
    assert [s["subject"] for s in listing["subjects"]] == ["notifications-api", "orders-api"]
    code, out, _ = _run(work, "registry", "show", "notifications-api@1.0.0")
    assert code == 0 and out.startswith("openapi:")
    shown = json.loads(_run(work, "registry", "show", "notifications-api@latest", "-f", "json")[1])
    assert (shown["version"], shown["kind"]) == ("1.1.0", "openapi")
    assert shown["content"].startswith("openapi:")
    code, out, _ = _run(work, "registry", "changelog", "notifications-api", "-f", "markdown")
    assert code == 0
    assert out.index("## 1.1.0 (minor bump from 1.0.0)") < out.index("## 1.0.0 (first version)")
    assert "new-optional-request-parameter" in out
    code, out, _ = _run(work, "registry", "diff", "notifications-api@1.0.0", "notifications-api@1.1.0")
    assert code == 0 and "notifications-api@1.0.0" in out
    assert _run(work, "publish", "orders/v2/openapi.yaml", "-s", "orders-api")[0] == 0
    code, out, _ = _run(work, "registry", "diff", "orders-api@1.0.0", "orders-api@latest", "-f", "json")
    assert code == 1 and json.loads(out)["breaking"] is True
    assert json.loads(out)["revision"]["source"] == "orders-api@latest"
    code, out, _ = _run(work, "registry", "deprecate", "notifications-api@1.0.0", "--reason", "use 1.1")
    assert (code, out) == (0, "notifications-api@1.0.0: deprecated\n")
    assert "DEPRECATED: use 1.1" in _run(work, "registry", "versions", "notifications-api")[1]
    code, out, _ = _run(work, "registry", "deprecate", "orders-api@latest")
    assert (code, out) == (0, "orders-api@2.0.0: deprecated\n")  # the version latest names


def test_registry_refs_in_apigov_diff(work: Path) -> None:
    _run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api")
    code, out, _ = _run(work, "diff", "orders-api@latest", "orders/v2/openapi.yaml")
    assert code == 1
    assert out.startswith("orders-api@latest (= orders-api@1.0.0; openapi-3.1")
    assert "request-parameter-became-required" in out
    # a file that exists wins over a registry ref
    shutil.copy(work / "orders" / "v2" / "openapi.yaml", work / "orders-api@latest")
    (work / "orders" / "v2" / "components").rename(work / "components")
    code, out, _ = _run(work, "diff", "orders/v1/openapi.yaml", "orders-api@latest")
    assert code == 1 and "request-parameter-became-required" in out


def test_the_registry_location_comes_from_the_option_the_environment_or_apigov_yaml(work: Path) -> None:
    (work / "apigov.yaml").write_text("registry: shared/registry\n")
    assert _run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api")[0] == 0
    assert (work / "shared" / "registry" / "orders-api" / "subject.json").is_file()
    (work / "elsewhere").mkdir()  # an empty registry: the environment wins over apigov.yaml
    result = apigov(
        "registry", "list", "-f", "json", cwd=work, env={"APIGOV_REGISTRY": str(work / "elsewhere")}
    )
    assert json.loads(result.stdout)["subjects"] == []
    result = apigov("registry", "list", "-f", "json", "--registry", "shared/registry", cwd=work)
    assert [s["subject"] for s in json.loads(result.stdout)["subjects"]] == ["orders-api"]
    (work / "apigov.yaml").write_text("registry: [1]\n")
    assert_input_error(apigov("registry", "list", cwd=work), "registry must be")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("registry", "versions", "nope"), ("unknown subject 'nope'",)),
        (("registry", "changelog", "nope"), ("unknown subject 'nope'",)),
        (("registry", "show", "orders-api@9.9.9"), ("no version 9.9.9",)),
        (("registry", "show", "orders-api@"), ("invalid registry reference",)),
        (("registry", "show", "orders-api@1.x"), ("invalid version '1.x'",)),
        (("registry", "diff", "orders-api@1.0.0", "Orders@1.0.0"), ("invalid subject name 'Orders'",)),
        (("registry", "deprecate", "orders-api"), ("invalid registry reference",)),
        (("registry", "set-mode", "orders-api", "sideways"), ("unknown compatibility mode",)),
        (("registry", "set-mode", "nope", "FULL"), ("unknown subject 'nope'",)),
        (("registry", "set-undecided", "nope", "warning"), ("unknown subject 'nope'",)),
        (
            ("registry", "set-undecided", "orders-api", "info"),
            ("'info' is not one of 'warning', 'breaking'",),
        ),
        (("publish", "orders/v1/openapi.yaml", "-s", "../../etc"), ("invalid subject name '../../etc'",)),
        (("publish", "orders/v1/openapi.yaml", "-s", ""), ("empty subject name",)),
        (("publish", "orders/v1/openapi.yaml", "-s", "orders-api", "--version", "1.x"), ("invalid version",)),
        (
            (
                "publish",
                "orders/v1/openapi.yaml",
                "-s",
                "orders-api",
                "--version",
                "2.0.0",
                "--bump",
                "major",
            ),
            ("not both",),
        ),
        (("publish", "missing.yaml", "-s", "orders-api"), ("missing.yaml", "no such file")),
        (("publish", "orders/v1/openapi.yaml", "-s", "orders-api", "--label", "novalue"), ("KEY=VALUE",)),
        (
            ("publish", "orders/v1/openapi.yaml", "-s", "x", "-r", "postgresql://u:pw@127.0.0.1:1/x"),
            ("cannot reach the PostgreSQL registry at postgresql://u@127.0.0.1:1/x",),
        ),
        (("diff", "nope@latest", "orders/v1/openapi.yaml"), ("unknown subject 'nope'",)),
        (("registry", "list", "-r", "no-such-dir"), ("no registry at no-such-dir",)),
        (("diff", "orders-api@1.0", "orders/v1/openapi.yaml"), ("invalid version '1.0'",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    published: Path, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    assert_input_error(apigov(*args, cwd=published), *words)


def test_a_subject_keeps_its_kind(work: Path) -> None:
    schema = work / "event.json"
    schema.write_text('{"type": "object"}')
    assert _run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api")[0] == 0
    assert_input_error(
        apigov("publish", "event.json", "-s", "orders-api", cwd=work), "holds openapi contracts"
    )


def test_registry_changelog_text_is_text_not_markdown(work: Path) -> None:
    _run(work, "publish", "notifications/v1/openapi.yaml", "-s", "notifications-api")
    _run(work, "publish", "notifications/v2/openapi.yaml", "-s", "notifications-api", "--publisher", "a_b*c")
    code, text, _ = _run(work, "registry", "changelog", "notifications-api", "-f", "text")
    assert code == 0
    assert text == _run(work, "registry", "changelog", "notifications-api")[1]  # text is the default
    lines = text.splitlines()
    assert lines[0] == "notifications-api  (openapi, mode BACKWARD)"
    assert lines[1] == ""
    assert lines[2].startswith("1.1.0  minor bump from 1.0.0, ") and lines[2].endswith(" by a_b*c")
    assert any(
        line.startswith("  info  ") and line.endswith("  new-optional-request-parameter") for line in lines
    ), text
    assert not any(line.startswith(("#", "- ", "**")) for line in lines), text  # no markdown
    assert "\\" not in text  # nothing markdown-escaped
    assert lines[-1].startswith("1.0.0  first version, ")
    _, markdown, _ = _run(work, "registry", "changelog", "notifications-api", "-f", "markdown")
    assert markdown.startswith("# Changelog of notifications-api") and "a\\_b\\*c" in markdown


def test_publish_without_a_registry_refuses_to_create_one(tmp_path: Path) -> None:
    work = _copy_shop(tmp_path, config=False)
    result = apigov("publish", "orders/v1/openapi.yaml", "-s", "orders-api", cwd=work)
    assert_input_error(result, "no registry", "--registry", "APIGOV_REGISTRY", "apigov.yaml")
    assert not (work / "contracts").exists()
    assert result.stdout == ""


def test_publish_says_where_it_published(tmp_path: Path) -> None:
    work = _copy_shop(tmp_path, config=False)
    (work / "contracts").mkdir()  # an existing ./contracts is the registry without being named
    code, out, err = _run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == "  registry: contracts"
    code, out, _ = _run(work, "publish", "notifications/v1/openapi.yaml", "-s", "n-api", "-r", "new/reg")
    assert code == 0 and out.splitlines()[1] == "  registry: new/reg"  # --registry creates it
    assert (work / "new" / "reg" / "n-api" / "1.0.0.yaml").is_file()
    code, out, _ = _run(work, "publish", "notifications/v1/openapi.yaml", "-s", "n-api", "-r", "new/reg")
    assert code == 0 and out.splitlines() == [
        "unchanged: n-api@1.0.0 already holds this content (" + out.split("(")[1].split(")")[0] + ")",
        "  registry: new/reg",
    ]
    body = json.loads(_run(work, "publish", "orders/v1/openapi.yaml", "-s", "orders-api", "-f", "json")[1])
    assert body["registry"] == "contracts"
    env = {"APIGOV_REGISTRY": str(work / "from-env"), "APIGOV_PUBLISHER": "x"}
    result = apigov("publish", "orders/v1/openapi.yaml", "-s", "orders-api", cwd=work, env=env)
    assert result.returncode == 0 and f"  registry: {work / 'from-env'}" in result.stdout.splitlines()
