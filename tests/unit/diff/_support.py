"""Build DiffTrees from YAML text for the tests."""

from __future__ import annotations

from pathlib import Path

from apigov.diff.openapi import diff_bundles
from apigov.diff.tree import DiffTree, OperationDiff
from apigov.documents.bundle import bundle
from apigov.documents.kinds import detect_kind
from apigov.documents.refs import Workspace

HEAD_30 = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
HEAD_31 = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
HEAD_20 = "swagger: '2.0'\ninfo: {title: T, version: '1'}\n"


def diff_files(base: Path, revision: Path) -> DiffTree:
    sides = []
    for path in (base, revision):
        workspace = Workspace.open(path)
        kind, _ = detect_kind(workspace.root.data, path)
        sides.append((bundle(workspace, kind), kind))
    (old, old_kind), (new, new_kind) = sides
    return diff_bundles(old, old_kind, new, new_kind)


def diff_texts(tmp_path: Path, base: str, revision: str) -> DiffTree:
    (tmp_path / "base").mkdir(parents=True, exist_ok=True)
    (tmp_path / "revision").mkdir(parents=True, exist_ok=True)
    old = tmp_path / "base" / "api.yaml"
    new = tmp_path / "revision" / "api.yaml"
    old.write_text(base)
    new.write_text(revision)
    return diff_files(old, new)


def only_operation(tree: DiffTree) -> OperationDiff:
    assert not tree.operations.added and not tree.operations.removed
    assert len(tree.operations.changed) == 1
    return tree.operations.changed[0]
