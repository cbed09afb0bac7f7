"""The ``python`` client generator (entry point ``apigov.generators: python``)."""
