"""`figrecon report`: one self-contained HTML file for an editor. Checked as text (what
it links to, how it escapes the data) and as headless Chromium renders it (the text a
reader sees, a phone's width, print, and that nothing is fetched). The hostile claims
are synthetic; `data/` is the shipped, real dataset."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import figrecon
from browser import Rendered, render
from figrecon.render.html import web_link
from figrecon.render.words import range_text

Run = Callable[..., Any]
KZ = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
WORKED = Path(__file__).parent / "fixtures" / "worked-example.yaml"

HOSTILE = """\
# Synthetic claims: every field a reader sees holds markup, a script or a trick.
event: e
location: Testland
sources:
  evil: {name: "<script>alert('name')</script>", type: ngo}
claims:
  - id: "h1<img src=x onerror=alert(1)>"
    metric: killed
    value: "5"
    source: evil
    via: "Wire < iframe src='https://example.org/' onload='alert(1)'"
    stated_on: 2022-01-01
    url: "javascript:alert(document.cookie)"
    quote: "</blockquote><script>alert('quote')</script>"
    note: "<a href='https://example.org/'>click</a> \\u202e"
  - id: h2
    metric: killed
    value: "7"
    source: evil
    stated_on: 2022-01-02
    url: "https://example.org/a?b=1&c=\\"2\\""
  - id: h3-with-a-very-long-identifier-that-does-not-break-anywhere-on-its-own-at-all
    metric: killed
    value: "7"
    source: evil
    stated_on: 2022-01-03
    url: "https://example.org/a-very-long-address-without-any-space-in-it/that/goes/on/and/on/and/on"
    quote: "Averylongwordwithoutanyspaceinitthatwouldpushthepagewideronaphoneifitcouldnotbreak"
