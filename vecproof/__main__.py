"""`python -m vecproof`."""

from .cli import run

run()
