"""`python -m figrecon` runs the command line."""

from .cli import run

run()
