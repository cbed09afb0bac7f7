"""The ``typescript`` client generator: an ESM, fetch-based package with no runtime dependencies."""

from __future__ import annotations

from typing import Final

from apigov.core.errors import InputError
from generators.base import GenerateRequest, GeneratorKind, Output


class TypeScriptClientGenerator:
    name: Final = "typescript"
    kind: Final[GeneratorKind] = "client"
    description: Final = "typed TypeScript client (ESM, fetch, no runtime dependencies)"

    def generate(self, request: GenerateRequest) -> Output:
        raise InputError("the TypeScript client generator is not available yet")


GENERATOR: Final = TypeScriptClientGenerator()
