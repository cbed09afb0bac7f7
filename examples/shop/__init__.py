"""The shop example system: contracts under ``<service>/v1|v2`` and runnable services under ``services``."""
