"""The scoring rules of issue 10, one test each: order injects score their order only, keywords
never commit a harm, a late contact is late (never "not reached"), the worst option is weighed by
severity, a permitted contact is credited and never needless, a discussion-only inject is scored
nowhere and shown as such, and the report says which rules are this project's own choices."""

from __future__ import annotations

from pathlib import Path

from _drill_fixtures import ei_key, ei_scenario_data, inject, option, play
from helpers import FIXTURES, run_cli
from test_app_support import sync
from textual.app import App
from textual.widgets import DataTable

from scenarios.exercise import Exercise
from scenarios.guide import harmful_answer, is_scored
from scenarios.loader import scenario_hash
from scenarios.model import Scenario
from scenarios.playbook import Key
from scoring.history import load
from scoring.report.aar import build
from scoring.report.html import to_html
from scoring.report.markdown import to_markdown
from scoring.score import score
from scoring.scorecard import escalation_rows
from scoring.store import Store

ROOT = Path(__file__).resolve().parents[1]


def scenario_of(*injects, start: str | None = None, **facts) -> Scenario:
    data = ei_scenario_data() | {"id": "test-rules", "start": start or injects[0]["id"], "injects": list(injects)}
    data["facts"] = data["facts"] | facts
    return Scenario.model_validate(data)


def card_of(scenario: Scenario, answers: dict, key: Key | None = None, **kw):
    key = key or ei_key(scenario)
    return score(scenario, key, play(scenario, answers, **kw))["blue"]


def about(card, subject: str, dimension: str | None = None):
    return [f for f in card.findings if f.subject == subject and (dimension is None or f.dimension == dimension)]


def test_an_order_inject_scores_its_order_only():
    scenario = scenario_of(
        inject("first", "single", [option("isolate", steps=["isolate"], notifies=["city-it"]),
                                   option("wait", text="wait")], next="runbook"),
        inject("runbook", "order", [
            option("logs", steps=["preserve-logs"]),
            option("call", notifies=["police"]),
            option("wipe", steps=["document-timeline"], harms=["wipe-left-out-of-timeline"]),
        ], at=10, key=["logs", "call", "wipe"]),
    )
    backwards = card_of(scenario, {"first": ["isolate"], "runbook": ["wipe", "call", "logs"]})
    # Every answer holds every option: none of their steps, contacts or harms is credited or asked.
    for subject in ("preserve-logs", "document-timeline", "police", "wipe-left-out-of-timeline"):
        assert not about(backwards, subject), subject
    assert backwards.dimensions["harms"] == 100
    assert set(backwards.dimensions) == {"steps", "escalation", "sequence", "harms"}
    assert backwards.dimensions["steps"] == 100 and backwards.dimensions["escalation"] == 100  # isolate, City IT
    assert backwards.dimensions["sequence"] == 0  # no pair in the documented order
    right = card_of(scenario, {"first": ["isolate"], "runbook": ["logs", "call", "wipe"]})
    assert right.dimensions["sequence"] == 100 and right.overall > backwards.overall


def test_keywords_alone_never_commit_a_harm():
    scenario = scenario_of(
        inject("notes", "free", [
            option("keep", steps=["document-communications"], keywords=["keep the notes"]),
            option("shred", harms=["discard-communications"], keywords=["shred"]),
        ]),
    )
    events = play(scenario, {"notes": "Nobody will shred the notes; we keep the notes."})
    key = ei_key(scenario)
    card = score(scenario, key, events)["blue"]
    assert card.dimensions["harms"] == 100
    (held,) = about(card, "discard-communications")
    assert held.effect == "noted" and held.points == 0 and "facilitator's mark" in held.message
    assert [(a.method, a.credited) for a in card.free_answers] == [("keywords", ("keep",))]
    # A facilitator's mark is what commits it.
    ex = Exercise(events, scenario)
    ex.mark("blue", "notes", ["keep", "shred"])
    marked = score(scenario, key, ex.events)["blue"]
    assert marked.dimensions["harms"] == 85
    assert [f.effect for f in about(marked, "discard-communications", "harms")] == ["deducted"]


