"""OpenAPI diff rules: one module per area, each declaring its catalogue rows beside its checks."""
