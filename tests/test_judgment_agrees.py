"""Practice feedback, the debrief and the report say, inject by inject, what the scorecard says.

Every built-in scenario is played by four teams in one practice drill: along the guide's
answers, along the harmful answers, and along the guide's answers with one changed so that a
contact is reached late, and along the guide's answers plus every option that reaches a contact
the guide does not require (permitted or needless). After each answer the real FeedbackScreen is read; once the drill
ends, the real DebriefScreen (choices table and escalation trees) and the after-action report.
What they must say is worked out here from the scorecard's findings (and, for "the guide's
answer", from scenarios.guide), not from the judgments the screens read, so a screen or a
judgment that drifted from the score fails here.
"""

from __future__ import annotations

import pytest
from _drill_fixtures import as_answers, library, play
from test_app_support import settle, sync
from textual.app import App
from textual.widgets import DataTable, Static

from scenarios.guide import answers as guide_answers
from scenarios.guide import counted, guide_answer
from scenarios.loader import scenario_hash
from scoring.history import load
from scoring.report.aar import build
from scoring.score import score
from scoring.store import Store
from tui.app.screens.debrief import DebriefScreen
from tui.app.screens.feedback import FeedbackScreen
from tui.app.session import Drill
from tui.app.widgets.escalation import EscalationTree

LIBRARY = library()


def late_answers(scenario, key) -> dict[str, list[str]]:
    """The guide's answers with one inject's answer changed so that a contact the guide wants
    "immediately" is reached after its first opportunity (a Late finding)."""
    base = guide_answers(scenario, key)
    for inject in scenario.injects:
        if inject.kind not in ("single", "multi"):
            continue
        calling = [o.id for o in inject.options if o.id in base[inject.id] and o.notifies]
        if not calling:
            continue
        if inject.kind == "single":
            tries = [[o.id] for o in inject.options if o.id not in base[inject.id]]
        else:
            tries = [[oid for oid in base[inject.id] if oid not in calling]]
        for changed in tries:
            picks = base | {inject.id: changed}
            card = score(scenario, key, play(scenario, as_answers(scenario, picks)))["blue"]
            if any(f.dimension == "escalation" and f.message.startswith("Late:") for f in card.findings):
                return picks
    raise AssertionError(f"{scenario.id}: no answer reaches a contact late")


def overreach_answers(scenario, key) -> dict[str, list[str]]:
    """The guide's answers plus, wherever an option reaches a contact the guide does not
    require, that option: permitted and needless contacts."""
    picks = guide_answers(scenario, key)
    required = set(key.required_contacts)
    for inject in scenario.injects:
        extra = [o.id for o in inject.options if any(c not in required for c in o.notifies)]
        if extra and inject.kind == "single":
            picks[inject.id] = extra[:1]
        elif extra and inject.kind in ("multi", "free"):
            picks[inject.id] = [*picks[inject.id], *(oid for oid in extra if oid not in picks[inject.id])]
    return picks


def the_guides(scenario, key, inject_id: str, answer) -> bool:
    """The guide's-answer rule, written here again as the test's own oracle."""
    filed = scenario.inject(inject_id)
    chosen, guide = counted(filed, answer.credited, answer.method), guide_answer(filed, key)
    return chosen == guide if filed.kind == "order" else sorted(chosen) == sorted(guide)


def expected(card, key, inject_id: str) -> dict[str, set[str]]:
    """What the scorecard's findings say happened at one inject."""
    here = [f for f in card.findings if f.inject == inject_id]
    missed = {f.subject for f in card.findings if f.dimension == "escalation" and f.effect == "missed"}
    reached = [f for f in here if f.dimension == "escalation" and f.effect == "gained"]
    required = set(key.required_contacts)
    return {
        "honoured": {f.subject for f in here if f.dimension == "steps" and f.effect == "gained"},
        "harms": {
            f.subject for f in here
            if f.dimension == "harms" and f.subject and not f.message.startswith("Not counted")
        },
        "late": {f.subject for f in reached if f.subject in missed},
        "reached": {f.subject for f in reached if f.subject in required and f.subject not in missed},
        "permitted": {f.subject for f in reached if f.subject not in required},
        "needless": {f.subject for f in here if f.dimension == "escalation" and f.effect in ("deducted", "noted")
                     and f.subject not in required},
    }


def judged_as(j) -> dict[str, set[str]]:
    return {
        "honoured": {s.step for s in j.honoured}, "harms": {h.harm for h in j.broken},
        "late": {c.contact for c in j.late}, "reached": {c.contact for c in j.reached},
        "permitted": {c.contact for c in j.permitted}, "needless": {c.contact for c in j.needless},
    }


