"""Generated scenarios (issue 6): valid, playable, faithful to the key, reproducible and varied."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest
import yaml
from _drill_fixtures import as_answers, play
from helpers import ROOT, run_cli

from scenarios.generate import (
    DIFFICULTIES,
    VIOLATIONS,
    GenerationError,
    generate,
    generate_scenario,
    scenario_data,
)
from scenarios.generate.clock import resolve_tokens
from scenarios.guide import answers, guide_answer
from scenarios.guide import value as option_value
from scenarios.loader import load_text
from scoring.score import score

JURISDICTIONS = ("east-independence", "st-louis")
CASES = [(v, j) for v in VIOLATIONS for j in JURISDICTIONS]
SEEDS = range(40)


def load(violation, jurisdiction, seed, difficulty="intermediate"):
    loaded = load_text(f"gen-{seed}.yaml", generate(violation, jurisdiction, seed, difficulty))
    assert loaded.problems == [], [str(p) for p in loaded.problems[:5]]
    return loaded.scenario, loaded.key


def card(scenario, key, harmful=False):
    return score(scenario, key, play(scenario, as_answers(scenario, answers(scenario, key, harmful=harmful))))["blue"]


def expected_contacts(facts, jurisdiction) -> set[str]:
    """What the guides require for these facts, written out independently of the playbooks."""
    # RSMo 407.1500: no notice for encrypted data whose key was not taken, nor where identity theft
    # or fraud is not reasonably likely, so determined in writing.
    notice = (facts.resident_personal_data and not (facts.data_encrypted and not facts.encryption_key_compromised)
              and not facts.fraud_unlikely_documented)
    needed = {"city-it"} if jurisdiction == "east-independence" else {"city-it", "department-head"}
    # East Independence: the police when criminal activity is suspected; St. Louis: on a referral.
    if facts.criminal_activity_suspected if jurisdiction == "east-independence" else facts.law_enforcement_referral:
        needed.add("police")
    if facts.vendor_involved and jurisdiction == "st-louis":
        needed.add("contract-contact")
    if notice and facts.residents_affected > 1000:
        needed |= {"attorney-general", "consumer-reporting-agencies"}
    return needed


def reachable(scenario) -> set[str]:
    by_id = {i.id: i for i in scenario.injects}
    seen, todo = set(), [scenario.start]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        inject = by_id[node]
        todo += [t for t in {inject.next, *(o.next for o in inject.options)} if t]
    return seen


def branch_points(scenario) -> list[str]:
    """Single injects where an option leads elsewhere and that path rejoins the inject's `next`."""
    by_id = {i.id: i for i in scenario.injects}
    points = []
    for inject in scenario.injects:
        if inject.kind != "single":
            continue
        for option in inject.options:
            if option.next and option.next != inject.next and by_id[option.next].next == inject.next:
                points.append(inject.id)
                break
    return points


# --- every violation and city, many seeds --------------------------------------------------------


