"""A PostgreSQL database named by URL: recognising one, showing it without its password, and
connecting to it with every failure as one StoreError line.

    is_postgres_url(text)      postgresql://… or postgres://…
    redact(url)                the URL with its password (in the user info or as ?password=) as ***
    scrub(text, url)           any text (a driver's message) with that URL's password hidden the same way
    connect(url, timeout=…)    a psycopg 3 connection, autocommit off; StoreError naming the redacted
                               URL and what is wrong (not reachable, authentication, no such database),
                               ServerUnavailable (a StoreError) when trying again shortly may work

psycopg is imported on the first connect only: a SQLite user never loads it. No message made
here ever holds the password: libpq's own text is only used with every form of it scrubbed out.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from scoring.dbfile import StoreError

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
MASK = "***"
DEFAULT_TIMEOUT = 10.0  # seconds; libpq (through psycopg) waits at least 2


class ServerUnavailable(StoreError):
    """The server cannot be reached or is not accepting connections now (down, restarting, full):
    trying again shortly may work, unlike a wrong password. `reason` is the message without the URL."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# The reasons (of _reason) that a server coming back would cure.
_TRANSIENT = ("server not reachable", "server not ready", "server refused the connection (too many")


def is_postgres_url(text: object) -> bool:
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


def _split(url: str) -> tuple[str, str | None, str, str, str]:
    """scheme://, the user info (None when there is no '@'), then hosts and path, the query (after
    '?') and the fragment (from '#') of the rest. The user info ends at the last '@' before the
    first '/' (libpq stops it at the first: hiding to the last hides more, never less); failing
    that, at the last '@' before the first '?', for a password with a '/' in it."""
    scheme_end = url.index("://") + 3
    scheme, rest = url[:scheme_end], url[scheme_end:]
    at = rest.rfind("@", 0, _find(rest, "/"))
    if at < 0:
        at = rest.rfind("@", 0, _find(rest, "?"))
    userinfo, rest = (rest[:at], rest[at + 1 :]) if at >= 0 else (None, rest)
    rest, hash_, fragment = rest.partition("#")
    head, _, query = rest.partition("?")
    return scheme, userinfo, head, query, hash_ + fragment


def _find(text: str, char: str) -> int:
    pos = text.find(char)
    return len(text) if pos < 0 else pos


def _is_password_key(key: str) -> bool:
    return unquote(key).strip().lower() == "password"


def _redact_query(query: str) -> str:
    parts = []
    for part in query.split("&"):
        key, eq, _value = part.partition("=")
        parts.append(f"{key}={MASK}" if eq and _is_password_key(key) else part)
    return "&".join(parts)


_KEYWORD_PASSWORD = re.compile(r"""(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)""", re.IGNORECASE)


def redact(url: str) -> str:
    """The URL as it can be shown: the password in `user:password@` and any `password=` query
    parameter replaced by ***. A keyword/value string ("host=… password=…") has its password
    hidden too."""
    if "://" not in url:
        return _KEYWORD_PASSWORD.sub(lambda m: m.group(1) + MASK, url)
    scheme, userinfo, head, query, fragment = _split(url)
    if userinfo is not None:
        user, colon, _password = userinfo.partition(":")
        head = (f"{user}:{MASK}" if colon else user) + "@" + head
    return scheme + head + ("?" + _redact_query(query) if query else "") + fragment


