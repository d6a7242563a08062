"""A tmux server of the test's own (never the user's), and waiting for text on a pane."""

from __future__ import annotations

import subprocess
import time
import uuid


class Tmux:
    def __init__(self, name: str) -> None:
        self.socket = f"breachdrill-{name}-{uuid.uuid4().hex[:8]}"

    def __call__(self, *args: str, env: dict | None = None) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True,
                              env=env).stdout

    def wait_for(self, session: str, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self("capture-pane", "-p", "-t", session)
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def kill_server(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
