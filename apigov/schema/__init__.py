"""The schema-compatibility engine: does schema B accept every instance schema A accepts?

One engine for request bodies, parameters, responses, event payloads and registry subjects,
direction-aware (requests must not narrow, responses must not widen). May import only
:mod:`apigov.core` and :mod:`apigov.documents`.
"""
