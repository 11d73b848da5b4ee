"""A page as headless Chromium renders it, for the tests of the HTML report.

Chromium is driven through the DevTools protocol over `--remote-debugging-pipe`: JSON
messages ended by a NUL byte on file descriptors 3 (to Chromium) and 4 (from it). That
needs no WebSocket client and no open port, and it gives what a screenshot cannot:
the rendered text (`innerText`), the page's width at a phone's viewport, the styles
under print, and every request the page made (the Network domain reports requests that
the page's Content-Security-Policy blocks, too)."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = "install Chromium to run it: apt-get install chromium (Debian, Ubuntu)"


def chromium() -> str:
    """The Chromium command; in CI (CI=true) its absence fails the test, elsewhere it
    skips it with how to install it."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is needed for this test in CI; {INSTALL_HINT}")
    pytest.skip(f"this test renders the report in Chromium; {INSTALL_HINT}")


@dataclass
class Rendered:
    """What Chromium made of a page at one viewport width."""

    text: str
    """`document.body.innerText`: the text as laid out (hidden elements left out)."""
    scroll_width: int
    """How wide the page is; above the viewport's width, it scrolls sideways."""
    viewport_width: int
    print_rules: int
    """How many `@media print` rules the page's style sheets hold."""
    print_styles: dict[str, str]
    """Computed styles under print media: `break-before` of the first figure section."""
    requests: list[str] = field(default_factory=list)
    """Every URL the page requested, the page itself included."""


class _Pipe:
    """The DevTools protocol over Chromium's pipe."""

    def __init__(self, write_fd: int, read_fd: int, timeout: float) -> None:
        self.write_fd, self.read_fd, self.timeout = write_fd, read_fd, timeout
        self.buffer = b""
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        reply = self.wait(lambda m: m.get("id") == self.last_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply["result"]
        return result

    def wait(self, wanted: Any) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return message  # type: ignore[no-any-return]
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self.buffer += chunk


def render(page: Path, width: int = 390, height: int = 844, timeout: float = 30) -> Rendered:
    """Load `page` in headless Chromium at a phone's viewport and report what it shows."""
    command = chromium()
    profile = tempfile.mkdtemp(prefix="figrecon-chromium-")
    to_chromium, from_us = os.pipe()
    to_us, from_chromium = os.pipe()

    def pipes_on_3_and_4() -> None:
        os.dup2(to_chromium, 3)
        os.dup2(from_chromium, 4)

    process = subprocess.Popen(
        [
            command,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ],
        pass_fds=(3, 4),
        preexec_fn=pipes_on_3_and_4,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(to_chromium)
    os.close(from_chromium)
    try:
        pipe = _Pipe(from_us, to_us, timeout)
        target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
        session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        pipe.call("Network.enable", session)
        pipe.call("Page.enable", session)
        pipe.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=True,
        )
        pipe.call("Page.navigate", session, url=page.resolve().as_uri())
        pipe.wait(lambda m: m.get("method") == "Page.loadEventFired")

        def evaluate(expression: str) -> Any:
            reply = pipe.call(
                "Runtime.evaluate", session, expression=expression, returnByValue=True
            )
            return reply["result"].get("value")

        text = evaluate("document.body.innerText")
        scroll_width = evaluate("document.documentElement.scrollWidth")
        viewport_width = evaluate("window.innerWidth")
        print_rules = evaluate(
            "[...document.styleSheets].flatMap(s => [...s.cssRules])"
            ".filter(r => r.media && [...r.media].includes('print')).length"
        )
        pipe.call("Emulation.setEmulatedMedia", session, media="print")
        print_styles = evaluate(
            "(() => { const s = document.querySelector('section.figure');"
            " return s ? {'break-before': getComputedStyle(s).breakBefore} : {}; })()"
        )
        requests = [
            e["params"]["request"]["url"]
            for e in pipe.events
            if e["method"] == "Network.requestWillBeSent"
        ]
        pipe.call("Browser.close")
    finally:
        os.close(from_us)
        os.close(to_us)
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    return Rendered(text, scroll_width, viewport_width, print_rules, print_styles, requests)
