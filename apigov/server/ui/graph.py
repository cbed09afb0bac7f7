"""The service graph: who calls whom (pacts) and who sends or receives which event (AsyncAPI).

**Calls** come from the pacts: an edge ``consumer -> provider`` per pact, carrying the
interactions (``GET /orders/{id}``, with their descriptions). Without an environment the latest
pact of each consumer with each provider counts; with one, the pacts of the consumer versions
currently deployed or released there.

**Events** come from the latest version of every AsyncAPI subject: each operation (3.0
``action: send|receive``; 2.x ``subscribe`` = the application sends, ``publish`` = it
receives) joins the application and the channel's address. The application is the service one
of the operation's tags names when that service is in the graph or has a contract (the shop
tags each operation with its service), else the AsyncAPI subject itself.

The layout is grandalf's Sugiyama layering (pure Python, so ``pip install`` is enough), one
connected component after the other, left to right in rows (largest first); the SVG is written by a template, so every
label is escaped like any other text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from apigov.contract.model import PactPublication, PactState
from apigov.core._types import JSONValue

__all__ = ["Edge", "Graph", "Node", "build", "layout"]

_CHAR: Final = 7.2
_PAD: Final = 24.0
_HEIGHT: Final = 34.0
_GAP: Final = 48.0
_MARGIN: Final = 16.0
_ROW: Final = 1100.0
"""Width after which the next component starts a new row."""
_MAX_OPERATIONS: Final = 50


@dataclass(slots=True)
class Node:
    id: str
    label: str
    kind: str
    """``service``, ``application`` (an AsyncAPI subject) or ``event`` (a channel address)."""
    href: str = ""
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = _HEIGHT


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    kind: str
    """``calls``, ``sends`` or ``receives`` (drawn event -> application)."""
    operations: list[tuple[str, str]] = field(default_factory=list)
    """(``METHOD /path``, description) of the interactions; the event's message names."""
    points: list[tuple[float, float]] = field(default_factory=list)
    source_label: str = ""
    target_label: str = ""

    @property
    def key(self) -> str:
        import hashlib

        digest = hashlib.sha256(f"{self.source}\0{self.target}\0{self.kind}".encode()).hexdigest()
        return f"edge-{digest[:12]}"

    @property
    def title(self) -> str:
        verb = {"calls": "calls", "sends": "sends", "receives": "is received by"}[self.kind]
        what = "; ".join(op for op, _ in self.operations[:12])
        more = f" … and {len(self.operations) - 12} more" if len(self.operations) > 12 else ""
        return f"{self.source_label} {verb} {self.target_label}" + (f": {what}{more}" if what else "")

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(self.points))


@dataclass(slots=True)
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0

    def node(self, node_id: str, label: str, kind: str, href: str = "") -> Node:
        known = self.nodes.get(node_id)
        if known is None:
            known = self.nodes[node_id] = Node(node_id, label[:80], kind, href)
        return known

    def edge(self, source: str, target: str, kind: str) -> Edge:
        key = (source, target, kind)
        known = self.edges.get(key)
        if known is None:
            known = self.edges[key] = Edge(
                source,
                target,
                kind,
                source_label=self.nodes[source].label,
                target_label=self.nodes[target].label,
            )
        return known


def _chosen(state: PactState, environment: str) -> list[PactPublication]:
    if environment:
        current = {
            (d.pacticipant, d.version)
            for d in state.deployments
            if d.current and d.environment == environment
        }
        return [p for p in state.publications.values() if (p.consumer, p.consumer_version) in current]
    latest: dict[tuple[str, str], PactPublication] = {}
    for p in state.publications.values():
        known = latest.get((p.consumer, p.provider))
        seq = (
            state.versions[(p.consumer, p.consumer_version)].seq
            if (p.consumer, p.consumer_version) in state.versions
            else p.seq
        )
        if known is None or seq > (
            state.versions[(known.consumer, known.consumer_version)].seq
            if (known.consumer, known.consumer_version) in state.versions
            else known.seq
        ):
            latest[(p.consumer, p.provider)] = p
    return list(latest.values())


