"""Migration 20: recorded fuzz runs (``apigov fuzz --record``), immutable and content-addressed."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 20
NAME: Final = "fuzz runs"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.fuzz_runs (
    id          text PRIMARY KEY CONSTRAINT fuzz_run_id CHECK (id ~ '^[0-9a-f]{64}$'),
    subject     text NOT NULL,
    version     text NOT NULL,
    ended_at    text NOT NULL,
    passed      boolean NOT NULL,
    record      jsonb NOT NULL
);
CREATE INDEX fuzz_runs_contract ON apigov.fuzz_runs (subject, version, ended_at);
CREATE FUNCTION apigov.fuzz_runs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded fuzz run never changes' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER fuzz_runs_immutable BEFORE UPDATE OR DELETE ON apigov.fuzz_runs
    FOR EACH ROW EXECUTE FUNCTION apigov.fuzz_runs_immutable();
"""


def directory(root: Path) -> None:
    """Nothing to change: a directory registry keeps fuzz runs under ``.fuzz-runs/``."""
