"""The method for people (`figrecon method`): docs/method.md, shipped in the package as
`figrecon/method.md`, split into sections that a rule id, a note code or a heading names.

Loads neither pandas nor pydantic: reading the method must not wait for the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .errors import UsageError, did_you_mean

_HEADING = re.compile(r"(#{2,3}) +(.+?)\s*")
_RULE = re.compile(r"(R\d+a?)\. +(.*)")
_CODE = re.compile(r"`([a-z][a-z-]*)`(?::? +(.*))?")


@dataclass(frozen=True)
class Section:
    """One heading of the method and the text under it (for a chapter, its sections too)."""

    name: str
    """What `figrecon method NAME` takes: R5, R10a, a code such as read-as-floor, or the
    heading as a slug (low-best-high)."""
    title: str
    """The heading without its name, when it has more ("Reading a phrase" for R1)."""
    level: int
    """2 for a chapter, 3 for a section within it."""
    text: str
    """The Markdown of the section, its heading first."""


def document() -> str:
    """The method as shipped in the package (the same text as docs/method.md)."""
    return resources.files("figrecon").joinpath("method.md").read_text(encoding="utf-8")


def _name(heading: str) -> tuple[str, str]:
    """(name, title) of a heading: its rule id or `code`, else its slug as GitHub makes it."""
    for pattern in (_RULE, _CODE):
        match = pattern.fullmatch(heading)
        if match:
            return match.group(1), match.group(2) or ""
    slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
    return slug, heading


def split(text: str) -> tuple[str, list[Section]]:
    """The text before the first chapter, and every chapter and section in order."""
    lines = text.splitlines(keepends=True)
    heads: list[tuple[int, int, str]] = []  # (line, level, heading)
    fenced = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.fullmatch(line)
        if match:
            heads.append((i, len(match.group(1)), match.group(2)))
    out = []
    for k, (start, level, heading) in enumerate(heads):
        end = next((j for j, lv, _ in heads[k + 1 :] if lv <= level), len(lines))
        name, title = _name(heading)
        out.append(Section(name, title, level, "".join(lines[start:end]).rstrip() + "\n"))
    intro = "".join(lines[: heads[0][0]] if heads else lines).rstrip() + "\n"
    return intro, out


@cache
def sections() -> tuple[str, dict[str, Section]]:
    """The introduction, and the sections of the shipped method by lower-case name."""
    intro, found = split(document())
    return intro, {s.name.lower(): s for s in found}


def find(name: str) -> Section:
    """The section a rule id, note code or heading slug names, in any case."""
    table = sections()[1]
    section = table.get(name.strip().lower())
    if section is not None:
        return section
    names = [s.name for s in table.values()]
    # Spelled as the names are (R5, read-as-floor), so that a close one is found.
    asked = name.strip()
    asked = "R" + asked[1:].lower() if re.fullmatch(r"[rR]\d+[aA]?", asked) else asked.lower()
    raise UsageError(
        f"no section `{name}` in the method{did_you_mean(asked, names)}; "
        "`figrecon method` lists them"
    )


def contents() -> str:
    """The introduction, then every section's name and title, as Markdown."""
    intro, table = sections()
    lines = [intro, "## Contents", ""]
    for s in table.values():
        indent = "  " * (s.level - 2)
        title = f" — {s.title}" if s.title and s.title != s.name else ""
        lines.append(f"{indent}- `{s.name}`{title}")
    return "\n".join(lines) + "\n"


__all__ = ["Section", "contents", "document", "find", "sections", "split"]
