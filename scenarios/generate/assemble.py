"""From (violation, jurisdiction, seed, difficulty) to a scenario: the plan, then the file.

The plan is drawn from streams seeded by the arguments alone (never the clock), in a fixed
order, so the same arguments always give the same bytes. Difficulty has its own streams: it adds
red herrings, subtler wording and tighter limits without moving the plan.

Shape of every scenario: the discovery, the evidence checklist, a shuffled middle (police, the
St. Louis referral or its temptation, the vendor, a reporter or records request, credentials or
the forensic review, the director's fines question, red herrings), a shuffled tail (pressure to
restore, the notice decision, and in St. Louis the city's silence before it), a written answer
and a runbook in order, and the go-live when there is a system to bring back. Some harmful
choices branch to a consequence inject that rejoins the main line. Times in the text are tokens
(clock.py) filled once each inject has its minute.
"""

from __future__ import annotations

import random
from typing import get_args

from ..loader import load_playbook, playbooks
from ..model import Difficulty, Scenario, Violation
from ..playbook import Key
from .blocks import escalate, evidence, notice, opening, public, recover, review
from .blocks.herring import HERRINGS, herring
from .clock import resolve_tokens_in
from .complications import LEVEL_BY_DIFFICULTY, choose
from .context import Ctx, make_vars
from .draft import Draft, GenerationError, finish
from .stories import BY_VIOLATION
from .summary import objectives, summary_paragraph
from .yamltext import dump

VIOLATIONS: tuple[str, ...] = get_args(Violation)
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
DEFAULT_DIFFICULTY = "intermediate"
MIN_INJECTS = 8


def jurisdictions() -> tuple[str, ...]:
    return tuple(sorted(playbooks()))


def scenario_id(violation: str, jurisdiction: str, seed: int, difficulty: str) -> str:
    # The difficulty is part of the id: one seed at two levels is two drills in one library.
    return f"gen-{violation}-{jurisdiction}-{seed}-{difficulty}"


def _check_args(violation: str, jurisdiction: str, seed: int, difficulty: str) -> None:
    if violation not in VIOLATIONS:
        raise ValueError(f"unknown violation '{violation}' (one of: {', '.join(VIOLATIONS)})")
    if jurisdiction not in playbooks():
        raise ValueError(f"unknown jurisdiction '{jurisdiction}' (one of: {', '.join(jurisdictions())})")
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"unknown difficulty '{difficulty}' (one of: {', '.join(DIFFICULTIES)})")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a whole number from 0 to {2**63 - 1}, got {seed!r}")


def incident(violation: str, jurisdiction: str, seed: int, difficulty: str) -> Ctx:
    """The facts and words of one generated scenario (the plan's first draws)."""
    rng = random.Random(f"{violation}|{jurisdiction}|{seed}|story")
    story = rng.choice(BY_VIOLATION[violation])
    c = choose(rng, story, jurisdiction)
    department = rng.choice(story.departments)
    key = Key(load_playbook(jurisdiction), c.facts())
    ctx = Ctx(violation, jurisdiction, difficulty, seed, story, c, key, LEVEL_BY_DIFFICULTY[difficulty], department)
    ctx.vars = make_vars(jurisdiction, story, department, c)
    return ctx


def _plan(x: Ctx) -> tuple[list[Draft], dict[int, str]]:
    """The main line in order, and the branch kept at each draft that branches (by id(draft))."""
    rng = x.rng("plan")
    c = x.c
    middle: list[Draft] = []
    if c.criminal:
        middle.append(escalate.criminal(x))
    elif rng.random() < 0.5 and not x.ei:
        # East Independence's FAQ names the police without a condition: calling them is never a
        # needless escalation there, so the "shouldn't we call the police?" lesson is St. Louis's.
        middle.append(escalate.not_a_crime(x))
    if c.vendor:
        middle.append(escalate.vendor(x))
    if c.inquiry:
        middle.append(public.inquiry(x))
    middle.append(recover.credentials(x) if x.ei else recover.forensics(x))
    if rng.random() < 0.4:
        middle.append(public.fines(x))
    rng.shuffle(middle)
    tail: list[Draft] = []
    if c.pressure:
        tail.append(recover.pressure(x))
    if c.residents:
        as_checklist = c.notice_required and rng.random() < 0.5
        tail.append(notice.notice_plan(x) if as_checklist else notice.notice(x))
    rng.shuffle(tail)
    if c.unresponsive:
        # The city's silence on the notice comes before the notice decision.
        at = next((n for n, d in enumerate(tail) if d.topic not in ("pressure",)), len(tail))
        tail.insert(at, notice.unresponsive(x))
    written = [rng.choice(list(review.free_variants(x)))(x), rng.choice(list(review.order_variants(x)))(x)]
    rng.shuffle(written)
    closing = [recover.go_live(x)] if x.story.server else []
    first = [opening.discovery(x), evidence.evidence(x)]

    # Branch at the discovery always, and at one to three of the other places that can branch.
    can = [d for d in middle + tail if d.consequences]
    branching = [first[0], *rng.sample(can, min(len(can), rng.choice((1, 2, 2, 3))))]
    kept = {id(d): next(iter(d.consequences)) for d in branching}
    # Each kept branch adds its consequence inject; a short plan gets the fines question too.
    if len(first + middle + tail + written + closing) + len(kept) < MIN_INJECTS and not any(d.topic == "fines" for d in middle):
        middle.insert(rng.randrange(len(middle) + 1), public.fines(x))
    # Red herrings come from the difficulty's own stream, so the plan above never moves.
    drng = x.drng("herrings")
    for which in drng.sample(range(len(HERRINGS)), x.level.herrings):
        middle.insert(drng.randrange(len(middle) + 1), herring(x, which))
    return first + middle + tail + written + closing, kept


