"""The Jinja2 environment of the UI: templates from this package, autoescaping everything
(HTML and the inline SVG alike), undefined names an error."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

__all__ = ["STATIC", "render"]

STATIC: Final = Path(__file__).with_name("static")


def _query(**params: object) -> str:
    """``?a=1&b=2`` of the non-empty parameters, encoded."""
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


@functools.cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["seg"] = lambda text: quote(str(text), safe="")
    env.filters["short"] = lambda text, n=12: str(text)[:n]
    env.globals["query"] = _query
    return env


def render(name: str, **context: object) -> str:
    template = _environment().get_template(name)
    text: str = template.render(**context)
    return text
