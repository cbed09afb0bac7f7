"""Examples shipped with apigov (importable so that the shop's services run with ``python -m``)."""
