"""Generated scenarios a reviewer who knows the guides would sign (issue 10, the generator's side
of parts 3, 4, 5 and 8): the statute's words for delay, St. Louis's referral and unresponsive
city, the harms the complications commit, and text whose clock, people and departments hold
together.

One sample is generated, loaded and validated once: every violation and city, seeds 0-35, the
difficulty turning with the seed. Each rule below is checked over all of it.
"""

from __future__ import annotations

import re
import statistics
from functools import lru_cache

import pytest
from _drill_fixtures import as_answers, play

from scenarios.generate import DIFFICULTIES, VIOLATIONS, generate
from scenarios.generate.clock import LEAD, words
from scenarios.guide import answers, guide_answer
from scenarios.loader import load_text
from scenarios.render import Renderer
from scoring.score import score

JURISDICTIONS = ("east-independence", "st-louis")
SEEDS = range(36)


@lru_cache(maxsize=1)
def sample() -> tuple:
    """(where, text, scenario, key) for every case of the sample, each loaded and validated."""
    out = []
    for violation in VIOLATIONS:
        for jurisdiction in JURISDICTIONS:
            for seed in SEEDS:
                difficulty = DIFFICULTIES[seed % len(DIFFICULTIES)]
                text = generate(violation, jurisdiction, seed, difficulty)
                loaded = load_text(f"gen-{seed}.yaml", text)
                where = f"{violation}/{jurisdiction}/seed {seed}/{difficulty}"
                out.append((where, text, loaded, loaded.scenario, loaded.key))
    return tuple(out)


def cases(jurisdiction: str | None = None):
    for where, text, _, scenario, key in sample():
        if jurisdiction is None or scenario.jurisdiction == jurisdiction:
            yield where, text, scenario, key


def flat(text: str) -> str:
    return " ".join(text.split())


def texts(inject) -> list[str]:
    """Every text of an inject that a player or facilitator reads, one line each."""
    out = [inject.title, inject.sender, inject.subject or "", inject.body, inject.question, inject.notes or "",
           inject.debrief or ""]
    out += [a.title for a in inject.artifacts] + [a.content for a in inject.artifacts]
    out += [o.text for o in inject.options] + [o.debrief or "" for o in inject.options]
    return [flat(t) for t in out if t]


def all_texts(scenario) -> list[str]:
    return [flat(scenario.summary), *map(flat, scenario.objectives), *(t for i in scenario.injects for t in texts(i))]


def topic(inject) -> str:
    return re.sub(r"^[ic]\d+-", "", inject.id)


def option_with(inject, pattern: str):
    found = [o for o in inject.options if re.search(pattern, o.text, re.I)]
    return found[0] if found else None


# --- every generated scenario validates ------------------------------------------------------


def test_every_generated_scenario_in_the_sample_validates():
    assert len(sample()) == len(VIOLATIONS) * len(JURISDICTIONS) * len(SEEDS)
    for where, _, loaded, scenario, key in sample():
        assert scenario is not None and key is not None, where
        assert loaded.problems == [], (where, [str(p) for p in loaded.problems[:5]])


# --- part 3: delay of notice in the statute's words ------------------------------------------

_ONLY_LAW_ENFORCEMENT = re.compile(
    r"only (?:a |when )?law[- ]enforcement|delayed only|only .{0,40}justif\w* a delay|justif\w* a delay", re.I)


def test_no_line_says_only_law_enforcement_can_justify_a_delay():
    for where, _text, scenario, _ in cases():
        for line in all_texts(scenario):
            assert not _ONLY_LAW_ENFORCEMENT.search(line), (where, line)
            # Where the needs of law enforcement are named as the measure of "without unreasonable
            # delay", the statute's second measure is named with them.
            if "without unreasonable delay, consistent with the needs of law enforcement" in line:
                assert "the steps needed to determine the scope and restore integrity" in line, (where, line)


