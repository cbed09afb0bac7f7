"""The apigov exception tree.

::

    ApigovError                     base of everything apigov raises on purpose
    ├── InputError                  bad input from the user: exit code 2
    │   ├── DocumentError           a contract file cannot be used
    │   │   ├── InvalidYAML         malformed YAML or JSON, duplicate keys, empty or binary file
    │   │   ├── UnresolvedRef       a $ref that points nowhere, escapes its directory or is remote
    │   │   ├── LimitExceeded       size, depth or alias-expansion limits
    │   │   └── UnknownKind         not a contract kind apigov understands
    │   ├── UnknownSubject          a registry subject that does not exist
    │   └── ConfigError             apigov.yaml or a command-line option is wrong
    └── RegistryError               the registry refused or failed
        ├── VersionExists           a version already holds different content
        ├── StaleLatest             a compare-and-set publish lost to a concurrent one (retried)
        └── BackendUnavailable      the backend cannot be reached

Every error carries ``source`` / ``pointer`` / ``line`` where known, and its ``str()`` is one
line: ``file:line: what; how to fix``. The library never exits and never prints; the CLI maps
these classes to exit codes in one place (``apigov.cli.main``).
"""

from __future__ import annotations


class ApigovError(Exception):
    """Base class of every error apigov raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.pointer = pointer
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        text = " ".join(self.message.split())  # always one line
        if self.pointer and self.line is None:
            text += f" (at {self.pointer})"
        if self.hint:
            text += f"; {' '.join(self.hint.split())}"
        return where + text


class InputError(ApigovError):
    """The user's input cannot be used (exit code 2)."""


class DocumentError(InputError):
    """A contract document cannot be loaded or resolved."""


class InvalidYAML(DocumentError):
    """Malformed YAML/JSON, duplicate keys, an empty or a binary file."""


class UnresolvedRef(DocumentError):
    """A ``$ref`` that cannot be followed (missing, outside the root, remote, circular)."""


class LimitExceeded(DocumentError):
    """A document is larger, deeper or expands further than apigov allows."""


class UnknownKind(DocumentError):
    """A document that is not one of the contract kinds apigov understands."""


class UnsupportedVersion(UnknownKind):
    """A document that declares a contract kind (``openapi:``, ``swagger:``, ``asyncapi:``,
    ``$schema``) in a version or dialect apigov does not read: a contract, but an unreadable one."""


class UnknownSubject(InputError):
    """A registry subject that does not exist."""


class ConfigError(InputError):
    """``apigov.yaml`` or a command-line option is invalid."""


class RegistryError(ApigovError):
    """The registry refused an operation or failed."""


class VersionExists(RegistryError):
    """A published version already holds different content."""


class StaleLatest(RegistryError):
    """A compare-and-set lost: the subject's latest version is not the one the caller judged against."""


class BackendUnavailable(RegistryError):
    """A registry backend cannot be reached."""
