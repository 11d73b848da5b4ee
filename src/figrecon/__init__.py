"""figrecon: reconcile conflicting casualty and detention figures.

The library behind the `figrecon` command: `load` claim files, `reconcile` them into
low / best / high figures with confidence and notes, `check` a dataset,
`parse_quantity` to see how a phrase is read, and `timeline` to follow how each figure
moved. Heavy modules load on first use, so `import figrecon` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "figrecon.loading",
    "Claims": "figrecon.loading",
    "reconcile": "figrecon.engine",
    "normalize": "figrecon.loading.export",
    "Parameters": "figrecon.config",
    "parameters": "figrecon.config",
    "check": "figrecon.checks.report",
    "Report": "figrecon.checks.report",
    "parse_quantity": "figrecon.phrases",
    "PhraseError": "figrecon.phrases",
    "InputError": "figrecon.errors",
    "FigreconError": "figrecon.errors",
    "timeline": "figrecon.timelines",
    "Timeline": "figrecon.timelines",
}

__all__ = [
    "Claims",
    "FigreconError",
    "InputError",
    "Parameters",
    "PhraseError",
    "Report",
    "Timeline",
    "__version__",
    "check",
    "load",
    "normalize",
    "parameters",
    "parse_quantity",
    "reconcile",
    "timeline",
]

if TYPE_CHECKING:
    from .checks.report import Report, check
    from .config import Parameters, parameters
    from .engine import reconcile
    from .errors import FigreconError, InputError
    from .loading import Claims, load
    from .loading.export import normalize
    from .phrases import PhraseError, parse_quantity
    from .timelines import Timeline, timeline


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'figrecon' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
