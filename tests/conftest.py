import atexit
import os
import shutil
import tempfile

import pytest
from helpers import FIXTURES

# The library's row cache (scenarios/catalog.py) goes to the user cache folder: for every test and
# every process a test starts, one of this run's own, never the developer's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="breachdrill-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "minimal.yaml").read_text()
