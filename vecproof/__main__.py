"""`python -m vecproof`."""

from .frontends.cli import run

run()
