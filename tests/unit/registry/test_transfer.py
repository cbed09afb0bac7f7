"""``apigov registry copy`` keeps versions, digests and schema ids between backends;
``apigov registry verify`` finds what breaks a registry's integrity, such as two git branches of a
directory registry that gave one schema id to different schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from apigov.core.findings import Level
from apigov.registry.base import SemVer, VersionMeta, digest_of
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.postgres import PostgresBackend
from apigov.registry.schema_ids import DirectorySchemaIds, schema_ids_for
from apigov.registry.transfer import copy_registry, verify_registry
from tests._gitrepo import GitRepo

META = VersionMeta(published_at="2026-12-05T08:00:00Z", publisher="tester")
CONFLUENT_META = VersionMeta(
    published_at="2026-12-05T08:00:00Z", publisher="token:kafka", labels={"via": "confluent-api"}
)


def _avro(n: int) -> bytes:
    fields = [{"name": f"f{i}", "type": "string", "default": ""} for i in range(n)]
    return json.dumps({"type": "record", "name": "R", "fields": fields}).encode()


def _fill(
    backend: DirectoryBackend | PostgresBackend, subject: str, count: int, meta: VersionMeta = META
) -> None:
    latest = None
    for n in range(count):
        version = SemVer(1, n, 0)
        content = _avro(n + 1)
        backend.put_version(
            subject,
            version,
            kind="avro",
            content_format="json",
            content=content,
            digest=digest_of(content),
            meta=meta,
            expected_latest=latest,
        )
        schema_ids_for(backend).assign(digest_of(content))
        latest = version


def _apigov(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigov", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_copy_to_postgres_and_back_keeps_versions_digests_and_ids(tmp_path: Path, postgres_url: str) -> None:
    source = DirectoryBackend(tmp_path / "src")
    _fill(source, "orders-value", 3)
    _fill(source, "payments-value", 1)
    source.set_mode("payments-value", source.subject("payments-value").mode.FULL)
    source.set_undecided("payments-value", Level.WARNING)
    schema_ids_for(source).set_setting("compatibility", "FORWARD")
    with PostgresBackend(postgres_url) as middle:
        done = copy_registry(source, middle)
        assert (done.subjects, done.versions_copied, done.ids_copied) == (
            2,
            4,
            3,
        )  # payments 1.0.0 = orders 1.0.0
        again = copy_registry(source, middle)
        assert (again.versions_copied, again.versions_present, again.ids_copied) == (0, 4, 0)
        ids = schema_ids_for(middle)
        assert ids.all_ids() == schema_ids_for(source).all_ids()
        assert ids.assign("sha256:" + "0" * 64) == 4  # a new schema continues above the copied ids
        assert middle.subject("payments-value").mode.value == "FULL"
        assert [s.undecided for s in middle.list_subjects()] == [Level.BREAKING, Level.WARNING]
        assert ids.setting("compatibility") == "FORWARD"
        back = DirectoryBackend(tmp_path / "back")
        copy_registry(middle, back)
    assert back.subject("payments-value").undecided is Level.WARNING
    for subject in ("orders-value", "payments-value"):
        info = source.subject(subject)
        for version in info.versions:
            assert back.get_version(subject, version).digest == source.get_version(subject, version).digest
            assert back.get_version(subject, version).meta == source.get_version(subject, version).meta
    assert schema_ids_for(back).all_ids() == {**schema_ids_for(source).all_ids(), 4: "sha256:" + "0" * 64}
    assert verify_registry(back).problems == [
        "schema id 4 names a schema no version holds (sha256:000000000000...)"
    ]


def test_copy_refuses_a_target_with_other_content(tmp_path: Path) -> None:
    source, target = DirectoryBackend(tmp_path / "a"), DirectoryBackend(tmp_path / "b")
    _fill(source, "orders-value", 1)
    content = b'{"type": "string"}'
    target.put_version(
        "orders-value",
        SemVer(1, 0, 0),
        kind="avro",
        content_format="json",
        content=content,
        digest=digest_of(content),
        meta=META,
        expected_latest=None,
    )
    done = _apigov("registry", "copy", str(tmp_path / "a"), str(tmp_path / "b"))
    assert done.returncode == 2
    assert "other content" in done.stderr and "Traceback" not in done.stderr


def test_verify_finds_two_branches_that_gave_one_id_to_different_schemas(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")  # (fails under CI=true without git)
    registry = repo.root / "contracts"

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.CompletedProcess(args, 0, repo.git(*args), "")
        except subprocess.CalledProcessError as failed:
            return subprocess.CompletedProcess(args, failed.returncode, failed.stdout, failed.stderr)

    _fill(DirectoryBackend(registry), "base-value", 1, CONFLUENT_META)
    git("add", "-A")
    git("commit", "-qm", "base")
    assert _apigov("registry", "verify", "-r", str(registry)).returncode == 0
    git("checkout", "-qb", "left")
    _fill(
        DirectoryBackend(registry), "left-value", 2, CONFLUENT_META
    )  # 1.0.0 is base's schema; 1.1.0 gets id 2
    git("add", "-A")
    git("commit", "-qm", "left")
    git("checkout", "-q", "main")
    right = DirectoryBackend(registry)
    content = b'{"type": "record", "name": "Other", "fields": []}'
    right.put_version(
        "right-value",
        SemVer(1, 0, 0),
        kind="avro",
        content_format="json",
        content=content,
        digest=digest_of(content),
        meta=CONFLUENT_META,
        expected_latest=None,
    )
    assert DirectorySchemaIds(registry).assign(digest_of(content)) == 2
    git("add", "-A")
    git("commit", "-qm", "right")
    assert git("merge", "-q", "left").returncode != 0  # git itself stops at the add/add conflict
    done = _apigov("registry", "verify", "-r", str(registry))
    assert done.returncode == 1
    assert "_confluent/ids/2.json is damaged" in done.stdout
    # resolved by taking one side: the other side's schema lost the id its messages carry
    git("checkout", "--theirs", "contracts/_confluent/ids/2.json")
    done = _apigov("registry", "verify", "-r", str(registry), "-f", "json")
    assert done.returncode == 1
    problems = json.loads(done.stdout)["problems"]
    assert any(
        "right-value@1.0.0 was registered through the Confluent API but has no schema id" in p
        for p in problems
    )


def test_copy_and_verify_of_a_missing_directory_are_exit_2(tmp_path: Path) -> None:
    """A typo in SRC is not a successful copy of nothing, nor a registry without problems."""
    missing = tmp_path / "no-such-registry"
    target = tmp_path / "target"
    done = _apigov("registry", "copy", str(missing), str(target))
    assert done.returncode == 2, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and str(missing) in done.stderr
    assert not target.exists()
    done = _apigov("registry", "verify", "-r", str(missing))
    assert done.returncode == 2, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and str(missing) in done.stderr
