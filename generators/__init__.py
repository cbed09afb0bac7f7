"""Gateway-config and client generators (one module + Jinja2 templates per target).

Generators register through the entry-point group ``apigov.generators``. They may import only
:mod:`apigov.core`, :mod:`apigov.documents`, ``apigov.schema`` and ``apigov.registry``.
No generator exists yet: they arrive with the generator issues.
"""
