"""Every validation rule: a broken file yields exactly one located line, and never a traceback."""

import re

import pytest
from helpers import FIXTURES, run_cli

from scenarios.loader import load_scenario, load_text, playbook_problems
from scenarios.yamlsource import MAX_BYTES

BROKEN = FIXTURES / "broken"

# file -> (line, col, what the message must say)
EXPECTED = {
    "alias.yaml": (8, 13, "anchors and aliases are not supported"),
    "binary.yaml": (3, 1, "binary content"),
    "contradicts-facts.yaml": (32, 32, "step 'coordinate-notice-with-police' applies only when criminal activity"),
    "cycle.yaml": (69, 11, "'lock' leads back to 'found'"),
    "duplicate-id.yaml": (53, 9, "duplicate inject id 'cover-up'"),
    "duplicate-key.yaml": (56, 5, "duplicate key 'title'"),
    "empty.yaml": (1, 1, "file is empty"),
    "missing-field.yaml": (17, 5, "missing field 'question'"),
    "not-a-mapping.yaml": (1, 1, "expected a mapping of scenario fields"),
    "not-utf8.yaml": (1, 8, "not UTF-8"),
    "syntax.yaml": (28, 4, "YAML syntax"),
    "unknown-contact.yaml": (33, 20, "unknown contact 'it-department'"),
    "unknown-field.yaml": (29, 5, "unknown field 'colour'"),
    "unknown-harm.yaml": (37, 17, "unknown harm 'shred-logs'"),
    "unknown-inject.yaml": (38, 15, "unknown inject 'coverup'; did you mean 'cover-up'?"),
    "unknown-placeholder.yaml": (24, 62, "unknown placeholder '{{server}}'"),
    "unknown-playbook.yaml": (5, 15, "unknown jurisdiction 'kansas-city'"),
    "unknown-step.yaml": (
        65, 17, "unknown step 'isolate-system' in playbook 'east-independence'; did you mean 'isolate'?"
    ),
    "unreachable.yaml": (39, 9, "inject 'cover-up' is never reached"),
    "wrong-type.yaml": (54, 9, "at: Input should be a valid integer"),
}


def test_fixture_set_matches_the_table():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


def test_minimal_fixture_is_valid():
    loaded = load_scenario(FIXTURES / "minimal.yaml")
    assert loaded.ok, loaded.problems


def test_built_in_playbooks_are_valid():
    assert playbook_problems() == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_one_located_problem(name):
    line, col, words = EXPECTED[name]
    loaded = load_scenario(BROKEN / name)
    assert not loaded.ok
    assert [(p.line, p.col) for p in loaded.problems] == [(line, col)], loaded.problems
    assert words in loaded.problems[0].message


def test_validate_command_lists_one_line_per_problem_and_fails():
    result = run_cli("scenarios", "validate", str(BROKEN))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED)
    for line in lines:
        assert re.match(r"^.+\.yaml:\d+:\d+: \S", line), line
    for name, (row, col, words) in EXPECTED.items():
        assert any(line.startswith(f"{BROKEN / name}:{row}:{col}: ") and words in line for line in lines), name


