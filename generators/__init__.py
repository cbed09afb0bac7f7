"""Gateway-config and client generators (one module + Jinja2 templates per target).

Generators register through the entry-point group ``apigov.generators``. They may import only
:mod:`apigov.core`, :mod:`apigov.documents`, ``apigov.schema``, ``apigov.config`` and
``apigov.registry``. The interface every target implements is :mod:`generators.base`; the
contracts they render are loaded by :mod:`generators.contracts`.
"""
