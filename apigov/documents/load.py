"""Safe loading of one YAML or JSON file.

JSON is parsed with the standard library's C scanner (duplicate keys refused). YAML is parsed
with libyaml's event parser (PyYAML's C binding) and built here, iteratively, so that:

- no tag can construct anything but plain data (``!!python/...`` and custom tags are refused);
- nesting is bounded (libyaml's own composer recurses in C and crashes on deep input);
- alias expansion is bounded (the "billion laughs" guard), and recursive aliases are refused;
- duplicate keys are refused, and YAML 1.1 merge keys (``<<``) work;
- scalars follow the YAML 1.2 core schema, so ``yes``/``no``/``on`` and dates stay strings, as
  in JSON.

Line numbers are not kept while loading (that would slow down every load); a
:class:`~apigov.documents.document.Document` computes them on first request.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path
from typing import Any, Final

import yaml

from apigov.core._types import JSONValue
from apigov.core.errors import InvalidYAML, LimitExceeded
from apigov.documents._yaml_events import yaml_event_parser
from apigov.documents.document import COLUMN_BITS, Document, Format, YamlIndex, packed_position
from apigov.documents.limits import DEFAULT_LIMITS, Limits

JSON_SUFFIXES: Final = frozenset({".json", ".avsc"})
YAML_SUFFIXES: Final = frozenset({".yaml", ".yml"})

_CORE_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS: Final = frozenset(
    _CORE_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
)

# YAML 1.2 core schema for plain scalars.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_OCT_RE = re.compile(r"0o[0-7]+\Z")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF_RE = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN_RE = re.compile(r"\.(nan|NaN|NAN)\Z")


def read_bytes(path: Path, *, source: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read a file, refusing what is too large, missing or not a regular file."""
    try:
        if not path.is_file():
            if path.exists():
                raise InvalidYAML("not a regular file", source=source)
            raise InvalidYAML("no such file", source=source, hint="check the path")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise LimitExceeded(
                f"file is {size} bytes, over the limit of {limits.max_bytes}",
                source=source,
                hint="raise APIGOV_MAX_DOCUMENT_BYTES if this is intended",
            )
        with path.open("rb") as handle:
            data = handle.read(min(size, limits.max_bytes) + 1)  # not a max-size buffer up front
    except OSError as exc:
        raise InvalidYAML(f"cannot read file: {exc.strerror or exc}", source=source) from exc
    if len(data) > limits.max_bytes:
        raise LimitExceeded(f"file is over the limit of {limits.max_bytes} bytes", source=source)
    return data


