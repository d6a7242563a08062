"""The answer key against the two guides and RSMo 407.1500, rule by rule (issue 10, parts 2-5, 9).

Every test reads the real files: the playbooks through scenarios.loader (merged as a drill sees
them) and the built-ins through scenarios.library, so a change to a file that breaks a rule
fails here.
"""

from __future__ import annotations

import re

import pytest

from scenarios.folders import BUILTIN_DIR
from scenarios.library import discover
from scenarios.loader import PLAYBOOK_DIR, load_playbook, playbook_problems
from scenarios.model import Facts
from scenarios.playbook import NOTIFY, Key

BUILTINS = {entry.scenario.id: entry for entry in discover([BUILTIN_DIR]) if entry.scenario is not None}
EI = load_playbook("east-independence")
STL = load_playbook("st-louis")
NEW_HARMS = ("restore-without-instruction", "wipe-left-out-of-timeline")


def facts(**kw) -> Facts:
    base = {"criminal_activity_suspected": False, "resident_personal_data": False, "vendor_involved": False}
    return Facts(**(base | kw))


def builtin(sid: str):
    entry = BUILTINS[sid]
    assert entry.ok, entry.problems
    return entry.scenario, entry.key


def option(scenario, inject_id: str, option_id: str):
    return next(o for o in scenario.inject(inject_id).options if o.id == option_id)


def texts(scenario):
    """Every text a player, facilitator or report can show, with where it is."""
    yield "summary", scenario.summary
    for k, objective in enumerate(scenario.objectives):
        yield f"objectives[{k}]", objective
    for inject in scenario.injects:
        for field in ("title", "body", "question", "notes", "debrief"):
            if (text := getattr(inject, field)) is not None:
                yield f"{inject.id}.{field}", text
        for o in inject.options:
            for field in ("text", "notes", "debrief"):
                if (text := getattr(o, field)) is not None:
                    yield f"{inject.id}.{o.id}.{field}", text


def playbook_texts(playbook):
    yield "summary", playbook.summary
    for attr in ("contacts", "steps", "harms"):
        for entry in getattr(playbook, attr):
            for field in ("title", "name", "role"):
                if (text := getattr(entry, field, None)) is not None:
                    yield f"{attr}.{entry.id}.{field}", text
    for order in playbook.order:
        yield f"order.{order.first}>{order.then}", order.why


def flat(text: str) -> str:
    return " ".join(text.split())


# --- part 2: East Independence police -----------------------------------------------------------


def test_ei_police_is_required_when_crime_is_suspected_and_never_needless_otherwise():
    police = next(c for c in EI.contacts if c.id == "police")
    assert police.when == ["criminal-activity-suspected"] and police.permitted == []
    crime = Key(EI, facts(criminal_activity_suspected=True))
    assert "police" in crime.required_contacts
    assert crime.option_value([], ["police"], []) == 1
    no_crime = Key(EI, facts())
    assert "police" not in no_crime.required_contacts
    assert "police" in no_crime.permitted_contacts
    assert no_crime.option_value([], ["police"], []) == 0  # credited, not needless
    assert no_crime.option_value([], ["code-enforcement"], []) == -1  # still needless


def test_ei_access_control_police_option_is_not_called_needless():
    scenario, key = builtin("ei-access-control")
    assert not scenario.facts.criminal_activity_suspected
    d = option(scenario, "resident-call", "d")
    assert "police" in d.notifies
    assert key.option_value(d.steps, d.notifies, d.harms) == 1  # isolate only; the call costs nothing
    assert "needless" not in d.debrief.lower()


@pytest.mark.parametrize("sid", sorted(s for s in BUILTINS if s.startswith("ei-")))
def test_ei_debriefs_quote_both_police_passages_wherever_police_is_offered(sid):
    scenario, _ = builtin(sid)
    for inject in scenario.injects:
        if not any("police" in o.notifies for o in inject.options):
            continue
        said = flat(" ".join(t for t in [inject.debrief, *(o.debrief for o in inject.options)] if t))
        assert "criminal activity is suspected" in said, inject.id  # Immediate Actions / How-To
        assert re.search(r"Police Department immediately|City IT and Police", said), inject.id  # FAQ / Key Takeaways