def _clock(x: Ctx, count: int) -> list[int]:
    """Minutes for the main line: strictly increasing, gaps of 10 to 25 minutes."""
    rng = x.drng("clock")
    at, times = 0, []
    for _ in range(count):
        times.append(at)
        at += rng.choice((10, 15, 15, 20, 25))
    return times


def _limit(x: Ctx, base: int) -> int:
    return max(30, min(600, round(base * x.level.limit / 10) * 10))


def _injects(x: Ctx, main: list[Draft], kept: dict[int, str]) -> list[dict]:
    times = _clock(x, len(main))
    ids = [f"i{n + 1:02d}-{d.topic}" for n, d in enumerate(main)]
    injects: list[dict] = []
    for n, draft in enumerate(main):
        branch = kept.get(id(draft))
        data = finish(draft, x.key, x.level, x.rng(f"inject|{draft.topic}"), x.drng(f"inject|{draft.topic}"), branch)
        data["id"], data["at"], data["limit"] = ids[n], times[n], _limit(x, draft.limit)
        data = resolve_tokens_in(data, times[n])
        following = ids[n + 1] if n + 1 < len(main) else None
        if following:
            data["next"] = following
        injects.append(data)
        if branch is None:
            continue
        consequence = draft.consequences[branch]
        cid = f"c{n + 1:02d}-{consequence.topic}"
        for option in data["options"]:
            if option.get("next") == ("branch", branch):
                option["next"] = cid
        cdata = finish(consequence, x.key, x.level, x.rng(f"inject|{cid}"), x.drng(f"inject|{cid}"), None)
        # Halfway to the next inject: the clock never runs backwards on either path.
        cdata["id"], cdata["at"], cdata["limit"] = cid, (times[n] + times[n + 1]) // 2, _limit(x, consequence.limit)
        cdata = resolve_tokens_in(cdata, cdata["at"])
        cdata["next"] = following
        injects.append(_in_field_order(cdata))
    return [_in_field_order(i) for i in injects]


_FIELDS = ("id", "at", "title", "sender", "channel", "subject", "body", "artifacts", "question", "kind", "limit",
           "options", "key", "next", "notes", "debrief")


def _in_field_order(data: dict) -> dict:
    return {k: data[k] for k in _FIELDS if data.get(k) is not None}


def scenario_data(violation: str, jurisdiction: str, seed: int, difficulty: str = DEFAULT_DIFFICULTY) -> dict:
    """The generated scenario as plain data, in the format's field order."""
    _check_args(violation, jurisdiction, seed, difficulty)
    x = incident(violation, jurisdiction, seed, difficulty)
    main, kept = _plan(x)
    injects = _injects(x, main, kept)
    if len(injects) < MIN_INJECTS:
        raise GenerationError(f"only {len(injects)} injects planned for {scenario_id(violation, jurisdiction, seed, difficulty)}")
    return {
        "id": scenario_id(violation, jurisdiction, seed, difficulty),
        "title": f"{x.story.title} ({x.department})",
        "violation": violation,
        "jurisdiction": jurisdiction,
        "difficulty": difficulty,
        "summary": summary_paragraph(x),
        "objectives": objectives(x, main),
        "facts": x.c.facts().model_dump(mode="json"),
        "start": injects[0]["id"],
        "injects": injects,
    }


def _header(violation: str, jurisdiction: str, seed: int, difficulty: str) -> str:
    return (
        f"# Generated: breachdrill scenarios generate --violation {violation} --jurisdiction {jurisdiction}"
        f" --seed {seed} --difficulty {difficulty}\n"
        "# Every scored step, contact and harm comes from scenarios/playbooks/ (the city guides in\n"
        "# shared/seeds/ and the Missouri state layer). People, systems and numbers are synthetic.\n"
    )


def generate(violation: str, jurisdiction: str, seed: int, difficulty: str = DEFAULT_DIFFICULTY) -> str:
    """The generated scenario as YAML text: the same arguments always give the same bytes."""
    data = scenario_data(violation, jurisdiction, seed, difficulty)
    return dump(data, _header(violation, jurisdiction, seed, difficulty))


def generate_scenario(violation: str, jurisdiction: str, seed: int, difficulty: str = DEFAULT_DIFFICULTY) -> Scenario:
    """The generated scenario as a model (not yet checked against the key: see loader.load_text)."""
    return Scenario.model_validate(scenario_data(violation, jurisdiction, seed, difficulty))
