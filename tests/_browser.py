"""A real browser on `breachdrill serve`: Debian's Chromium driven by Playwright, and the page's
screen read back as text.

textual-serve's page draws the app on a canvas (xterm.js), so there is no text in the DOM to
read. The page's own bytes are: an init script keeps every binary websocket message and every
size the page sends, and `screen()` replays them, in order, through pyte (a VT100 emulator), to
the rows the browser shows now. Screenshots go to `$BREACHDRILL_TEST_ARTIFACTS` (else the test's
tmp folder) when a test fails: `Browser.shoot` on the way out of each page.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pyte

CHROMIUM = os.environ.get("BREACHDRILL_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out (this machine refuses it).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Keys at a fast typist's pace, not all in one instant: a person never sends eleven keys in a
# microsecond, and a burst that fast once lost keys on a loaded CI machine.
KEY_GAP_MS = 25

_RECORDER = """
(() => {
  window.__screen = [];  // ["size", cols, rows] and ["data", base64] in the order they happened
  const Socket = window.WebSocket;
  const Recorded = function (url, protocols) {
    const socket = new Socket(url, protocols);
    const asked = /width=(\\d+)&height=(\\d+)/.exec(url);
    if (asked) __screen.push(["size", +asked[1], +asked[2]]);
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      try {
        const [kind, size] = JSON.parse(data);
        if (kind === "resize") __screen.push(["size", size.width, size.height]);
      } catch (error) {}
      return send(data);
    };
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      let text = ""; for (const byte of new Uint8Array(event.data)) text += String.fromCharCode(byte);
      __screen.push(["data", btoa(text)]);
    });
    return socket;
  };
  Recorded.prototype = Socket.prototype;
  window.WebSocket = Recorded;  // the page's own script wraps this one in turn
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(db: Path, *args: str, env: dict | None = None):
    """`breachdrill serve --db DB` in a subprocess, yielded once it answers: (url, process)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--db", str(db), "--port", str(port),
                                *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"breachdrill serve never answered: {process.communicate()}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class Page:
    """One browser tab on the served app: keys in, the screen out as text."""

    def __init__(self, page) -> None:
        self.page = page

    def screen(self) -> str:
        events = self.page.evaluate("() => window.__screen")
        display = pyte.Screen(80, 24)
        stream = pyte.ByteStream(display)
        for event in events:
            if event[0] == "size":
                display.resize(event[2], event[1])
            else:
                stream.feed(base64.b64decode(event[1]))
        return "\n".join(line.rstrip() for line in display.display)

    def _until(self, done, failure: str, timeout: float) -> str:
        """The screen once `done(screen)` holds, polled; AssertionError with `failure` and the
        screen as it last was after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if done(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{failure}; it showed:\n{shown}")
            time.sleep(0.2)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        return self._until(lambda shown: text in shown, f"{text!r} never appeared in the browser", timeout)

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        return self._until(lambda shown: text not in shown, f"{text!r} stayed in the browser", timeout)

    def type(self, text: str) -> None:
        self.page.locator(".xterm-helper-textarea").focus()
        self.page.keyboard.type(text, delay=KEY_GAP_MS)

    def press(self, *keys: str) -> None:
        self.page.locator(".xterm-helper-textarea").focus()
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(KEY_GAP_MS)

    @property
    def title(self) -> str:
        return self.page.title()


class Browser:
    """Chromium for one test; `open` gives a Page, with a screenshot kept if the test fails."""

    def __init__(self, artifacts: Path) -> None:
        from playwright.sync_api import sync_playwright

        self.artifacts = artifacts
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.pages: list[tuple[str, Page]] = []

    def open(self, url: str, name: str, width: int = 1280, height: int = 800) -> Page:
        context = self._browser.new_context(viewport={"width": width, "height": height})
        context.add_init_script(_RECORDER)
        page = Page(context.new_page())
        page.page.goto(url)
        self.pages.append((name, page))
        return page

    def shoot(self) -> list[Path]:
        """A screenshot of every open page, for a failed test."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        shots = []
        for name, page in self.pages:
            path = self.artifacts / f"{name}.png"
            page.page.screenshot(path=str(path))
            (self.artifacts / f"{name}.txt").write_text(page.screen())
            shots.append(path)
        return shots

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()
