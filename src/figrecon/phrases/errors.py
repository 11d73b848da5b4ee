"""The errors of reading phrases and phrase tables, both input errors of figrecon."""

from __future__ import annotations

from ..errors import FigreconError


class PhraseError(FigreconError, ValueError):
    """A phrase that does not state exactly one figure."""

    def __init__(self, text: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message + (f"; {self.hint}" if self.hint else "")

    def __reduce__(self) -> tuple[type[PhraseError], tuple[str, str, str | None]]:
        # Pickled as its three parts (a forked process reads phrases: `forked.alongside`).
        return (PhraseError, (self.text, self.message, self.hint))


class PhraseTableError(FigreconError, ValueError):
    """A phrase table or profile file that cannot be used."""
