"""One module per command verb."""