def test_the_documented_no_fraud_exemption_is_drawn_and_the_notice_follows_it():
    drawn = 0
    for where, _, scenario, key in cases():
        facts = scenario.facts
        if not facts.fraud_unlikely_documented:
            continue
        drawn += 1
        assert facts.resident_personal_data and not facts.criminal_activity_suspected, where
        assert "notify-residents" not in key.applicable_steps, where
        assert not {"attorney-general", "consumer-reporting-agencies"} & set(key.required_contacts), where
        assert not any("notify-residents" in o.steps for i in scenario.injects for o in i.options), where
        notice = [i for i in scenario.injects if topic(i) == "no-fraud"]
        assert len(notice) == 1, where
        guide = [o for o in notice[0].options if o.id in guide_answer(notice[0], key)]
        assert "document-no-fraud-determination" in guide[0].steps, where
        assert "five years" in guide[0].text, where
    assert drawn >= 5, drawn


# --- part 4: St. Louis ----------------------------------------------------------------------


def test_the_referral_drives_st_louis_police_and_cooperation():
    with_referral = crime_without = 0
    for where, _, scenario, key in cases("st-louis"):
        facts = scenario.facts
        required, steps = set(key.required_contacts), key.applicable_steps
        assert ("police" in required) == facts.law_enforcement_referral, where
        assert ("cooperate-with-referrals" in steps) == facts.law_enforcement_referral, where
        offered = {c for i in scenario.injects for o in i.options for c in o.notifies}
        cooperate = any("cooperate-with-referrals" in o.steps for i in scenario.injects for o in i.options)
        bodies = " ".join(flat(i.body) for i in scenario.injects)
        if facts.law_enforcement_referral:
            with_referral += 1
            assert facts.criminal_activity_suspected, where
            assert "advising a referral to law enforcement" in bodies, where  # the story says so
            assert "police" in offered and cooperate, where
        else:
            assert not cooperate, where
            assert "advising a referral" not in bodies, where
            if facts.criminal_activity_suspected:
                crime_without += 1
                assert "has not advised a referral" in bodies, where
                assert "police" not in offered, where  # never needless where a crime is suspected
    assert with_referral >= 10 and crime_without >= 3, (with_referral, crime_without)


def test_the_unresponsive_city_is_drawn_and_its_attorney_general_option_is_credited_never_required():
    drawn = 0
    for where, _, scenario, key in cases():
        facts = scenario.facts
        assert "ag-consumer-protection" not in key.required_contacts, where
        offered = [(i, o) for i in scenario.injects for o in i.options if "ag-consumer-protection" in o.notifies]
        if scenario.jurisdiction == "east-independence":
            assert not facts.city_unresponsive, where
        if not facts.city_unresponsive:
            assert not offered, where  # never offered as a needless escalation
            continue
        drawn += 1
        assert "ag-consumer-protection" in key.permitted_contacts, where
        assert offered, where
        for inject, option in offered:
            assert option.id in guide_answer(inject, key), where  # credited: part of the guide's answer
            assert "may contact" in flat(inject.notes or "") or "as the guide allows" in option.text, where
        card = score(scenario, key, play(scenario, as_answers(scenario, answers(scenario, key))))["blue"]
        assert not [
            f for f in card.findings if f.subject == "ag-consumer-protection" and f.message.startswith("Needless")
        ], where
    assert drawn >= 10, drawn


# --- part 5: the harms the complications commit ---------------------------------------------


def test_the_named_complications_carry_their_harms():
    seen = {"still-open": 0, "evidence-gone": 0, "go-live": 0, "second-statement": 0, "pressure": 0}
    for where, _, scenario, key in cases():
        for inject in scenario.injects:
            name = topic(inject)
            if name == "still-open":
                watch = option_with(inject, r"to watch")
                assert watch is not None and "leave-connected" in watch.harms, where
                seen[name] += 1
            elif name == "evidence-gone":
                left_out = option_with(inject, r"leave the wipe out of the timeline")
                assert left_out is not None and left_out.harms == ["wipe-left-out-of-timeline"], where
                if "preserve-backups" in key.steps:
                    assert left_out.steps == ["preserve-backups"], where  # "keep the backup copies"
                seen[name] += 1
            elif name == "go-live":
                say_so = option_with(inject, r"as soon as the director approves")
                assert say_so is not None and "restore-without-instruction" in say_so.harms, where
                seen[name] += 1
            elif name in ("story-runs", "release-posted"):
                second = option_with(inject, r"its own statement|second interview")
                assert second is not None and second.harms == ["public-before-it"], where
                seen["second-statement"] += 1
            elif name in ("pressure", "reinfected"):
                reopen = option_with(inject, r"and reopen")
                if reopen is not None:
                    assert "restore-without-instruction" in reopen.harms, where
                    seen["pressure"] += 1
            # Anywhere: leaving an intruder connected "to watch" is leaving it connected.
            for option in inject.options:
                if re.search(r"to watch|see what it does next", option.text, re.I):
                    assert "leave-connected" in option.harms, (where, option.text)
    assert all(seen.values()), seen