def test_huge_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text("# padding\n" * (MAX_BYTES // 10 + 10))
    loaded = load_scenario(big)
    assert [str(p) for p in loaded.problems] == [
        f"{big}:1:1: file is {big.stat().st_size:,} bytes; scenario files are limited to {MAX_BYTES:,}"
    ]


def _only_problem(text: str) -> str:
    loaded = load_text("t.yaml", text)
    assert len(loaded.problems) == 1, loaded.problems
    return str(loaded.problems[0])


def test_duplicate_option_id(minimal_text):
    text = minimal_text.replace("      - id: b\n        text: Delete", "      - id: a\n        text: Delete")
    assert "duplicate option id 'a' in inject 'found'" in _only_problem(text)


def test_order_inject_needs_a_complete_key(minimal_text):
    assert "key must list every option id of 'lock'" in _only_problem(minimal_text.replace("key: [a, b]", "key: [a]"))
    assert "needs a key" in _only_problem(minimal_text.replace("    key: [a, b]\n", ""))


def test_inject_clock_runs_forward_along_paths(minimal_text):
    problem = _only_problem(minimal_text.replace("at: 20", "at: 5"))
    assert problem.startswith("t.yaml:54:9:") and "is at 5 min but follows 'cover-up' at 10 min" in problem


def test_every_path_must_offer_each_required_contact(minimal_text):
    # With criminal activity suspected the police must be reachable; no option offers them.
    problem = _only_problem(
        minimal_text.replace("criminal_activity_suspected: false", "criminal_activity_suspected: true")
    )
    assert "the facts require reaching 'police' (criminal activity is suspected)" in problem
    assert "found -> lock never offers it" in problem


def test_facts_that_contradict_each_other(minimal_text):
    problem = _only_problem(
        minimal_text.replace(
            "  vendor_involved: false\n", "  vendor_involved: false\n  encryption_key_compromised: true\n"
        )
    )
    assert "encryption_key_compromised is true but data_encrypted is false" in problem


def test_keywords_belong_to_free_injects(minimal_text):
    text = minimal_text.replace("        steps: [isolate]\n", "        steps: [isolate]\n        keywords: [isolate]\n")
    assert "keywords are only for free injects" in _only_problem(text)


def test_unknown_field_and_bad_reference_reported_together(minimal_text):
    text = (
        minimal_text.replace("    limit: 120\n", "    limit: 120\n    colour: red\n")
        .replace("steps: [isolate]", "steps: [isolat]")
    )
    messages = [p.message for p in load_text("t.yaml", text).problems]
    assert len(messages) == 2
    assert "unknown field 'colour'; did you mean 'kind'?" not in messages  # a hint only when it is close
    assert any("unknown field 'colour'" in m for m in messages)
    assert any("unknown step 'isolat'" in m for m in messages)


def test_unsafe_yaml_tags_are_refused(minimal_text):
    problem = _only_problem(
        minimal_text.replace("title: Shared folder open to everyone", "title: !!python/object:os.system ls")
    )
    assert "unsupported YAML value" in problem


def test_validate_reports_missing_path_as_one_line(tmp_path):
    result = run_cli("scenarios", "validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"breachdrill: error: {tmp_path / 'nope.yaml'}: no such file or directory"


def test_harmful_option_in_multi_inject_earns_nothing(minimal_text):
    text = minimal_text.replace("kind: order\n    key: [a, b]", "kind: multi").replace(
        "        steps: [isolate]\n", "        steps: [isolate]\n        harms: [power-down-first]\n")
    assert "in a multi inject an option with a harm must not also perform steps" in _only_problem(text)


def test_notes_naming_an_option_by_its_id_are_warned_at_the_id(tmp_path, minimal_text):
    # A drill numbers options in its own shuffled order (the app, the handout), so "option b" in a
    # facilitator's note or a debrief points the room at the wrong option.
    text = minimal_text.replace(
        "        next: cover-up\n    next: lock\n",
        "        next: cover-up\n    next: lock\n    notes: >-\n      Expected response: tell City IT.\n"
        "      Option b branches to cover-up; options a and b both\n      mention the folder.\n",
    )
    path = tmp_path / "named.yaml"
    path.write_text(text)
    line = text.splitlines().index("      Option b branches to cover-up; options a and b both") + 1
    result = run_cli("scenarios", "validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{path}:{line}:14: warning: names option 'b' by its id, which nobody in the room sees: a drill "
        "numbers the options in its own order, so say what the option does instead",
        f"{path}:{line}:46: warning: names options 'a' and 'b' by their ids, which nobody in the room sees: "
        "a drill numbers the options in its own order, so say what the option does instead",
    ]
    # What the option does, in words, is the fix: no warning.
    path.write_text(text.replace("Option b branches", "Deleting the log branches").replace(
        "options a and b both", "both options"))
    assert run_cli("scenarios", "validate", str(path)).stdout == ""


def test_a_placeholder_in_the_title_is_warned_at_the_placeholder(tmp_path, minimal_text):
    # The library, Review and the exports list titles as written; a drill's report fills them in:
    # "{{date}}" in one place and a date in the other.
    path = tmp_path / "titled.yaml"
    path.write_text(minimal_text.replace("title: Shared folder open to everyone",
                                         "title: Shared folder open on {{date}}"))
    line = path.read_text().splitlines().index("title: Shared folder open on {{date}}") + 1
    result = run_cli("scenarios", "validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{path}:{line}:30: warning: the title holds the placeholder '{{{{date}}}}': the library, Review and "
        "the exports show a title as written, and only a drill's own screens and report fill it in; name the "
        "scenario in plain words"
    ]
