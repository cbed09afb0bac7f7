"""Helpers for the AsyncAPI, JSON Schema and Avro lint tests: run rules on an inline document."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding
from apigov.documents.bundle import Bundled, bundle
from apigov.documents.document import Document
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.refs import Workspace
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

#: Values a hostile document may put anywhere.
HOSTILE: Final[tuple[JSONValue, ...]] = (None, 7, "x", [], {}, [1, "a"], {"$ref": "#/nowhere"})


def context(tmp_path: Path, document: object, name: str = "doc.yaml") -> LintContext:
    """A lint context for ``document`` (YAML/JSON text, or data written as JSON) saved as ``name``."""
    text = document if isinstance(document, str) else json.dumps(document)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    workspace = Workspace.open(path)
    kind, version = detect_kind(workspace.root.data, path)
    return LintContext(bundled=bundle(workspace, kind), kind=kind, spec_version=version, workspace=workspace)


def memory_context(data: JSONValue, kind: Kind) -> LintContext:
    """A lint context for data that never was a file (no lines), as hostile as it likes."""
    document = Document(source="memory.json", path=None, data=data, text="", format="json")
    return LintContext(bundled=Bundled(document), kind=kind, spec_version="", workspace=Workspace(document))


def run(ctx: LintContext, rules: Iterable[LintRule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        ctx.rule_id, ctx.level = rule.id, rule.level
        findings.extend(rule.check(ctx))
    return findings


def lint(
    tmp_path: Path, document: object, rules: Iterable[LintRule], name: str = "doc.yaml"
) -> list[Finding]:
    return run(context(tmp_path, document, name), rules)


def hits(findings: Iterable[Finding], rule_id: str) -> list[tuple[str, str]]:
    """``(pointer, level)`` of the findings of one rule, sorted."""
    return sorted((f.location.pointer, f.level.value) for f in findings if f.rule_id == rule_id)


def pointers(findings: Iterable[Finding], rule_id: str) -> list[str]:
    return [pointer for pointer, _ in hits(findings, rule_id)]


def mutations(data: JSONValue, limit: int = 400) -> Iterator[JSONValue]:
    """Copies of ``data`` with one node replaced by a hostile value, for ``limit`` nodes spread
    evenly over the whole document."""
    found: list[str] = []
    stack: list[tuple[str, JSONValue]] = [("", data)]
    while stack:
        pointer, node = stack.pop()
        if pointer:
            found.append(pointer)
        if isinstance(node, dict):
            stack.extend((jsonptr.join(pointer, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((jsonptr.join(pointer, i), v) for i, v in enumerate(node))
    step = max(1, len(found) // limit)
    for pointer in found[::step]:
        parent_pointer, _, token = pointer.rpartition("/")
        key = jsonptr.unescape(token)
        for value in HOSTILE:
            mutated = copy.deepcopy(data)
            parent = jsonptr.resolve(mutated, parent_pointer)
            if isinstance(parent, list):
                parent[int(key)] = copy.deepcopy(value)
            elif isinstance(parent, dict):
                parent[key] = copy.deepcopy(value)
            yield mutated


def nested(depth: int, leaf: JSONValue, key: str) -> dict[str, JSONValue]:
    """``{key: {key: ... leaf}}``, ``depth`` objects deep, built without recursion."""
    node: dict[str, JSONValue] = {key: leaf}
    for _ in range(depth - 1):
        node = {key: node}
    return node
