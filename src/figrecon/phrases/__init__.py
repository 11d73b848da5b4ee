"""R1: how a phrase becomes an interval. `tokens` splits a phrase, `numbers` finds the
numbers in it, `tables` holds the words of each language and the profiles of vague
words, `intervals` computes hard and soft intervals, `reader` reads one phrase and
`templates` many at once. The tables (`*.yaml`) live beside the code."""

from .errors import PhraseError, PhraseTableError
from .reader import Reader, parse_quantity

__all__ = ["PhraseError", "PhraseTableError", "Reader", "parse_quantity"]
