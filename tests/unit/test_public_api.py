"""The public surface is exactly ``apigov.__all__``."""

from __future__ import annotations

import apigov


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(apigov) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(apigov, name)).__name__ == "module"}
    assert set(apigov.__all__) - {"__version__"} == public - modules
    assert len(apigov.__all__) == len(set(apigov.__all__))


def test_every_public_error_is_an_apigov_error() -> None:
    for name in apigov.__all__:
        value = getattr(apigov, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, apigov.ApigovError)
