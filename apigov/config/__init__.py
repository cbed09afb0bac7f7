"""``apigov.yaml``: the project configuration.

Entry points: :func:`apigov.config.project.find_config`, :func:`apigov.config.project.load_config`,
:class:`apigov.config.project.Config`. May import :mod:`apigov.core` and :mod:`apigov.documents`
(to read the file safely); nothing above.
"""
