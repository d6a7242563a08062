"""Positions: options shown in an order drawn from the drill's seed, so no position gives the key
away; and the six built-ins scored for a guide team, a first-option team and a harmful team.

Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

import json
import statistics

import pytest
from _drill_fixtures import as_answers, ei_key, ei_scenario_data, inject, library, option, play
from helpers import FIXTURES, run_cli
from test_app_support import answer_on_screen, services, settle, start_drill, sync

from scenarios.exercise import Exercise
from scenarios.guide import answers, guide_answer, is_scored
from scenarios.loader import load_scenario
from scenarios.model import Scenario
from scenarios.render import render
from scenarios.shuffle import shown_order
from scoring.score import score
from tui.app.launch import build_app

SEEDS = range(1, 21)
LIBRARY = library()
NEUTRAL = "We would talk it over as a team before deciding."


def _tied_scenario() -> Scenario:
    """One single inject whose first two options are worth the same (a tie the file breaks), then
    a two-option order inject: the hardest case for "never start in the key's order"."""
    data = ei_scenario_data() | {"id": "test-ties", "start": "tie"}
    data["injects"] = [
        inject("tie", "single", [
            option("first", text="Isolate the server", steps=["isolate"]),
            option("second", text="Export the logs", steps=["preserve-logs"]),
            option("third", text="Wipe it", harms=["wipe-before-imaging"]),
        ], next="pair"),
        inject("pair", "order", [option("x", steps=["isolate"]), option("y", steps=["restore-on-instruction"])],
               at=10, key=["x", "y"]),
    ]
    return Scenario.model_validate(data)


def test_the_same_seed_shows_the_same_order_and_injects_shuffle_independently():
    scenario = load_scenario(FIXTURES / "minimal.yaml").scenario
    big = Scenario.model_validate(ei_scenario_data())
    for seed in SEEDS:
        assert render(big, seed).model_dump() == render(big, seed).model_dump()
        for inj in big.injects:
            assert [o.id for o in render(big, seed).inject(inj.id).options] == shown_order(big.id, inj, seed)
    # Two injects with the same option ids: each draws its own order from the seed.
    four = [option(oid) for oid in "abcd"]
    twins = Scenario.model_validate(ei_scenario_data() | {"start": "one", "injects": [
        inject("one", "multi", four, next="two"), inject("two", "multi", four, at=5)]})
    differ = sum(
        shown_order(twins.id, twins.injects[0], s) != shown_order(twins.id, twins.injects[1], s) for s in SEEDS
    )
    assert differ >= 15, differ
    # Over seeds, each option of a two-option inject is shown first at some point; seeds differ.
    assert {render(scenario, s).injects[0].options[0].id for s in SEEDS} == {"a", "b"}
    assert len({tuple(shown_order(big.id, big.inject("evidence"), s)) for s in SEEDS}) > 5


def test_only_what_is_shown_moves_ids_keys_and_guide_answers_stay():
    for _, scenario, _key in LIBRARY:
        shown = render(scenario, 7)
        for filed, seen in zip(scenario.injects, shown.injects, strict=True):
            assert filed.id == seen.id and filed.key == seen.key and filed.next == seen.next
            assert sorted(o.id for o in filed.options) == sorted(o.id for o in seen.options)
            assert {o.id: (o.steps, o.notifies, o.harms, o.next) for o in filed.options} == {
                o.id: (o.steps, o.notifies, o.harms, o.next) for o in seen.options}


def test_ties_and_branches_read_the_file_order_not_the_shown_one():
    scenario = _tied_scenario()
    key = ei_key(scenario)
    seed = next(s for s in range(1, 200) if shown_order(scenario.id, scenario.inject("tie"), s)[0] == "second")
    assert guide_answer(scenario.inject("tie"), key) == ["first"]  # the file's first of the tie
    # The engine and the scorer work on the drill's snapshot, in the file's order, whatever is shown.
    ex = Exercise.start(scenario, seed=seed, teams=["t"], scenario_hash="x")
    assert [o.id for o in ex.state.scenario.inject("tie").options] == ["first", "second", "third"]
    ex.release("t")
    ex.submit("t", "tie", ["first"])
    card = score(scenario, key, ex.events)["t"]
    assert any(f.subject == "isolate" and f.effect == "gained" for f in card.findings)
    assert not any(f.subject == "preserve-logs" for f in card.findings), "the tie's other option was not asked"
    # Practice feedback names the same guide answer, by the number it is shown with.
    from tui.app.screens.feedback import feedback
    from tui.app.session import Drill

    other = Exercise.start(scenario, seed=seed, teams=["t"], scenario_hash="x")
    other.release("t")
    other.submit("t", "tie", ["second"])
    text = "\n".join(str(line) for line in feedback(Drill("d", other, key), "t", "tie"))
    number = shown_order(scenario.id, scenario.inject("tie"), seed).index("first") + 1
    assert "Not the guide's answer" in text and f"The guide's answer: {number}. Isolate the server" in text
    assert "Your answer: 1. Export the logs" in text


def test_guide_answer_is_at_position_one_in_at_most_40_percent_of_single_injects():
    at_one = total = 0
    for _, scenario, key in LIBRARY:
        for seed in SEEDS:
            shown = render(scenario, seed)
            for filed in scenario.injects:
                if filed.kind == "single" and is_scored(filed):
                    total += 1
                    at_one += shown.inject(filed.id).options[0].id == guide_answer(filed, key)[0]
    share = at_one / total
    print(f"\nguide answer shown at position 1: {at_one} of {total} single-choice injects ({share:.1%}), seeds 1-20")
    assert total and share <= 0.40


def test_no_order_inject_starts_in_its_key_order():
    scenarios = [s for _, s, _ in LIBRARY] + [_tied_scenario()]
    checked = 0
    for scenario in scenarios:
        for seed in [*SEEDS, *range(1000, 1200)]:
            shown = render(scenario, seed) if seed < 21 else None
            for filed in scenario.injects:
                if filed.kind == "order":
                    order = shown_order(scenario.id, filed, seed)
                    assert order != filed.key, (scenario.id, filed.id, seed)
                    if shown is not None:
                        assert [o.id for o in shown.inject(filed.id).options] == order
                    checked += 1
    print(f"\norder injects checked: {checked}, none shown in the key's order")
    assert checked


# --- scores of the built-ins --------------------------------------------------------------------


def first_shown_team(scenario: Scenario, key, seed: int) -> float:
    """A team that only ever takes the first option shown: one option of a multi, the order as
    shown, and a neutral text for free injects. It follows its own branch."""
    shown = render(scenario, seed)
    ex = Exercise.start(scenario, seed=seed, teams=["t"], scenario_hash="x")
    while ex.state.teams["t"].next is not None:
        seen = shown.inject(ex.release("t").inject)
        if seen.kind == "free":
            answer = NEUTRAL
        elif seen.kind == "order":
            answer = [o.id for o in seen.options]
        else:
            answer = [seen.options[0].id]
        ex.submit("t", seen.id, answer)
    ex.end()
    return score(scenario, key, ex.events)["t"].overall


def _team(scenario, key, harmful: bool) -> float:
    return score(
        scenario, key, play(scenario, as_answers(scenario, answers(scenario, key, harmful=harmful)))
    )["blue"].overall


@pytest.mark.parametrize("entry", LIBRARY, ids=[s.id for _, s, _ in LIBRARY])
def test_built_in_scores_guide_first_shown_and_harmful(entry):
    _, scenario, key = entry
    guide = _team(scenario, key, harmful=False)
    harmful = _team(scenario, key, harmful=True)
    firsts = [first_shown_team(scenario, key, seed) for seed in SEEDS]
    first = statistics.mean(firsts)
    print(f"\n{scenario.id}: guide {guide:.1f}; first option shown {first:.1f} on average "
          f"(seeds 1-20: {min(firsts):.1f}-{max(firsts):.1f}); harmful {harmful:.1f}")
    assert guide >= 95
    assert first <= 60
    assert harmful <= 20


# --- the same order on the command line and in the app --------------------------------------------


def test_show_json_lists_options_in_the_order_a_drill_with_that_seed_shows():
    _, scenario, _ = LIBRARY[0]
    for seed in (3, 4):
        result = run_cli("scenarios", "show", scenario.id, "--seed", str(seed), "--json")
        assert result.returncode == 0, result.stderr
        assert "no --seed given" not in result.stderr
        data = json.loads(result.stdout)
        shown = render(scenario, seed)
        assert [[o["id"] for o in i["options"]] for i in data["injects"]] == [
            [o.id for o in i.options] for i in shown.injects]
    plain = run_cli("scenarios", "show", scenario.id, "--json")
    assert plain.returncode == 0 and "seed 1 (no --seed given)" in plain.stderr
    assert json.loads(plain.stdout)["seed"] == 1


@sync
async def test_the_answer_screen_numbers_options_as_shown_and_stores_ids(tmp_path):
    """Pressing 1 picks the first option shown (not the file's first), and the store keeps its id."""
    app = build_app(services(tmp_path, library=[str(FIXTURES)], builtin=False, seed=42))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_drill(pilot, ["Red"])
        drill = pilot.app.screen.drill
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        screen = pilot.app.screen
        order = shown_order(drill.scenario.id, drill.scenario.inject("found"), drill.state.seed)
        control = screen.query_one("#choices")
        assert [control.get_option_at_index(i).id for i in range(control.option_count)] == order
        await pilot.press("1", "enter", "y")
        await settle(pilot)
        assert drill.state.teams["Red"].answers["found"].answer == [order[0]]
        # The order inject starts scrambled: Enter at once is not the documented order.
        while drill.state.teams["Red"].current != "lock":
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            if drill.state.teams["Red"].current != "lock":
                await answer_on_screen(pilot)
        await pilot.press("enter", "y")
        await settle(pilot)
        assert drill.state.teams["Red"].answers["lock"].answer != list(drill.scenario.inject("lock").key)
