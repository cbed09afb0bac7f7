"""``$ref`` resolution across files, with the safety policy applied.

A :class:`Workspace` holds a root document and every document its references reach. It
resolves one reference (:meth:`Workspace.resolve`), follows chains of references
(:meth:`Workspace.follow`, refusing pure cycles) and checks every reference reachable from the
root (:meth:`Workspace.check_all`).

Policy: a reference to a URL is refused unless ``allow_remote`` (and only then is the network
used); a reference to a file outside the project root (:func:`project_root`: the directory
holding ``apigov.yaml``, else the git work tree, else the root document's directory) is refused
unless ``allow_outside``, and so is a symlink that leads out of it. A ``$ref`` inside data (``example``, ``examples``, ``default``, ``enum``,
``const`` and ``x-`` extensions) is data, never followed.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import DocumentError, LimitExceeded, UnresolvedRef
from apigov.documents.document import Document
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.load import decode_text, load_file, parse_text, pick_format

#: The longest chain of ``$ref`` to ``$ref`` apigov follows.
MAX_HOPS: Final = 64

#: Keys whose values are data, not part of the contract's structure.
DATA_KEYS: Final = frozenset({"example", "default", "enum", "const", "value", "x-examples", "x-example"})

#: Keys whose values are maps from user-chosen names to objects: their children's keys are names.
NAME_MAPS: Final = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "securitySchemes",
        "securityDefinitions",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "channels",
        "messages",
        "operations",
        "servers",
        "variables",
        "correlationIds",
        "operationTraits",
        "messageTraits",
        "serverBindings",
        "channelBindings",
        "operationBindings",
        "messageBindings",
        "replies",
        "replyAddresses",
        "externalDocs",
        "tags",
        "mapping",
        "scopes",
        "encoding",
        "content",
    }
)


@dataclass(frozen=True, slots=True)
class RefPolicy:
    allow_remote: bool = False
    allow_outside: bool = False


#: No remote references, nothing outside the project root.
DEFAULT_POLICY: Final = RefPolicy()

_PROJECT_FILES: Final = ("apigov.yaml", "apigov.yml", ".apigov.yaml")


def project_root(path: Path) -> Path:
    """The directory that bounds the files ``$ref`` in ``path`` may reach: the nearest directory
    above ``path`` (where the path is, not where a symlink leads) holding an ``apigov.yaml``, else
    the top of the git work tree it is in, else its own directory."""
    start = path.absolute().parent
    try:
        for directory in (start, *start.parents):
            if any((directory / name).is_file() for name in _PROJECT_FILES):
                return directory.resolve()
        for directory in (start, *start.parents):
            if (directory / ".git").exists():
                return directory.resolve()
    except OSError:
        pass
    return start.resolve()


@dataclass(frozen=True, slots=True)
class Target:
    """Where a reference lands."""

    document: Document
    pointer: str
    value: JSONValue


@dataclass(frozen=True, slots=True)
class RefSite:
    """A ``$ref`` found in a document: the pointer of the object holding it, and its text."""

    document: Document
    pointer: str
    ref: str


def iter_ref_sites(document: Document, start: str = "", value: JSONValue | None = None) -> Iterator[RefSite]:
    """Yield every ``$ref`` under ``start`` that is part of the structure (not data)."""
    root = document.data if value is None and start == "" else value
    if root is None and start:
        root = jsonptr.resolve(document.data, start)
    # stack of (pointer, value, keys_are_names)
    stack: list[tuple[str, JSONValue, bool]] = [(start, root, False)]
    while stack:
        pointer, node, names = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):  # a string `$ref` is a reference even where keys are names
                yield RefSite(document, pointer, ref)
            for key, child in node.items():
                if not isinstance(child, (dict, list)):
                    continue
                if not names and (key in DATA_KEYS or key.startswith("x-")):
                    continue
                child_pointer = pointer + "/" + jsonptr.escape(key)
                if not names and key == "examples":
                    if isinstance(child, dict):
                        for name, example in child.items():
                            example_ref = example.get("$ref") if isinstance(example, dict) else None
                            if isinstance(example_ref, str):
                                yield RefSite(
                                    document, child_pointer + "/" + jsonptr.escape(name), example_ref
                                )
                    continue
                stack.append((child_pointer, child, not names and key in NAME_MAPS))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                if isinstance(child, (dict, list)):
                    stack.append((f"{pointer}/{index}", child, False))


def _in_data(pointer: str) -> bool:
    """Whether a pointer passes through a key :func:`iter_ref_sites` does not walk."""
    return any(token in DATA_KEYS or token.startswith("x-") for token in jsonptr.split(pointer))


_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def _is_url(text: str) -> bool:
    """Whether ``text`` starts with a URL scheme (a one-letter scheme is a Windows drive); the
    rest need not parse (:func:`_url_problem` says what is wrong with it)."""
    return _SCHEME.match(text) is not None


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be parsed (a bad IPv6 literal, a port that is not a number), if it cannot."""
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.hostname, parts.port
    except ValueError as exc:
        return str(exc)
    return None


