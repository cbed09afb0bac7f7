"""OpenAPI Overlay 1.0: platform teams' changes applied to a contract before generation.

An overlay document (``overlay: 1.0.0``, ``info``, optional ``extends``, ``actions``) lists
actions, each a JSONPath ``target`` with an ``update`` (merged into every selected node: objects
recursively, arrays appended to) or ``remove: true`` (the selected nodes are taken out of their
parent). Actions apply in order, to a deep copy; the contract itself is never changed.

JSONPath here is the subset overlays use in practice, evaluated without ``eval`` or regular
expressions from the document: ``$``, ``.name``, ``['name']``, ``.*``, ``[*]``, ``[n]``,
``..name`` (descendants) and filters ``[?(@.key == 'text')]``, ``[?(@.key != 'text')]``,
``[?(@.key)]`` (also without the parentheses). Anything else is refused (an input error naming
the action), never guessed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from apigov.core.errors import InputError
from generators.base import Contract, JSONValue

_NAME: Final = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")
_FILTER: Final = re.compile(
    r"\?\(?\s*@\.([A-Za-z_$][A-Za-z0-9_$-]*)\s*(?:(==|!=)\s*('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|-?\d+|true|false|null))?\s*\)?"
)


@dataclass(frozen=True, slots=True)
class Overlay:
    source: str
    extends: str | None
    actions: tuple[Mapping[str, JSONValue], ...]


def parse_overlay(data: JSONValue, source: str) -> Overlay:
    """A validated overlay document."""
    if not isinstance(data, dict) or not isinstance(data.get("overlay"), str):
        raise InputError("not an Overlay document (no 'overlay: 1.0.0')", source=source)
    if not str(data["overlay"]).startswith("1."):
        raise InputError(f"overlay version {data['overlay']!r} is not supported (1.x is)", source=source)
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise InputError("an overlay needs a non-empty 'actions' list", source=source, pointer="#/actions")
    checked: list[Mapping[str, JSONValue]] = []
    for index, action in enumerate(actions):
        where = f"#/actions/{index}"
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise InputError("each action needs a 'target' JSONPath", source=source, pointer=where)
        if "update" not in action and action.get("remove") is not True:
            raise InputError("an action needs 'update' or 'remove: true'", source=source, pointer=where)
        _parse_path(str(action["target"]), source, where)  # refuse what cannot be evaluated, up front
        checked.append(action)
    extends = data.get("extends")
    return Overlay(source, extends if isinstance(extends, str) else None, tuple(checked))


def apply_overlays(contracts: Sequence[Contract], overlays: Sequence[Overlay]) -> tuple[Contract, ...]:
    """Each contract with the overlays that concern it applied (``extends`` naming it, or none)."""
    result: list[Contract] = []
    for contract in contracts:
        names = {contract.name, contract.subject, f"{contract.subject}@{contract.version}"}
        chosen = [
            o
            for o in overlays
            if o.extends is None or o.extends in names or contract.name.endswith(o.extends)
        ]
        if not chosen:
            result.append(contract)
            continue
        document: JSONValue = copy.deepcopy(dict(contract.document))
        for overlay in chosen:
            for index, action in enumerate(overlay.actions):
                document = _apply(document, action, overlay.source, f"#/actions/{index}")
        if not isinstance(document, dict):
            raise InputError("an overlay removed the whole document", source=chosen[-1].source)
        result.append(
            Contract(
                contract.name, contract.kind, document, contract.subject, contract.version, contract.digest
            )
        )
    return tuple(result)


# -- JSONPath ---------------------------------------------------------------------------------

Step = tuple[str, object]  # ("child", name) ("index", n) ("all", None) ("descend", name|None) ("filter", ...)


def _parse_path(path: str, source: str, where: str) -> list[Step]:
    def bad(why: str) -> InputError:
        return InputError(f"JSONPath {path[:80]!r}: {why}", source=source, pointer=f"{where}/target")

    if not path.startswith("$"):
        raise bad("must start with '$'")
    steps: list[Step] = []
    at = 1
    while at < len(path):
        if path.startswith("..", at):
            at += 2
            if path.startswith("*", at):
                steps.append(("descend", None))
                at += 1
                continue
            if path.startswith("[", at):
                steps.append(("tree", None))  # the bracket then applies to the node and every descendant
                continue
            match = _NAME.match(path, at)
            if match is None:
                raise bad(f"a name or '[' must follow '..' at {at}")
            steps.append(("descend", match.group()))
            at = match.end()
        elif path[at] == ".":
            at += 1
            if path.startswith("*", at):
                steps.append(("all", None))
                at += 1
                continue
            match = _NAME.match(path, at)
            if match is None:
                raise bad(f"a name must follow '.' at {at}")
            steps.append(("child", match.group()))
            at = match.end()
        elif path[at] == "[":
            end = _closing(path, at)
            if end < 0:
                raise bad(f"'[' at {at} is not closed")
            inner = path[at + 1 : end].strip()
            at = end + 1
            if inner == "*":
                steps.append(("all", None))
            elif inner.lstrip("-").isdigit():
                steps.append(("index", int(inner)))
            elif len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
                steps.append(("child", _unquote(inner)))
            elif inner.startswith("?"):
                match = _FILTER.fullmatch(inner)
                if match is None:
                    raise bad(f"filter {inner[:40]!r} is not supported (@.key == 'text', != or existence)")
                key, op, literal = match.group(1), match.group(2), match.group(3)
                steps.append(("filter", (key, op, _literal(literal) if literal is not None else None)))
            else:
                raise bad(f"selector [{inner[:40]}] is not supported")
        else:
            raise bad(f"unexpected {path[at]!r} at {at}")
    return steps


def _closing(path: str, start: int) -> int:
    quote = ""
    at = start + 1
    while at < len(path):
        char = path[at]
        if quote:
            if char == "\\":
                at += 2
                continue
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "]":
            return at
        at += 1
    return -1


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _literal(text: str) -> JSONValue:
    if text[0] in "'\"":
        return _unquote(text)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    return int(text)


Located = tuple[JSONValue, object, JSONValue]  # (parent, key or index, node)


def _select(document: JSONValue, steps: list[Step]) -> list[Located]:
    current: list[Located] = [(None, None, document)]
    for kind, arg in steps:
        found: list[Located] = []
        for _, _, node in current:
            if kind == "child" and isinstance(node, dict) and arg in node:
                found.append((node, arg, node[str(arg)]))
            elif (
                kind == "index"
                and isinstance(node, list)
                and isinstance(arg, int)
                and -len(node) <= arg < len(node)
            ):
                found.append((node, arg % len(node), node[arg]))
            elif kind == "all":
                found.extend(_children(node))
            elif kind == "tree":
                found.append((None, None, node))
                found.extend(_descendants(node))
            elif kind == "descend":
                for parent, key, child in _descendants(node):
                    if arg is None or (isinstance(parent, dict) and key == arg):
                        found.append((parent, key, child))
            elif kind == "filter":
                assert isinstance(arg, tuple)
                field, op, value = arg
                for parent, key, child in _children(node):
                    if not isinstance(child, dict) or field not in child:
                        continue
                    if op is None or (child[field] == value) == (op == "=="):
                        found.append((parent, key, child))
        current = found
    return current


def _children(node: JSONValue) -> Iterator[Located]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key, value
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index, value


def _descendants(node: JSONValue) -> Iterator[Located]:
    stack = list(_children(node))
    stack.reverse()
    seen = 0
    while stack:
        seen += 1
        if seen > 5_000_000:
            raise InputError("the document is too large for a '..' JSONPath")
        parent, key, child = stack.pop()
        yield parent, key, child
        more = list(_children(child))
        more.reverse()
        stack.extend(more)


def _apply(document: JSONValue, action: Mapping[str, JSONValue], source: str, where: str) -> JSONValue:
    steps = _parse_path(str(action["target"]), source, where)
    selected = _select(document, steps)
    if action.get("remove") is True:
        for parent, key, _ in reversed(selected):
            if parent is None:
                return None
            if isinstance(parent, dict):
                parent.pop(str(key), None)
            elif isinstance(parent, list) and isinstance(key, int) and key < len(parent):
                del parent[key]
        return document
    update = action["update"]
    for parent, key, node in selected:
        merged = _merge(node, copy.deepcopy(update))
        if parent is None:
            document = merged
        elif isinstance(parent, dict):
            parent[str(key)] = merged
        elif isinstance(parent, list) and isinstance(key, int):
            parent[key] = merged
    return document


def _merge(node: JSONValue, update: JSONValue) -> JSONValue:
    if isinstance(node, dict) and isinstance(update, dict):
        for key, value in update.items():
            node[key] = _merge(node[key], value) if key in node else value
        return node
    if isinstance(node, list):
        if isinstance(update, list):
            node.extend(update)
        else:
            node.append(update)
        return node
    return update
