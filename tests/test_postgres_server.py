"""The PostgreSQL the store tests run on (tests/_postgres.py, .ci/postgres), and scoring.pgconnect:
a real server on 127.0.0.1, one-line errors that never show a password, a restart mid-drill."""

from __future__ import annotations

import ipaddress
import secrets
import socket

import psycopg
import pytest
from _postgres import fresh_database, restart_server

from scoring.dbfile import StoreError
from scoring.pgconnect import connect, is_postgres_url, redact


# Session-wide: the server (BREACHDRILL_TEST_POSTGRES, else one started here). Never skipped.
def _password(url: str) -> str:
    return url.split("://", 1)[1].rsplit("@", 1)[0].partition(":")[2]


def _with_password(url: str, password: str) -> str:
    return url.replace(":" + _password(url) + "@", ":" + password + "@", 1)


def _without_password(url: str) -> str:
    return url.replace(":" + _password(url) + "@", "@", 1)


def _assert_one_line(message: str, *secrets_: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message
    for secret in secrets_:
        assert secret not in message, message


# (a) a real PostgreSQL server, on 127.0.0.1


def test_the_server_is_a_real_postgresql_on_loopback(postgres_db: str) -> None:
    with connect(postgres_db, timeout=10) as conn:
        version, addr, port, fsync = conn.execute(
            "SELECT version(), inet_server_addr(), inet_server_port(), current_setting('fsync')"
        ).fetchone()
        assert version.startswith("PostgreSQL "), version
        assert ipaddress.ip_address(str(addr)) == ipaddress.ip_address("127.0.0.1")
        assert f":{port}/" in postgres_db
        assert fsync == "on"
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == "127.0.0.1"


def test_connect_leaves_autocommit_off(postgres_db: str) -> None:
    with connect(postgres_db, timeout=10) as conn:
        assert conn.autocommit is False
        conn.execute("SELECT 1")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        conn.rollback()


def test_each_test_database_is_new_and_empty(postgres_url: str, postgres_db: str) -> None:
    with connect(postgres_db, timeout=10) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        assert name.startswith("breachdrill_test_")
        tables = conn.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")
        assert tables.fetchone()[0] == 0
        conn.execute("CREATE TABLE drills (id integer)")
        conn.commit()
    with fresh_database(postgres_url) as other, connect(other, timeout=10) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] != name
        assert conn.execute("SELECT to_regclass('drills')").fetchone()[0] is None
    with connect(postgres_url, timeout=10) as conn:
        gone = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [other.rsplit("/", 1)[1]])
        assert gone.fetchone()[0] == 0


# (b) connection failures: one line, the redacted URL, what is wrong, never a password


def test_a_wrong_password_names_the_host_and_hides_both_passwords(postgres_url: str) -> None:
    wrong = "wrong-" + secrets.token_hex(8)
    with pytest.raises(StoreError) as caught:
        connect(_with_password(postgres_url, wrong), timeout=10)
    message = str(caught.value)
    _assert_one_line(message, wrong, _password(postgres_url))
    assert "127.0.0.1" in message and "***" in message
    assert "authentication failed" in message


def test_a_wrong_password_as_a_query_parameter_is_hidden_too(postgres_url: str) -> None:
    wrong = "wrong-" + secrets.token_hex(8)
    with pytest.raises(StoreError) as caught:
        connect(_without_password(postgres_url) + f"?password={wrong}", timeout=10)
    message = str(caught.value)
    _assert_one_line(message, wrong, _password(postgres_url))
    assert "password=***" in message and "authentication failed" in message


def test_no_password_is_an_authentication_failure(postgres_url: str) -> None:
    with pytest.raises(StoreError, match="authentication failed") as caught:
        connect(_without_password(postgres_url), timeout=10)
    _assert_one_line(str(caught.value), _password(postgres_url))


