"""The limits on input: far above any real dataset, they stop absurd or endless input
early, with one clear line (the README lists them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


# Limits far above any real dataset: input beyond them is not claims (a binary file, a
# log, a generated blob, an endless pipe) and is refused before it fills the memory.
MAX_INPUT_SIZE = 4 * 2**30


"""The default limit on one input, a file or standard input, in bytes (--max-input-size)."""


MAX_LINE = 32 * 2**20


"""The longest line, in bytes; in JSON, where a whole file is often one line, the
longest claim (or header value)."""


MAX_FIELDS = 10_000


"""The most columns of a CSV file, or field names in the claims (or header) of a file."""


MAX_DEPTH = 100


"""The deepest nesting of lists and mappings (claims are flat; parsers recurse)."""


def size_text(size: int) -> str:
    """A number of bytes as people write it: 4 GiB, 32 MiB, 1.5 KiB, 700 bytes."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"
