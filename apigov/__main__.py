"""``python -m apigov``."""

from apigov.cli.main import main

main()