class Workspace:
    """A root document and the documents its ``$ref`` reach, loaded on demand."""

    def __init__(
        self,
        root: Document,
        *,
        policy: RefPolicy = DEFAULT_POLICY,
        limits: Limits = DEFAULT_LIMITS,
        root_dir: Path | None = None,
        names: Callable[[Path], str] | None = None,
    ) -> None:
        self.root = root
        self.policy = policy
        self.limits = limits
        self.names = names
        """How to name a referenced file in messages (a git source names the revision, not the
        temporary directory it was exported to); by default its path relative to the cwd."""
        base = root_dir or (root.path.parent if root.path is not None else Path.cwd())
        self.root_dir = base.resolve()
        self.documents: dict[str, Document] = {self.key(root): root}
        self._ids: dict[str, tuple[Document, str]] = {}
        self._followed: dict[tuple[str, str], tuple[Target, int]] = {}
        self.checked = False
        """Whether :meth:`check_all` has resolved every reference (``documents`` then holds
        every document they reach)."""
        self._index_ids(root)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        source: str | None = None,
        policy: RefPolicy = DEFAULT_POLICY,
        limits: Limits = DEFAULT_LIMITS,
        names: Callable[[Path], str] | None = None,
    ) -> Workspace:
        """Load ``path`` as the root. Its project root (:func:`project_root`) bounds the files
        ``$ref`` may reach; a root that is a symlink leading outside it is refused unless
        ``allow_outside``."""
        root_dir = project_root(path)
        shown = source if source is not None else str(path)
        if not policy.allow_outside and not path.resolve().is_relative_to(root_dir):
            raise UnresolvedRef(
                f"is a symlink to a file outside the project root {root_dir}",
                source=shown,
                hint="pass --allow-ref-outside if this is intended",
            )
        return cls(
            load_file(path, source=source, limits=limits),
            policy=policy,
            limits=limits,
            root_dir=root_dir,
            names=names,
        )

    @staticmethod
    def key(document: Document) -> str:
        return str(document.path) if document.path is not None else document.source

    # ------------------------------------------------------------------ resolution

    def resolve(self, document: Document, ref: str, *, at: str = "") -> Target:
        """Resolve one reference written in ``document`` at pointer ``at`` (one step)."""
        uri, _, fragment = ref.partition("#")
        fragment = jsonptr.from_fragment(fragment)
        embedded = self._embedded(document, uri, at) if uri else None
        if embedded is not None:  # a JSON Schema resource inside a loaded document, named by its $id
            target_doc, base = embedded
            if not fragment or fragment.startswith("/"):
                fragment = base + fragment
        else:
            target_doc = self._document_for(document, uri, ref=ref, at=at) if uri else document
        if fragment and not fragment.startswith("/"):
            anchored = self._ids.get(f"{self.key(target_doc)}#{fragment}")
            if anchored is None:
                raise self._unresolved(document, at, f"$ref {ref!r}: no anchor named {fragment!r}")
            return Target(anchored[0], anchored[1], jsonptr.resolve(anchored[0].data, anchored[1]))
        try:
            value = jsonptr.resolve(target_doc.data, fragment)
        except (jsonptr.PointerError, ValueError) as exc:
            raise self._unresolved(
                document, at, f"$ref {ref!r} points to nothing in {target_doc.source}"
            ) from exc
        return Target(target_doc, fragment, value)

    def follow(self, document: Document, pointer: str, value: JSONValue) -> Target:
        """Follow ``$ref`` from a node until a node that is not a reference.

        Refuses pure cycles and chains longer than :data:`MAX_HOPS`; remembers where every node
        of a chain ends, so long chains cost linear time in all.
        """
        path: list[tuple[str, str]] = []
        target = Target(document, pointer, value)
        beyond = 0  # hops from where the walk stopped to the end of the chain
        while isinstance(target.value, dict):
            ref = target.value.get("$ref")
            if not isinstance(ref, str):
                break
            mark = (self.key(target.document), target.pointer)
            known = self._followed.get(mark)
            if known is not None:
                target, beyond = known
                break
            if mark in path:
                raise self._unresolved(
                    document,
                    pointer,
                    f"circular $ref chain through {target.document.source}#{target.pointer}",
                    hint="a chain of $ref must end at a real object",
                )
            if len(path) > MAX_HOPS:
                break
            path.append(mark)
            target = self.resolve(target.document, ref, at=target.pointer)
        if len(path) + beyond > MAX_HOPS:
            raise self._unresolved(
                document, pointer, f"chain of more than {MAX_HOPS} $ref", hint="point at the target directly"
            )
        for index, mark in enumerate(path):
            self._followed[mark] = (target, len(path) - index + beyond)
        return target

    def check_all(self, *, examples: list[RefSite] | None = None) -> int:
        """Resolve every reference reachable from the root; return how many were checked.

        Raises :class:`UnresolvedRef` (or another :class:`DocumentError`) on the first bad one.
        With ``examples`` given, a reference that leads nowhere from an ``examples`` entry (an
        Example Object: documentation, not contract) in the root document is collected there instead of raised: real
        specs ship with such dangling examples, and a diff need not stop at them.
        """
        done: set[tuple[str, str]] = set()
        pending: list[tuple[Document, str]] = [(self.root, "")]
        checked = 0
        local: set[tuple[str, str]] = set()  # "#..." refs of a document already followed
        while pending:
            document, start = pending.pop()
            mark = (self.key(document), start)
            if mark in done:
                continue
            done.add(mark)
            value = jsonptr.resolve(document.data, start)
            for site in iter_ref_sites(document, start, value):
                checked += 1
                # a fragment-only ref leads to the same place wherever it is written
                fragment_only = site.ref.startswith("#")
                if fragment_only and (mark[0], site.ref) in local:
                    continue
                try:
                    target = self.follow(document, site.pointer, {"$ref": site.ref})
                except UnresolvedRef:
                    if examples is None or document is not self.root or not _example_entry(site.pointer):
                        raise
                    examples.append(site)
                    continue
                if fragment_only:
                    local.add((mark[0], site.ref))
                # the root is walked whole, except data and extensions, which a $ref may still target
                if target.document is not self.root or _in_data(target.pointer):
                    pending.append((target.document, target.pointer))
        self.checked = True
        return checked

    # ------------------------------------------------------------------ loading

    def _embedded(self, document: Document, uri: str, at: str) -> tuple[Document, str] | None:
        """The document and pointer of an ``$id``-named schema that ``uri`` (written at ``at``,
        against the base URI the enclosing ``$id`` set) names, if one is loaded."""
        if not self._ids:
            return None
        base = ""
        node: JSONValue = document.data
        for token in ["", *jsonptr.split(at)]:
            if isinstance(node, list) and token.isdigit():
                node = node[int(token)] if int(token) < len(node) else None
            elif token:
                node = node.get(token) if isinstance(node, dict) else None
            node_id = node.get("$id") if isinstance(node, dict) else None
            if isinstance(node_id, str) and not node_id.startswith("#"):
                base = urllib.parse.urljoin(base, node_id)
        if not base and not _is_url(uri):
            return None
        return self._ids.get(urllib.parse.urljoin(base, uri).rstrip("#"))

    def _document_for(self, document: Document, uri: str, *, ref: str, at: str) -> Document:
        if _is_url(uri) or (document.path is None and _is_url(document.source)):
            problem = _url_problem(uri) if _is_url(uri) else None
            if problem is None and not _is_url(uri):
                try:
                    urllib.parse.urljoin(document.source, uri)
                except ValueError as exc:
                    problem = str(exc)
            if problem is not None:
                raise self._unresolved(document, at, f"$ref {ref!r} is not a valid URL ({problem})")
            absolute = urllib.parse.urljoin(document.source, uri) if not _is_url(uri) else uri
            known = self._ids.get(absolute.rstrip("#"))
            if known is not None and known[1] == "":
                return known[0]
            scheme = urllib.parse.urlsplit(absolute).scheme
            if scheme == "file":
                return self._local(
                    document, Path(urllib.parse.unquote(urllib.parse.urlsplit(absolute).path)), ref=ref, at=at
                )
            return self._remote(document, absolute, ref=ref, at=at)
        relative = Path(urllib.parse.unquote(uri))
        base = document.path.parent if document.path is not None else self.root_dir
        return self._local(document, base / relative, ref=ref, at=at)

    def _local(self, document: Document, path: Path, *, ref: str, at: str) -> Document:
        try:
            resolved = path.resolve()
            resolved.exists()
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long ...
            raise self._unresolved(document, at, f"$ref {ref!r} is not a usable file name") from exc
        if not self.policy.allow_outside and not resolved.is_relative_to(self.root_dir):
            raise self._unresolved(
                document,
                at,
                f"$ref {ref!r} reaches outside {self.root_dir}",
                hint="pass --allow-ref-outside if this is intended",
            )
        key = str(resolved)
        found = self.documents.get(key)
        if found is not None:
            return found
        self._count_files(document, at)
        if self.names is not None:
            shown = self.names(resolved)
        else:
            try:
                shown = str(resolved.relative_to(Path.cwd()))
            except ValueError:
                shown = str(resolved)
        if not resolved.exists():
            raise self._unresolved(document, at, f"$ref {ref!r}: file {shown} does not exist")
        loaded = load_file(resolved, source=shown, limits=self.limits)
        self.documents[key] = loaded
        self._index_ids(loaded)
        return loaded

    def _remote(self, document: Document, url: str, *, ref: str, at: str) -> Document:
        if not self.policy.allow_remote:
            raise self._unresolved(
                document,
                at,
                f"remote $ref {ref!r} refused",
                hint="pass --allow-remote-refs to fetch it, or vendor the file next to the spec",
            )
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise self._unresolved(document, at, f"$ref {ref!r}: unsupported URL scheme {scheme!r}")
        found = self.documents.get(url)
        if found is not None:
            return found
        self._count_files(document, at)
        from urllib.request import urlopen  # only when the user asked for remote references

        try:
            with urlopen(url, timeout=self.limits.remote_timeout) as response:  # noqa: S310
                raw = response.read(self.limits.max_bytes + 1)
        except OSError as exc:
            raise self._unresolved(document, at, f"remote $ref {ref!r} could not be fetched: {exc}") from exc
        if len(raw) > self.limits.max_bytes:
            raise LimitExceeded(f"remote document {url} is over {self.limits.max_bytes} bytes", source=url)
        text = decode_text(raw, source=url)
        fmt = pick_format(Path(urllib.parse.urlsplit(url).path), text)
        loaded = Document(
            source=url,
            path=None,
            data=parse_text(text, fmt, source=url, limits=self.limits),
            text=text,
            format=fmt,
        )
        self.documents[url] = loaded
        self._index_ids(loaded)
        return loaded

    def _count_files(self, document: Document, at: str) -> None:
        if len(self.documents) >= self.limits.max_files:
            raise LimitExceeded(
                f"more than {self.limits.max_files} files reached through $ref", source=document.source
            )

    def _index_ids(self, document: Document) -> None:
        """Record ``$id`` and ``$anchor`` so ``$ref`` to them resolve without any network."""
        key = self.key(document)
        data = document.data
        if not isinstance(data, dict):
            return
        root_id = data.get("$id")
        if isinstance(root_id, str) and _is_url(root_id):
            self._ids[root_id.rstrip("#")] = (document, "")
        if not ("$schema" in data or "$id" in data or "$defs" in data or "definitions" in data):
            return
        if document.text and not _may_hold_ids(document.text):
            return  # no $id or $anchor anywhere (Swagger 2's definitions): no walk
        # (pointer, node, base URI set by the enclosing $id)
        stack: list[tuple[str, JSONValue, str]] = [("", data, "")]
        while stack:
            pointer, node, base = stack.pop()
            if isinstance(node, dict):
                anchor = node.get("$anchor")
                if isinstance(anchor, str):
                    self._ids[f"{key}#{anchor}"] = (document, pointer)
                node_id = node.get("$id")
                if isinstance(node_id, str) and node_id.startswith("#"):
                    self._ids[f"{key}{node_id}"] = (document, pointer)
                elif isinstance(node_id, str):
                    base = urllib.parse.urljoin(base, node_id)
                    if _is_url(base) and pointer:
                        self._ids[base.rstrip("#")] = (document, pointer)
                for name, child in node.items():
                    if isinstance(child, (dict, list)) and name not in DATA_KEYS:
                        stack.append((pointer + "/" + jsonptr.escape(name), child, base))
            elif isinstance(node, list):
                stack.extend(
                    (f"{pointer}/{i}", c, base) for i, c in enumerate(node) if isinstance(c, (dict, list))
                )

    def _unresolved(
        self, document: Document, pointer: str, message: str, hint: str | None = None
    ) -> DocumentError:
        return UnresolvedRef(
            message, source=document.source, line=document.line(pointer), pointer=pointer, hint=hint
        )


