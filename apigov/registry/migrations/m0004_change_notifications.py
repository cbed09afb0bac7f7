"""Migration 4: change notifications for servers that cache subjects."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 4
NAME: Final = "change notifications for servers that cache subjects"
POSTGRES: Final[LiteralString] = r"""
CREATE FUNCTION apigov.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text;
BEGIN
    IF TG_TABLE_NAME = 'subjects' THEN
        changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END;
    ELSE
        SELECT name INTO changed FROM apigov.subjects
            WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.subject_id ELSE NEW.subject_id END;
    END IF;
    PERFORM pg_notify('apigov_changes', coalesce(changed, ''));
    RETURN NULL;
END $$;
CREATE TRIGGER subjects_changed AFTER INSERT OR UPDATE OR DELETE ON apigov.subjects
    FOR EACH ROW EXECUTE FUNCTION apigov.notify_change();
CREATE TRIGGER versions_changed AFTER INSERT OR UPDATE OR DELETE ON apigov.versions
    FOR EACH ROW EXECUTE FUNCTION apigov.notify_change();
"""


def directory(root: Path) -> None:
    """Nothing to change in a directory registry (its layout already holds this)."""