# --- part 3: delay of notice --------------------------------------------------------------------

ONLY_LAW_ENFORCEMENT = re.compile(
    r"only (?:a |recognized |reason |delay |way )?[^.]{0,40}law[- ]enforcement"
    r"|law[- ]enforcement[^.]{0,40}(?:nobody else|only)"
    r"|only (?:at|on) law enforcement'?s request"
    r"|only delay it names"
    r"|no request from law enforcement",
    re.IGNORECASE,
)


def test_no_builtin_says_only_law_enforcement_can_justify_a_delay():
    said = [(sid, where) for sid, entry in BUILTINS.items() for where, text in texts(entry.scenario)
            if ONLY_LAW_ENFORCEMENT.search(flat(text))]
    assert said == []


def test_no_playbook_says_only_law_enforcement_can_justify_a_delay():
    said = [(pb.id, where) for pb in (EI, STL) for where, text in playbook_texts(pb)
            if ONLY_LAW_ENFORCEMENT.search(flat(text))]
    assert said == []


def test_the_delay_harm_and_the_notice_step_state_the_statutes_words():
    key = Key(STL, facts(resident_personal_data=True, residents_affected=10))
    for text in (key.harms["delay-notice-without-cause"].title, key.steps["notify-residents"].title):
        text = flat(text)
        assert "needs of law enforcement" in text
        assert "steps needed to determine the scope and restore integrity" in text
        assert key.cite(key.harms["delay-notice-without-cause"].source).startswith(
            "Missouri breach notification law, RSMo 407.1500"
        )


def test_the_documented_no_fraud_determination_is_a_step_and_ends_the_notice_duty():
    exempt = Key(EI, facts(resident_personal_data=True, residents_affected=50, fraud_unlikely_documented=True))
    step = exempt.steps["document-no-fraud-determination"]
    assert step.when == ["fraud-unlikely-documented"] and step.source.doc == "rsmo-407-1500"
    assert "5 years" in flat(step.title) and "in writing" in flat(step.title)
    assert "document-no-fraud-determination" in exempt.applicable_steps
    assert "notify-residents" not in exempt.applicable_steps
    plain = Key(EI, facts(resident_personal_data=True, residents_affected=50))
    assert "notify-residents" in plain.applicable_steps
    assert "document-no-fraud-determination" not in plain.applicable_steps


# --- part 4: St. Louis --------------------------------------------------------------------------


def test_st_louis_police_and_referrals_follow_the_referral_not_a_suspicion_of_crime():
    crime_only = Key(STL, facts(criminal_activity_suspected=True))
    assert "police" not in crime_only.required_contacts
    assert "cooperate-with-referrals" not in crime_only.applicable_steps
    referral = Key(STL, facts(law_enforcement_referral=True))
    assert "police" in referral.required_contacts
    assert "cooperate-with-referrals" in referral.applicable_steps
    # The city guide never says "criminal"; only the state layer's delay step does.
    city_entries = [e for e in (*STL.contacts, *STL.steps) if e.source.doc == "stl-guide"]
    assert all("criminal-activity-suspected" not in (e.when or []) for e in city_entries)
    said = [e.id for e in city_entries
            if any("criminal" in (getattr(e, f, None) or "").lower() for f in ("name", "role", "title"))]
    assert said == []


@pytest.mark.parametrize("sid", sorted(s for s in BUILTINS if s.startswith("stl-")))
def test_st_louis_builtins_set_the_referral_where_the_story_has_one(sid):
    scenario, key = builtin(sid)
    offered = [i for i in scenario.injects if any("police" in o.notifies for o in i.options)]
    advised = [i for i in scenario.injects if re.search(r"advising a referral", flat(i.body))]
    assert scenario.facts.law_enforcement_referral == bool(advised)
    if advised:
        # The key reaches law enforcement where the IT/security office advises the referral.
        assert any(("police" in o.notifies and key.option_value(o.steps, o.notifies, o.harms) > 0)
                   for i in advised for o in i.options)
    else:
        assert all(key.option_value([], ["police"], []) == -1 for _ in offered)