def check_feedback(text: str, scenario, key, card, inject_id: str, answer) -> None:
    where = f"{scenario.id} {inject_id}: {text}"
    j = card.judgments[inject_id]
    want = expected(card, key, inject_id)
    assert judged_as(j) == want, where
    assert j.gained == round(sum(f.points for f in card.findings if f.inject == inject_id and f.points > 0), 2), where
    if not j.scored:
        assert "Discussed, not scored" in text and "guide's answer" not in text, where
        return
    right = the_guides(scenario, key, inject_id, answer)
    assert j.matches_guide is right, where
    assert text.startswith("✓ The guide's answer." if right else "✗ Not the guide's answer."), where
    for step in want["honoured"]:
        assert f"Honoured: {key.steps[step].title}" in text, where
    assert text.count("Honoured: ") == len(want["honoured"]) + len(j.unasked_steps), where
    for harm in want["harms"]:
        assert f"({key.harms[harm].severity}): {key.harms[harm].title}" in text, where
    for contact in want["late"]:
        assert f"Right contact, late: {key.contacts[contact].name}" in text, where
    for contact in want["reached"]:
        assert f"Right contact: {key.contacts[contact].name}" in text, where
    for contact in want["needless"]:
        assert f"No cause to reach: {key.contacts[contact].name}" in text, where
    for contact in want["permitted"]:
        assert f"Permitted contact: {key.contacts[contact].name}" in text, where
    assert text.count("No cause to reach: ") == len(want["needless"]), where
    assert ("Right contact, late: " in text) == bool(want["late"]), where


def check_debrief(pane, scenario, key, card, answers) -> None:
    table = pane.query_one(".choices", DataTable)
    trees = [text for tree in pane.query(EscalationTree) for text in tree.labels()]
    assert table.row_count == len(card.path)
    for inject_id in card.path:
        mark = str(table.get_row(inject_id)[3])
        where = f"{scenario.id} {card.team} {inject_id}: {mark!r}"
        late = expected(card, key, inject_id)["late"]
        if not card.judgments[inject_id].scored:
            assert mark == "·", where
        elif inject_id not in answers:
            assert mark.startswith("missed"), where
        else:
            assert mark.startswith("✓" if the_guides(scenario, key, inject_id, answers[inject_id]) else "✗"), where
        assert ("late" in mark) == bool(late), where
        for contact in late:
            name = key.contacts[contact].name
            assert sum(name in t and "late" in t for t in trees) >= 2, (where, trees)  # both trees say late
    never = {f.subject for f in card.findings if f.dimension == "escalation" and f.message.startswith("Not reached")}
    for contact in never:
        assert any(
            t.startswith(f"✗ {key.contacts[contact].name} (") and t.endswith("not reached") for t in trees
        ), trees


def check_report(aar, scenario, key, card, answers) -> None:
    team = card.team
    status = {r["contact"]: r["status"] for r in aar["escalations"][team]}
    for entry in (i for i in aar["injects"] if team in i["responses"]):
        inject_id, verdict = entry["id"], entry["responses"][team]["verdict"]
        where = f"{scenario.id} {team} {inject_id}: {verdict!r}"
        want = expected(card, key, inject_id)
        assert judged_as(card.judgments[inject_id]) == want, where
        if not entry["scored"]:
            assert verdict == "discussed, not scored", where
            continue
        if inject_id not in answers:
            assert verdict.startswith("not answered"), where
        else:
            right = the_guides(scenario, key, inject_id, answers[inject_id])
            assert verdict.startswith("the guide's answer" if right else "not the guide's answer"), where
        assert ("late: " in verdict) == bool(want["late"]), where
        for contact in want["late"]:
            assert key.contacts[contact].name in verdict and status[contact].startswith("late"), where
    assert [i["id"] for i in aar["injects"] if team in i["responses"]] == list(card.path)


class Host(App):
    """A bare app to push the real screens on."""


@pytest.mark.parametrize(("path", "scenario", "key"), LIBRARY, ids=[s.id for _, s, _ in LIBRARY])
@sync
async def test_feedback_debrief_and_report_agree_with_the_scorecard(tmp_path, path, scenario, key):
    plays = {
        "guide": as_answers(scenario, guide_answers(scenario, key)),
        "harmful": as_answers(scenario, guide_answers(scenario, key, harmful=True)),
        "late": as_answers(scenario, late_answers(scenario, key)),
        "overreach": as_answers(scenario, overreach_answers(scenario, key)),
    }
    with Store(tmp_path / "drills.db") as store:
        drill_id, ex = store.start(scenario, seed=11, teams=list(plays), scenario_hash=scenario_hash(scenario),
                                   playbook=key.playbook.model_dump(mode="json"), mode="practice")
        drill = Drill(drill_id, ex, key)
        async with Host().run_test(size=(120, 60)) as pilot:
            for team, answers in plays.items():
                while ex.state.teams[team].next is not None:
                    inject_id = ex.release(team).inject
                    ex.submit(team, inject_id, answers[inject_id])
                    await pilot.app.push_screen(FeedbackScreen(drill, team, inject_id))
                    await pilot.pause()
                    text = str(pilot.app.screen.query_one("#feedback", Static).render())
                    now = score(scenario, key, list(ex.events))[team]  # the scorecard as it stands
                    check_feedback(text, scenario, key, now, inject_id, ex.state.teams[team].answers[inject_id])
                    pilot.app.pop_screen()
            ex.end()
            cards = score(scenario, key, list(ex.events))
            assert any(j.late for j in cards["late"].judgments.values()), "the late team reached nobody late"
            assert any(j.needless or j.permitted for j in cards["overreach"].judgments.values())
            await pilot.app.push_screen(DebriefScreen(drill))
            await settle(pilot)
            for number, team in enumerate(drill.teams):
                pane = pilot.app.screen.query_one(f"#debrief-{number}")
                check_debrief(pane, scenario, key, cards[team], ex.state.teams[team].answers)
        aar = build(load(store, drill_id))
    for team, card in cards.items():
        check_report(aar, scenario, key, card, ex.state.teams[team].answers)