@pytest.mark.parametrize(("violation", "jurisdiction"), CASES)
def test_generated_scenarios_validate_play_and_score_as_the_guide_says(violation, jurisdiction):
    for seed in SEEDS:
        difficulty = DIFFICULTIES[seed % len(DIFFICULTIES)]
        scenario, key = load(violation, jurisdiction, seed, difficulty)
        where = f"{violation}/{jurisdiction}/seed {seed}/{difficulty}"
        assert scenario.id == f"gen-{violation}-{jurisdiction}-{seed}-{difficulty}"
        assert (scenario.violation, scenario.jurisdiction, scenario.difficulty) == (violation, jurisdiction, difficulty)
        assert len(scenario.injects) >= 8, where
        assert reachable(scenario) == {i.id for i in scenario.injects}, where
        assert {i.kind for i in scenario.injects} == {"single", "multi", "order", "free"}, where
        assert len(branch_points(scenario)) >= 2, where
        by_id = {i.id: i for i in scenario.injects}
        for inject in scenario.injects:
            for target in {inject.next, *(o.next for o in inject.options)} - {None}:
                assert by_id[target].at >= inject.at, f"{where}: clock runs back at {inject.id}"
            if inject.kind == "single":
                assert any(o.harms for o in inject.options), f"{where}: {inject.id} has no harmful option"
                best = guide_answer(inject, key)[0]
                top = option_value(next(o for o in inject.options if o.id == best), key)
                assert all(option_value(o, key) < top for o in inject.options if o.id != best), (
                    f"{where}: {inject.id} tie"
                )
            if inject.kind in ("multi", "free"):
                assert all(not (o.steps or o.notifies) for o in inject.options if o.harms), where

        good, bad = card(scenario, key), card(scenario, key, harmful=True)
        assert good.overall >= 90, (where, [f.message for f in good.findings if f.effect != "gained"])
        assert good.dimensions.get("sequence", 100) == 100, where  # order constraints honoured
        assert bad.overall <= 30, (where, bad.overall)

        required = set(key.required_contacts)
        assert required == expected_contacts(scenario.facts, jurisdiction), where
        reached = {f.subject for f in good.findings if f.dimension == "escalation" and f.effect == "gained"}
        # A contact the guide permits without requiring (St. Louis's Attorney General's consumer
        # protection division when the city does not respond) is credited by name, never required.
        assert reached - key.permitted_contacts == required, where
        assert reached & key.permitted_contacts <= {"ag-consumer-protection"}, where
        assert not [f for f in good.findings if f.message.startswith("Needless")], where


def test_the_facts_drawn_cover_every_complication():
    seen = Counter()
    for violation, jurisdiction in CASES:
        for seed in range(60):
            facts = generate_scenario(violation, jurisdiction, seed).facts
            seen["criminal" if facts.criminal_activity_suspected else "no crime"] += 1
            seen["vendor" if facts.vendor_involved else "no vendor"] += 1
            seen["no personal data" if not facts.resident_personal_data else
                 "over 1,000" if facts.residents_affected > 1000 else "1,000 or fewer"] += 1
            seen["encrypted, key safe" if facts.data_encrypted and not facts.encryption_key_compromised else
                 "encrypted, key taken" if facts.encryption_key_compromised else "not encrypted"] += 1
            seen["pressure" if facts.service_pressure else "no pressure"] += 1
            seen["inquiry" if facts.media_inquiry else "no inquiry"] += 1
    assert all(seen[k] for k in (
        "criminal", "no crime", "vendor", "no vendor", "no personal data", "over 1,000", "1,000 or fewer",
        "encrypted, key safe", "encrypted, key taken", "not encrypted",
        "pressure", "no pressure", "inquiry", "no inquiry",
    )), seen


# --- reproducible, and varied --------------------------------------------------------------------


def test_the_same_seed_gives_the_same_bytes_in_any_process():
    args = ("unsecured-pii", "st-louis", 12345, "advanced")
    first = generate(*args)
    assert generate(*args) == first
    code = (
        "import sys; from scenarios.generate import generate; "
        "sys.stdout.write(generate('unsecured-pii', 'st-louis', 12345, 'advanced'))"
    )
    for hashseed in ("1", "2"):  # set or dict order must never leak into the file
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, "PYTHONHASHSEED": hashseed}, check=True).stdout
        assert out == first
    assert generate("unsecured-pii", "st-louis", 12346, "advanced") != first


def signature(data: dict) -> tuple:
    """The structure of a scenario: its injects' topics and kinds in order (ids without numbers)."""
    return tuple((re.sub(r"^[ic]\d+-", "", i["id"]), i["kind"]) for i in data["injects"])


