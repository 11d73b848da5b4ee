"""The figures as Markdown, with every untrusted character that starts markup escaped."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, BinaryIO

from .. import __version__
from ..text import visible
from .table import SPOOL
from .words import Figure, Tally, figure_title, num

if TYPE_CHECKING:
    from ..model import MethodBlock

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def md_text(text: str) -> str:
    """Untrusted text in a Markdown table cell, as text: every character that could
    start markup is escaped, and line breaks (CR or LF) become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"[\r\n]+", " ", text))


def md_code(text: str) -> str:
    """Text inside a `code span`, where escapes do not work: no backticks, no breaks."""
    return re.sub(r"[\r\n]+", " ", text).replace("`", "'")


def write_markdown(method: MethodBlock, figures: Iterable[Figure], out: BinaryIO) -> None:
    """The figures as a Markdown table, a summary line, then each figure's notes in
    full sentences; the rows are written as they come, the notes kept aside until the
    table is done."""
    out.write(
        (
            f"**figrecon {__version__}** · method `{md_code(method.name)}` · profile "
            f"`{md_code(visible(method.profile))}`"
            + (f" · as of {method.as_of}" if method.as_of else "")
            + "\n\n| Figure | Low | Best | High | Confidence | Based on | Notes |\n"
            "|---|---:|---:|---:|---|---|---|\n"
        ).encode("utf-8")
    )
    tally = Tally()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as notes:
        for f in figures:
            tally.add(f)
            title = md_text(visible(figure_title(f, " · ")))
            high = num(f["high"]) + (" +" if f["open_upper"] else "")
            codes = "; ".join(f"{n['code']} ({n['rule']})" for n in f["notes"])
            row = (
                f"| {title} | {num(f['low'])} | **{num(f['best'])}** | {high} "
                f"| {f['confidence'] or '—'} | {md_text(visible('; '.join(f['sources'])))} "
                f"| {md_text(codes)} |\n"
            )
            out.write(row.encode("utf-8"))
            if f["notes"]:
                lines = [f"\n**{title}**\n\n"] + [
                    f"- **{md_text(n['code'])}** ({md_text(n['rule'])}): "
                    f"{md_text(visible(n['message']))}\n"
                    for n in f["notes"]
                ]
                notes.write("".join(lines).encode("utf-8"))
        out.write(f"\n{tally.line()}.\n\n`+`: open above (a source gives only a floor).\n".encode())
        if notes.tell():
            out.write(b"\n### Notes\n")
            notes.seek(0)
            shutil.copyfileobj(notes, out)
