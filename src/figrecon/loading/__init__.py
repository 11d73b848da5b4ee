"""Loading claims: gathering every file's records into one table (`builder`, `table`),
validating it (`validate`, `retractions`) and normalizing it for the rules (`normalize`);
`claims` runs these in order and holds the result, `Claims`."""

from .claims import Claims
from .load import load, load_with_findings, paused_gc

__all__ = ["Claims", "load", "load_with_findings", "paused_gc"]
