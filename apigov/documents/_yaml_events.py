"""libyaml's event parser, shared by the loader (:mod:`apigov.documents.load`) and the position
index of YAML texts (:mod:`apigov.documents.document`), so neither imports the other."""

from __future__ import annotations

from typing import Any

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback, same events
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

__all__ = ["yaml_event_parser"]


def yaml_event_parser(text: str) -> Any:
    """libyaml's event parser (iterative, so deep input cannot overflow the C stack)."""
    return _Parser(text)
