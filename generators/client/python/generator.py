"""The ``python`` client generator: a typed httpx package (sync and async clients, models, runtime)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from apigov.core import naming
from generators.base import (
    GeneratedFile,
    GenerateRequest,
    GeneratorKind,
    Output,
    unique_paths,
)
from generators.client._common import package_description, prepare, templates, type_names_used, warnings_of
from generators.client.model import AliasDef
from generators.client.options import md_text, provenance
from generators.client.python.render import PyOperation, PyTypes, model_views, operation_views


@dataclass(frozen=True, slots=True)
class PyAlias:
    name: str
    type: str
    doc: str
    dec: str
    decodable: bool


class PythonClientGenerator:
    name: Final = "python"
    kind: Final[GeneratorKind] = "client"
    description: Final = "typed Python client (httpx; sync and async; models with runtime parsing)"

    def generate(self, request: GenerateRequest) -> Output:
        opts, api = prepare(request, "python")
        contract = opts.contract
        types = PyTypes(api)
        env = templates("generators.client.python")
        env.filters["pystr"] = naming.py_str
        env.filters["tomlstr"] = naming.py_str
        models = model_views(api, types)
        aliases: list[PyAlias] = []
        for name, t in api.types.items():
            if not isinstance(t, AliasDef):
                continue
            aliases.append(
                PyAlias(
                    name,
                    types.type(t.type, "read"),
                    naming.py_doc(t.doc, 600),
                    types.dec(t.type, "v", "p"),
                    True,
                )
            )
            if name in api.write_names:
                aliases.append(PyAlias(api.write_names[name], types.type(t.type, "write"), "", "", False))
        operations = operation_views(api, types)
        title_doc = naming.py_doc(api.title, 200).replace("\n", " ")
        common = {
            "title_doc": title_doc,
            "version_doc": naming.py_doc(api.version, 60).replace("\n", " "),
            "source_doc": naming.py_doc(contract.name, 200).replace("\n", " "),
        }
        exported = sorted([m.name for m in models] + [a.name for a in aliases])
        models_body = env.get_template("models.py.j2").render(
            models=models, aliases=aliases, exported=exported, typing_import="#TYPING#", **common
        )
        models_text = _with_typing_import(models_body, ("ClassVar", "Literal", "TypeAlias", "cast"), True)
        used = type_names_used(_operation_text(operations))
        model_names = sorted((n for n in exported if n in used), key=_isort_key)
        code = _operation_text(operations)
        decoders = sorted(
            (f"_dec_{a.name}" for a in aliases if a.decodable and f"_dec_{a.name}" in code),
            key=_isort_key,
        )
        client_body = env.get_template("client.py.j2").render(
            operations=operations,
            model_names=sorted([*model_names, *decoders], key=_isort_key),
            server=api.server or "http://localhost",
            has_pagination=any(op.pagination for op in operations),
            typing_import="#TYPING#",
            **common,
        )
        client_text = _with_typing_import(client_body, ("Literal", "cast"), False)
        pkg = opts.package
        prov = provenance(contract, opts)
        init_text = env.get_template("__init__.py.j2").render(provenance=prov["generated_from"], **common)
        readme = env.get_template("README.md.j2").render(
            dist_name=opts.dist_name,
            package=pkg,
            package_version=opts.version,
            title_md=md_text(api.title),
            version_md=md_text(api.version),
            source_md=md_text(contract.name),
            source_cli=_shell_word(prov["generated_from"]),
            server_md=md_text(api.server or "http://localhost"),
            digest=md_text(prov["digest"]),
            example_op=operations[0].name if operations else "",
            operations_md=[
                (
                    op.name,
                    md_text(f"{op.method.strip(chr(34))} {api.operations[i].path}"),
                    md_text(api.operations[i].summary),
                )
                for i, op in enumerate(operations)
            ],
        )
        pyproject = env.get_template("pyproject.toml.j2").render(
            dist_name=opts.dist_name,
            package=pkg,
            package_version=opts.version,
            description=package_description(api),
            source_toml=md_text(contract.name).replace("\n", " "),
            provenance_items=sorted(prov.items()),
        )
        root = PurePosixPath(pkg)
        files = [
            GeneratedFile(PurePosixPath("pyproject.toml"), pyproject),
            GeneratedFile(PurePosixPath("README.md"), readme),
            GeneratedFile(root / "__init__.py", init_text),
            GeneratedFile(root / "_runtime.py", env.get_template("_runtime.py.j2").render()),
            GeneratedFile(root / "models.py", models_text),
            GeneratedFile(root / "client.py", client_text),
            GeneratedFile(root / "py.typed", ""),
        ]
        return Output(unique_paths(files), warnings_of(self.name, api))


def _operation_text(operations: list[PyOperation]) -> str:
    """The generated code of the operations that names types (no prose)."""
    parts: list[str] = []
    for op in operations:
        parts += [op.returns, op.errors, op.body_annotation or "", *op.response_lines]
        parts += [p.annotation for p in (*op.path_params, *op.other_params)]
        if op.pagination is not None:
            parts.append(op.pagination.item_type)
    return "\n".join(parts)


_USES: Final = {
    "ClassVar": "ClassVar[",
    "Literal": "Literal[",
    "TypeAlias": ": TypeAlias = ",
    "cast": "cast(",
}


def _with_typing_import(body: str, names: tuple[str, ...], blank_after: bool) -> str:
    """``body`` with its ``#TYPING#`` line replaced by a ``from typing import`` of the names it uses."""
    used = [n for n in names if _USES[n] in body]
    line = f"from typing import {', '.join(used)}\n" + ("\n" if blank_after else "") if used else ""
    return body.replace("#TYPING#\n", line, 1)


def _isort_key(name: str) -> tuple[int, list[tuple[int, str | int]]]:
    """The order ruff's isort gives imported names: constants, classes, others; case-insensitive, natural."""
    group = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    parts: list[tuple[int, str | int]] = [
        (1, int(t)) if t.isdigit() else (0, t.lower()) for t in re.split(r"(\d+)", name) if t
    ]
    return group, parts


def _shell_word(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_./@:+-]+", text) else "CONTRACT"


GENERATOR: Final = PythonClientGenerator()
