"""Record the findings diff checks make, with the judgement each check named.

The catalogue alone holds a rule's level: a check makes a finding by id, and names a
:class:`~apigov.rules.rule.Judged` only where what it found out about one occurrence decides
the level (proven by a counter-example, undecided, not shown to break, harmless).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from apigov.core.findings import Finding, Level
from apigov.rules.catalogue import BY_ID
from apigov.rules.context import CheckContext
from apigov.rules.events.catalogue import EVENT_BY_ID
from apigov.rules.events.compare import Pair
from apigov.rules.rule import Judged, Tier


@dataclass(frozen=True, slots=True)
class Made:
    finding: Finding
    judged: Judged | None
    tier: Tier = Tier.WIRE


def expected_level(finding: Finding, judged: Judged | None, tier: Tier) -> Level:
    """The level the catalogue gives ``finding`` under ``tier`` (a kept generated name: the wire's)."""
    rule = BY_ID.get(finding.rule_id) or EVENT_BY_ID[finding.rule_id]
    return rule.level_for(Tier.WIRE if "same_client_name" in finding.details else tier, judged)


def check_made(made: Made) -> None:
    finding, judged = made.finding, made.judged
    expected = expected_level(finding, judged, made.tier)
    if "mode_none_level" in finding.details:  # the NONE mode, not the rule, makes it info
        assert finding.level is Level.INFO, finding
        assert finding.details["mode_none_level"] == expected.value, finding
    else:
        assert finding.level is expected, (finding.rule_id, finding.level, expected, judged)
    if judged is Judged.PROVEN:
        assert "counter_example" in finding.details, finding
    if judged is Judged.UNDECIDED:
        assert finding.details.get("undecided") == "true", finding


@contextlib.contextmanager
def recorded_findings(*, check: bool = False) -> Iterator[list[Made]]:
    """Every finding made by an OpenAPI check or the event pipeline while the block runs."""
    made: list[Made] = []
    with pytest.MonkeyPatch.context() as patch:
        for owner in (CheckContext, Pair):
            original = owner.finding

            def recording(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Finding:
                finding: Finding = _original(self, *args, **kwargs)
                entry = Made(finding, kwargs.get("judged"), getattr(self, "tier", Tier.WIRE))
                if check:
                    check_made(entry)
                made.append(entry)
                return finding

            patch.setattr(owner, "finding", recording)
        yield made
