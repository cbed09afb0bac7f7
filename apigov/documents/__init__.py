"""Loading contract documents safely, resolving ``$ref``, detecting the contract kind, bundling.

Entry points: :func:`apigov.documents.load.load_file` (one file, safe YAML/JSON with limits),
:class:`apigov.documents.refs.Workspace` (a root document and every file its ``$ref`` reach),
:func:`apigov.documents.kinds.detect_kind`, :func:`apigov.documents.bundle.bundle`.
May import only :mod:`apigov.core`. Must not import click, jsonschema validators or any
command-level package.
"""