def test_st_louis_state_rules_cite_rsmo_not_city_sections():
    key = Key(STL, facts(resident_personal_data=True, residents_affected=2000, vendor_involved=True))
    escalations = {e.contact: e for e in STL.escalations}
    for contact in ("attorney-general", "consumer-reporting-agencies", "contract-contact"):
        assert escalations[contact].source.doc == "rsmo-407-1500", contact
    assert escalations["contract-contact"].urgency == "immediately"
    assert {c.id: c for c in STL.contacts}["attorney-general"].source.doc == "rsmo-407-1500"
    assert key.steps["vendor-notifies-owner"].source.doc == "rsmo-407-1500"


def test_st_louis_ag_consumer_protection_is_permitted_never_required():
    division = {c.id: c for c in STL.contacts}["ag-consumer-protection"]
    assert division.when is None and division.permitted == ["city-unresponsive"]
    assert "ag-consumer-protection" not in {e.contact for e in STL.escalations}
    unresponsive = Key(STL, facts(city_unresponsive=True))
    assert "ag-consumer-protection" not in unresponsive.required_contacts
    assert "ag-consumer-protection" in unresponsive.permitted_contacts
    assert unresponsive.option_value([], ["ag-consumer-protection"], []) == 0
    assert Key(STL, facts()).option_value([], ["ag-consumer-protection"], []) == -1


def test_a_st_louis_builtin_exercises_the_unresponsive_city():
    exercised = []
    for sid, entry in BUILTINS.items():
        s, key = entry.scenario, entry.key
        if s.jurisdiction != "st-louis" or not s.facts.city_unresponsive:
            continue
        for inject in s.injects:
            offering = [o for o in inject.options if "ag-consumer-protection" in o.notifies]
            if offering and re.search(r"no answer|not responded|has not answered", flat(inject.body + inject.question)):
                exercised.append((sid, inject.id))
                # Reaching the division costs nothing beside an otherwise equal option.
                best = max(key.option_value(o.steps, o.notifies, o.harms) for o in inject.options)
                assert any(key.option_value(o.steps, o.notifies, o.harms) == best for o in offering)
    assert exercised


@pytest.mark.parametrize("sid", sorted(s for s in BUILTINS if s.startswith("stl-")))
def test_isolation_comes_first_in_every_st_louis_order_key(sid):
    scenario, _ = builtin(sid)
    for inject in scenario.injects:
        if inject.kind != "order":
            continue
        first = option(scenario, inject.id, inject.key[0])
        assert first.steps == ["isolate"], (inject.id, inject.key)


# --- part 5: missing harms ----------------------------------------------------------------------


@pytest.mark.parametrize("playbook", [EI, STL], ids=["east-independence", "st-louis"])
def test_city_playbooks_define_the_new_harms(playbook):
    harms = {h.id: h for h in playbook.harms}
    restore = harms["restore-without-instruction"]
    assert restore.severity in ("major", "minor") and restore.breaks == ["restore-on-instruction"]
    assert restore.source.section == "How-To" and restore.source.doc != "rsmo-407-1500"
    assert "say-so" in restore.title
    wipe = harms["wipe-left-out-of-timeline"]
    assert wipe.severity in ("major", "minor") and wipe.breaks == ["document-timeline"]
    assert "vendor" in harms["public-before-it"].title and "second" in harms["public-before-it"].title
    assert "watch" in harms["leave-connected"].title