_ID_ESCAPE: Final = re.compile(
    r"\\(?:(?:u00|x|U000000)(?:24|6[1-9a-fA-F]|7[0-2])|[\r\n\x85\u2028\u2029]|\xc2\x85|\xe2\x80[\xa8\xa9])"
)
"""An escape (JSON ``\\u00XX``, YAML ``\\xXX``/``\\U000000XX``) of ``$`` or of a letter from
``a`` to ``r``, or a YAML escaped line break (``"$i\\`` and ``d"`` on the next line is ``$id``;
libyaml's line breaks include NEL, LS and PS, written as their UTF-8 bytes in a byte view): all
a text needs to spell ``$id`` or ``$anchor`` without writing them plainly."""


def _may_hold_ids(text: str) -> bool:
    return "$id" in text or "$anchor" in text or _ID_ESCAPE.search(text) is not None


_SCHEMA_MAPS: Final = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def _example_entry(pointer: str) -> bool:
    """``.../examples/<name>`` of a media type, parameter, header or ``components`` (not a
    schema property that happens to be called ``examples``)."""
    tokens = jsonptr.split(pointer)
    return (
        len(tokens) >= 2 and tokens[-2] == "examples" and (len(tokens) < 3 or tokens[-3] not in _SCHEMA_MAPS)
    )
