"""Ignore files: loading with file:line errors, matching by rule id plus operation or pointer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType

import pytest

from apigov.core.errors import ConfigError, InputError
from apigov.core.findings import Finding, Level, Location
from apigov.rules.ignore import IgnoreEntry, IgnoreFile, apply_ignores, load_ignore_file

TODAY = dt.date(2026, 6, 1)
ENUM_ADDED = "response-property-enum-value-added"
SCHEMA_REMOVED = "api-schema-removed"


def finding(
    rule_id: str = ENUM_ADDED,
    *,
    operation: str | None = "GET /pets/{petId}",
    pointer: str = "/paths/~1pets~1{petId}/get/responses/200",
    message: str = "a message that ignore files never look at",
    **details: str,
) -> Finding:
    return Finding(
        rule_id=rule_id,
        level=Level.WARNING,
        message=message,
        location=Location(file="openapi.yaml", pointer=pointer, line=12),
        operation=operation,
        details=MappingProxyType(details),
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "apigov-ignore.yaml"
    path.write_text(text)
    return path


def entry(
    rule_id: str = ENUM_ADDED,
    *,
    operation: str | None = None,
    pointer: str | None = None,
    expires: dt.date | None = None,
    line: int | None = 3,
) -> IgnoreEntry:
    return IgnoreEntry(
        rule_id=rule_id, operation=operation, pointer=pointer, reason="accepted", expires=expires, line=line
    )


def ignores(*entries: IgnoreEntry) -> IgnoreFile:
    return IgnoreFile(source="apigov-ignore.yaml", entries=entries)


# --------------------------------------------------------------------------- loading


def test_load_both_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\n"
        "ignore:\n"
        f"  - id: {ENUM_ADDED}\n"
        "    operation: GET /pets/{petId}\n"
        "    reason: clients treat status as open enum\n"
        "    expires: 2027-01-31\n"
        f"  - id: {SCHEMA_REMOVED}\n"
        '    pointer: "#/components/schemas/LegacyPet"\n'
        "    reason: nobody used it\n",
    )
    loaded = load_ignore_file(path, known_ids={ENUM_ADDED, SCHEMA_REMOVED})
    assert loaded.source == str(path)
    first, second = loaded.entries
    assert first == IgnoreEntry(
        rule_id=ENUM_ADDED,
        operation="GET /pets/{petId}",
        pointer=None,
        reason="clients treat status as open enum",
        expires=dt.date(2027, 1, 31),
        line=3,
    )
    assert second.pointer == "/components/schemas/LegacyPet"
    assert second.operation is None
    assert second.expires is None
    assert second.line == 7


def test_pointer_fragment_is_percent_decoded_and_plain_pointer_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\nignore:\n"
        f"  - {{id: {SCHEMA_REMOVED}, pointer: '#/components/schemas/Old%20Pet', reason: r}}\n"
        f"  - {{id: {SCHEMA_REMOVED}, pointer: /components/schemas/Other, reason: r}}\n",
    )
    assert [e.pointer for e in load_ignore_file(path).entries] == [
        "/components/schemas/Old Pet",
        "/components/schemas/Other",
    ]


def test_empty_ignore_list_is_fine(tmp_path: Path) -> None:
    assert load_ignore_file(write(tmp_path, "version: 1\nignore: []\n")).entries == ()


def test_an_empty_ignore_file_says_what_an_ignore_file_needs(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="the ignore file is empty") as caught:
        load_ignore_file(write(tmp_path, ""))
    assert "version: 1" in str(caught.value) and "contract" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("version: 1\nignores: []\n", 2, "unknown key 'ignores'"),
        ("ignore: []\n", 1, "has no 'version: 1'"),
        ("version: 2\nignore: []\n", 1, "'version' must be 1"),
        ("version: 1\nignore: {}\n", 2, "'ignore' must be a list"),
        ("version: 1\nignore:\n  - just text\n", 3, "an ignore entry is a mapping"),
        (
            "version: 1\nignore:\n  - id: x\n    operation: GET /a\n    reason: r\n    because: y\n",
            6,
            "unknown key 'because'",
        ),
        ("version: 1\nignore:\n  - operation: GET /a\n    reason: r\n", 3, "has no 'id'"),
        ("version: 1\nignore:\n  - id: x\n    operation: GET /a\n", 3, "ignore entry for x has no 'reason'"),
        ("version: 1\nignore:\n  - id: x\n    operation: GET /a\n    reason: '  '\n", 5, "non-empty"),
        (
            "version: 1\nignore:\n  - id: x\n    reason: r\n    operation: GET /a\n    pointer: /b\n",
            3,
            "has both of 'operation' and 'pointer'",
        ),
        ("version: 1\nignore:\n  - id: x\n    reason: r\n", 3, "has neither of 'operation' and 'pointer'"),
        (
            "version: 1\nignore:\n  - id: x\n    reason: r\n    operation: /pets\n",
            5,
            "does not read 'METHOD /path'",
        ),
        (
            "version: 1\nignore:\n  - id: x\n    reason: r\n    pointer: components/schemas\n",
            5,
            "is not a JSON pointer",
        ),
        (
            "version: 1\nignore:\n  - id: x\n    reason: r\n    pointer: /a\n    expires: 2027-02-30\n",
            6,
            "'expires' must be a date",
        ),
        (
            "version: 1\nignore:\n  - id: x\n    reason: r\n    pointer: /a\n    expires: soon\n",
            6,
            "'expires' must be a date",
        ),
    ],
)
def test_load_errors_name_file_and_line(tmp_path: Path, text: str, line: int, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_ignore_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert expected in message
    assert "\n" not in message


def test_unknown_rule_id_only_with_known_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\nignore:\n  - id: ok-id\n    operation: GET /a\n    reason: r\n"
        "  - id: response-property-enum-value-adde\n    operation: GET /a\n    reason: r\n",
    )
    assert len(load_ignore_file(path).entries) == 2
    with pytest.raises(ConfigError) as caught:
        load_ignore_file(path, known_ids=["ok-id", ENUM_ADDED])
    assert str(caught.value) == (
        f"{path}:6: unknown rule id 'response-property-enum-value-adde'; did you mean '{ENUM_ADDED}'?"
    )


def test_malformed_yaml_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="invalid YAML"):
        load_ignore_file(write(tmp_path, "version: 1\nignore: [\n"))
    with pytest.raises(InputError, match="no such file"):
        load_ignore_file(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="tag"):
        load_ignore_file(write(tmp_path, "version: 1\nignore: !!python/object:os.system []\n"))


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    "operation",
    ["GET /pets/{petId}", "get /pets/{id}", "Get /pets/{}", "  GET   /pets/{petId}  "],
)
def test_operation_matches_any_method_case_and_parameter_names(operation: str) -> None:
    kept, suppressed, notices = apply_ignores([finding()], ignores(entry(operation=operation)), today=TODAY)
    assert (kept, notices) == ([], [])
    assert [f.rule_id for f in suppressed] == [ENUM_ADDED]
    assert suppressed[0].details["ignore_reason"] == "accepted"
    assert "ignore_expires" not in suppressed[0].details


@pytest.mark.parametrize(
    "operation", ["POST /pets/{petId}", "GET /pets", "GET /pets/{petId}/owner", "GET /Pets/{petId}"]
)
def test_operation_must_be_the_same(operation: str) -> None:
    kept, suppressed, _ = apply_ignores([finding()], ignores(entry(operation=operation)), today=TODAY)
    assert len(kept) == 1
    assert suppressed == []


def test_operation_from_method_and_path_details() -> None:
    plain = finding(operation=None, method="get", path="/pets/{petId}")
    _, suppressed, _ = apply_ignores([plain], ignores(entry(operation="GET /pets/{x}")), today=TODAY)
    assert len(suppressed) == 1


def test_rule_id_must_match() -> None:
    kept, suppressed, notices = apply_ignores(
        [finding("request-parameter-removed")], ignores(entry(operation="GET /pets/{petId}")), today=TODAY
    )
    assert len(kept) == 1
    assert suppressed == []
    assert [n.rule_id for n in notices] == ["ignore-entry-unused"]


def test_message_text_is_never_matched() -> None:
    a = finding(message="first wording")
    b = finding(message="a completely different wording")
    _, suppressed, _ = apply_ignores([a, b], ignores(entry(operation="GET /pets/{petId}")), today=TODAY)
    assert len(suppressed) == 2


@pytest.mark.parametrize(
    ("location", "details", "matches"),
    [
        ("/components/schemas/LegacyPet", {}, True),
        ("/components/schemas/LegacyPet/properties/name", {}, True),
        ("/components/schemas/LegacyPetV2", {}, False),
        ("/components/schemas", {}, False),
        ("", {"base_pointer": "/components/schemas/LegacyPet"}, True),
        ("", {"base_pointer": "/components/schemas/LegacyPet/required/0"}, True),
        ("", {"base_pointer": "/components/schemas/Other"}, False),
    ],
)
def test_pointer_matches_location_or_base_pointer_and_below(
    location: str, details: dict[str, str], matches: bool
) -> None:
    item = finding(SCHEMA_REMOVED, operation=None, pointer=location, **details)
    kept, suppressed, _ = apply_ignores(
        [item], ignores(entry(SCHEMA_REMOVED, pointer="/components/schemas/LegacyPet")), today=TODAY
    )
    assert (len(suppressed), len(kept)) == ((1, 0) if matches else (0, 1))


def test_expiry_boundary() -> None:
    expires = dt.date(2026, 6, 1)
    rules = ignores(entry(operation="GET /pets/{petId}", expires=expires, line=7))
    # the day before and the day itself: still applies, and the suppressed finding says until when
    for today in (expires - dt.timedelta(days=1), expires):
        kept, suppressed, notices = apply_ignores([finding()], rules, today=today)
        assert kept == [] and notices == [], today
        assert suppressed[0].details["ignore_expires"] == "2026-06-01"
    # the day after: no longer applies
    kept, suppressed, notices = apply_ignores([finding()], rules, today=expires + dt.timedelta(days=1))
    assert [f.rule_id for f in kept] == [ENUM_ADDED]
    assert "ignore_reason" not in kept[0].details
    assert suppressed == []
    (notice,) = notices
    assert notice.rule_id == "ignore-entry-expired"
    assert notice.level is Level.WARNING
    assert notice.location == Location(file="apigov-ignore.yaml", pointer="/ignore/0", line=7)
    assert "applied through 2026-06-01 and no longer applies" in notice.message
    assert notice.details["ignored_rule"] == ENUM_ADDED


def test_an_entry_expiring_today_still_applies_and_one_expired_yesterday_does_not() -> None:
    today = dt.date(2026, 11, 21)
    assert not entry(expires=today).expired(today)
    assert entry(expires=today - dt.timedelta(days=1)).expired(today)
    assert not entry(expires=None).expired(today)


def test_an_active_entry_wins_over_an_expired_one() -> None:
    rules = ignores(
        entry(operation="GET /pets/{petId}", expires=dt.date(2020, 1, 1), line=3),
        entry(operation="GET /pets/{id}", line=8),
    )
    kept, suppressed, notices = apply_ignores([finding()], rules, today=TODAY)
    assert kept == []
    assert len(suppressed) == 1
    assert [(n.rule_id, n.location.line) for n in notices] == [("ignore-entry-expired", 3)]


def test_unused_entries_are_reported_in_file_order() -> None:
    rules = ignores(
        entry(operation="GET /pets/{petId}", line=3),
        entry(SCHEMA_REMOVED, pointer="/components/schemas/Nope", line=6),
        entry(operation="DELETE /pets/{petId}", expires=dt.date(2020, 1, 1), line=9),
    )
    kept, suppressed, notices = apply_ignores([finding(), finding()], rules, today=TODAY)
    assert kept == []
    assert len(suppressed) == 2
    assert [(n.rule_id, n.level, n.location.pointer, n.location.line) for n in notices] == [
        ("ignore-entry-unused", Level.INFO, "/ignore/1", 6),
        ("ignore-entry-unused", Level.INFO, "/ignore/2", 9),
    ]


def test_order_of_kept_findings_is_preserved() -> None:
    items = [finding("a-id"), finding(), finding("b-id")]
    kept, _, _ = apply_ignores(items, ignores(entry(operation="GET /pets/{petId}")), today=TODAY)
    assert [f.rule_id for f in kept] == ["a-id", "b-id"]


def test_loaded_file_applies(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"version: 1\nignore:\n  - id: {ENUM_ADDED}\n    operation: get /pets/{{id}}\n    reason: open enum\n",
    )
    kept, suppressed, notices = apply_ignores([finding()], load_ignore_file(path), today=TODAY)
    assert (kept, notices) == ([], [])
    assert suppressed[0].details["ignore_reason"] == "open enum"
