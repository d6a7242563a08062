import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from _postgres import failing_clearly, fresh_database, session_server
from helpers import FIXTURES

from scoring.store import open_store

# The library's row cache (scenarios/catalog.py) goes to the user cache folder: for every test and
# every process a test starts, one of this run's own, never the developer's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="breachdrill-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)
# An xdist worker is started with COLUMNS=80 and LINES=24 in its environment. A program a test
# runs in a terminal of another size (tmux) must size itself from that terminal, as a user's does.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "minimal.yaml").read_text()


# A real PostgreSQL server for the whole session (BREACHDRILL_TEST_POSTGRES, else one started here by
# .ci/postgres): never skipped; a missing server fails the test with one line saying why.
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with failing_clearly(), session_server() as server:
        yield server.url


# One test's own empty database on that server, dropped after it.
@pytest.fixture
def postgres_db(postgres_url: str) -> Iterator[str]:
    with failing_clearly(), fresh_database(postgres_url) as url:
        yield url


# The store's tests on both backends: `db` is a new SQLite file's path or a new PostgreSQL
# database's URL (each test's own), `open_db(db)` the factory every front end opens a store with.
@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator:
    if request.param == "sqlite":
        yield tmp_path / "d.db"
    else:
        yield request.getfixturevalue("postgres_db")


@pytest.fixture
def open_db():
    return open_store


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the group into each test's id
def pytest_collection_modifyitems(items) -> None:
    """The run is spread over processes (`-n`, pyproject's addopts): every test on the PostgreSQL
    server goes to one of them, in turn, because some restart that server under whatever is
    connected to it."""
    for item in items:
        spec = getattr(item, "callspec", None)
        if "postgres_url" in item.fixturenames or (spec is not None and "postgresql" in spec.params.values()):
            item.add_marker(pytest.mark.xdist_group("postgres"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report kept on the test, so a fixture can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path) -> Iterator:
    """Debian's Chromium under Playwright (tests/_browser.py). When the test fails, every page it
    opened is saved as a screenshot and as the text it showed, in $BREACHDRILL_TEST_ARTIFACTS
    (CI keeps them) or else the test's tmp folder, and the paths are printed."""
    from _browser import Browser

    root = os.environ.get("BREACHDRILL_TEST_ARTIFACTS")
    artifacts = (Path(root) / request.node.name) if root else tmp_path / "screenshots"
    opened = Browser(artifacts)
    try:
        yield opened
    finally:
        failed = getattr(request.node, "report_call", None)
        if failed is not None and failed.failed:
            for shot in opened.shoot():
                print(f"screenshot: {shot}")
        opened.close()