@pytest.mark.parametrize("difficulty", ["introductory", "intermediate"])
@pytest.mark.parametrize(("violation", "jurisdiction"), CASES)
def test_at_least_fifty_distinct_structures_per_violation_and_city(violation, jurisdiction, difficulty):
    # Introductory drills have no red herrings, so their variety is the plan's alone.
    distinct = set()
    for seed in range(1000):
        distinct.add(signature(scenario_data(violation, jurisdiction, seed, difficulty)))
        if len(distinct) >= 50:
            break
    assert len(distinct) >= 50


def test_difficulty_changes_what_to_notice_not_what_the_guide_asks():
    for violation, jurisdiction in CASES:
        for seed in range(5):
            runs = {d: load(violation, jurisdiction, seed, d) for d in DIFFICULTIES}
            asked = {}
            for d, (scenario, key) in runs.items():
                good = card(scenario, key)
                asked[d] = ({f.subject for f in good.findings if f.dimension in ("steps", "escalation")},
                            scenario.facts, key.required_contacts)
            assert asked["introductory"] == asked["intermediate"] == asked["advanced"], (violation, jurisdiction, seed)
            herrings = {d: sum("herring" in i.id for i in s.injects) for d, (s, _) in runs.items()}
            assert herrings == {"introductory": 0, "intermediate": 1, "advanced": 2}
            limits = {d: {i.id.split("-", 1)[1]: i.limit for i in s.injects} for d, (s, _) in runs.items()}
            common = set(limits["introductory"]) & set(limits["intermediate"]) & set(limits["advanced"])
            assert common
            for topic in common:  # the same inject, with less time the harder the drill
                assert limits["advanced"][topic] < limits["intermediate"][topic] < limits["introductory"][topic]


# --- faithful text -------------------------------------------------------------------------------


def test_text_has_only_placeholders_and_renders_fully():
    from scenarios.render import render

    for violation, jurisdiction in CASES:
        text = generate(violation, jurisdiction, 3, "advanced")
        assert "$" not in text  # no unfilled template name, and no money figure
        assert "[[" not in text  # every clock token resolved (scenarios/generate/clock.py)
        assert not re.search(r"\b\d+ (?:business )?days\b", text)  # the sources set no day counts
        rendered = render(generate_scenario(violation, jurisdiction, 3, "advanced"), seed=9)
        assert "{{" not in json.dumps(rendered.model_dump(mode="json"))


def test_every_guide_answer_cites_the_playbook():
    scenario, key = load("access-control", "st-louis", 8)
    for inject in scenario.injects:
        for option in inject.options:
            if option.id in guide_answer(inject, key):
                assert (
                    "guide" in option.debrief or "RSMo" in option.debrief
                    or "NIST" in option.debrief or "CISA" in option.debrief
                )


def test_the_app_can_call_the_generator_directly():
    text = generate("unpatched-system", "east-independence", 4)
    scenario = generate_scenario("unpatched-system", "east-independence", 4)
    assert scenario == load_text("x.yaml", text).scenario
    with pytest.raises(ValueError, match="unknown violation 'phishing'"):
        generate("phishing", "st-louis", 1)
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        generate("access-control", "kansas-city", 1)


def test_a_generator_bug_is_not_a_bad_argument_nor_an_assertion():
    # Callers catch ValueError to show a bad argument; a generator bug must not pass for one, and
    # must not pass for a failed assert either (it is raised, so it holds under `python -O`).
    assert not issubclass(GenerationError, (ValueError, AssertionError))
    with pytest.raises(GenerationError, match="in the discovery itself"):
        resolve_tokens("[[since]]", 0)


# --- the command line ----------------------------------------------------------------------------