@pytest.mark.parametrize(("sid", "inject_id", "option_id", "harm"), [
    ("stl-access-control", "i10-reopen", "c", "restore-without-instruction"),
    ("stl-unpatched-system", "i11-go-live", "d", "restore-without-instruction"),
    ("stl-unpatched-system", "c04-story-runs", "d", "public-before-it"),
    ("stl-access-control", "i02-it-intake", "b", "leave-connected"),  # "so the IT office can watch"
    ("ei-access-control", "reopen-request", "b", "restore-without-instruction"),
    ("ei-unpatched-system", "director", "b", "restore-without-instruction"),
    ("ei-unpatched-system", "wiped", "b", "wipe-left-out-of-timeline"),
    ("ei-unsecured-pii", "evidence-gone", "b", "wipe-left-out-of-timeline"),
    ("stl-unpatched-system", "i01-fim-alert", "b", "wipe-left-out-of-timeline"),
])
def test_named_options_carry_the_harm(sid, inject_id, option_id, harm):
    scenario, key = builtin(sid)
    chosen = option(scenario, inject_id, option_id)
    assert harm in chosen.harms
    assert key.option_value(chosen.steps, chosen.notifies, chosen.harms) == float("-inf")
    assert "harmful" in chosen.debrief.lower()


def test_no_option_restores_on_a_directors_say_so_without_the_harm():
    say_so = re.compile(r"director'?s say-so|as soon as the director approves|Turn it back on now", re.IGNORECASE)
    missing = [(sid, i.id, o.id) for sid, e in BUILTINS.items() for i in e.scenario.injects for o in i.options
               if say_so.search(o.text) and "restore-without-instruction" not in o.harms]
    assert missing == []


# --- part 9: citations for people ---------------------------------------------------------------

INTERNAL = re.compile(r"shared/|seeds/|DOMAIN\.md|\.txt\b|\.md\b|[0-9a-f]{16}")


def test_no_document_citation_shows_an_internal_path():
    docs = {d.id: d for pb in (EI, STL) for d in pb.documents}
    assert {"ei-guide", "stl-guide", "rsmo-407-1500", "nist-sp-800-61r2", "nist-csf-2", "cisa-ransomware"} <= set(docs)
    shown = {d.id: f"{d.title}: {d.citation}" for d in docs.values()}  # as the after-action report lists them
    assert {k: v for k, v in shown.items() if INTERNAL.search(v)} == {}
    assert "February 09, 2026" in docs["stl-guide"].citation  # the date the St. Louis guide gives


def test_stopransomware_citation_is_whole():
    cisa = {d.id: d for d in STL.documents}["cisa-ransomware"]
    assert "#StopRansomware" in cisa.citation
    assert cisa.citation.rstrip().endswith("checklist")
    assert playbook_problems() == []
    raw = (PLAYBOOK_DIR / "missouri.yaml").read_text()
    line = next(ln for ln in raw.splitlines() if "#StopRansomware" in ln)
    assert re.match(r'\s*citation: "', line), "an unquoted # starts a YAML comment"


def _cited_sources(scenario, key):
    """Every source a scorecard of this scenario can cite: the steps, contacts and harms its
    options name (and the steps those harms break), and the order constraints between them."""
    steps, contacts, harms = set(), set(), set()
    for inject in scenario.injects:
        for o in inject.options:
            steps |= set(o.steps)
            contacts |= set(o.notifies)
            harms |= set(o.harms)
    steps |= {s for h in harms for s in key.harms[h].breaks if s in key.applicable_steps}
    actions = steps | {NOTIFY + c for c in contacts}
    yield from (key.steps[s].source for s in steps)
    yield from (key.contacts[c].source for c in contacts)
    yield from (key.harms[h].source for h in harms)
    yield from (e.source for e in key.playbook.escalations if e.contact in contacts)
    yield from (o.source for o in key.playbook.order if o.first in actions and o.then in actions)


@pytest.mark.parametrize("sid", sorted(s for s, e in BUILTINS.items() if e.scenario.violation == "access-control"))
def test_no_access_control_builtin_cites_the_ransomware_checklist(sid):
    scenario, key = builtin(sid)
    assert [s for s in _cited_sources(scenario, key) if s.doc == "cisa-ransomware"] == []
    assert [where for where, text in texts(scenario) if re.search(r"CISA|ransomware", text, re.IGNORECASE)] == []
