"""A large output written by two processes: the first half of the figures (or of the
normalized rows) here, the second by a forked copy of this process into a temporary
file (`forked.meanwhile`), appended when both are done. Making the figures (notes, then
JSON) is most of the time of a large run and each figure is made on its own, so two
cores halve it; the bytes are those of one process, whether or not a child could be had
and did its half.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import BinaryIO, TypeVar

from ..forked import meanwhile

Half = TypeVar("Half")
"""What is written in halves: figures, or the rows of a table."""

Part = Callable[[Half, BinaryIO, bool], bool]
"""Writes a half to a stream, each piece after the first preceded by the format's
separator, and the first too when the flag says something came before; returns whether
it wrote anything."""


def write_halves(
    first: Half,
    second: Half,
    part: Part[Half],
    out: BinaryIO,
    separator: bytes = b"",
) -> bool:
    """Write `first` then `second` with `part` as one process would, the second made
    by a forked child meanwhile; returns whether anything was written."""
    wrote, tail = meanwhile(lambda: part(first, out, False), lambda f: part(second, f, True))
    if tail is None:  # no child, or it failed: the second half is written here
        return part(second, out, wrote) or wrote
    with tail:
        if not os.fstat(tail.fileno()).st_size:
            return wrote  # the second half has no figures
        # The child wrote as if figures came before its own: its first separator stays
        # only if they did.
        lead = tail.read(len(separator))
        if wrote:
            out.write(lead)
        shutil.copyfileobj(tail, out, 2**20)
    return True
