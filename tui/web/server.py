"""The web server behind `breachdrill serve`: textual-serve's, with breachdrill's page and guards.

Each browser that opens the page gets a process of its own (session.py) running the join
screen; after a code it shows what that code opens and nothing else. The server adds what a
page facing a room needs: its own page (a title the session sets, a phone's width), a
websocket only for pages it served (the Origin must be this server; on loopback the Host must
be a loopback name too, against DNS rebinding), and a limit on how fast one address opens
sessions (each session also limits wrong codes, tui/app/screens/join.py).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import shlex
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

SESSIONS_PER_MINUTE = 12  # new sessions one address may open in a minute: reloading is no way to guess codes
MAX_SESSIONS = 60  # sessions at once, each a process: a room's teams and observers, with room to spare
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
# `exec`: the session's process is the app itself, not a shell around it, so stopping it stops the app.
COMMAND = "exec " + shlex.join([sys.executable, "-m", "tui.web.session"])
STOP_WAIT = 3.0  # seconds a session is given to close when the server stops, before it is killed

log = logging.getLogger("breachdrill.serve")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SessionLimiter:
    """How many sessions each address opened in the last minute, and how many are open."""

    def __init__(self, per_minute: int = SESSIONS_PER_MINUTE, at_once: int = MAX_SESSIONS) -> None:
        self.per_minute, self.at_once = per_minute, at_once
        self.opened: dict[str, deque[float]] = defaultdict(deque)
        self.open = 0

    def refusal(self, address: str, now: float) -> str | None:
        """Why a new session from `address` is refused now, or None (and it is counted)."""
        recent = self.opened[address]
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return "too many sessions from this address in a minute: wait a minute, then reload"
        if self.open >= self.at_once:
            return "the server has as many sessions open as it takes: close one, then reload"
        recent.append(now)
        self.open += 1
        return None

    def closed(self) -> None:
        self.open -= 1


class PageSession(AppService):
    """One session's process, which may also set its page's title (a "title" meta packet the
    player app sends, tui/app/player.py); the page's script (templates/page.html) shows it."""

    async def on_meta(self, data: bytes) -> None:
        meta = json.loads(data)
        if meta.get("type") == "title":
            await self.remote_write_str(json.dumps(["title", str(meta.get("title", ""))]))
        else:
            await super().on_meta(data)


class DrillServer(Server):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(COMMAND, host=host, port=port, title="breachdrill",
                         templates_path=Path(__file__).parent / "templates")
        self.limiter = SessionLimiter()
        self.sessions: set[PageSession] = set()

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="breachdrill serve: %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to say yet: the banner waits until the address is bound (`serve`)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C or SIGTERM: every session's app is asked to quit, and killed if it will not,
        so no process is left behind holding the database."""
        import asyncio

        for service in list(self.sessions):
            try:
                await asyncio.wait_for(service.stop(), STOP_WAIT)
            except Exception:  # a session that does not stop in time (or at all) is killed below
                pass
            process = service._process
            if process is not None and process.returncode is None:
                process.kill()

    def serve(self, debug: bool = False) -> None:
        """textual-serve's loop, Ctrl+C and SIGTERM stopping it, with the banner printed once the
        address is listened on (a port in use is an OSError, before any banner)."""
        import asyncio
        import signal

        from aiohttp.web_runner import GracefulExit

        self.initialize_logging()
        loop = asyncio.new_event_loop()

        def stop() -> None:
            raise GracefulExit()

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)
        started = lambda _text: print("\n".join(banner(self.host, self.port)), flush=True)  # noqa: E731
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=started)

    async def handle_index(self, request: web.Request) -> web.Response:
        if (refused := self.foreign(request, page=True)) is not None:
            return refused
        context: dict[str, Any] = {"font_size": _font_size(request.query.get("fontsize"))}
        response = aiohttp_jinja2.render_template("page.html", request, context)
        response.headers["X-Frame-Options"] = "DENY"  # no other site frames the page to catch its keys
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if (refused := self.foreign(request)) is not None:
            return refused
        address = request.remote or "?"
        if (why := self.limiter.refusal(address, time.monotonic())) is not None:
            log.warning("%s: refused a session: %s", address, why)
            return web.Response(status=429, text=why)
        try:
            return await self._session(request)
        finally:
            self.limiter.closed()

    def foreign(self, request: web.Request, page: bool = False) -> web.Response | None:
        """A 403 for a request this server's own page did not make: another site's script
        (its Origin), or, on loopback, a name that is not a loopback one (DNS rebinding)."""
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        if is_loopback(self.host) and not is_loopback(host):
            return web.Response(status=403, text="this server answers only to 127.0.0.1 and localhost")
        origin = request.headers.get("Origin")
        if not page and (origin is None or urlsplit(origin).netloc != request.host):
            return web.Response(status=403, text="the session must come from this server's own page")
        return None

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        service = PageSession(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                              close=websocket.close, download_manager=self.download_manager)
        self.sessions.add(service)
        try:
            await service.start(_size(request.query.get("width"), 80), _size(request.query.get("height"), 24))
            await self._process_messages(websocket, service)
        except Exception as error:  # a broken socket or a process that would not start: this session only
            log.warning("a session ended on an error: %s", error)
        finally:
            self.sessions.discard(service)
            await service.stop()
        return websocket


def banner(host: str, port: int) -> list[str]:
    shown = f"[{host}]" if ":" in host else host
    lines = [f"breachdrill serve: players and observers open http://{shown}:{port}/ and type their code",
             "Ctrl+C stops the server (drills stay in the database)."]
    if not is_loopback(host):
        import socket

        lines.insert(0, f"breachdrill serve: warning: listening on {host}: anyone who can reach this machine "
                        f"on port {port} can open the join page (the codes are the only lock); "
                        f"others on the network use http://{socket.gethostname()}:{port}/")
    return lines


def _size(text: str | None, default: int) -> int:
    try:
        return min(max(int(text or default), 20), 500)
    except ValueError:
        return default


def _font_size(text: str | None) -> int | None:
    """?fontsize=N, if the page's user asked for one; else the page picks one for its width."""
    try:
        return min(max(int(text), 8), 40) if text else None
    except ValueError:
        return None


def serve(host: str, port: int) -> None:
    """Serve until Ctrl+C; OSError when the address cannot be listened on (the caller says so)."""
    DrillServer(host, port).serve()
