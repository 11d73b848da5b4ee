"""The `figrecon` command line: the application and its edge (`app`), the options and
steps the commands share (`options`), and one module per command. Importing this
package registers every command, in the order `--help` lists them."""

from . import check, diff, method, normalize, parse, reconcile, schema  # noqa: F401
from .app import app, main

__all__ = ["app", "main"]
