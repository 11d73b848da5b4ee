"""The figures as Markdown, with every untrusted character that starts markup escaped."""

from __future__ import annotations

import re

from ..model import Result
from ..text import visible_copy
from .words import figure_title, num

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def md_text(text: str) -> str:
    """Untrusted text in a Markdown table cell, as text: every character that could
    start markup is escaped, and line breaks (CR or LF) become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"[\r\n]+", " ", text))


def md_code(text: str) -> str:
    """Text inside a `code span`, where escapes do not work: no backticks, no breaks."""
    return re.sub(r"[\r\n]+", " ", text).replace("`", "'")


def to_markdown(result: Result) -> str:
    result = visible_copy(result)
    lines = [
        f"**figrecon {result.figrecon}** · method `{result.method.name}` · profile "
        f"`{md_code(result.method.profile)}`"
        + (f" · as of {result.method.as_of}" if result.method.as_of else ""),
        "",
        "| Figure | Low | Best | High | Confidence | Based on | Notes |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for f in result.figures:
        title = md_text(figure_title(f).replace("\n", " · "))
        high = num(f.high) + (" +" if f.open_upper else "")
        notes = "; ".join(f"{n.code} ({n.rule})" for n in f.notes)
        lines.append(
            f"| {title} | {num(f.low)} | **{num(f.best)}** | {high} | {f.confidence or '—'} "
            f"| {md_text('; '.join(f.sources))} | {md_text(notes)} |"
        )
    lines.append("")
    lines.append("`+`: open above (a source gives only a floor).")
    return "\n".join(lines) + "\n"
