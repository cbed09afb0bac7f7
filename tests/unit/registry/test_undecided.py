"""A subject's undecided level: how a publish counts a change apigov cannot decide.

``breaking`` (every subject's default) refuses it; ``warning`` (``apigov registry set-undecided``)
accepts it. Either way the change says it is undecided and why, in the outcome and in what the
version records: never a silent pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.config.project import load_config
from apigov.core.errors import InputError, RegistryError, UnknownSubject
from apigov.core.findings import Level
from apigov.registry.base import DEFAULT_UNDECIDED, SemVer, parse_undecided
from apigov.registry.commands import set_undecided, versions
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.present import outcome_json, render_listing, render_outcome
from apigov.registry.publish import PublishOutcome, PublishRequest, publish

CONFIG = load_config(None)
CODES_1 = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^a+$"}}}
CODES_2 = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a|b)+$"}}}


def _openapi(pattern: str) -> dict[str, object]:
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": pattern}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Codes", "version": "1.0.0"},
        "paths": {
            "/codes": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"204": {"description": "stored"}},
                }
            }
        },
    }


def _publish(tmp: Path, name: str, data: object, subject: str) -> PublishOutcome:
    path = tmp / name
    path.write_text(json.dumps(data))
    request = PublishRequest(file=path, subject=subject, publisher="t", git_sha="a", git_branch="b")
    return publish(DirectoryBackend(tmp / "contracts"), request, CONFIG)


@pytest.mark.parametrize(
    ("first", "second", "subject", "why"),
    [
        (CODES_1, CODES_2, "codes-value", "cannot decide whether new readers are affected"),
        (
            _openapi("^a+$"),
            _openapi("^(a|b)+$"),
            "codes-api",
            "cannot decide whether old clients are affected",
        ),
    ],
    ids=["jsonschema", "openapi"],
)
def test_an_undecided_change_is_refused_by_default_and_accepted_as_a_warning_when_relaxed(
    tmp_path: Path, first: object, second: object, subject: str, why: str
) -> None:
    registry = str(tmp_path / "contracts")
    assert _publish(tmp_path, "v1.json", first, subject).status == "published"
    assert DirectoryBackend(tmp_path / "contracts").subject(subject).undecided is Level.BREAKING

    refused = _publish(tmp_path, "v2.json", second, subject)
    assert refused.refused
    assert refused.judgement is not None
    [failed] = refused.judgement.failures
    [change] = [c for c in failed.changes if c.undecided]
    assert change.level == "breaking"
    assert why in change.message
    text = _text(refused)
    assert "not decided: counted as breaking" in text
    assert f"apigov registry set-undecided {subject} warning" in text

    info = set_undecided(registry, subject, "warning")
    assert info.undecided is Level.WARNING
    accepted = _publish(tmp_path, "v2.json", second, subject)
    assert (accepted.status, accepted.version) == ("published", SemVer(1, 1, 0))
    assert accepted.judgement is not None
    [change] = [c for c in accepted.judgement.changes if c.undecided]
    assert change.level == "warning" and why in change.message  # it says it is undecided, and why
    assert {"undecided": True, "level": "warning"}.items() <= outcome_json(accepted)["changes"][0].items()  # type: ignore[index]
    assert "not decided: accepted as a warning" in _text(accepted)
    # what the version records keeps it, for the changelog
    stored = versions(registry, subject).versions[-1]
    [recorded] = [c for c in stored.meta.changes if c.undecided]
    assert recorded.level == "warning" and why in recorded.message
    meta = json.loads((tmp_path / "contracts" / subject / "1.1.0.meta.json").read_text())
    assert any(c.get("undecided") is True for c in meta["changes"])

    set_undecided(registry, subject, "BREAKING")
    assert DirectoryBackend(tmp_path / "contracts").subject(subject).undecided is Level.BREAKING
    third = json.loads(json.dumps(second).replace("(a|b)", "(a|b|c)"))
    again = _publish(tmp_path, "v3.json", third, subject)  # another undecided change: refused again
    assert again.refused and again.judgement is not None
    assert [c.level for f in again.judgement.failures for c in f.changes if c.undecided] == ["breaking"]


def _text(outcome: PublishOutcome) -> str:
    import io

    out = io.StringIO()
    render_outcome(outcome, "text", out)
    return out.getvalue()


def test_a_subject_written_by_the_previous_version_reads_as_breaking(tmp_path: Path) -> None:
    _publish(tmp_path, "v1.json", CODES_1, "codes-value")
    index_path = tmp_path / "contracts" / "codes-value" / "subject.json"
    index = json.loads(index_path.read_text())
    assert "undecided" not in index  # a new subject's index is written as before
    backend = DirectoryBackend(tmp_path / "contracts")
    assert backend.subject("codes-value").undecided is DEFAULT_UNDECIDED is Level.BREAKING
    backend.set_undecided("codes-value", Level.WARNING)
    written = json.loads(index_path.read_text())
    assert written == {**index, "undecided": "warning"}  # one key added, the rest as it was
    assert [s.undecided for s in backend.list_subjects()] == [Level.WARNING]


def test_the_listing_shows_the_level(tmp_path: Path) -> None:
    import io

    from apigov.registry.commands import list_subjects

    _publish(tmp_path, "v1.json", CODES_1, "codes-value")
    set_undecided(str(tmp_path / "contracts"), "codes-value", "warning")
    out = io.StringIO()
    render_listing(list_subjects(str(tmp_path / "contracts")), "text", out)
    header, row = out.getvalue().splitlines()
    assert header.split() == ["SUBJECT", "KIND", "MODE", "UNDECIDED", "LATEST", "VERSIONS"]
    assert row.split() == ["codes-value", "jsonschema", "BACKWARD", "warning", "1.0.0", "1"]
    out = io.StringIO()
    render_listing(list_subjects(str(tmp_path / "contracts")), "json", out)
    assert json.loads(out.getvalue())["subjects"][0]["undecided"] == "warning"


def test_bad_levels_and_damaged_indexes_are_clear_errors(tmp_path: Path) -> None:
    _publish(tmp_path, "v1.json", CODES_1, "codes-value")
    registry = str(tmp_path / "contracts")
    for bad in ("info", "error", "", "warning!"):
        with pytest.raises(InputError, match="unknown undecided level"):
            parse_undecided(bad)
        with pytest.raises(InputError, match="unknown undecided level"):
            set_undecided(registry, "codes-value", bad)
    with pytest.raises(UnknownSubject):
        set_undecided(registry, "nope-value", "warning")
    with pytest.raises(InputError, match="unknown undecided level"):  # the two levels, whoever calls
        DirectoryBackend(tmp_path / "contracts").set_undecided("codes-value", Level.INFO)
    index_path = tmp_path / "contracts" / "codes-value" / "subject.json"
    index = json.loads(index_path.read_text())
    index_path.write_text(json.dumps({**index, "undecided": "sometimes"}))
    with pytest.raises(RegistryError, match="unknown undecided level 'sometimes'"):
        DirectoryBackend(tmp_path / "contracts").subject("codes-value")


def test_a_change_a_rule_setting_made_info_is_not_credited_to_the_subject_level(tmp_path: Path) -> None:
    (tmp_path / "apigov.yaml").write_text("diff:\n  rules:\n    schema-pattern-changed: info\n")
    config = load_config(tmp_path / "apigov.yaml")
    backend = DirectoryBackend(tmp_path / "contracts")
    for name, data in (("v1.json", CODES_1), ("v2.json", CODES_2)):
        (tmp_path / name).write_text(json.dumps(data))
        request = PublishRequest(
            file=tmp_path / name, subject="codes-value", publisher="t", git_sha="a", git_branch="b"
        )
        outcome = publish(backend, request, config)
    assert outcome.status == "published" and outcome.judgement is not None
    assert [(c.level, c.undecided) for c in outcome.judgement.changes] == [("info", True)]
    assert "accepted as" not in _text(outcome)  # the subject's level (breaking) did not accept it


def test_a_server_older_than_the_undecided_level_is_named(tmp_path: Path) -> None:
    import httpx

    from apigov.registry.http import HttpBackend

    def old_server(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/v1/subjects/codes-value":
            subject = {
                "subject": "codes-value",
                "kind": "jsonschema",
                "mode": "BACKWARD",
                "versions": ["1.0.0"],
            }
            return httpx.Response(200, json=subject)
        return httpx.Response(404, json={"type": "urn:apigov:problem:not-found", "detail": "Not Found"})

    client = httpx.Client(base_url="http://registry.test", transport=httpx.MockTransport(old_server))
    backend = HttpBackend("http://registry.test", token="t", client=client)
    assert backend.subject("codes-value").undecided is Level.BREAKING  # it does not say: breaking
    with pytest.raises(RegistryError, match="no per-subject undecided level"):
        backend.set_undecided("codes-value", Level.WARNING)
    with pytest.raises(UnknownSubject):
        backend.set_undecided("other-value", Level.WARNING)
