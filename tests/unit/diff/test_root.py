"""Security, servers, tags, info, webhooks and callbacks."""

from __future__ import annotations

from pathlib import Path

from tests.unit.diff._support import HEAD_30, HEAD_31, diff_texts, only_operation

SECURED = (
    HEAD_30
    + """servers:
  - {url: 'https://api.example.com/v1', description: production}
tags:
  - {name: pets, description: Pets}
security:
  - oauth: [read]
paths:
  /pets:
    get:
      responses:
        '200': {description: ok}
    post:
      security:
        - oauth: [write]
      responses:
        '201': {description: ok}
      callbacks:
        created:
          '{$request.body#/callbackUrl}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object}
              responses:
                '200': {description: ok}
"""
)


def test_root_security_scope_added_reaches_operations_that_inherit_it(tmp_path: Path) -> None:
    revision = SECURED.replace("  - oauth: [read]", "  - oauth: [read, admin]")
    tree = diff_texts(tmp_path, SECURED, revision)
    assert tree.security is not None
    (root,) = tree.security.requirements.changed
    assert root.scopes_added == (("oauth", "admin"),)
    op = only_operation(tree)
    assert (op.base.method, op.base.path) == ("get", "/pets")
    assert op.security is not None
    assert op.security.at.base == "/security"
    assert op.security.requirements.changed[0].scopes_added == (("oauth", "admin"),)


def test_operation_security_added_alternative_and_removed(tmp_path: Path) -> None:
    revision = SECURED.replace("        - oauth: [write]", "        - oauth: [write]\n        - apiKey: []")
    op = only_operation(diff_texts(tmp_path, SECURED, revision))
    assert op.security is not None
    assert [r.schemes for r in op.security.requirements.added] == [(("apiKey", ()),)]
    assert op.security.at.revision == "/paths/~1pets/post/security"
    opened = SECURED.replace("      security:\n        - oauth: [write]\n", "      security: []\n")
    op = only_operation(diff_texts(tmp_path / "2", SECURED, opened))
    assert op.security is not None
    assert [r.schemes for r in op.security.requirements.removed] == [(("oauth", ("write",)),)]


def test_servers_tags_and_info(tmp_path: Path) -> None:
    revision = SECURED.replace("https://api.example.com/v1", "https://api.example.com/v2")
    revision = revision.replace("{name: pets, description: Pets}", "{name: pets, description: All pets}")
    revision = revision.replace("version: '1'", "version: '2'")
    tree = diff_texts(tmp_path, SECURED, revision)
    assert [s.name for s in tree.servers.added] == ["https://api.example.com/v2"]
    assert [s.name for s in tree.servers.removed] == ["https://api.example.com/v1"]
    (tag,) = tree.tags.changed
    assert tag.changes[0].field == "description"
    assert [(c.field, c.base, c.revision, c.at.base) for c in tree.changes] == [
        ("version", "1", "2", "/info/version")
    ]
    assert not tree.operations


def test_callbacks_are_matched_like_operations(tmp_path: Path) -> None:
    revision = SECURED.replace("schema: {type: object}", "schema: {type: array}")
    op = only_operation(diff_texts(tmp_path, SECURED, revision))
    (callback,) = op.callbacks.changed
    assert callback.base.group == "created"
    assert callback.base.path == "{$request.body#/callbackUrl}"
    assert callback.request_body is not None
    assert callback.request_body.content.changed[0].schema is not None
    gone = SECURED.replace("        created:\n", "        made:\n")
    op = only_operation(diff_texts(tmp_path / "2", SECURED, gone))
    assert [c.group for c in op.callbacks.added] == ["made"]
    assert [c.group for c in op.callbacks.removed] == ["created"]


WEBHOOKS = (
    HEAD_31
    + """webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        '200': {description: ok}
"""
)


def test_webhooks(tmp_path: Path) -> None:
    assert diff_texts(tmp_path, WEBHOOKS, WEBHOOKS).empty
    revision = WEBHOOKS.replace("newPet", "petAdopted")
    tree = diff_texts(tmp_path / "2", WEBHOOKS, revision)
    assert [(w.method, w.path) for w in tree.webhooks.added] == [("post", "petAdopted")]
    assert [w.pointer for w in tree.webhooks.removed] == ["/webhooks/newPet/post"]
    assert not tree.operations


def test_operation_servers_override_the_root(tmp_path: Path) -> None:
    revision = SECURED.replace(
        "    get:\n      responses:",
        "    get:\n      servers:\n        - url: https://files.example.com\n      responses:",
    )
    op = only_operation(diff_texts(tmp_path, SECURED, revision))
    assert [s.name for s in op.servers.added] == ["https://files.example.com"]
    assert [s.name for s in op.servers.removed] == ["https://api.example.com/v1"]
    assert op.servers.added[0].pointer == "/paths/~1pets/get/servers/0"
