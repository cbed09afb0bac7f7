"""Text and JSON renderings of registry results (``apigov publish`` and ``apigov registry``).

JSON output is exactly one document with an ``apigov`` key naming its shape
(``registry-list/1``, ``registry-versions/1``, ``registry-version/1``, ``registry-changelog/1``,
``registry-subject/1``, ``publish/1``); keys are snake_case.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final, TextIO

from apigov.registry.base import Change, StoredVersion, SubjectInfo
from apigov.registry.commands import Listing, Shown, VersionsView
from apigov.report.markdown import escape_text

if TYPE_CHECKING:
    from apigov.registry.publish import PublishOutcome

__all__ = [
    "FORMATS",
    "render_changelog",
    "render_listing",
    "render_outcome",
    "render_show",
    "render_subject",
    "render_versions",
    "subject_json",
]

FORMATS: Final = ("text", "json")
_MAX_SHOWN: Final = 50
_SUMMARY: Final = 10


def _json(value: object, out: TextIO) -> None:
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _clean(text: str) -> str:
    """One line, without control characters (metadata and messages come from users and specs)."""
    return "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))


def subject_json(info: SubjectInfo) -> dict[str, object]:
    return {
        "subject": info.name,
        "kind": info.kind,
        "mode": info.mode.value,
        "undecided": info.undecided.value,
        "latest": str(info.latest) if info.latest else None,
        "versions": [str(v) for v in info.versions],
        "deprecated": {v: {"at": d.at, "reason": d.reason} for v, d in sorted(info.deprecated.items())},
    }


def _change_json(change: Change) -> dict[str, object]:
    """``example`` (a counter-example's excerpt) only when the change has one, ``undecided`` only
    when apigov could not decide it."""
    data = change.to_json()
    if change.example is not None:
        data["example"] = change.example
    return data


def _version_json(stored: StoredVersion, info: SubjectInfo) -> dict[str, object]:
    deprecation = info.deprecated.get(str(stored.version))
    return {
        "version": str(stored.version),
        "digest": stored.digest,
        "format": stored.format,
        **stored.meta.to_json(),
        "deprecated": {"at": deprecation.at, "reason": deprecation.reason} if deprecation else None,
    }


def render_listing(listing: Listing, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        _json(
            {
                "apigov": "registry-list/1",
                "registry": listing.location,
                "subjects": [subject_json(s) for s in listing.subjects],
            },
            out,
        )
        return
    if not listing.subjects:
        out.write(f"no subjects in the registry at {listing.location}\n")
        return
    width = max(len("SUBJECT"), *(len(s.name) for s in listing.subjects))
    out.write(
        f"{'SUBJECT':<{width}}  {'KIND':<10}  {'MODE':<19}  {'UNDECIDED':<9}  {'LATEST':<10}  VERSIONS\n"
    )
    for s in listing.subjects:
        latest = str(s.latest) if s.latest else "-"
        if latest in s.deprecated:
            latest += " (deprecated)"
        out.write(
            f"{s.name:<{width}}  {s.kind:<10}  {s.mode.value:<19}  {s.undecided.value:<9}  {latest:<10}  "
            f"{len(s.versions)}\n"
        )


def render_versions(view: VersionsView, fmt: str, out: TextIO) -> None:
    info = view.info
    if fmt == "json":
        _json(
            {
                "apigov": "registry-versions/1",
                **subject_json(info),
                "versions": [_version_json(v, info) for v in view.versions],
            },
            out,
        )
        return
    out.write(f"{info.name}  ({info.kind}, mode {info.mode.value}, undecided {info.undecided.value})\n")
    for stored in view.versions:
        meta = stored.meta
        line = f"  {stored.version!s:<10} {meta.published_at}  {_clean(meta.publisher)}"
        if meta.git_sha:
            line += f"  git {_clean(meta.git_sha)[:12]}"
            if meta.git_branch:
                line += f" on {_clean(meta.git_branch)}"
        line += f"  {stored.digest[:19]}"
        deprecation = info.deprecated.get(str(stored.version))
        if deprecation:
            line += "  DEPRECATED" + (f": {_clean(deprecation.reason)}" if deprecation.reason else "")
        out.write(line + "\n")


def render_show(shown: Shown, fmt: str, out: TextIO) -> None:
    stored = shown.stored
    if fmt == "json":
        body: dict[str, object] = {
            "apigov": "registry-version/1",
            "subject": stored.subject,
            "kind": stored.kind,
        }
        body.update(_version_json(stored, shown.info))
        body["content"] = stored.content.decode("utf-8", "replace")
        _json(body, out)
        return
    text = stored.content.decode("utf-8", "replace")
    out.write(text if text.endswith("\n") else text + "\n")


def render_changelog(view: VersionsView, fmt: str, out: TextIO) -> None:
    info = view.info
    if fmt == "json":
        entries = []
        for stored in reversed(view.versions):
            entry = _version_json(stored, info)
            entries.append(entry)
        _json(
            {
                "apigov": "registry-changelog/1",
                "subject": info.name,
                "kind": info.kind,
                "mode": info.mode.value,
                "undecided": info.undecided.value,
                "entries": entries,
            },
            out,
        )
        return
    if fmt == "markdown":
        _changelog_markdown(view, out)
        return
    out.write(f"{info.name}  ({info.kind}, mode {info.mode.value})\n")
    for stored in reversed(view.versions):
        meta = stored.meta
        what = f"{meta.bump} bump from {meta.previous}" if meta.previous else "first version"
        line = f"\n{stored.version}  {what}, {meta.published_at} by {_clean(meta.publisher)}"
        if meta.git_sha:
            line += f", git {_clean(meta.git_sha)[:12]}"
            if meta.git_branch:
                line += f" on {_clean(meta.git_branch)}"
        out.write(line + "\n")
        deprecation = info.deprecated.get(str(stored.version))
        if deprecation:
            reason = f": {_clean(deprecation.reason)}" if deprecation.reason else ""
            out.write(f"  DEPRECATED {deprecation.at}{reason}\n")
        if meta.previous is None:
            continue
        if not meta.changes:
            out.write("  no change the contract's users can tell\n")
            continue
        width = max(len(change.level) for change in meta.changes[:_MAX_SHOWN])
        for change in meta.changes[:_MAX_SHOWN]:
            out.write(f"  {change.level:<{width}}  {_clean(change.message)}  {change.id}\n")
        if len(meta.changes) > _MAX_SHOWN:
            out.write(f"  ... and {len(meta.changes) - _MAX_SHOWN} more (--format json lists them all)\n")


def _changelog_markdown(view: VersionsView, out: TextIO) -> None:
    """Everything from a spec or a publisher is escaped (it may hold markup or links)."""
    info = view.info
    out.write(f"# Changelog of {info.name} ({info.kind}, mode {info.mode.value})\n")
    for stored in reversed(view.versions):
        meta = stored.meta
        what = f"{meta.bump} bump from {meta.previous}" if meta.previous else "first version"
        out.write(f"\n## {stored.version} ({what}), {meta.published_at} by {escape_text(meta.publisher)}")
        if meta.git_sha:
            out.write(
                f", git {escape_text(meta.git_sha)[:12]}"
                + (f" on {escape_text(meta.git_branch)}" if meta.git_branch else "")
            )
        out.write("\n")
        deprecation = info.deprecated.get(str(stored.version))
        if deprecation:
            out.write(
                f"\n**Deprecated** {deprecation.at}"
                + (f": {escape_text(deprecation.reason)}" if deprecation.reason else "")
                + "\n"
            )
        if meta.previous is None:
            continue
        if not meta.changes:
            out.write("\n- no change the contract's users can tell\n")
            continue
        out.write("\n")
        for change in meta.changes[:_MAX_SHOWN]:
            out.write(f"- {change.level}: {escape_text(change.message)} ({change.id})\n")
        if len(meta.changes) > _MAX_SHOWN:
            out.write(f"- ... and {len(meta.changes) - _MAX_SHOWN} more\n")


def _as(level: str) -> str:
    return "a warning" if level == "warning" else level


def render_subject(info: SubjectInfo, fmt: str, out: TextIO, *, message: str) -> None:
    if fmt == "json":
        _json({"apigov": "registry-subject/1", **subject_json(info)}, out)
        return
    out.write(message + "\n")


def outcome_json(outcome: PublishOutcome) -> dict[str, object]:
    """A publish's outcome as ``apigov publish --format json`` and ``PUT`` of ``apigov serve``
    give it (the former adds its ``apigov`` key)."""
    judgement = outcome.judgement
    return {
        "status": outcome.status,
        "subject": outcome.subject,
        "version": str(outcome.version) if outcome.version else None,
        "previous": str(outcome.previous) if outcome.previous else None,
        "kind": outcome.kind,
        "mode": outcome.mode.value,
        "digest": outcome.digest,
        "required_bump": outcome.required_bump,
        "reasons": list(outcome.reasons),
        "failures": [
            {
                "against": f.against,
                "direction": f.direction,
                "changes": [_change_json(c) for c in f.changes if c.level == "breaking"],
            }
            for f in (judgement.failures if judgement is not None else ())
        ],
        "changes": [_change_json(c) for c in judgement.changes] if judgement is not None else [],
    }


def render_outcome(outcome: PublishOutcome, fmt: str, out: TextIO, *, registry: str | None = None) -> None:
    """``registry``: where the registry is, said on the line after the first (JSON: ``registry``)."""
    ref = f"{outcome.subject}@{outcome.version}" if outcome.version is not None else outcome.subject
    judgement = outcome.judgement
    if fmt == "json":
        where = {"registry": registry} if registry is not None else {}
        extra = {"canonical_digest": outcome.canonical_digest, "warnings": list(outcome.warnings)}
        _json({"apigov": "publish/1", **where, **outcome_json(outcome), **extra}, out)
        return
    lines = 0

    def emit(line: str) -> None:
        nonlocal lines
        out.write(line + "\n")
        lines += 1
        if lines == 1 and registry is not None:
            out.write(f"  registry: {_clean(registry)}\n")

    previous = f" from {outcome.previous}" if outcome.previous else ""
    if outcome.status == "unchanged":
        emit(f"unchanged: {ref} already holds this content ({outcome.digest[:19]})")
        return
    if outcome.status in ("published", "dry-run"):
        verb = "published" if outcome.status == "published" else "dry run: would publish"
        bump = (
            f" ({outcome.version.bump_from(outcome.previous)} bump{previous})"
            if outcome.previous and outcome.version
            else " (first version)"
        )
        emit(f"{verb} {ref}{bump}, mode {outcome.mode.value}, {outcome.digest[:19]}")
        if judgement is not None and judgement.changes:
            shown = judgement.changes[:_SUMMARY]
            emit(
                f"  {len(judgement.changes)} change{'s' if len(judgement.changes) != 1 else ''} since {outcome.previous}:"
            )
            for change in shown:
                emit(f"    {change.level:<8} {_clean(change.message)}  {change.id}")
                if change.undecided and change.level == "warning":  # (not one diff.rules set)
                    emit(
                        f"             not decided: accepted as {_as(change.level)} (the subject's undecided level)"
                    )
            if len(judgement.changes) > len(shown):
                emit(
                    f"    ... and {len(judgement.changes) - len(shown)} more ('apigov registry changelog {outcome.subject}')"
                )
        return
    emit(f"refused: {ref}{previous} (mode {outcome.mode.value})")
    for reason in outcome.reasons:
        emit(f"  - {reason}")
    if judgement is not None:
        for failure in judgement.failures:
            for change in [c for c in failure.changes if c.level == "breaking"][:_MAX_SHOWN]:
                emit(f"      {failure.against}: {_clean(change.message)}  {change.id}")
                if change.example is not None:
                    emit(f"          e.g. {_clean(change.example)}")
                if change.undecided and change.level == "breaking":
                    emit(
                        "          not decided: counted as breaking; check it by hand, and relax the subject "
                        f"with 'apigov registry set-undecided {outcome.subject} warning' to accept such changes"
                    )
        if judgement.failures:
            emit(
                f"  hint: keep the change compatible, publish it under a new subject, or allow it with "
                f"'apigov registry set-mode {outcome.subject} NONE' and publish a major version"
            )
