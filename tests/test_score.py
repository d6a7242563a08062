"""The scorer against docs/scoring.md: dimensions, findings, ratings, and its properties."""

from __future__ import annotations

import itertools
import json

import pytest
from _drill_fixtures import (
    GUIDE_TEXT,
    as_answers,
    ei_key,
    ei_scenario,
    library,
    play,
    stl_key,
    stl_scenario,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.events import event_json, parse_event
from scenarios.exercise import Exercise
from scenarios.guide import answers as guide_answers
from scenarios.guide import value as option_value
from scoring import score as score_module
from scoring.score import score
from scoring.scorecard import rating_for

EI = ei_scenario()
EI_KEY = ei_key(EI)
STL = stl_scenario()
STL_KEY = stl_key(STL)
LIBRARY = library()


def card(scenario, key, answers, **kw):
    return score(scenario, key, play(scenario, answers, **kw))["blue"]


def guide(scenario, key):
    return as_answers(scenario, guide_answers(scenario, key))


def harmful(scenario, key):
    return as_answers(scenario, guide_answers(scenario, key, harmful=True))


def findings(c, dimension=None, effect=None, subject=None):
    return [
        f for f in c.findings
        if (dimension is None or f.dimension == dimension)
        and (effect is None or f.effect == effect)
        and (subject is None or f.subject == subject)
    ]


def assert_every_point_explained(c):
    earned = sum(f.points for f in c.findings if f.effect in ("gained", "deducted"))
    lost = sum(f.points for f in c.findings if f.effect in ("missed", "deducted"))
    slack = 0.006 * len(c.findings) + 0.05  # points are rounded to hundredths, overall to tenths
    assert earned == pytest.approx(c.overall, abs=slack)
    assert -lost == pytest.approx(100 - c.overall, abs=slack)


# --- the fixture scenarios, rule by rule ---------------------------------------------------------


def test_the_guide_team_scores_100_and_every_point_has_a_source():
    c = card(EI, EI_KEY, guide(EI, EI_KEY))
    assert c.overall == 100.0
    assert c.dimensions == {"steps": 100.0, "escalation": 100.0, "sequence": 100.0, "harms": 100.0}
    assert all(f.effect == "gained" for f in c.findings)
    assert all(f.source for f in c.findings if f.dimension in ("steps", "escalation"))
    assert_every_point_explained(c)


def test_the_harmful_team_scores_low_and_each_harm_is_deducted_with_its_source():
    c = card(EI, EI_KEY, harmful(EI, EI_KEY))
    assert c.overall <= 30
    deducted = findings(c, "harms", "deducted")
    assert {f.subject for f in deducted} >= {"leave-connected", "delete-logs"}
    assert all(
        "Immediate Actions When You Suspect a Breach" in f.source for f in deducted if f.subject == "delete-logs"
    )
    assert_every_point_explained(c)


def test_unanswered_injects_count_as_missed():
    c = card(EI, EI_KEY, {"detect": "isolate-and-call"})
    assert c.unanswered == ("evidence", "police", "recovery", "notice")
    missed = findings(c, "steps", "missed", "preserve-logs")
    assert missed and "Asked at inject 'evidence' (not answered)" in missed[0].message
    # 1 of the 5 asked steps: the order inject 'recovery' asks none (it scores its order alone).
    assert c.dimensions["steps"] == pytest.approx(100 / 5, abs=0.1)
    assert findings(c, "sequence", "missed", "recovery")[0].message == "Order: inject 'recovery' was not answered."


def test_a_step_undone_by_a_harm_counts_as_not_performed():
    answers = guide(EI, EI_KEY) | {"evidence": ["export-logs", "keep-originals", "timeline", "clear-logs"]}
    c = card(EI, EI_KEY, answers)
    undone = findings(c, "steps", "missed", "preserve-logs")
    assert undone and undone[0].message.startswith("Undone: Preserve logs and evidence")
    assert "delete, clear or overwrite logs" in undone[0].message
    assert c.dimensions["steps"] < 100 and c.dimensions["harms"] == 65.0


def test_late_escalation_earns_half_and_says_so():
    # Wiping first sends the team to `pressure`, where it reaches City IT one inject late.
    answers = guide(EI, EI_KEY) | {"detect": "wipe-now", "pressure": "wait-for-it"}
    c = card(EI, EI_KEY, answers)
    it = findings(c, "escalation", subject="city-it")
    assert [f.effect for f in it] == ["gained", "missed"]
    assert it[0].points == pytest.approx(-it[1].points, abs=0.01)
    assert "Late: the guide says to reach City IT department immediately" in it[1].message
    assert it[1].inject == "detect"


def test_needless_escalation_is_deducted():
    c = card(EI, EI_KEY, guide(EI, EI_KEY) | {"police": "call-code-enforcement"})
    needless = findings(c, "escalation", "deducted", "code-enforcement")
    assert needless and needless[0].message.startswith("Needless escalation: reached By-law/Code Enforcement")
    assert findings(c, "escalation", "missed", "police")  # and the police were not reached
    assert c.dimensions["escalation"] == pytest.approx(100 * (3 - 0.25) / 4, abs=0.1)
    assert_every_point_explained(c)


def test_reaching_a_contact_before_the_one_it_follows_is_deducted():
    in_order = card(STL, STL_KEY, guide(STL, STL_KEY))
    police_first = card(STL, STL_KEY, {"first-call": "call-police", "follow-up": ["tell-it", "tell-head", "isolate"]})
    assert in_order.overall == 100
    early = findings(police_first, "escalation", "deducted", "police")
    assert early and (
        "Out of order: reached Law enforcement (on referral) before City of St. Louis IT/security office"
        in early[0].message
    )
    assert police_first.overall < in_order.overall
    assert_every_point_explained(police_first)


def test_order_injects_score_the_share_of_pairs_in_documented_order():
    answers = guide(EI, EI_KEY) | {"recovery": ["verify", "image", "restore"]}  # 2 of 3 pairs
    c = card(EI, EI_KEY, answers)
    gained = findings(c, "sequence", "gained", "recovery")[0]
    missed = findings(c, "sequence", "missed", "recovery")[0]
    assert gained.points == pytest.approx(2 * -missed.points, abs=0.02)
    assert "2 of 3 pairs" in gained.message
    assert missed.message == (
        "Order: 1 of 3 pairs out of the documented order at inject 'recovery': "
        "put 'verify' (verify-backups) before 'image' (image-before-rebuild)."
    )


def test_a_broken_order_constraint_names_both_steps():
    # Wiping instead of isolating, then restoring on City IT's word: "then" without "first" before it.
    answers = guide(EI, EI_KEY) | {"detect": "wipe-now", "pressure": "wait-for-it"}
    c = card(EI, EI_KEY, answers)
    broken = findings(c, "sequence", "missed", "isolate>restore-on-instruction")
    assert broken and broken[0].message.startswith(
        'Out of order: "Follow city instructions for containment and restoration" without "Isolate affected systems'
    )
    assert broken[0].inject == "pressure"
    assert broken[0].source == 'East Independence Cybersecurity Bylaws & Breach Guide, "How-To"'


def test_free_answers_say_how_they_were_scored():
    answers = guide(EI, EI_KEY) | {"notice": GUIDE_TEXT}
    by_keywords = card(EI, EI_KEY, answers)
    assert [(a.inject, a.method, a.credited) for a in by_keywords.free_answers] == [
        ("notice", "keywords", ("tell-ag", "tell-cras", "tell-residents"))
    ]
    events = play(EI, answers)
    ex = Exercise(events, EI)
    ex.mark("blue", "notice", ["tell-ag"])  # the facilitator disagrees with the keywords
    marked = score(EI, EI_KEY, ex.events)["blue"]
    assert [(a.method, a.credited) for a in marked.free_answers] == [("facilitator", ("tell-ag",))]
    assert marked.overall < by_keywords.overall
    assert findings(marked, "escalation", "missed", "consumer-reporting-agencies")


def test_timeliness_counts_only_in_timed_drills_and_falls_linearly():
    answers = guide(EI, EI_KEY)
    untimed = card(EI, EI_KEY, answers, seconds={"detect": 10_000})
    assert "timeliness" not in untimed.dimensions and untimed.overall == 100
    assert sum(untimed.weights.values()) == pytest.approx(100)
    # recovery's limit is 120 s: 180 s is half way to no credit at 240 s.
    timed = card(EI, EI_KEY, answers, timed=True, seconds={i: 1 for i in answers} | {"recovery": 180})
    assert timed.weights["timeliness"] == pytest.approx(100 * 10 / 110, abs=0.01)
    assert timed.dimensions["timeliness"] == pytest.approx(100 * 4.5 / 5, abs=0.1)
    slow = findings(timed, "timeliness", "missed", "recovery")[0]
    assert "took 180 s, over its 120 s limit" in slow.message
    unanswered = card(EI, EI_KEY, {}, timed=True)
    assert unanswered.dimensions["timeliness"] == 0


def test_phases_and_ratings():
    c = card(EI, EI_KEY, guide(EI, EI_KEY) | {"evidence": ["timeline"]})
    assert list(c.phases) == ["preparation", "detection-analysis", "containment-eradication-recovery", "post-incident"]
    assert c.phases["preparation"].score is None and c.phases["preparation"].asked == 0
    # Asked: isolate, preserve-logs and keep-originals (the order inject 'recovery' asks no step).
    cer = c.phases["containment-eradication-recovery"]
    assert (cer.asked, cer.performed) == (3, 1)
    forensics = c.ratings["Forensics and Attribution"]
    assert (forensics.score, forensics.rating) == (0.0, "U")  # logs and originals missed
    assert c.ratings["Operational Coordination"].rating == "P"
    assert "Intelligence and Information Sharing" not in c.ratings  # no step of it was asked


@pytest.mark.parametrize(
    ("value", "letter"), [(100, "P"), (90, "P"), (89.9, "S"), (70, "S"), (69.9, "M"), (40, "M"), (39.9, "U"), (0, "U")]
)
def test_rating_bands_follow_the_docs(value, letter):
    assert rating_for(value)[0] == letter


def test_scorecards_serialize_to_json():
    c = card(EI, EI_KEY, harmful(EI, EI_KEY))
    data = json.loads(json.dumps(c.to_dict()))
    assert set(data) >= {"overall", "dimensions", "phases", "ratings", "findings"}
    assert data["findings"][0].keys() == {"dimension", "effect", "points", "inject", "subject", "message", "source"}


# --- the built-in library ------------------------------------------------------------------------


def test_there_are_built_in_scenarios():
    assert LIBRARY, "no scenarios in scenarios/library"


@pytest.mark.parametrize(("path", "scenario", "key"), LIBRARY, ids=[p for p, _, _ in LIBRARY])
def test_library_guide_team_scores_90_and_harmful_team_30(path, scenario, key):
    assert scenario is not None and key is not None, f"{path} does not load"
    good = card(scenario, key, guide(scenario, key))
    bad = card(scenario, key, harmful(scenario, key))
    assert good.overall >= 90, [f.message for f in good.findings if f.effect != "gained"]
    assert bad.overall <= 30


def _alternative(scenario, key, inject_id, chosen, does):
    """The answer to one inject without the options that do the action; None if impossible."""
    inj = scenario.inject(inject_id)
    if inj.kind in ("multi", "free"):
        return [oid for oid in chosen if not does(next(o for o in inj.options if o.id == oid))]
    if inj.kind == "single":
        current = next(o for o in inj.options if o.id == chosen[0])
        others = [o for o in inj.options if not does(o)]
        if not others:
            return None
        # The most valuable alternative, preferably on the same branch.
        return [max(others, key=lambda o: (o.next == current.next, option_value(o, key))).id]
    return None  # an order inject uses every option


def _avoid(scenario, key, choices, does):
    """Guide answers changed so that no inject the team reaches does the action, following the
    new branches as they open; None when the options make that impossible."""
    changed = dict(choices)
    for _ in range(len(scenario.injects) + 1):
        path = card(scenario, key, as_answers(scenario, changed)).path
        doing = [i for i in path if any(does(o) for o in scenario.inject(i).options if o.id in changed[i])]
        if not doing:
            return changed
        for inject_id in doing:
            answer = _alternative(scenario, key, inject_id, changed[inject_id], does)
            if answer is None:
                return None
            changed[inject_id] = answer
    return None


def _action(action):
    if action.startswith("notify:"):
        contact = action[len("notify:"):]
        return lambda option: contact in option.notifies
    return lambda option: action in option.steps


def _escalation_break(scenario, key, choices, contact):
    """Guide answers with the contact never reached, or None when every option reaches it."""
    return _avoid(scenario, key, choices, _action(f"notify:{contact}"))


def _sequence_break(scenario, key, choices, good, order):
    """Guide answers that do `then` without `first` before it, or None when no option allows it.

    Where `first` cannot be avoided but sits in an order inject with `then`, breaking it means
    putting it after `then` in that inject."""
    changed = _avoid(scenario, key, choices, _action(order.first))
    if changed is not None:
        return changed, []
    together = [
        i for i in good.path
        if scenario.inject(i).kind == "order"
        and any(_action(order.first)(o) for o in scenario.inject(i).options)
        and any(_action(order.then)(o) for o in scenario.inject(i).options)
    ]
    if not together:
        return None
    changed = dict(choices)
    for inject_id in together:
        options = {o.id: o for o in scenario.inject(inject_id).options}
        late = [oid for oid in changed[inject_id] if _action(order.first)(options[oid])]
        changed[inject_id] = [oid for oid in changed[inject_id] if oid not in late] + late
    return changed, together


def _library_cases(kind):
    """Only the breaks a team can actually make: a contact reached by every option of an
    inject on every path cannot be skipped, and is not a case (see the coverage test below)."""
    for _, scenario, key in LIBRARY:
        if scenario is None:
            continue
        choices = guide_answers(scenario, key)
        good = card(scenario, key, as_answers(scenario, choices))
        if kind == "escalation":
            asked = [f.subject for f in good.findings if f.dimension == "escalation"]
            for contact in dict.fromkeys(asked):
                changed = _escalation_break(scenario, key, choices, contact)
                if changed is not None:
                    yield pytest.param(scenario, key, contact, changed, id=f"{scenario.id}:{contact}")
        else:
            for order in key.playbook.order:
                subject = f"{order.first}>{order.then}"
                if not any(f.subject == subject for f in good.findings if f.dimension == "sequence"):
                    continue
                broken = _sequence_break(scenario, key, choices, good, order)
                if broken is not None:
                    yield pytest.param(scenario, key, order, *broken, id=f"{scenario.id}:{subject}")


ESCALATION_CASES = list(_library_cases("escalation"))
SEQUENCE_CASES = list(_library_cases("sequence"))


def test_every_builtin_scenario_has_breakable_escalations_and_orders():
    ids = {s.id for _, s, _ in LIBRARY if s is not None}
    assert ids, "no built-in scenarios"
    assert {case.values[0].id for case in ESCALATION_CASES} == ids
    assert {case.values[0].id for case in SEQUENCE_CASES} == ids


@pytest.mark.parametrize(("scenario", "key", "contact", "changed"), ESCALATION_CASES)
def test_library_skipping_a_required_escalation_lowers_the_score(scenario, key, contact, changed):
    good = card(scenario, key, as_answers(scenario, guide_answers(scenario, key)))
    worse = card(scenario, key, as_answers(scenario, changed))
    assert worse.overall < good.overall
    named = [f for f in worse.findings if f.subject == contact and f.effect == "missed"]
    assert named and named[0].message.startswith("Not reached: "), f"no finding names {contact}"


@pytest.mark.parametrize(("scenario", "key", "order", "changed", "together"), SEQUENCE_CASES)
def test_library_breaking_an_order_constraint_lowers_the_score(scenario, key, order, changed, together):
    good = card(scenario, key, as_answers(scenario, guide_answers(scenario, key)))
    worse = card(scenario, key, as_answers(scenario, changed))
    assert worse.overall < good.overall
    subject = f"{order.first}>{order.then}"
    missed = [f for f in worse.findings if f.dimension == "sequence" and f.effect == "missed"]
    by_rule = [f for f in missed if f.subject == subject]
    if by_rule:  # the playbook's constraint itself, by the steps' titles
        title = (
            key.steps[order.then].title if order.then in key.steps
            else key.contacts[order.then[len("notify:"):]].name
        )
        assert title in by_rule[0].message
    else:  # `first` was also done earlier, so only the order inject's pairs are out of order
        assert any(f.subject in together and f"({order.first}" in f.message for f in missed), (
            f"no sequence finding names {subject}: {[f.message for f in missed]}"
        )


# --- properties ----------------------------------------------------------------------------------

SCENARIOS = [(EI, EI_KEY), (STL, STL_KEY)] + [(s, k) for _, s, k in LIBRARY if s is not None]
FILLER = ["we", "will", "check", "the", "server", "tomorrow", "and"]


@st.composite
def drills(draw):
    """A scenario and a team's answers to it: any option, any order, any free text, or none."""
    scenario, key = draw(st.sampled_from(SCENARIOS))
    answers = {}
    for inj in scenario.injects:
        ids = [o.id for o in inj.options]
        if draw(st.integers(0, 5)) == 0:
            continue  # unanswered
        if inj.kind == "single":
            answers[inj.id] = [draw(st.sampled_from(ids))]
        elif inj.kind == "multi":
            answers[inj.id] = draw(st.lists(st.sampled_from(ids), unique=True))
        elif inj.kind == "order":
            answers[inj.id] = draw(st.permutations(ids))
        else:
            words = [kw for o in inj.options for kw in o.keywords] + FILLER
            answers[inj.id] = " ".join(draw(st.lists(st.sampled_from(words), min_size=1, max_size=8)))
    return scenario, key, answers


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(drills(), st.data())
def test_adding_a_harmful_choice_never_raises_a_score(drill, data):
    scenario, key, answers = drill
    events = play(scenario, answers)
    before = score(scenario, key, events)["blue"]
    # The injects the team reached where a harmful option can be added to its choice.
    addable = []
    for inject_id in before.path:
        inj = scenario.inject(inject_id)
        chosen = answers.get(inject_id)
        if inj.kind == "multi" and chosen is not None:
            addable += [(inject_id, o.id) for o in inj.options if o.harms and o.id not in chosen and o.next is None]
        elif inj.kind == "free" and chosen is not None:
            addable += [(inject_id, o.id) for o in inj.options if o.harms and o.next is None]
    if not addable:
        return
    inject_id, harm_option = data.draw(st.sampled_from(addable))
    if scenario.inject(inject_id).kind == "multi":
        after = score(scenario, key, play(scenario, answers | {inject_id: answers[inject_id] + [harm_option]}))["blue"]
    else:  # a free answer: the facilitator credits the harmful rubric option too
        ex = Exercise(events, scenario)
        credited = ex.state.teams["blue"].answers[inject_id].credited
        if harm_option in credited:
            return
        ex.mark("blue", inject_id, [*credited, harm_option])
        after = score(scenario, key, ex.events)["blue"]
    assert after.overall <= before.overall
    assert after.dimensions["harms"] <= before.dimensions["harms"]


@PROPERTY
@given(drills())
def test_replaying_the_same_events_gives_the_same_scorecard(drill):
    scenario, key, answers = drill
    events = play(scenario, answers)
    first = score(scenario, key, events)["blue"].to_dict()
    score_module._PLANS.clear()  # nothing cached may change a score
    replayed = [parse_event(event_json(e)) for e in events]
    assert score(scenario, key, replayed)["blue"].to_dict() == first
    assert score(scenario, key, events)["blue"].to_dict() == first
    c = score(scenario, key, events)["blue"]
    assert 0 <= c.overall <= 100
    assert all(r.rating == rating_for(r.score)[0] for r in c.ratings.values())
    assert_every_point_explained(c)


@PROPERTY
@given(
    drills(),
    st.floats(0, 4e9),
    st.lists(st.floats(0, 7200), min_size=1, max_size=5),
    st.dictionaries(st.text(min_size=1, max_size=3), st.floats(0, 10_000)),
)
def test_an_untimed_score_does_not_depend_on_the_wall_clock(drill, epoch, steps, seconds):
    scenario, key, answers = drill
    baseline = score(scenario, key, play(scenario, answers))["blue"].to_dict()
    ticks = itertools.cycle(steps)
    clock_state = {"now": epoch}

    def clock():
        clock_state["now"] += next(ticks)
        return clock_state["now"]

    delays = {i.id: seconds.get(i.id[:3], 5.0) for i in scenario.injects}
    shifted = play(scenario, answers, clock=clock, seconds=delays)
    assert score(scenario, key, shifted)["blue"].to_dict() == baseline

