"""The schema-compatibility engine: does schema B accept every instance schema A accepts?

One engine for request bodies, parameters, responses, event payloads and registry subjects,
direction-aware (requests must not narrow, responses must not widen).

Entry points: :func:`apigov.schema.compat.is_subset` (A ⊆ B with reasons and proven
counter-examples), :class:`apigov.schema.compat.Comparator` (a session of many such questions
between two documents, e.g. every schema pair of a diff, doing shared work once),
:func:`apigov.schema.compat.request_compatible` and
:func:`apigov.schema.compat.response_compatible` (the two directions),
:func:`apigov.schema.model.normalise` (the canonical form compared) and
:func:`apigov.schema.model.local_resolver` (``$ref`` within one document),
:func:`apigov.schema.modes.check` (schema-registry modes BACKWARD … FULL_TRANSITIVE, NONE).
Avro: :func:`apigov.schema.avro.can_read` (the specification's schema resolution, with
counter-examples) on the rules of :mod:`apigov.schema.avro_spec` (shared with the lint layer).
:func:`apigov.schema.drafts.for_engine`: a draft-04 … 2019-09 document in the engine's reading.
Helpers: :mod:`apigov.schema.instances` (three-valued validator, example instances),
:mod:`apigov.schema.conjunction` (``allOf`` of two canonical forms).
The comparison itself is private, in parts: ``_base`` (reasons, verdicts, the per-question
context), ``_walk`` (recursion, coinduction, memory), ``_unions`` (``allOf``/``anyOf``/``oneOf``/
``not``/``if``), ``_scalars`` (types, enums, numbers, strings), ``_containers`` (arrays, objects)
and ``_sameness`` (schemas written the same); :mod:`apigov.schema.compat` is their public face.
May import only :mod:`apigov.core` and :mod:`apigov.documents`, plus the standard library.
"""
