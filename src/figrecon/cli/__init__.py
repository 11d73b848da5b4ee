"""The `figrecon` command line: the application and its edge (`app`), the options and
steps the commands share (`options`), and one module per command."""

from importlib import import_module

from .app import app, main, run

COMMANDS = (
    "reconcile",
    "check",
    "diff",
    "timeline",
    "report",
    "parse",
    "normalize",
    "import_",
    "schema",
    "method",
)
"""One module per command; importing it registers the command, in the order `--help`
lists them."""

for _name in COMMANDS:
    import_module(f"{__name__}.{_name}")

__all__ = ["COMMANDS", "app", "main", "run"]