def interactions(content: bytes) -> list[tuple[str, str]]:
    """(``METHOD /path``, description) of a pact's HTTP interactions (at most 200)."""
    try:
        document = json.loads(content)
    except ValueError:
        return []
    found: list[tuple[str, str]] = []
    items = document.get("interactions") if isinstance(document, dict) else None
    for item in items if isinstance(items, list) else []:
        request = item.get("request") if isinstance(item, dict) else None
        if not isinstance(request, dict):
            continue
        label = f"{str(request.get('method', '?')).upper()[:10]} {str(request.get('path', ''))[:200]}"
        found.append((label, str(item.get("description", ""))[:200]))
        if len(found) >= 200:
            break
    return found


def _event_operations(document: JSONValue) -> Iterable[tuple[str, str, tuple[str, ...], str]]:
    """(action ``send``/``receive``, channel address, tags, message names) of an AsyncAPI document."""
    if not isinstance(document, dict) or not isinstance(document.get("channels"), dict):
        return
    channels: dict[str, Any] = document["channels"]  # type: ignore[assignment]

    def tags(op: dict[str, Any]) -> tuple[str, ...]:
        raw = op.get("tags")
        return (
            tuple(str(t.get("name")) for t in raw[:10] if isinstance(t, dict))
            if isinstance(raw, list)
            else ()
        )

    if str(document.get("asyncapi", "")).startswith("3"):
        operations = document.get("operations")
        for op in operations.values() if isinstance(operations, dict) else []:
            if not isinstance(op, dict) or op.get("action") not in ("send", "receive"):
                continue
            target = op.get("channel")
            ref = target.get("$ref") if isinstance(target, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/channels/"):
                continue
            key = ref[len("#/channels/") :].replace("~1", "/").replace("~0", "~")
            channel = channels.get(key)
            address = channel.get("address") if isinstance(channel, dict) else None
            messages = channel.get("messages") if isinstance(channel, dict) else None
            names = ", ".join(list(messages)[:5]) if isinstance(messages, dict) else ""
            yield str(op["action"]), str(address or key)[:200], tags(op), names
        return
    for key, channel in list(channels.items())[:500]:
        if not isinstance(channel, dict):
            continue
        for verb, action in (("subscribe", "send"), ("publish", "receive")):
            op = channel.get(verb)
            if isinstance(op, dict):
                message = op.get("message")
                name = message.get("name", "") if isinstance(message, dict) else ""
                yield action, str(key)[:200], tags(op), str(name)[:100]


def build(
    state: PactState | None,
    environment: str,
    pact_operations: Callable[[str], list[tuple[str, str]]],
    event_documents: Iterable[tuple[str, JSONValue]],
    subject_of: Callable[[str], str | None],
    href: Callable[[str], str],
) -> Graph:
    """The graph (not laid out yet) of the pacts in ``state`` and the AsyncAPI ``event_documents``
    (``(subject, parsed latest version)``); ``href(subject)`` is a subject page's URL."""
    graph = Graph()

    def service(name: str) -> str:
        subject = subject_of(name)
        graph.node(f"svc:{name}", name, "service", href(subject) if subject else "")
        return f"svc:{name}"

    if state is not None:
        for pub in sorted(_chosen(state, environment), key=lambda p: (p.consumer, p.provider)):
            edge = graph.edge(service(pub.consumer), service(pub.provider), "calls")
            for op in pact_operations(pub.digest):
                if op not in edge.operations and len(edge.operations) < _MAX_OPERATIONS:
                    edge.operations.append(op)
    services = {n.label for n in graph.nodes.values() if n.kind == "service"}
    for subject, document in event_documents:
        for action, address, op_tags, messages in _event_operations(document):
            owner = next((t for t in op_tags if t in services or subject_of(t) is not None), None)
            if owner is not None:
                party = service(owner)
            else:
                party = f"app:{subject}"
                graph.node(party, subject, "application", href(subject))
            value = subject_of(f"{address}-value")
            event = graph.node(f"evt:{address}", address, "event", href(value) if value else href(subject))
            if action == "send":
                edge = graph.edge(party, event.id, "sends")
            else:
                edge = graph.edge(event.id, party, "receives")
            if messages and (messages, "") not in edge.operations:
                edge.operations.append((messages, ""))
    return graph


class _View:
    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h
        self.xy: tuple[float, float] = (0.0, 0.0)


class _EdgeView:
    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


def _clip(centre: tuple[float, float], node: Node, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the segment from ``centre`` to ``towards`` leaves ``node``'s box."""
    (cx, cy), (tx, ty) = centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return centre
    scale = min(
        (node.w / 2) / abs(dx) if dx else float("inf"),
        (node.h / 2) / abs(dy) if dy else float("inf"),
    )
    return (cx + dx * min(scale, 1.0), cy + dy * min(scale, 1.0))


def _distance(point: tuple[float, float], node: Node) -> float:
    return abs(point[0] - node.x) + abs(point[1] - node.y)


def layout(graph: Graph) -> Graph:
    """Place every node and route every edge (grandalf); the graph, with its size set."""
    from grandalf.graphs import Edge as GEdge
    from grandalf.graphs import Graph as GGraph
    from grandalf.graphs import Vertex
    from grandalf.layouts import SugiyamaLayout

    if not graph.nodes:
        return graph

    class Layered(SugiyamaLayout):  # type: ignore[misc]
        """grandalf's layout with its alignment conflicts kept in a set: it asks whether a pair is
        among them for every median of every vertex, four times (a list made a 200-service
        graph take seconds)."""

        def _detect_alignment_conflicts(self) -> None:
            super()._detect_alignment_conflicts()
            self.conflicts = set(self.conflicts)  # type: ignore[has-type]

    vertices = {}
    for node in graph.nodes.values():
        node.w = max(60.0, len(node.label) * _CHAR + _PAD)
        vertex = Vertex(node.id)
        vertex.view = _View(node.w, node.h)
        vertices[node.id] = vertex
    g_edges = []
    for edge in graph.edges.values():
        if edge.source == edge.target:
            continue
        g_edge = GEdge(vertices[edge.source], vertices[edge.target], data=edge)
        g_edge.view = _EdgeView()
        g_edges.append(g_edge)
    g = GGraph(list(vertices.values()), g_edges)
    offset, top_of_row, row_bottom, width = _MARGIN, _MARGIN, _MARGIN, 0.0
    big = len(graph.nodes) > 60
    for component in sorted(g.C, key=lambda c: -len(c.sV)):
        sugiyama = Layered(component)
        sugiyama.xspace, sugiyama.yspace = 24, 56
        sugiyama.init_all()
        sugiyama.draw(1 if big else 3)
        left = min(v.view.xy[0] - v.view.w / 2 for v in component.sV)
        top = min(v.view.xy[1] - v.view.h / 2 for v in component.sV)
        extent = max(v.view.xy[0] + v.view.w / 2 for v in component.sV) - left
        if offset > _MARGIN and offset + extent > _ROW:  # a new row below
            offset, top_of_row = _MARGIN, row_bottom + _GAP
        right = offset
        for v in component.sV:
            node = graph.nodes[v.data]
            node.x = v.view.xy[0] - left + offset
            node.y = v.view.xy[1] - top + top_of_row
            right = max(right, node.x + node.w / 2)
            row_bottom = max(row_bottom, node.y + node.h / 2)
        for g_edge in component.sE:
            drawn: Edge = g_edge.data
            points = [(x - left + offset, y - top + top_of_row) for x, y in g_edge.view.points]
            source, target = graph.nodes[drawn.source], graph.nodes[drawn.target]
            if len(points) >= 2 and _distance(points[0], target) < _distance(points[0], source):
                points.reverse()  # an edge grandalf turned round to break a cycle
            if len(points) >= 2:
                points[0] = _clip(points[0], source, points[1])
                points[-1] = _clip(points[-1], target, points[-2])
            drawn.points = points
        width = max(width, right)
        offset = right + _GAP
    graph.width = width + _MARGIN
    graph.height = row_bottom + _MARGIN
    return graph