@sync
async def test_a_contact_reached_late_is_late_never_not_reached(tmp_path):
    scenario = scenario_of(
        inject("first", "single", [option("isolate", steps=["isolate"]),
                                   option("call", steps=["isolate"], notifies=["city-it"])], next="second"),
        inject("second", "single", [option("call", notifies=["city-it"]), option("wait", text="wait")], at=30),
    )
    key = ei_key(scenario)
    events = play(scenario, {"first": ["isolate"], "second": ["call"]})
    card = score(scenario, key, events)["blue"]
    it = about(card, "city-it", "escalation")
    assert [f.effect for f in it] == ["gained", "missed"] and "late" in it[0].message
    assert not any(f.message.startswith("Not reached") for f in card.findings)
    (row,) = escalation_rows(card, key)
    assert (row["contact"], row["status"], row["inject"]) == ("city-it", "late", "second")

    # The debrief's trees say the same: reached at +30 min, late.
    from tui.app.session import Drill
    from tui.app.widgets.escalation import EscalationTrees

    drill = Drill("d", Exercise(events, scenario), key)

    class Trees(App):
        def compose(self):
            yield EscalationTrees(drill, card)

    async with Trees().run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        from tui.app.widgets.escalation import EscalationTree

        labels = [label for tree in pilot.app.query(EscalationTree) for label in tree.labels()]
        assert any("City IT" in text and "late" in text for text in labels), labels
        assert not any("not reached" in text for text in labels), labels


def test_the_worst_option_is_weighed_by_severity():
    two_minor = option("two-minor", harms=["power-down-first", "restore-unverified-backup"])  # 15 + 15
    one_major = option("one-major", harms=["delete-logs"])  # 35
    scenario = scenario_of(inject("choice", "single", [option("fine", steps=["isolate"]), two_minor, one_major]))
    key = ei_key(scenario)
    assert harmful_answer(scenario.inject("choice"), key) == ["one-major"]
    # And it is the one that costs most in the score.
    worst = card_of(scenario, {"choice": ["one-major"]}).dimensions["harms"]
    other = card_of(scenario, {"choice": ["two-minor"]}).dimensions["harms"]
    assert worst < other


def _permitting_key(scenario: Scenario) -> Key:
    """East Independence with Code Enforcement permitted (always) though never required."""
    base = ei_key(scenario).playbook
    contacts = [c.model_copy(update={"permitted": []}) if c.id == "code-enforcement" else c for c in base.contacts]
    return Key(base.model_copy(update={"contacts": contacts}), scenario.facts)


def test_a_permitted_contact_is_credited_with_its_source_and_never_needless():
    scenario = scenario_of(
        inject("call", "multi", [option("it", notifies=["city-it"]), option("code", notifies=["code-enforcement"]),
                                 option("records", notifies=["records-office"])]),
    )
    key = _permitting_key(scenario)
    card = card_of(scenario, {"call": ["it", "code"]}, key=key)
    (credit,) = about(card, "code-enforcement")
    assert (credit.effect, credit.points) == ("gained", 0.0)
    assert "permits" in credit.message and credit.source == key.cite(key.contacts["code-enforcement"].source)
    assert not any(f.message.startswith("Needless") for f in card.findings)
    assert card.dimensions["escalation"] == 100  # not in the denominator: City IT alone was required
    assert [r["status"] for r in escalation_rows(card, key)] == ["reached", "permitted"]
    # A contact neither required nor permitted is still needless.
    needless = card_of(scenario, {"call": ["it", "records"]}, key=key)
    assert [f.effect for f in about(needless, "records-office")] == ["deducted"]


def _discussion_scenario() -> Scenario:
    return scenario_of(
        inject("first", "single", [option("isolate", steps=["isolate"], notifies=["city-it"]), option("wait")],
               next="talk", limit=60),
        inject("talk", "single", [option("a", text="Talk about the budget"), option("b", text="Talk about staffing")],
               at=10, limit=60),
    )


def test_a_discussion_only_inject_is_scored_nowhere():
    scenario = _discussion_scenario()
    assert not is_scored(scenario.inject("talk")) and is_scored(scenario.inject("first"))
    answered = card_of(scenario, {"first": ["isolate"], "talk": ["b"]}, timed=True, seconds={"first": 10, "talk": 999})
    skipped = card_of(scenario, {"first": ["isolate"]}, timed=True, seconds={"first": 10})
    assert answered.overall == skipped.overall == 100
    assert answered.unscored == skipped.unscored == ("talk",)
    assert skipped.unanswered == ()
    assert not [f for f in skipped.findings if f.inject == "talk"]


