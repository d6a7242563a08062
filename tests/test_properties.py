"""Whatever bytes or documents arrive, the loader answers with located problems, never a crash."""

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.loader import load_scenario, load_text

LOCATED = re.compile(r"^.+:\d+:\d+: \S.*$", re.S)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _assert_located(loaded):
    assert not loaded.ok or loaded.scenario is not None
    for problem in loaded.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert LOCATED.match(str(problem)), str(problem)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_give_located_problems(tmp_path, raw):
    path = tmp_path / "random.yaml"
    path.write_bytes(raw)
    loaded = load_scenario(path)
    assert not loaded.ok
    assert loaded.problems
    _assert_located(loaded)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text_gives_located_problems(text):
    loaded = load_text("random.yaml", text)
    assert not loaded.ok
    _assert_located(loaded)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@SETTINGS
@given(json_values)
def test_random_documents_give_located_problems(value):
    loaded = load_text("doc.yaml", yaml.safe_dump(value))
    assert not loaded.ok
    _assert_located(loaded)


@SETTINGS
@given(st.data())
def test_mutated_scenario_gives_located_problems_or_loads(minimal_text, data):
    # Replace one line of a valid scenario with random text: either still valid, or located.
    lines = minimal_text.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    lines[i] = data.draw(st.text(max_size=40))
    loaded = load_text("mutated.yaml", "\n".join(lines))
    _assert_located(loaded)
