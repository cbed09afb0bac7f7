"""The ``typescript`` client generator (entry point ``apigov.generators: typescript``)."""
