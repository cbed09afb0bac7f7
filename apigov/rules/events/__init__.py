"""Event diff rules (JSON Schema, Avro, AsyncAPI): the pipeline, the comparisons and the catalogue rows."""
