"""``apigov bundle``: one self-contained document from a multi-file spec."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apigov.cli.options import ref_options
from apigov.core.atomic import OUTPUT_HELP


@click.command("bundle")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of standard output. " + OUTPUT_HELP,
)
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["yaml", "json"]),
    default=None,
    help="Output format (default: from the output file's suffix, else the input's).",
)
@ref_options
def bundle_command(
    file: Path,
    output: Path | None,
    output_format: str | None,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
) -> int:
    """Write FILE with every external $ref internalised.

    Named components referenced from other files are copied into the document's component
    section and the $ref rewritten; other referenced parts are inlined. References inside
    FILE are kept.
    """
    from apigov.cli.config_loading import project_config
    from apigov.cli.render import refuse_overwriting
    from apigov.core.atomic import atomic_text_writer
    from apigov.documents.bundle import bundle_file
    from apigov.documents.document import Format
    from apigov.documents.dump import dump_text
    from apigov.documents.refs import RefPolicy

    config = project_config()
    policy = RefPolicy(
        allow_remote=allow_remote_refs or config.allow_remote_refs,
        allow_outside=allow_ref_outside or config.allow_ref_outside,
    )
    bundled = bundle_file(file, source=str(file), policy=policy)
    suffix = (output or file).suffix.lower()
    fmt: Format = "json" if suffix in (".json", ".avsc") else "yaml"
    if output_format == "json":
        fmt = "json"
    elif output_format == "yaml":
        fmt = "yaml"
    text = dump_text(bundled.document.data, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        sources = [d.path for _, d, _ in bundled.origins] + [bundled.document.path]
        refuse_overwriting(output, [p for p in sources if p is not None])
        with atomic_text_writer(output) as handle:
            handle.write(text)
    return 0
