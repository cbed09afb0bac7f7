"""The diff the CLI's commands share (``apigov diff``, ``changelog``, ``publish --consumers``):
a report for two refs under the project's configuration, registry refs opened on demand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from apigov import __version__
from apigov.cli.config_loading import project_config
from apigov.core.errors import InputError
from apigov.core.findings import Report

if TYPE_CHECKING:
    from apigov.config.project import Config
    from apigov.registry.base import RegistryBackend


def diff_report(
    base: str,
    revision: str,
    ignore: Path | None,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
    strict_open_model: bool | None,
    mode: str | None = None,
    more: tuple[str, ...] = (),
    registry: str | None = None,
    undecided: str | None = None,
    tier: str | None = None,
    kind: str | None = None,
) -> Report:
    from apigov.registry.refs import ref_opener
    from apigov.rules.openapi_modes import diff_with_mode
    from apigov.rules.run import DiffRequest

    config = project_config()
    request = DiffRequest(
        base=base,
        revision=revision,
        ignore=ignore,
        allow_remote_refs=allow_remote_refs,
        allow_ref_outside=allow_ref_outside,
        strict_open_model=strict_open_model,
        mode=mode,
        more=more,
        undecided=undecided,
        tier=tier,
        kind=kind,
        opener=ref_opener(lambda: registry_of_refs(config, registry)),
    )
    return diff_with_mode(request, config, version=__version__)


def registry_of_refs(config: Config, option: str | None) -> RegistryBackend:
    """The registry that ``SUBJECT@VERSION`` refs name: ``--registry``, else the usual places."""
    from apigov.registry.location import open_backend, registry_location

    location = registry_location(option, config)
    if "://" not in location and not Path(location).exists():
        raise InputError(
            f"no registry at {location} (for the registry refs given)",
            hint="name the registry with --registry or APIGOV_REGISTRY, or give files",
        )
    return open_backend(location)
