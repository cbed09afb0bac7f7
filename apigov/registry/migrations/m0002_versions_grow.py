"""Migration 2: versions only grow and never change."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 2
NAME: Final = "versions only grow and never change"
POSTGRES: Final[LiteralString] = r"""
CREATE FUNCTION apigov.version_grows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    top integer[];
BEGIN
    PERFORM 1 FROM apigov.subjects WHERE id = NEW.subject_id FOR UPDATE;
    SELECT ARRAY[major, minor, patch] INTO top FROM apigov.versions WHERE subject_id = NEW.subject_id
        ORDER BY major DESC, minor DESC, patch DESC LIMIT 1;
    IF top IS NOT NULL AND ARRAY[NEW.major, NEW.minor, NEW.patch] <= top THEN
        RAISE EXCEPTION 'version %.%.% is not above the latest version %.%.%',
            NEW.major, NEW.minor, NEW.patch, top[1], top[2], top[3]
            USING ERRCODE = 'check_violation', CONSTRAINT = 'version_grows';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER version_grows BEFORE INSERT ON apigov.versions
    FOR EACH ROW EXECUTE FUNCTION apigov.version_grows();
CREATE FUNCTION apigov.version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.subject_id, NEW.major, NEW.minor, NEW.patch, NEW.format, NEW.content, NEW.digest, NEW.meta)
       IS DISTINCT FROM (OLD.subject_id, OLD.major, OLD.minor, OLD.patch, OLD.format, OLD.content,
                         OLD.digest, OLD.meta) THEN
        RAISE EXCEPTION 'a published version never changes (only its deprecation does)'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'version_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER version_immutable BEFORE UPDATE ON apigov.versions
    FOR EACH ROW EXECUTE FUNCTION apigov.version_immutable();
"""


def directory(root: Path) -> None:
    """Nothing to change in a directory registry (its layout already holds this)."""