@sync
async def test_a_discussion_only_inject_is_shown_as_discussed_in_feedback_debrief_and_report(tmp_path):
    from tui.app.screens.feedback import feedback
    from tui.app.session import Drill
    from tui.app.widgets.answer_compare import ChoicesTable

    scenario = _discussion_scenario()
    key = ei_key(scenario)
    with Store(tmp_path / "drills.db") as store:
        drill_id, ex = store.start(scenario, seed=3, teams=["blue"], scenario_hash=scenario_hash(scenario),
                                   playbook=key.playbook.model_dump(mode="json"), mode="practice")
        for answer in (["isolate"], ["a"]):
            ex.submit("blue", ex.release("blue").inject, answer)
        drill = Drill(drill_id, ex, key)
        lines = "\n".join(str(line) for line in feedback(drill, "blue", "talk"))
        assert "Discussed, not scored" in lines and "guide's answer" not in lines
        assert "guide's answer" in "\n".join(str(line) for line in feedback(drill, "blue", "first"))
        card = drill.scorecards()["blue"]

        class Choices(App):  # the debrief's table, mounted in an app of its own
            def compose(self):
                yield ChoicesTable(drill, "blue", card)

        async with Choices().run_test(size=(120, 20)) as pilot:
            await pilot.pause()
            row = pilot.app.query_one(DataTable).get_row("talk")
            assert "discussed, not scored" in str(row[2]) and str(row[3]) == "·"
        ex.end()
        aar = build(load(store, drill_id))
    (talk,) = [i for i in aar["injects"] if i["id"] == "talk"]
    assert talk["scored"] is False and talk["documented"] == []
    assert "Discussed, not scored" in to_markdown(aar) and "Discussed, not scored" in to_html(aar)


def test_validate_warns_about_a_discussion_only_inject_and_still_passes(tmp_path):
    text = (FIXTURES / "minimal.yaml").read_text()
    text = text.replace("        text: Call City IT\n        notifies: [city-it]\n", "        text: Call City IT\n")
    (tmp_path / "talk.yaml").write_text(text)
    result = run_cli("scenarios", "validate", str(tmp_path / "talk.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning: inject 'cover-up' is discussion only" in result.stdout
    assert "1 warning" in result.stderr
    assert run_cli("scenarios", "validate", str(FIXTURES / "minimal.yaml")).stdout == ""


def test_the_report_and_the_docs_say_weights_and_bands_are_this_projects_choices(tmp_path):
    scenario = _discussion_scenario()
    key = ei_key(scenario)
    with Store(tmp_path / "drills.db") as store:
        drill_id, ex = store.start(scenario, seed=3, teams=["blue"], scenario_hash=scenario_hash(scenario),
                                   playbook=key.playbook.model_dump(mode="json"))
        ex.release("blue")
        ex.end()
        aar = build(load(store, drill_id))
    for text in (to_markdown(aar), to_html(aar)):
        assert "major 35, minor 15" in text and "P 90 and above" in text
        assert "are this project&#x27;s own choices" in text or "are this project's own choices" in text
        assert "HSEEP defines the four ratings" in text
    docs = (ROOT / "docs" / "scoring.md").read_text()
    assert "this project's own choices" in docs and "HSEEP" in docs and "not score bands" in docs


def test_a_contact_offered_only_by_an_order_inject_is_not_offered():
    """Validation agrees with the scorer: an order inject asks no contact, so a path whose only
    chance to reach a required contact is an order option never offers it."""
    from scenarios.loader import load_text

    text = (FIXTURES / "minimal.yaml").read_text()
    for old, new in (("        notifies: [city-it]\n        debrief:", "        debrief:"),
                     ("        text: Call City IT\n        notifies: [city-it]\n", "        text: Call City IT\n"),
                     ("        text: Isolate the file server\n",
                      "        text: Isolate the file server\n        notifies: [city-it]\n")):
        assert old in text
        text = text.replace(old, new)
    problems = [str(p) for p in load_text("order-only.yaml", text).problems]
    assert any("require reaching 'city-it'" in p and "never offers it" in p for p in problems), problems
