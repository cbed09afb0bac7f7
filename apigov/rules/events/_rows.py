"""What the event modules write their catalogue rows with: level shorthands and :func:`row`."""

from __future__ import annotations

from apigov.core.findings import Level
from apigov.rules.rule import Area, Direction, Rule, rule_doc

B, W, I = Level.BREAKING, Level.WARNING, Level.INFO  # noqa: E741


def row(
    id: str,
    level: Level,
    area: Area,
    families: tuple[str, ...],
    summary: str,
    why: str,
    example: str,
    evolve: str,
    *,
    confluent: str | None = None,
    related: tuple[str, ...] = (),
) -> Rule:
    """An event rule: no check function (the event pipeline reports it), judged under the mode."""
    return Rule(
        id=id,
        level=level,
        area=area,
        direction=Direction.MODE,
        summary=summary,
        doc=rule_doc(summary, why, example, evolve, related),
        families=families,
        confluent_id=confluent,
        since="0.2",
    )