"""


@pytest.fixture(scope="module")
def kz_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from figrecon.cli import main

    target = tmp_path_factory.mktemp("report") / "killed.html"
    assert main(["report", str(KZ), "--metric", "killed", "-o", str(target)]) == 0
    return target


@pytest.fixture(scope="module")
def rendered(kz_report: Path) -> Rendered:
    return render(kz_report, width=390)


@pytest.fixture
def hostile_report(run: Run, write: Callable[[str, str], Path], tmp_path: Path) -> Path:
    claims = write("hostile.yaml", HOSTILE)
    target = tmp_path / "hostile.html"
    assert run("report", claims, "-o", target).exit_code == 0
    return target


@pytest.fixture
def hostile(hostile_report: Path) -> str:
    return hostile_report.read_text(encoding="utf-8")


# --- the file ------------------------------------------------------------------------------


def test_the_report_fetches_nothing_it_links_only_to_the_sources(kz_report: Path) -> None:
    page = kz_report.read_text(encoding="utf-8")
    urls = {c.url for c in figrecon.load([KZ]) if c.url and c.metric == "killed"}
    assert re.findall(r"\bsrc\s*=", page) == []
    links = re.findall(r'\bhref="([^"]*)"', page)
    assert {link for link in links if not link.startswith("#")} == {
        u.replace("&", "&amp;") for u in urls
    }
    assert re.findall(r"@import|url\(\s*['\"]?(?!#)", page) == []


def test_the_report_forbids_itself_every_request(kz_report: Path) -> None:
    page = kz_report.read_text(encoding="utf-8")
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">" in page
    )


def test_each_figure_has_its_timeline_as_inline_svg_with_ids_unique_in_the_page(
    kz_report: Path,
) -> None:
    page = kz_report.read_text(encoding="utf-8")
    figures = figrecon.reconcile(figrecon.load([KZ]), metric="killed").figures
    assert page.count("<svg ") == len(figures)
    assert page.count('id="f1-band"') == 1
    assert 'id="f1-series-0"' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_every_string_from_the_data_is_escaped(hostile: str) -> None:
    assert "<script" not in hostile
    assert "<iframe" not in hostile
    assert "<img" not in hostile
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in hostile
    assert "&lt;/blockquote&gt;&lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt;" in hostile
    assert "h1&lt;img src=x onerror=alert(1)&gt;" in hostile


def test_a_javascript_url_is_shown_never_linked(hostile: str) -> None:
    assert 'href="javascript' not in hostile.lower()
    assert '<span class="url">javascript:alert(document.cookie)</span>' in hostile
    assert (
        '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" rel="noopener noreferrer '
        'nofollow">https://example.org/a?b=1&amp;c=&quot;2&quot;</a>' in hostile
    )


def test_control_characters_from_the_data_are_shown(hostile: str) -> None:
    assert "\u202e" not in hostile
    assert "click&lt;/a&gt; \\u202e" in hostile


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/x", True),
        ("http://example.org/x", True),
        ("HTTPS://EXAMPLE.ORG/X", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//example.org/x", False),
        ("https://", False),
        ("https://exa mple.org/", False),
        ("file:///etc/passwd", False),
        ("https://ex\u0430mple.org/", False),
    ],
)
def test_only_http_and_https_addresses_become_links(url: str, linked: bool) -> None:
    assert web_link(url).startswith("<a href=") is linked


def test_report_without_o_writes_the_page_to_stdout(run: Run) -> None:
    result = run("report", WORKED)
    assert result.exit_code == 0
    assert result.stdout.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert result.stdout.endswith("</html>\n")


def test_report_help_gives_examples(run: Run) -> None:
    out = run("report", "--help").stdout
    assert "figrecon report data/kazakhstan-2022.yaml -o report.html" in out


# --- as Chromium renders it ---------------------------------------------------------------


def test_the_rendered_report_shows_every_figure_and_its_notes(rendered: Rendered) -> None:
    figures = figrecon.reconcile(figrecon.load([KZ]), metric="killed").figures
    text = " ".join(rendered.text.split())
    for f in figures:
        assert range_text(f.model_dump()) in text
    national = next(f for f in figures if f.key[2:] == ("total", "Kazakhstan", ""))
    assert "180–240 (open above), best 238" in text
    for note in national.notes:
        assert " ".join(note.message.split()) in text


def test_nothing_overflows_sideways_on_a_phone(rendered: Rendered) -> None:
    assert rendered.viewport_width == 390
    assert rendered.scroll_width <= 390


def test_the_report_has_a_print_stylesheet(rendered: Rendered) -> None:
    assert rendered.print_rules >= 1
    assert rendered.print_styles == {"break-before": "page"}


def test_no_request_left_the_page(rendered: Rendered, kz_report: Path) -> None:
    assert rendered.requests == [kz_report.resolve().as_uri()]


def test_long_words_from_the_data_do_not_overflow_a_phone(hostile_report: Path) -> None:
    seen = render(hostile_report, width=390)
    assert (seen.scroll_width, seen.requests) == (390, [hostile_report.resolve().as_uri()])
    assert "<script>alert('name')</script>" in seen.text


def test_the_browser_check_sees_requests_and_overflow(tmp_path: Path) -> None:
    """The checks above can fail: a page that fetches and is too wide is caught."""
    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><html><head>"
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body><img src="https://example.org/pixel.png">'
        '<div style="width: 600px">wide</div></body></html>',
        encoding="utf-8",
    )
    seen = render(page, width=390)
    assert seen.requests == [page.resolve().as_uri(), "https://example.org/pixel.png"]
    assert seen.scroll_width == 608
    assert seen.print_rules == 0


def test_a_report_file_named_for_another_format_is_refused(run, tmp_path: Path) -> None:
    """`-o x.pdf` wrote an HTML page under a PDF's name."""
    target = tmp_path / "report.pdf"
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    result = run("report", data, "-o", target)
    assert result.exit_code == 2
    assert result.stderr == (
        f"-o {target}: the report is an HTML page; write a .html file (a browser prints "
        "it to PDF)\n"
    )
    assert not target.exists()
