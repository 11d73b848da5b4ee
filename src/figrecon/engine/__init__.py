"""The reconciliation engine: the rules of RECONCILIATION.md over sorted columns.

Claims enter as a `Batch` (`batch`); the rules run in order (`rules`): withdrawals and
relays (`attribution`, R3, R4), each originator's current claim (`supersede`, R2),
staleness and weight (`stale`, R5, R6), the agreement set (`agreement`, R7); then the
figures (`figures`, R8-R10), parts and wholes (`parts`, R10a) and the notes (`notes`,
R11).
"""

from .rules import attribution, reconcile

__all__ = ["attribution", "reconcile"]
