"""A small East Independence scenario built in Python, and keys read from the playbook files.

Independent of the built-in library (written in parallel) so the engine and scorer tests
always have something to play. The key is built straight from the YAML files, as the
loader would merge them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scenarios.exercise import Exercise
from scenarios.model import Playbook, Scenario
from scenarios.playbook import Key, merge

ROOT = Path(__file__).resolve().parents[1]
PLAYBOOKS = ROOT / "scenarios" / "playbooks"


def playbook(*layers: str) -> Playbook:
    return merge([Playbook.model_validate(yaml.safe_load((PLAYBOOKS / f"{name}.yaml").read_text())) for name in layers])


def option(oid, text=None, steps=(), notifies=(), harms=(), next=None, keywords=()):
    data = {
        "id": oid, "text": text or oid.replace("-", " "),
        "steps": list(steps), "notifies": list(notifies), "harms": list(harms),
    }
    if next:
        data["next"] = next
    if keywords:
        data["keywords"] = list(keywords)
    return data


def inject(iid, kind, options, at=0, next=None, key=None, limit=None):
    data = {
        "id": iid, "at": at, "title": iid, "sender": "Help desk", "channel": "email",
        "body": f"Body of {iid}.", "question": "What do you do?", "kind": kind, "options": options,
    }
    if next:
        data["next"] = next
    if key:
        data["key"] = key
    if limit:
        data["limit"] = limit
    return data


def ei_scenario_data() -> dict:
    return {
        "id": "test-ei-records",
        "title": "Records server intrusion (test)",
        "violation": "access-control",
        "jurisdiction": "east-independence",
        "summary": "A test scenario.",
        "facts": {
            "criminal_activity_suspected": True,
            "resident_personal_data": True,
            "vendor_involved": False,
            "residents_affected": 1500,
        },
        "start": "detect",
        "injects": [
            inject("detect", "single", [
                option("isolate-and-call", steps=["isolate"], notifies=["city-it"], next="evidence"),
                option("keep-running", harms=["leave-connected"], next="evidence"),
                option("wipe-now", harms=["wipe-before-imaging"], next="pressure"),
            ]),
            inject("evidence", "multi", [
                option("export-logs", steps=["preserve-logs"]),
                option("keep-originals", steps=["keep-originals"]),
                option("timeline", steps=["document-timeline"]),
                option("clear-logs", harms=["delete-logs"]),
            ], at=15, next="police"),
            inject("police", "single", [
                option("call-police", notifies=["police"]),
                option("call-code-enforcement", notifies=["code-enforcement"]),
                option("wait", text="wait and see"),
            ], at=30, next="recovery"),
            inject("recovery", "order", [
                option("image", steps=["image-before-rebuild"]),
                option("verify", steps=["verify-backups"]),
                option("restore", steps=["restore-on-instruction"]),
            ], at=60, key=["image", "verify", "restore"], next="notice", limit=120),
            inject("pressure", "single", [
                option("restore-now", harms=["restore-unverified-backup"]),
                option("wait-for-it", steps=["restore-on-instruction"], notifies=["city-it"]),
            ], at=20, next="police"),
            inject("notice", "free", [
                option("tell-ag", notifies=["attorney-general"], keywords=["attorney general"]),
                option("tell-cras", notifies=["consumer-reporting-agencies"],
                       keywords=["credit bureaus", "consumer reporting"]),
                option("tell-residents", steps=["notify-residents"], keywords=["notify residents", "letters"]),
                option("press", harms=["public-before-it"], keywords=["press release"]),
            ], at=120),
        ],
    }


def ei_scenario() -> Scenario:
    return Scenario.model_validate(ei_scenario_data())


def ei_key(scenario: Scenario | None = None) -> Key:
    scenario = scenario or ei_scenario()
    return Key(playbook=playbook("missouri", "east-independence"), facts=scenario.facts)


GUIDE_TEXT = "We notify residents by letters, and tell the attorney general and the credit bureaus."


def play(scenario: Scenario, answers: dict, team: str = "blue", timed: bool = False, seconds=None, clock=None):
    """Play one team through its branch, answering what `answers` holds; returns the events."""
    kwargs = {"clock": clock} if clock else {}
    ex = Exercise.start(scenario, seed=7, teams=[team], scenario_hash="test", timed=timed, **kwargs)
    while ex.state.teams[team].next is not None:
        released = ex.release(team)
        if released.inject in answers:
            ex.submit(team, released.inject, answers[released.inject], seconds=(seconds or {}).get(released.inject))
    ex.end()
    return ex.events


def stl_scenario() -> Scenario:
    """St. Louis: police are reached on referral, after the IT/security office (`after`)."""
    return Scenario.model_validate({
        "id": "test-stl-referral",
        "title": "Referral order (test)",
        "violation": "unpatched-system",
        "jurisdiction": "st-louis",
        "summary": "A test scenario.",
        "facts": {"criminal_activity_suspected": True, "resident_personal_data": False, "vendor_involved": False,
                  "law_enforcement_referral": True},
        "start": "first-call",
        "injects": [
            inject("first-call", "single", [
                option("call-police", notifies=["police"]),
                option("call-it", notifies=["city-it", "department-head"]),
            ], next="follow-up"),
            inject("follow-up", "multi", [
                option("tell-it", notifies=["city-it"]),
                option("tell-head", notifies=["department-head"]),
                option("refer-police", notifies=["police"]),
                option("isolate", steps=["isolate"]),
            ], at=10),
        ],
    })


def stl_key(scenario: Scenario | None = None) -> Key:
    scenario = scenario or stl_scenario()
    return Key(playbook=playbook("missouri", "st-louis"), facts=scenario.facts)


def library():
    """Every built-in scenario, loaded and checked: [(path, scenario, key)]."""
    from scenarios.folders import BUILTIN_DIR
    from scenarios.library import discover

    return [(entry.path, entry.scenario, entry.key) for entry in discover([BUILTIN_DIR])]


def as_answers(scenario: Scenario, choices: dict[str, list[str]]) -> dict:
    """Option ids per inject (as scenarios.guide gives them) turned into answers: free injects
    get text that holds the first keyword of each chosen option."""
    out: dict = {}
    for inject_id, ids in choices.items():
        inj = scenario.inject(inject_id)
        if inj.kind == "free":
            words = [o.keywords[0] for o in inj.options if o.id in ids]
            out[inject_id] = ("We would " + "; and ".join(words) + ".") if words else "No plan yet."
        else:
            out[inject_id] = list(ids)
    return out