def test_isolation_comes_first_in_every_st_louis_runbook():
    runbooks = 0
    for where, _, scenario, _ in cases("st-louis"):
        for inject in scenario.injects:
            if inject.kind != "order":
                continue
            runbooks += 1
            first = next(o for o in inject.options if o.id == inject.key[0])
            assert first.steps == ["isolate"], (where, inject.id, first.text)
    assert runbooks >= len(VIOLATIONS) * len(SEEDS)


# --- part 8: text that holds together --------------------------------------------------------

_STAMP = re.compile(r"\{\{(timestamp|time):([a-z0-9_-]+)\}\}")


def test_timestamps_follow_the_clock_and_come_after_the_discovery():
    for where, _, scenario, _ in cases():
        for inject in scenario.injects:
            arrives = LEAD + inject.at  # incident minute at which the inject reaches the team
            for text in texts(inject):
                for kind, key in _STAMP.findall(text):
                    assert key.isdigit(), (where, inject.id, f"{kind}:{key} is a random moment, not the clock")
                    minute = int(key)
                    assert minute <= arrives, (where, inject.id, f"{kind}:{key} is after the inject arrives")
                    if inject.id == scenario.start:
                        assert minute <= LEAD, (where, inject.id, f"{kind}:{key} is after the discovery it led to")
                    if topic(inject) == "still-open":  # what happened since the discovery
                        assert minute >= LEAD, (where, inject.id, f"{kind}:{key} is before the discovery")
        start = scenario.inject(scenario.start)
        assert f"{{{{time:{LEAD}}}}}" in start.body, where  # the discovery says when it was found


def test_rendered_timestamps_of_new_events_come_after_the_discovery():
    from scenarios.render import render

    for where, _, scenario, _ in list(cases())[::6]:
        for render_seed in (1, 2):
            drill = render(scenario, seed=render_seed)
            found = re.search(r"\b(\d\d:\d\d)\b", drill.inject(scenario.start).body).group(1)
            for inject in drill.injects:
                stamps = re.findall(r"\d{4}-\d\d-\d\dT(\d\d:\d\d):\d\d", " ".join(texts(inject)))
                if inject.id == scenario.start:
                    assert all(s <= found for s in stamps), (where, found, stamps)
                elif topic(inject) == "still-open":
                    assert all(s >= found for s in stamps), (where, found, stamps)


_NUMBER = {words(n).split(" minute")[0]: n for n in range(1, 60)}
_DURATION = re.compile(
    r"\b((?:an|[a-z]+(?:-[a-z]+)?) hours?(?: and [a-z]+(?:-[a-z]+)? minutes?)?|[a-z]+(?:-[a-z]+)? minutes?)"
    r" (later|after the first|since the report)", re.I)


def _minutes(phrase: str) -> int:
    total = 0
    for part in phrase.lower().split(" and "):
        count, unit = part.rsplit(" ", 1)
        n = 1 if count in ("an", "one") else _NUMBER[count]
        total += n * (60 if unit.startswith("hour") else 1)
    return total


def test_relative_times_in_prose_match_the_clock():
    checked = 0
    for where, _, scenario, _ in cases():
        for inject in scenario.injects:
            body = flat(inject.body)
            assert not re.search(r"\blast \d+ min\b", " ".join(texts(inject))), (where, inject.id)
            for phrase, _ in _DURATION.findall(body):
                checked += 1
                assert _minutes(phrase) == inject.at, (where, inject.id, phrase, inject.at)
    assert checked >= 20, checked


