"""Generate a multi-file OpenAPI spec laid out the way Redocly-built specs of cloud providers
are: a root ``openapi.yaml``, one file per path and per schema in folders, and ``$ref`` that lead
to markdown strings (``description: {$ref: 'description.yml#/introduction'}``), to arrays
(``tags``, ``required`` lists, ``servers``) and to objects, across folders (``../../``).

Used by the tests (a few hundred files) and by ``benchmarks/check.py`` (thousands)::

    python -m benchmarks.multifile OUT_DIR [--resources N]

Everything is generated here, deterministically; nothing comes from another project.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

VERBS = ("get", "post", "delete")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(out: Path, resources: int = 60) -> Path:
    """Write the spec under ``out`` and return the root file. Files: about ``5 * resources + 6``."""
    _write(
        out / "description.yml",
        "introduction: |\n  # Fleet API\n\n  Manage **droplets**, volumes and the rest of a fleet.\n"
        "authentication: |\n  Send a bearer token in the `Authorization` header.\n",
    )
    _write(
        out / "shared" / "tags.yml",
        "".join(f"- name: r{i}\n  description: Resource {i}\n" for i in range(resources)),
    )
    _write(out / "shared" / "required.yml", "- id\n")
    _write(
        out / "shared" / "servers.yml",
        "- url: https://api.example.com\n  description: {$ref: '../description.yml#/authentication'}\n",
    )
    _write(
        out / "shared" / "errors.yml",
        "type: object\nrequired: [id, message]\nproperties:\n  id: {type: string}\n  message: {type: string}\n",
    )
    paths: list[str] = []
    for i in range(resources):
        name = f"r{i}"
        folder = out / "resources" / name
        _write(
            folder / "models" / f"{name}.yml",
            "type: object\n"
            "required: {$ref: '../../../shared/required.yml'}\n"
            "properties:\n"
            "  id: {type: string}\n"
            "  region: {type: string, enum: [nyc1, sfo3, ams3, fra1]}\n"
            "  size: {type: integer, minimum: 1, description: {$ref: '../../../description.yml#/introduction'}}\n"
            + (f"  parent: {{$ref: '../../r{i - 1}/models/r{i - 1}.yml'}}\n" if i else ""),
        )
        _write(folder / "descriptions" / "list.md.yml", f"text: |\n  List every {name}.\n  Paged.\n")
        for verb in VERBS:
            body = (
                "requestBody:\n  content:\n    application/json:\n"
                f"      schema: {{$ref: 'models/{name}.yml'}}\n"
                if verb == "post"
                else ""
            )
            _write(
                folder / f"{name}_{verb}.yml",
                f"operationId: {verb}_{name}\n"
                f"tags: [{name}]\n"
                f"summary: {verb} {name}\n"
                "description: {$ref: 'descriptions/list.md.yml#/text'}\n" + body + "responses:\n"
                "  '200':\n    description: ok\n    content:\n      application/json:\n"
                f"        schema: {{$ref: 'models/{name}.yml'}}\n"
                "  default:\n    description: error\n    content:\n      application/json:\n"
                "        schema: {$ref: '../../shared/errors.yml'}\n",
            )
        paths.append(
            f"  /{name}:\n"
            + "".join(f"    {verb}: {{$ref: 'resources/{name}/{name}_{verb}.yml'}}\n" for verb in VERBS)
        )
    root = out / "openapi.yaml"
    _write(
        root,
        "openapi: 3.0.3\n"
        "info:\n  title: Fleet API\n  version: 2.0.0\n"
        "  description: {$ref: 'description.yml#/introduction'}\n"
        "servers: {$ref: 'shared/servers.yml'}\n"
        "tags: {$ref: 'shared/tags.yml'}\n"
        "paths:\n" + "".join(paths),
    )
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=60)
    args = parser.parse_args(argv)
    root = generate(args.out, args.resources)
    print(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
