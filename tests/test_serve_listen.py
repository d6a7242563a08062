"""`breachdrill serve` as a network service: where it listens, what it says, whom it answers.

The real command in a subprocess; what it listens on is read from the kernel (/proc/net/tcp and
tcp6, the sockets in LISTEN state on its port), not from its own words."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from _browser import free_port, served
from helpers import run_cli

from scoring.store import Store


def _listening(port: int) -> set[str]:
    """The local addresses with a socket listening on `port`, as the kernel lists them."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = open(table).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                if width == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:  # four little-endian words
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def _db(tmp_path):
    path = tmp_path / "drills.db"
    Store(path).close()
    return path


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _upgrade(url: str, origin: str | None) -> tuple[int, str]:
    """A websocket handshake on /ws, as a browser's script would open it (with its Origin)."""
    import http.client

    host = url.split("//")[1].rstrip("/")
    connection = http.client.HTTPConnection(host, timeout=10)
    headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    if origin is not None:
        headers["Origin"] = origin
    connection.request("GET", "/ws", headers=headers)
    response = connection.getresponse()
    body = response.read().decode() if response.status != 101 else ""
    connection.close()
    return response.status, body


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent, the route picks the address
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_it_listens_on_loopback_only_unless_told_otherwise(tmp_path):
    db = _db(tmp_path)
    with served(db) as (url, process):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert _listening(port) == {"127.0.0.1"}
        status, page = _get(url)
        assert status == 200 and "<title>Join a drill · breachdrill</title>" in page
        other = _other_address()
        if other is not None:  # from another interface the port is closed
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((other, port)) != 0
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert "warning" not in out + err
    assert f"http://127.0.0.1:{port}/" in out


def test_every_interface_only_when_asked_and_then_a_warning(tmp_path):
    db = _db(tmp_path)
    with served(db, "--host", "0.0.0.0") as (url, process):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert _listening(port) == {"0.0.0.0"}
        process.terminate()
        out, _ = process.communicate(timeout=10)
    warning = out.splitlines()[0]
    assert warning.startswith("breachdrill serve: warning: listening on 0.0.0.0: anyone who can reach this machine")
    assert "the codes are the only lock" in warning


def test_it_answers_only_its_own_page(tmp_path):
    db = _db(tmp_path)
    with served(db) as (url, _):
        # DNS rebinding: a page of another site whose name now points here
        status, body = _get(url, {"Host": "attacker.example"})
        assert status == 403 and "only to 127.0.0.1 and localhost" in body
        # another site's script opening a session on this server (cross-site websocket)
        status, body = _upgrade(url, "http://attacker.example")
        assert status == 403 and "this server's own page" in body
        assert _upgrade(url, None)[0] == 403  # no Origin: not a browser on our page
        assert _upgrade(url, url.rstrip("/"))[0] == 101


def test_bad_flags_and_a_busy_port_are_one_line(tmp_path):
    db = _db(tmp_path)
    for flags, said in ((["--port", "0"], "--port: 0 is not a port (1 to 65535)"),
                        (["--port", "http"], "--port: expected a port number, got 'http'")):
        result = run_cli("serve", "--db", str(db), *flags)
        assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("serve", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("no drills database here: serve the one the console uses "
                                           "(--db PATH|URL, or BREACHDRILL_DB)")
    assert not (tmp_path / "none.db").exists()
    with socket.socket() as taken:
        port = free_port()
        taken.bind(("127.0.0.1", port))
        taken.listen()
        busy = run_cli("serve", "--db", str(db), "--port", str(port), timeout=30)
    assert busy.returncode == 2 and "Traceback" not in busy.stderr
    assert busy.stderr.strip().splitlines() == [
        f"breachdrill: error: --port {port}: port {port} on 127.0.0.1 is in use (another server?)"]