def decode_text(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (with or without BOM; UTF-16/32 by BOM), refusing binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    if encoding == "utf-8" and b"\x00" in data[:8192]:
        raise InvalidYAML("binary file, not a YAML or JSON document", source=source)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidYAML(
            "binary or non-UTF-8 content, not a YAML or JSON document", source=source, line=line
        ) from exc
    if not text.strip():
        raise InvalidYAML("empty document", source=source, hint="a contract file must not be empty")
    return text


def pick_format(path: Path, text: str) -> Format:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in YAML_SUFFIXES:
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def load_file(path: Path, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load one YAML or JSON file into a :class:`Document`.

    Raises :class:`~apigov.core.errors.DocumentError` subclasses with file and line on bad input.
    """
    shown = source if source is not None else str(path)
    data = read_bytes(path, source=shown, limits=limits)
    if path.suffix.lower() in JSON_SUFFIXES and not data.isascii():
        wide = _load_wide_json(data, source=shown, limits=limits)
        if wide is not None:
            return Document(
                source=shown,
                path=path.resolve(),
                data=wide,
                text=data.decode("latin-1"),
                format="json",
                byte_view=True,
            )
    text = decode_text(data, source=shown)
    fmt = pick_format(path, text)
    if fmt == "yaml":
        builder = _YamlBuilder(text, source=shown, limits=limits)
        value = builder.build()
        if text.isascii() or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            return Document(
                source=shown, path=path.resolve(), data=value, text=text, format=fmt, yaml_index=builder.index
            )
        del text, builder.text  # positions are in the index: the bytes, one a character, will do
        return Document(
            source=shown,
            path=path.resolve(),
            data=value,
            text=data.decode("latin-1"),
            format=fmt,
            byte_view=True,
            yaml_index=builder.index,
        )
    value = parse_text(text, fmt, source=shown, limits=limits)
    return Document(source=shown, path=path.resolve(), data=value, text=text, format=fmt)


_NON_ASCII: Final = re.compile(rb"[\x80-\xff]+")


def _load_wide_json(data: bytes, *, source: str, limits: Limits) -> JSONValue | None:
    """Parse UTF-8 JSON beyond ASCII without its text in memory: one emoji makes Python store
    every character of a text in 4 bytes. Characters beyond ASCII are written as ``\\u``
    escapes first (a pure-ASCII text takes a byte a character), and the document keeps its bytes
    seen as Latin-1 for positions (see ``Document.byte_view``).

    ``None`` when the plain way must decide (a BOM, binary, invalid UTF-8, a backslash right
    before such a character, any error such as a lone surrogate escape): it says what is wrong
    exactly.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:8192]:
        return None

    def escaped(match: re.Match[bytes]) -> bytes:
        if data[match.start() - 1 : match.start()] == b"\\":
            raise ValueError("an escape of a character beyond ASCII")  # invalid JSON: say so exactly
        return json.dumps(match[0].decode("utf-8"))[1:-1].encode("ascii")  # \\uXXXX, pairs beyond the BMP

    try:
        ascii_text = _NON_ASCII.sub(escaped, data).decode("ascii")
    except (UnicodeDecodeError, ValueError):
        return None
    try:
        return _parse_json(ascii_text, source=source, limits=limits)
    except (InvalidYAML, LimitExceeded):
        return None


def parse_text(text: str, fmt: Format, *, source: str, limits: Limits = DEFAULT_LIMITS) -> JSONValue:
    if fmt == "json":
        return _parse_json(text, source=source, limits=limits)
    return _YamlBuilder(text, source=source, limits=limits).build()


# --------------------------------------------------------------------------- JSON


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


_SURROGATE_ESCAPE_RE: Final = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _unpaired_surrogate_escape(text: str) -> bool:
    """Whether a JSON text may escape half a UTF-16 surrogate pair: a high one (``\\ud800``-
    ``\\udbff``) not right before a low one, or a low one alone. Escapes after an escaped
    backslash are text, not escapes. Pairs, as ``json.dumps`` writes every emoji, pass."""
    expect = -1  # where the low half of a pair must start
    for match in _SURROGATE_ESCAPE_RE.finditer(text):
        start = match.start()
        backslashes = 0
        while start - backslashes > 0 and text[start - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:
            continue
        high = text[start + 3] in "89abAB"
        if expect >= 0:
            if high or start != expect:
                return True
            expect = -1
        elif not high:
            return True
        else:
            expect = match.end()
    return expect >= 0


def _has_lone_surrogate(value: JSONValue) -> bool:
    stack: list[JSONValue] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _nested_deeper_than(value: JSONValue, limit: int) -> bool:
    """Level by level: one list of the containers at each depth (no tuple per node)."""
    level: list[JSONValue] = [value]
    depth = 1
    while level:
        if depth > limit:
            return True
        below: list[JSONValue] = []
        for node in level:
            if type(node) is dict:
                below.extend(node.values())
            elif type(node) is list:
                below.extend(node)
        level = [node for node in below if type(node) is dict or type(node) is list]
        depth += 1
    return False


def _parse_json(text: str, *, source: str, limits: Limits) -> JSONValue:
    try:
        value: JSONValue = json.loads(text, object_pairs_hook=_pairs_hook, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InvalidYAML(
            f"invalid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno
        ) from exc
    except _DuplicateKeyError as exc:
        key, line = _first_duplicate(text) or (exc.key, None)
        raise InvalidYAML(
            f"duplicate key {key!r} in a JSON object",
            source=source,
            line=line,
            hint="each key may appear once per object",
        ) from exc
    except RecursionError as exc:
        # the C scanner stops at the interpreter's recursion limit, long before memory runs out
        raise LimitExceeded(
            "document is nested too deeply to read",
            source=source,
            hint="flatten it; real contracts never nest so deep",
        ) from exc
    except ValueError as exc:
        if "Exceeds the limit" in str(exc):
            raise InvalidYAML("invalid JSON: a number is too long (over 4300 digits)", source=source) from exc
        raise InvalidYAML(f"invalid JSON: {exc}", source=source) from exc
    if _unpaired_surrogate_escape(text) and _has_lone_surrogate(value):
        raise InvalidYAML(
            "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text",
            source=source,
            hint="encode the character properly or remove it",
        )
    if isinstance(value, (dict, list)) and _nested_deeper_than(value, limits.max_depth):
        raise LimitExceeded(
            f"document is nested deeper than {limits.max_depth} levels",
            source=source,
            hint="raise APIGOV_MAX_DEPTH if this is intended",
        )
    return value


_JSON_SKIP: Final = re.compile(r"[ \t\r\n]*")
_JSON_SCALAR: Final = re.compile(r"[^ \t\r\n,:\]}]+")


def _first_duplicate(text: str) -> tuple[str, int] | None:
    """The first key written twice in one object of a JSON text (as the parser reads keys,
    escapes and all), and the line of its second writing; ``None`` if none is found.

    Only when the parser has found one: it tells which key, not where."""
    objects: list[set[str] | None] = []  # per open container: its keys so far (None: an array)
    expect_key = False
    at = _JSON_SKIP.match(text, 0).end()  # type: ignore[union-attr]
    try:
        while at < len(text):
            char = text[at]
            if char == '"':
                value, end = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
                keys = objects[-1] if objects else None
                if expect_key and keys is not None:
                    if value in keys:
                        return value, text.count("\n", 0, at) + 1
                    keys.add(value)
                    expect_key = False
                at = end
            elif char in "{[":
                objects.append(set() if char == "{" else None)
                expect_key = char == "{"
                at += 1
            elif char in "}]":
                objects.pop()
                at += 1
            elif char == ",":
                expect_key = bool(objects) and objects[-1] is not None
                at += 1
            elif char == ":":
                at += 1
            else:
                at = _JSON_SCALAR.match(text, at).end()  # type: ignore[union-attr]
            at = _JSON_SKIP.match(text, at).end()  # type: ignore[union-attr]
    except (ValueError, IndexError, AttributeError):
        return None
    return None


# --------------------------------------------------------------------------- YAML

_OPENERS: Final = "[{"
_CLOSERS: Final = "]}"


@functools.lru_cache(maxsize=4)
def _many_openers(limit: int) -> re.Pattern[str]:
    """A line holding more than ``limit`` flow openers (``[`` or ``{``): linear, no backtracking."""
    return re.compile(rf"^(?:[^\n\[{{]*+[\[{{]){{{limit + 1}}}", re.MULTILINE)


def _deep_flow_line(text: str, limit: int) -> int | None:
    """The first line on which flow collections (``[...]``, ``{...}``) nest deeper than
    ``limit`` by themselves, or ``None``.

    The event builder counts depth as events arrive, but libyaml's scanner reads ahead on a
    line (to tell whether a ``[`` starts a key) before it hands over any event; PyYAML 6.0.4's
    libyaml refuses more than 1000 levels in that read-ahead with its own message, and other
    versions have no limit at all. So a line that alone nests too deep is refused here, before
    libyaml sees it, with apigov's limit and message whatever libyaml does. Nesting spread over
    many lines reaches the builder event by event and is refused there.

    Only lines with more than ``limit`` openers are looked at (one regular-expression pass);
    on those, quoted strings and comments are skipped, and outside a flow collection a ``[`` or
    ``{`` counts only where a node starts (not inside a plain scalar such as ``^[a-z]+$``).
    """
    if limit >= 100_000 or text.count("[") + text.count("{") <= limit:
        return None
    for match in _many_openers(limit).finditer(text):
        start = match.start()
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        if _line_flow_depth(line, limit) > limit:
            return text.count("\n", 0, start) + 1
    return None


_FLOW_TOKEN: Final = re.compile(r"""[\[\]{}'"#]""")
_QUOTED: Final = {
    '"': re.compile(r'"(?:[^"\\]|\\.)*"'),
    "'": re.compile(r"'(?:[^']|'')*'"),
}
_LOOK_BACK: Final = 128


def _line_flow_depth(line: str, limit: int) -> int:
    """The deepest flow nesting written on one line (see :func:`_deep_flow_line`); it stops
    counting once past ``limit``. Only the characters that matter are visited (brackets,
    quotes, ``#``), so a long line of plain text costs one regular-expression scan."""
    depth = deepest = 0
    first = len(line) - len(line.lstrip(" \t"))  # where the line's content starts
    at = 0
    while (token := _FLOW_TOKEN.search(line, at)) is not None:
        i = token.start()
        char = line[i]
        at = i + 1
        if char == "#":
            if i == 0 or line[i - 1] in " \t":
                break  # a comment
        elif char in "'\"":
            if depth > 0 or _node_starts(line, i, first):
                quoted = _QUOTED[char].match(line, i)
                if quoted is None:
                    break  # a string that goes on past the line
                at = quoted.end()
        elif char in _OPENERS:
            if depth > 0 or _node_starts(line, i, first):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > limit:
                        break
        elif depth > 0:
            depth -= 1
    return deepest


def _node_starts(line: str, at: int, first: int) -> bool:
    """Outside flow collections: may a node (a flow collection, a quoted scalar) start at
    ``line[at]``? At the start of the content, after an indicator (``-``, ``:``, ``?``) and a
    space, after an anchor or a tag; not inside a plain scalar (``^[a-z]+$``, ``it's``)."""
    if at == first:
        return True
    before = line[max(first, at - _LOOK_BACK) : at]
    stripped = before.rstrip(" \t")
    if not stripped or stripped == before:
        return False
    if stripped[-1] in "-:?":
        return len(stripped) == 1 or stripped[-2] in " \t" or stripped[-1] == ":"
    return stripped.split()[-1][0] in "&!"


class _Frame:
    """A collection under construction."""

    __slots__ = ("anchor", "is_map", "key", "key_at", "merges", "node", "nodes", "value")

    def __init__(self, value: dict[str, Any] | list[Any], anchor: str | None, at: int) -> None:
        self.value = value
        self.is_map = isinstance(value, dict)
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_at = 0  # where the pending key is written (packed, see YamlIndex)
        self.nodes = 1
        self.merges: list[dict[str, Any]] = []
        self.node = YamlIndex(at, {} if self.is_map else [])


_NO_KEY: Final = object()


class _YamlBuilder:
    def __init__(self, text: str, *, source: str, limits: Limits) -> None:
        self.text = text
        self.source = source
        self.limits = limits
        self.index: YamlIndex | None = None
        """Where every node is written, once :meth:`build` has run."""
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.total_nodes = 0
        self.alias_nodes = 0

    def fail(self, message: str, mark: Any, hint: str | None = None) -> InvalidYAML:
        line = mark.line + 1 if mark is not None else None
        return InvalidYAML(message, source=self.source, line=line, hint=hint)

    def build(self) -> JSONValue:
        deep = _deep_flow_line(self.text, self.limits.max_depth)
        if deep is not None:
            raise LimitExceeded(
                f"document is nested deeper than {self.limits.max_depth} levels",
                source=self.source,
                line=deep,
                hint="raise APIGOV_MAX_DEPTH if this is intended",
            )
        parser = yaml_event_parser(self.text)
        stack: list[_Frame] = []
        documents = 0
        result: Any = None
        try:
            while True:
                event = parser.get_event()
                if event is None:
                    break
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    value = self.scalar(event)
                    self.count(1, event)
                    self.anchor(event.anchor, value, 1, event)
                    result = self.add(stack, value, event, 1)
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    self.check_tag(event, "map" if kind is yaml.MappingStartEvent else "seq")
                    if len(stack) >= self.limits.max_depth:
                        raise LimitExceeded(
                            f"document is nested deeper than {self.limits.max_depth} levels",
                            source=self.source,
                            line=event.start_mark.line + 1,
                            hint="raise APIGOV_MAX_DEPTH if this is intended",
                        )
                    container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                    if event.anchor is not None:
                        self.open_anchors.add(event.anchor)
                    stack.append(_Frame(container, event.anchor, self.where(stack, event)))
                    self.count(1, event)
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    frame = stack.pop()
                    if frame.merges:
                        self.apply_merges(frame)
                    if frame.anchor is not None:
                        self.open_anchors.discard(frame.anchor)
                        self.anchors[frame.anchor] = (frame.value, frame.nodes)
                    result = self.add(stack, frame.value, event, frame.nodes, frame.node)
                    if not stack:
                        self.index = frame.node
                elif kind is yaml.AliasEvent:
                    if event.anchor in self.open_anchors:
                        raise self.fail("recursive YAML alias", event.start_mark)
                    if event.anchor not in self.anchors:
                        raise self.fail(f"unknown YAML alias *{event.anchor}", event.start_mark)
                    value, nodes = self.anchors[event.anchor]
                    self.count(nodes, event)
                    self.alias_nodes += nodes
                    if self.alias_nodes > self.limits.max_alias_nodes:
                        raise LimitExceeded(
                            f"YAML aliases expand to more than {self.limits.max_alias_nodes} values",
                            source=self.source,
                            line=event.start_mark.line + 1,
                            hint="raise APIGOV_MAX_ALIAS_NODES if this is intended",
                        )
                    result = self.add(stack, value, event, nodes)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise self.fail(
                            "more than one YAML document in the file",
                            event.start_mark,
                            "keep one contract per file",
                        )
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "malformed YAML"
            raise self.fail(f"invalid YAML: {problem}", mark) from exc
        except yaml.YAMLError as exc:
            raise InvalidYAML(f"invalid YAML: {exc}", source=self.source) from exc
        if documents == 0:
            raise InvalidYAML("empty document", source=self.source)
        if self.index is None:  # a scalar document
            self.index = YamlIndex(packed_position(1, 1), {})
        value_out: JSONValue = result
        return value_out

    def count(self, nodes: int, event: Any) -> None:
        self.total_nodes += nodes
        if self.total_nodes > self.limits.max_nodes:
            raise LimitExceeded(
                f"document expands to more than {self.limits.max_nodes} values "
                "(YAML aliases expanding without bound?)",
                source=self.source,
                line=event.start_mark.line + 1,
                hint="raise APIGOV_MAX_NODES if this is intended",
            )

    def anchor(self, name: str | None, value: Any, nodes: int, event: Any) -> None:
        if name is not None:
            self.anchors[name] = (value, nodes)

    def check_tag(self, event: Any, expected: str) -> None:
        tag = event.tag
        if tag is None or tag in ("!", _CORE_TAG + expected):
            return
        raise self.fail(
            f"YAML tag {tag} is not allowed", event.start_mark, "contracts are plain data; remove the tag"
        )

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        text: str = event.value
        if tag is not None and tag != "!":
            if tag not in _ALLOWED_TAGS:
                raise self.fail(
                    f"YAML tag {tag} is not allowed",
                    event.start_mark,
                    "contracts are plain data; remove the tag",
                )
            name = tag[len(_CORE_TAG) :]
            if name == "str":
                return text
            try:
                resolved = resolve_plain(text)
            except ValueError as exc:
                raise self.fail(f"number {text[:20]}... is too long", event.start_mark) from exc
            expected: dict[str, type | tuple[type, ...]] = {
                "int": int,
                "float": (float, int),
                "bool": bool,
                "null": type(None),
            }
            if (
                name in expected
                and isinstance(resolved, expected[name])
                and not (name != "bool" and isinstance(resolved, bool))
            ):
                return float(resolved) if name == "float" and isinstance(resolved, int) else resolved
            raise self.fail(f"value {text!r} is not a valid !!{name}", event.start_mark)
        if event.style or tag == "!":
            return text  # quoted or block scalars are strings (libyaml gives plain ones style '')
        if event.implicit[0]:
            try:
                return resolve_plain(text)
            except ValueError as exc:  # an integer beyond Python's conversion limit
                raise self.fail(f"number {text[:20]}... is too long", event.start_mark) from exc
        return text

    @staticmethod
    def where(stack: list[_Frame], event: Any) -> int:
        """The position a node is known by: its key's in a mapping, else its own start."""
        if stack and stack[-1].is_map and stack[-1].key is not _NO_KEY:
            return stack[-1].key_at
        return packed_position(event.start_mark.line + 1, event.start_mark.column + 1)

    def add(
        self, stack: list[_Frame], value: Any, event: Any, nodes: int, node: YamlIndex | None = None
    ) -> Any:
        if not stack:
            if node is None:  # the document is one scalar (or alias)
                self.index = YamlIndex(self.where(stack, event), {})
            return value
        frame = stack[-1]
        frame.nodes += nodes
        container = frame.value
        if not frame.is_map:
            container.append(value)  # type: ignore[union-attr]
            frame.node.members.append(node or self.where(stack, event))  # type: ignore[union-attr]
            return None
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise self.fail("a mapping key must be a scalar", event.start_mark)
            if value == "<<" and type(event) is yaml.ScalarEvent and not event.style:
                frame.key = _MERGE
            elif type(event) is yaml.ScalarEvent:
                frame.key = event.value  # keys keep the text the author wrote (200, 1.0, ...)
            else:
                frame.key = value if isinstance(value, str) else _key_text(value)
            frame.key_at = packed_position(event.start_mark.line + 1, event.start_mark.column + 1)
            return None
        key = frame.key
        frame.key = _NO_KEY
        if key is _MERGE:
            merges = value if isinstance(value, list) else [value]
            for item in merges:
                if not isinstance(item, dict):
                    raise self.fail(
                        "a merge key (<<) needs a mapping or a list of mappings", event.start_mark
                    )
                frame.merges.append(item)
            return None
        mapping: dict[str, Any] = container  # type: ignore[assignment]
        members: dict[str, YamlIndex | int] = frame.node.members  # type: ignore[assignment]
        if key in mapping:
            first = members[key]
            raise InvalidYAML(
                f"duplicate key {key!r}",
                source=self.source,
                line=frame.key_at >> COLUMN_BITS,
                hint=f"it is first defined on line {(first if isinstance(first, int) else first.at) >> COLUMN_BITS}",
            )
        mapping[key] = value
        members[key] = node or frame.key_at
        return None

    @staticmethod
    def apply_merges(frame: _Frame) -> None:
        mapping: dict[str, Any] = frame.value  # type: ignore[assignment]
        for merged in frame.merges:
            for key, value in merged.items():
                mapping.setdefault(key, value)


_MERGE: Final = object()


def _key_text(value: Any) -> str:
    """JSON object keys are strings: render scalar keys the way YAML wrote them."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def resolve_plain(text: str) -> Any:
    """The value of an unquoted YAML scalar under the YAML 1.2 core schema."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if not (first.isdigit() or first in "+-."):
        return text
    if _INT_RE.match(text):
        return int(text)
    if _OCT_RE.match(text):
        return int(text[2:], 8)
    if _HEX_RE.match(text):
        return int(text[2:], 16)
    if _FLOAT_RE.match(text):
        return float(text)
    if _INF_RE.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN_RE.match(text):
        return math.nan
    return text
