"""Finding and loading apigov.yaml for a command."""

from __future__ import annotations

from pathlib import Path

from apigov.cli.options import settings
from apigov.config.project import Config, find_config, load_config
from apigov.core.errors import ConfigError


def project_config() -> Config:
    chosen = settings().config_path
    if chosen is not None:
        if not chosen.is_file():
            raise ConfigError(f"configuration file {chosen} does not exist")
        return load_config(chosen)
    return load_config(find_config(Path.cwd()))