# Until `add_generate` is wired into `breachdrill scenarios`, the real CLI runs with it added.
_DRIVER = """
import argparse, sys
import tui.cli.scenarios as scenarios
from tui.cli.generate import add_generate
register = scenarios.register
def register_with_generate(sub):
    register(sub)
    inner = next(a for a in sub.choices["scenarios"]._actions if isinstance(a, argparse._SubParsersAction))
    if "generate" not in inner.choices:
        add_generate(inner)
scenarios.register = register_with_generate
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _wired() -> bool:
    from tui.cli import build_parser

    def inner(parser):
        return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    return "generate" in inner(inner(build_parser()).choices["scenarios"]).choices


def gen_cli(*args: str) -> subprocess.CompletedProcess:
    if _wired():
        return run_cli("scenarios", "generate", *args)
    env = {k: v for k, v in os.environ.items() if k not in ("BREACHDRILL_LIBRARY", "BREACHDRILL_DB")}
    return subprocess.run([sys.executable, "-c", _DRIVER, "scenarios", "generate", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def one_line_error(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert all(w in lines[0] for w in words), lines[0]


def test_cli_writes_yaml_to_stdout_and_to_a_file(tmp_path):
    result = gen_cli(
        "--violation", "access-control", "--jurisdiction", "st-louis", "--seed", "7", "--difficulty", "advanced"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == generate("access-control", "st-louis", 7, "advanced")
    out = tmp_path / "drill.yaml"
    written = gen_cli(
        "--violation", "access-control", "--jurisdiction", "st-louis", "--seed", "7", "--difficulty", "advanced",
        "-o", str(out),
    )
    assert written.returncode == 0, written.stderr
    assert out.read_text() == result.stdout
    assert run_cli("scenarios", "validate", str(out)).returncode == 0


def test_cli_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "drill.yaml"
    out.write_text("mine\n")
    base = ("--violation", "unsecured-pii", "--jurisdiction", "east-independence", "--seed", "1", "-o", str(out))
    one_line_error(gen_cli(*base), "-o", "exists", "--force")
    assert out.read_text() == "mine\n"
    assert gen_cli(*base, "--force").returncode == 0
    assert out.read_text() == generate("unsecured-pii", "east-independence", 1)


@pytest.mark.parametrize(("args", "words"), [
    (("--jurisdiction", "st-louis"), ("--violation", "required")),
    (("--violation", "acess-control", "--jurisdiction", "st-louis"), ("--violation", "did you mean 'access-control'")),
    (("--violation", "access-control"), ("--jurisdiction", "required")),
    (("--violation", "access-control", "--jurisdiction", "kansas-city"), ("--jurisdiction", "kansas-city")),
    (("--violation", "access-control", "--jurisdiction", "st-louis", "--seed", "x"), ("--seed", "whole number")),
    (("--violation", "access-control", "--jurisdiction", "st-louis", "--difficulty", "hard"), ("--difficulty", "hard")),
    (("--violation", "access-control", "--jurisdiction", "st-louis", "-o", "/nonexistent-dir/x.yaml"),
     ("-o", "no such folder")),
])
def test_cli_errors_are_one_line_naming_the_flag(args, words):
    one_line_error(gen_cli(*args), *words)


def test_a_generated_file_plays_through_the_real_cli(tmp_path):
    for violation, jurisdiction in (("unpatched-system", "st-louis"), ("unsecured-pii", "east-independence")):
        path = tmp_path / f"{violation}.yaml"
        path.write_text(generate(violation, jurisdiction, 21))
        scenario, key = load(violation, jurisdiction, 21)
        guide = as_answers(scenario, answers(scenario, key))
        answers_file = tmp_path / f"{violation}-answers.yaml"
        answers_file.write_text(yaml.safe_dump(guide))
        result = run_cli("play", str(path), "--answers", str(answers_file), "--json", "--db", str(tmp_path / "d.db"))
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["overall"] >= 90


def test_importing_the_command_module_stays_light():
    # scenarios.errors (one small class) is allowed; the generator and what it needs are not.
    code = ("import sys, tui.cli.generate; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'faker', 'pydantic', 'yaml'}"
            " | {m for m in sys.modules if m.startswith(('scenarios.generate', 'scenarios.model'))}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
