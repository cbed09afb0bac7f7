"""Structural diff of two contracts into a DiffTree: what changed, with no levels and no prose.

The rules turn a DiffTree into findings. May import :mod:`apigov.core`, :mod:`apigov.documents`
and :mod:`apigov.schema`.
"""