def test_a_missing_database_is_named(postgres_url: str) -> None:
    url = postgres_url.rsplit("/", 1)[0] + "/no_such_drills"
    with pytest.raises(StoreError, match='database "no_such_drills" does not exist') as caught:
        connect(url, timeout=10)
    _assert_one_line(str(caught.value), _password(postgres_url))
    assert str(caught.value).startswith(redact(url) + ": ")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_listening_is_not_reachable() -> None:
    password = secrets.token_hex(8)
    url = f"postgresql://drill:{password}@127.0.0.1:{_free_port()}/drills"
    with pytest.raises(StoreError, match="server not reachable") as caught:
        connect(url, timeout=5)
    _assert_one_line(str(caught.value), password)
    assert "postgresql://drill:***@127.0.0.1:" in str(caught.value)


def test_a_server_that_never_answers_times_out() -> None:
    password = secrets.token_hex(8)
    with socket.socket() as silent:  # accepts (the kernel does) but never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"postgresql://drill:{password}@127.0.0.1:{silent.getsockname()[1]}/drills"
        with pytest.raises(StoreError, match=r"server not reachable \(no answer in time\)") as caught:
            connect(url, timeout=2)
    _assert_one_line(str(caught.value), password)


def test_a_malformed_url_never_shows_the_password() -> None:
    with pytest.raises(StoreError, match="not a valid PostgreSQL URL") as caught:
        connect("postgresql://drill:s3cr%zzet@127.0.0.1:5432/drills", timeout=2)
    _assert_one_line(str(caught.value), "s3cr", "%zz")
    with pytest.raises(StoreError, match="not a PostgreSQL URL"):
        connect("sqlite:///drills.db", timeout=2)


# (c) redact


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://drill:s3cret@db.example:5432/drills", "postgresql://drill:***@db.example:5432/drills"),
        ("postgres://drill:p%40ss%2Fw@h/d", "postgres://drill:***@h/d"),
        (
            "postgresql://drill@h/d?password=s3cret&sslmode=disable",
            "postgresql://drill@h/d?password=***&sslmode=disable",
        ),
        (
            "postgresql://drill@h/d?sslmode=disable&PASSWORD=s3cret",
            "postgresql://drill@h/d?sslmode=disable&PASSWORD=***",
        ),
        ("postgresql://drill@h/d?pass%77ord=s3cret", "postgresql://drill@h/d?pass%77ord=***"),
        ("postgresql://drill:a@h/d?password=b", "postgresql://drill:***@h/d?password=***"),
        ("postgresql://drill:pa?ss@h/d", "postgresql://drill:***@h/d"),  # not percent-encoded: still hidden
        ("postgresql://drill:pa/ss@h/d?sslmode=disable", "postgresql://drill:***@h/d?sslmode=disable"),
        ("postgresql://drill:p@ss@h/d", "postgresql://drill:***@h/d"),
        ("postgresql://h1:5432,h2:5433/d?user=drill", "postgresql://h1:5432,h2:5433/d?user=drill"),
        ("postgresql:///d?host=/tmp&password=s3cret", "postgresql:///d?host=/tmp&password=***"),
        ("host=h user=drill password='s3 cret' dbname=d", "host=h user=drill password=*** dbname=d"),
    ],
)
def test_redact_hides_the_password_in_both_forms(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_is_postgres_url() -> None:
    assert is_postgres_url("postgresql://h/d") and is_postgres_url("postgres://h/d")
    assert is_postgres_url("PostgreSQL://h/d")
    assert not is_postgres_url("/var/lib/breachdrill.db") and not is_postgres_url("sqlite:///x.db")
    assert not is_postgres_url("postgresql:/h/d") and not is_postgres_url(None)


# (d) the database server restarted mid-drill


def test_a_restart_breaks_open_connections_and_a_new_connect_works(postgres_db: str) -> None:
    before = connect(postgres_db, timeout=10)
    try:
        before.execute("CREATE TABLE events (seq integer PRIMARY KEY)")
        before.execute("INSERT INTO events VALUES (0), (1)")
        before.commit()
        before.execute("INSERT INTO events VALUES (2)")  # left uncommitted: lost with the server
        restart_server()
        with pytest.raises(psycopg.OperationalError):
            before.execute("SELECT count(*) FROM events")
        assert before.broken
    finally:
        before.close()
    with connect(postgres_db, timeout=10) as after:
        assert [r[0] for r in after.execute("SELECT seq FROM events ORDER BY seq")] == [0, 1]
