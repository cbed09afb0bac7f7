"""The ``apigov`` command line: thin click commands over the library.

Entry point: :func:`apigov.cli.main.main` (the console script). Commands live in
``apigov.cli.commands.<verb>``; each parses options, calls one library function, picks a
formatter and returns an exit code. ``apigov.cli.main`` is the only place that maps outcomes
and exceptions to exit codes. Heavy imports happen inside the commands.
"""