def _passwords(url: str) -> list[str]:
    """Every form in which the URL's password could show up in a message, longest first."""
    found: list[str] = []
    if "://" in url:
        _, userinfo, _, query, _ = _split(url)
        if userinfo is not None and ":" in userinfo:
            found.append(userinfo.partition(":")[2])
        for part in query.split("&"):
            key, eq, value = part.partition("=")
            if eq and _is_password_key(key):
                found.append(value)
    else:
        found += [m.group(2).strip("'") for m in _KEYWORD_PASSWORD.finditer(url)]
    forms = {f for p in found for f in (p, unquote(p)) if f}
    return sorted(forms, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """The text with every form of the URL's password in it replaced by ***."""
    return _scrub(text, url)


def _scrub(text: str, url: str) -> str:
    for secret in _passwords(url):
        text = text.replace(secret, MASK)
    return text


_LIBPQ_PREFIX = re.compile(r"^(connection failed: )?(connection to server (at|on) .*? failed: )?(FATAL: +)?")


def _reason(exc: BaseException, url: str) -> str:
    """What is wrong, in a few words, from psycopg's (libpq's) message for a failed connection."""
    text = " ".join(str(exc).split())
    low = text.lower()
    user = re.search(r'(?:for user|role) "([^"]*)"', text)
    who = f' for user "{user.group(1)}"' if user else ""
    if "password authentication failed" in low or "authentication failed" in low:
        return f"authentication failed{who} (wrong user name or password)"
    if "no password supplied" in low:
        return "authentication failed (the server asks for a password and the URL gives none)"
    if re.search(r'role "[^"]*" does not exist', low):
        return f"authentication failed{who} (no such role on the server)"
    database = re.search(r'database "([^"]*)" does not exist', text)
    if database:
        return f'database "{database.group(1)}" does not exist on the server'
    if "connection refused" in low:
        return "server not reachable (connection refused: is PostgreSQL running and listening there?)"
    if "timeout expired" in low or "timed out" in low:
        return "server not reachable (no answer in time)"
    if "failed to resolve host" in low or "could not translate host name" in low:
        return "server not reachable (host name not found)"
    if "no route to host" in low or "network is unreachable" in low:
        return "server not reachable (no route to the host)"
    if "no such file or directory" in low and "socket" in low:
        return "server not reachable (no server socket there)"
    if "server closed the connection unexpectedly" in low or "connection reset" in low or "eof detected" in low:
        # a server ending (or a proxy before one that is down) took the connection and closed it
        return "server not reachable (it closed the connection as it opened)"
    if "starting up" in low or "shutting down" in low or "in recovery mode" in low:
        return "server not ready (it is starting up or shutting down; try again)"
    if "too many connections" in low or "remaining connection slots" in low:
        return "server refused the connection (too many connections)"
    if "no pg_hba.conf entry" in low:
        return "server refused the connection (its pg_hba.conf allows no such connection)"
    return "cannot connect (" + _scrub(_LIBPQ_PREFIX.sub("", _first_line(exc)), url) + ")"


def connect(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> psycopg.Connection:
    """A connection to the database the URL names, in a transaction until committed (autocommit
    off). StoreError, one line naming the redacted URL, for whatever keeps it from connecting."""
    shown = redact(url)
    if not is_postgres_url(url):
        raise StoreError(f"{shown}: not a PostgreSQL URL (postgresql://user:password@host:port/database)")
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(f"{shown}: cannot connect: psycopg is not installed ({exc.name or 'psycopg'})") from None
    try:
        # libpq takes whole seconds; psycopg makes anything under 2 into 2.
        conn = psycopg.connect(url, autocommit=False, connect_timeout=max(1, math.ceil(timeout)))
    except psycopg.ProgrammingError as exc:  # the URL itself: libpq could not parse it
        raise StoreError(f"{shown}: not a valid PostgreSQL URL ({_scrub(_first_line(exc), url)})") from None
    except psycopg.Error as exc:
        reason = _reason(exc, url)
        if reason.startswith(_TRANSIENT):
            raise ServerUnavailable(f"{shown}: {reason}", reason) from None
        raise StoreError(f"{shown}: {reason}") from None
    except OSError as exc:
        reason = f"cannot connect ({_scrub(_first_line(exc), url)})"
        raise ServerUnavailable(f"{shown}: {reason}", reason) from None
    except ValueError as exc:
        raise StoreError(f"{shown}: cannot connect ({_scrub(_first_line(exc), url)})") from None
    return conn


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__
