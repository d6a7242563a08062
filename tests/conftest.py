import pytest
from helpers import FIXTURES


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "minimal.yaml").read_text()
