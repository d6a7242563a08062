"""The built-in library: every violation in each city, rich enough to drill, all valid."""

import itertools

import pytest
from helpers import run_cli

from scenarios.folders import BUILTIN_DIR
from scenarios.library import discover

VIOLATIONS = ("access-control", "unpatched-system", "unsecured-pii")
CITIES = ("east-independence", "st-louis")


@pytest.fixture(scope="module")
def builtins():
    return discover([BUILTIN_DIR])


def test_builtins_are_all_valid(builtins):
    assert builtins, "no built-in scenarios"
    problems = [str(p) for entry in builtins for p in entry.problems]
    assert problems == []


def test_each_violation_in_each_city(builtins):
    pairs = {(e.scenario.violation, e.scenario.jurisdiction) for e in builtins}
    assert set(itertools.product(VIOLATIONS, CITIES)) <= pairs


def test_each_scenario_has_eight_injects_and_two_branch_points(builtins):
    for entry in builtins:
        s = entry.scenario
        branch_points = [
            i.id for i in s.injects
            if len({o.next or i.next for o in i.options}) > 1
        ]
        assert len(s.injects) >= 8, s.id
        assert len(branch_points) >= 2, (s.id, branch_points)


def test_library_covers_the_situations_trainers_need(builtins):
    facts = [e.scenario.facts for e in builtins]
    assert any(f.criminal_activity_suspected for f in facts) and any(not f.criminal_activity_suspected for f in facts)
    assert any(e.scenario.facts.vendor_involved and e.scenario.jurisdiction == "st-louis" for e in builtins)
    assert any(f.resident_personal_data and f.residents_affected > 1000 and not f.data_encrypted for f in facts)
    assert any(f.data_encrypted for f in facts)
    assert any(f.service_pressure for f in facts)
    assert any(f.media_inquiry for f in facts)
    # St. Louis: a law-enforcement referral (its trigger for the police) and a city that does not
    # respond (the only case for the Attorney General's consumer protection division).
    stl = [e.scenario.facts for e in builtins if e.scenario.jurisdiction == "st-louis"]
    assert any(f.law_enforcement_referral for f in stl) and any(not f.law_enforcement_referral for f in stl)
    assert any(f.city_unresponsive for f in stl)
    # The St. Louis vendor scenario asks for the contract contact.
    vendor = next(e for e in builtins if e.scenario.facts.vendor_involved and e.scenario.jurisdiction == "st-louis")
    assert "contract-contact" in vendor.key.required_contacts


def test_validate_command_passes_on_builtins():
    result = run_cli("scenarios", "validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "scenario files valid" in result.stderr


@pytest.mark.parametrize("sid", ["ei-access-control", "ei-unpatched-system", "ei-unsecured-pii",
                                 "stl-access-control", "stl-unpatched-system", "stl-unsecured-pii"])
def test_guide_team_scores_at_least_95_and_harmful_team_at_most_20(builtins, sid):
    from _drill_fixtures import as_answers, play

    from scenarios.guide import answers
    from scoring.score import score

    entry = next(e for e in builtins if e.scenario.id == sid)
    s, key = entry.scenario, entry.key
    good = score(s, key, play(s, as_answers(s, answers(s, key))))["blue"]
    bad = score(s, key, play(s, as_answers(s, answers(s, key, harmful=True))))["blue"]
    assert good.overall >= 95, [f.message for f in good.findings if f.effect != "gained"]
    assert bad.overall <= 20, bad.overall
