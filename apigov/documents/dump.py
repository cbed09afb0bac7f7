"""Writing documents back out as YAML or JSON."""

from __future__ import annotations

import json

import yaml

from apigov.core._types import JSONValue
from apigov.core.errors import InputError
from apigov.documents.document import Format
from apigov.documents.load import resolve_plain

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]


class _YAML12Dumper(_Dumper):
    """Quotes every string that apigov's YAML 1.2 loader would otherwise read as another type
    (PyYAML's own rules are YAML 1.1: it leaves ``0034...`` or ``1e3`` unquoted)."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    try:
        plain_is_string = isinstance(resolve_plain(value), str) if value else False
    except ValueError:
        plain_is_string = False
    style = None if plain_is_string else "'"
    if "\n" in value:
        style = "|"  # multi-line text stays readable (PyYAML falls back to quotes where it must)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YAML12Dumper.add_representer(str, _represent_str)


def dump_text(data: JSONValue, fmt: Format) -> str:
    """Render ``data``; raises :class:`InputError` for values JSON cannot hold (NaN, Infinity)."""
    if fmt == "json":
        try:
            return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        except ValueError as exc:
            raise InputError(
                "the document holds .inf or .nan, which JSON cannot represent", hint="write YAML instead"
            ) from exc
    text: str = yaml.dump(data, Dumper=_YAML12Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text
