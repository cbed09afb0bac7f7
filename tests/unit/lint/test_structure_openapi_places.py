"""Every structural finding names the pointer and line of the offending value, in plain words
(issue 13, item 17): openapi-spec-validator's errors for ``default`` values carry no path."""

from __future__ import annotations

from pathlib import Path

from apigov.config.project import Config
from apigov.documents.limits import DEFAULT_LIMITS
from apigov.documents.refs import RefPolicy
from apigov.lint.check import check_file

SPEC = """\
openapi: 3.0.3
info: {title: A, version: 1.0.0}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        kind:
          oneOf:
            - {type: string}
            - {type: integer}
          default: null
        size:
          type: object
          properties:
            height: {type: integer}
          default: {height: tall}
"""


def test_default_errors_name_the_default_and_its_line(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text(SPEC)
    result = check_file(spec, Config(root=tmp_path), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None
    errors = {f.location.pointer: f for f in result[1] if f.rule_id == "openapi-structure-invalid"}
    kind = errors["/components/schemas/Pet/properties/kind/default"]
    assert kind.location.line == 13
    assert kind.message.startswith("default is null but the schema does not allow null"), kind.message
    height = errors["/components/schemas/Pet/properties/size/default/height"]
    assert height.location.line == 18
    assert "default" in height.message and "'tall' is not of type 'integer'" in height.message
    assert "" not in errors
