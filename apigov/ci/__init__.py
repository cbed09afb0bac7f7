"""The CI gate: ``apigov ci github`` as a library.

:mod:`apigov.ci.environment` reads the GitHub Actions environment and the event that started
the job; :mod:`apigov.ci.gate` runs ``check`` on the configured contracts and ``diff`` of each
against the pull request's base (``git:BASE:path``); :mod:`apigov.ci.publish` turns the result
into the job summary, the step outputs, one SARIF file and one pull-request comment, which
:mod:`apigov.ci.comments` posts or edits in place through GitHub's REST API (httpx, imported
only there and only when a comment is posted).

Imports ``core``, ``documents``, ``config``, ``lint``, ``rules`` and ``report``; never the CLI,
and nothing here prints or exits.
"""
