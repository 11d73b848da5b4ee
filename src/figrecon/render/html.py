"""The report for an editor: one self-contained HTML file (inline CSS and SVG, nothing
fetched) with a summary, the figures, and for each figure its timeline, notes, claims
and sources; then the method.

Everything from the data is escaped, with its control characters shown (`text.visible`);
only http and https addresses become links. The page forbids itself every request
(a Content-Security-Policy of `default-src 'none'`), so even a mistake here could not
make it fetch anything."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from urllib.parse import urlsplit

from ..model import CONFIDENCE_LEVELS, Figure, MethodBlock
from ..text import visible
from ..timelines import FigureTimeline, Statement, Timeline
from .timeline import PictureFormat, method_line, picture
from .words import based_on, figure_title, line_text, num, range_text, source_label

CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""Styles inline, no scripts, no requests: the page works offline and tells no one it
was opened."""

STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --soft: #5c5c5c; --line: #d8d8d8;
  --high: #1b7a3a; --moderate: #8a6d00; --low: #b3261e; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0 auto; padding: 1rem; max-width: 60rem;
  overflow-wrap: break-word; }
a, code, .url { overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; border-top: 1px solid var(--line);
  padding-top: 1rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.25rem; }
.meta, figcaption, .why { color: var(--soft); font-size: 0.9rem; }
.headline { font-size: 1.1rem; }
.conf-high { color: var(--high); } .conf-moderate { color: var(--moderate); }
.conf-low, .conf-very-low { color: var(--low); }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid var(--line); }
td.n { text-align: right; white-space: nowrap; }
figure { margin: 1rem 0; }
figure { overflow-x: auto; }
figure svg { display: block; width: 100%; min-width: 36rem; height: auto; }
td.d { white-space: nowrap; }
blockquote { margin: 0.25rem 0 0.25rem 1rem; font-style: italic; }
ul.sources > li { margin-bottom: 0.5rem; }
code { font-size: 0.9em; }
dl.method dt { font-weight: 600; } dl.method dd { margin: 0 0 0.5rem 1rem; }
@media (max-width: 40rem) {
  body { padding: 0.75rem; }
  table.rows thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.rows tr { display: block; border-bottom: 1px solid var(--line);
    padding: 0.4rem 0; }
  table.rows td { display: block; border: 0; padding: 0.1rem 0; text-align: left; }
  table.rows td::before { content: attr(data-label) ": "; font-weight: 600; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.85em; }
  nav { display: none; }
  section.figure { break-before: page; }
  figure, tr, li { break-inside: avoid; }
  figure svg { min-width: 0; }
}
"""


def _e(text: object) -> str:
    """Text from the data as HTML text: control characters shown, markup escaped."""
    return html.escape(visible(str(text)), quote=True)


def web_link(url: str) -> str:
    """An address as a link when it is an http or https one; any other (javascript:,
    data:, a file) is shown as text and cannot be followed."""
    parts = urlsplit(url)
    plain_ascii = url.isascii() and not re.search(r"[\s\x00-\x1f\x7f]", url)
    if plain_ascii and parts.scheme.lower() in ("http", "https") and parts.netloc:
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'
    return f'<span class="url">{_e(url)}</span> <span class="why">(not a web address)</span>'


def render(timeline: Timeline, claims: int, files: list[str]) -> str:
    """The whole report as one HTML document."""
    figures = timeline.figures
    events = sorted({t.figure.event for t in figures})
    title = "Reconciled figures" + (f": {', '.join(events)}" if events else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(method_line(timeline.method, timeline.figrecon))}</p>',
        "</header>",
        _summary(timeline, claims, files),
        _figures_table(figures, several=len(events) > 1),
        *(
            _figure_section(n, t, timeline, several=len(events) > 1)
            for n, t in enumerate(figures, 1)
        ),
        _method(timeline.method),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def _summary(timeline: Timeline, claims: int, files: list[str]) -> str:
    figures = timeline.figures
    days = [s.stated_on for t in figures for s in t.statements if s.stated_on]
    fates = Counter(s.fate for t in figures for s in t.statements)
    read = f"{', '.join(files) or 'standard input'} ({_plural(claims, 'claim')})"
    sentences = [
        f"{_plural(len(figures), 'figure')} from {read}"
        + (f", stated between {min(days)} and {max(days)}." if days else ".")
    ]
    levels = Counter(t.figure.confidence for t in figures if t.figure.confidence)
    if levels:
        sentences.append(
            "Confidence: "
            + ", ".join(f"{levels[c]} {c}" for c in reversed(CONFIDENCE_LEVELS) if levels[c])
            + "."
        )
    empty = sum(1 for t in figures if t.figure.best is None)
    if empty:
        sentences.append(f"{_plural(empty, 'figure has', 'figures have')} no figure left.")
    if fates["withdrawn"]:
        sentences.append(
            f"{_plural(fates['withdrawn'], 'claim was', 'claims were')} withdrawn and left out."
        )
    if fates["stale"]:
        sentences.append(
            f"{_plural(fates['stale'], 'early count was', 'early counts were')} set "
            "aside as history."
        )
    if not figures:
        sentences = ["No figures: no claims match, or the input holds none."]
    body = " ".join(_e(s) for s in sentences)
    return f'<section id="summary">\n<h2>Summary</h2>\n<p>{body}</p>\n</section>'


def _confidence(f: Figure) -> str:
    if not f.confidence:
        return "—"
    return f'<span class="conf-{f.confidence.replace(" ", "-")}">{_e(f.confidence)}</span>'


def _figures_table(figures: list[FigureTimeline], several: bool) -> str:
    """The figures, each linking to its section (the event named when there are several)."""
    rows = []
    for n, t in enumerate(figures, 1):
        f, fd = t.figure, t.figure.model_dump()
        rows.append(
            "<tr>"
            f'<td data-label="Figure"><a href="#figure-{n}">{_e(figure_title(fd, " · "))}</a>'
            + (f"<br><small>{_e(f.event)}</small>" if several else "")
            + "</td>"
            f'<td data-label="Range">{_e(range_text(fd))}</td>'
            f'<td data-label="Best" class="n"><strong>{_e(num(f.best))}</strong></td>'
            f'<td data-label="Confidence">{_confidence(f)}</td>'
            f'<td data-label="Sources" class="n">'
            f"{_e(num(f.independent_sources) if f.best is not None else '—')}</td>"
            "</tr>"
        )
    return (
        '<section id="figures">\n<h2>Figures</h2>\n<table class="rows">\n<thead><tr>'
        "<th>Figure</th><th>Range</th><th>Best</th><th>Confidence</th>"
        "<th>Independent sources</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</section>"
    )


def _figure_section(n: int, t: FigureTimeline, timeline: Timeline, several: bool) -> str:
    f, fd = t.figure, t.figure.model_dump()
    headline = range_text(fd) + (f", best {num(f.best)}" if f.best is not None else "")
    sources = based_on(fd)
    lead = [line_text(line) for depth, line in sources if depth == 1]
    based = "".join(f"<li>{_e(line_text(line))}</li>" for depth, line in sources if depth > 1)
    parts = [
        f'<section class="figure" id="figure-{n}">',
        f"<h2>{_e(figure_title(fd, ' · '))}</h2>",
        *([f'<p class="meta">{_e(f.event)}</p>'] if several else []),
        f'<p class="headline"><strong>{_e(headline)}</strong>'
        + (f", {_confidence(f)} confidence" if f.confidence else "")
        + "</p>",
    ]
    if lead:
        parts.append(f"<p>{_e(lead[0])}</p>" + (f"<ul>{based}</ul>" if based else ""))
    if t.band:
        parts.append(_picture(n, t, timeline))
    if f.notes:
        parts.append("<h3>Notes</h3>\n<ul>")
        parts += [
            f"<li><strong>{_e(note.code)}</strong> ({_e(note.rule)}): {_e(note.message)}</li>"
            for note in f.notes
        ]
        parts.append("</ul>")
    used = [s for s in t.statements if s.fate == "used"]
    aside = [s for s in t.statements if s.fate != "used"]
    if used:
        parts += ["<h3>Claims used</h3>", _claims_table(used)]
    if aside:
        parts += ["<h3>Claims set aside, and statements without a figure</h3>"]
        parts.append(_claims_table(aside))
    parts += ["<h3>Sources</h3>", _sources(t.statements), "</section>"]
    return "\n".join(parts)


def _picture(n: int, t: FigureTimeline, timeline: Timeline) -> str:
    """The timeline as inline SVG, its ids made unique within the page."""
    svg = picture(t, timeline.method, timeline.figrecon, PictureFormat.svg).decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    if ids:
        names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        svg = re.sub(rf'(\sid="|#)({names})(?=[")])', rf"\1f{n}-\2", svg)
    label = _e(f"Timeline of {figure_title(t.figure.model_dump(), ' · ')}")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    caption = (
        "Each originator's statements by the day they were made (days evenly spaced); "
        "the grey band and the black line are the range and BEST as they stood that day."
    )
    return f"<figure>\n{svg}\n<figcaption>{_e(caption)}</figcaption>\n</figure>"


def _claims_table(statements: list[Statement]) -> str:
    rows = []
    for s in statements:
        fate = s.fate + (f" ({s.rule})" if s.rule else "")
        rows.append(
            "<tr>"
            f'<td data-label="Claim"><code>{_e(s.id)}</code></td>'
            f'<td data-label="Said">{_e(s.value)}</td>'
            f'<td data-label="Source">{_e(source_label(s.source))}</td>'
            f'<td data-label="Date" class="d">{_e(s.stated_on or "undated")}</td>'
            f'<td data-label="Fate">{_e(fate)}</td>'
            f'<td data-label="Why">{_e(s.reason)}</td>'
            "</tr>"
        )
    return (
        '<table class="rows">\n<thead><tr><th>Claim</th><th>Said</th><th>Source</th>'
        "<th>Date</th><th>Fate</th><th>Why</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def _sources(statements: list[Statement]) -> str:
    """Each originator, then what it said: when, the claim, who carried it, its words
    and its address."""
    by_source: dict[str, list[Statement]] = {}
    for s in statements:
        by_source.setdefault(s.source, []).append(s)
    items = []
    for name, said in sorted(by_source.items(), key=lambda item: source_label(item[0])):
        lines = []
        for s in said:
            line = f"{_e(s.stated_on or 'undated')} · <code>{_e(s.id)}</code> · {_e(s.value)}"
            if s.via:
                line += f" · via {_e(s.via)}"
            if s.quote:
                line += f"<blockquote>“{_e(s.quote)}”</blockquote>"
            if s.url:
                line += f"<div>{web_link(s.url)}</div>"
            if s.note:
                line += f'<div class="why">Note: {_e(s.note)}</div>'
            lines.append(f"<li>{line}</li>")
        items.append(
            f"<li><strong>{_e(source_label(name))}</strong>\n<ul>{''.join(lines)}</ul></li>"
        )
    return '<ul class="sources">\n' + "\n".join(items) + "\n</ul>"


def _method(method: MethodBlock) -> str:
    rows = [
        ("Method", method.name),
        ("Profile", method.profile),
        ("As of", str(method.as_of) if method.as_of else "every statement, whatever its date"),
    ]
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    params = "".join(
        f"<dt><code>{_e(k)}</code></dt><dd>{_e(json.dumps(v, ensure_ascii=False))}</dd>"
        for k, v in method.parameters.items()
    )
    return (
        '<section id="method">\n<h2>Method</h2>\n'
        f'<dl class="method">{items}</dl>\n<h3>Parameters</h3>\n'
        f'<dl class="method">{params}</dl>\n'
        "<p>The rules and notes are explained by <code>figrecon method</code> "
        "(for example <code>figrecon method R5</code>).</p>\n</section>"
    )
