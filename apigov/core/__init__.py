"""Core values shared by every layer: the exception tree, findings and reports, JSON pointers.

Entry points: :mod:`apigov.core.errors`, :mod:`apigov.core.findings`, :mod:`apigov.core.jsonptr`.
Must not import any other apigov package, nor any third-party package.
"""