_NOT_A_CRIME = re.compile(r"mistake, not a (?:hack|crime)|only a mistake|nobody meant harm|"
                          r"mistake that exposed|no sign of a crime", re.I)


def test_no_mistake_not_a_hack_where_crime_is_suspected():
    crimes = 0
    for where, _, scenario, _ in cases():
        if not scenario.facts.criminal_activity_suspected:
            continue
        crimes += 1
        for line in all_texts(scenario):
            assert not _NOT_A_CRIME.search(line), (where, line)
    assert crimes >= 50


_PERSON = re.compile(r"\{\{(staff|resident):([a-z0-9_-]+)\}\}")


def test_two_roles_never_share_a_name():
    for where, text, scenario, _ in cases():
        # One placeholder, one role: every sender line naming the same person gives one affiliation.
        roles: dict[tuple[str, str], set[str]] = {}
        for inject in scenario.injects:
            m = re.fullmatch(r"\{\{(staff|resident):([a-z0-9_-]+)\}\},?\s*(.*)", inject.sender)
            if m and m.group(3):
                affiliation = re.sub(r"^(the|by|from)\s+", "", m.group(3).strip().lower())
                roles.setdefault((m.group(1), m.group(2)), set()).add(affiliation)
        assert all(len(r) == 1 for r in roles.values()), (where, roles)
        # Different placeholders, different people: no two keys render to the same name.
        people = sorted(set(_PERSON.findall(text)))
        for render_seed in (1, 2, 3):
            renderer = Renderer(scenario, render_seed)
            names = [renderer.value(kind, key) for kind, key in people]
            assert len(set(names)) == len(names), (where, render_seed, people, names)


def test_departments_fit_the_data():
    # The department-specific exports (a permit-applicant export belongs to Licensing and Permits).
    pairs = {"permit-applicant": "Licensing and Permits", "job-applicant": "Human Resources",
             "defendant contact": "Municipal Court"}
    for where, _, scenario, _ in cases():
        summary = scenario.summary
        department = summary.split(":", 1)[0]
        for what, owner in pairs.items():
            if what in summary:
                assert department == owner, (where, summary)
        assert "Streets Department" not in summary or "utility-assistance" not in summary, where


def test_the_code_enforcement_debrief_reads_as_sentences():
    for where, _, scenario, _ in cases("east-independence"):
        for inject in scenario.injects:
            for option in inject.options:
                if "code-enforcement" in option.notifies:
                    debrief = option.debrief
                    assert "Needless escalation: nothing here calls for By-law/Code Enforcement." in debrief, (
                        where, debrief)
                    assert "((" not in debrief and "), not as a breach contact" not in debrief, (where, debrief)


# --- figures: a guide-following team and a harmful one ---------------------------------------


def test_a_guide_following_team_scores_high_and_a_harmful_one_low():
    good, bad = [], []
    for where, _, scenario, key in cases():
        good.append(score(scenario, key, play(scenario, as_answers(scenario, answers(scenario, key))))["blue"].overall)
        bad.append(score(
            scenario, key, play(scenario, as_answers(scenario, answers(scenario, key, harmful=True)))
        )["blue"].overall)
        assert good[-1] >= 90, (where, good[-1])
        assert bad[-1] <= 30, (where, bad[-1])
    assert statistics.mean(good) >= 95, statistics.mean(good)
    assert statistics.mean(bad) <= 20, statistics.mean(bad)


@pytest.mark.parametrize("minutes", [1, 7, 12, 45, 60, 61, 125])
def test_durations_in_words_read_back(minutes):
    assert _minutes(words(minutes)) == minutes


def test_no_access_control_drill_cites_the_ransomware_checklist():
    """Its steps and their debriefs cite general doctrine (NIST), never CISA's ransomware list."""
    checked = 0
    for where, _, scenario, key in cases():
        if scenario.violation != "access-control":
            continue
        checked += 1
        used = {s for i in scenario.injects for o in i.options for s in o.steps}
        cited = {key.steps[s].source.doc for s in used if s in key.steps}
        assert "cisa-ransomware" not in cited, where
        assert not [t for t in all_texts(scenario) if re.search(r"CISA|ransomware checklist", t)], where
    assert checked >= 50
