"""What a scorecard holds, and its JSON shape (docs/scoring.md).

Plain slotted dataclasses with hand-written `to_dict`: the scorer builds thousands of these a
second, and pydantic's validation would cost more than the scoring itself. Findings are frozen:
the scorer shares identical ones between scorecards. The rest are not (a frozen dataclass is
five times slower to build) but are read-only by convention: a scorecard is recomputed from
events, never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Effect = Literal["gained", "missed", "deducted", "noted"]

# Rating bands, highest first (docs/scoring.md, "Phases and capabilities"). HSEEP defines the
# four ratings and their words; the score bands that map a number to one are this project's own.
BANDS: tuple[tuple[float, str, str], ...] = (
    (90.0, "P", "performed without challenges"),
    (70.0, "S", "performed with some challenges"),
    (40.0, "M", "performed with major challenges"),
    (0.0, "U", "unable to be performed"),
)


def rating_for(score: float) -> tuple[str, str]:
    """The P/S/M/U letter and its meaning for a score already rounded to one decimal."""
    for floor, letter, meaning in BANDS:
        if score >= floor:
            return letter, meaning
    return BANDS[-1][1], BANDS[-1][2]


@dataclass(slots=True, frozen=True)
class Finding:
    """One point gained or lost, and why.

    `points` are overall points (0-100 scale), signed: `gained` adds to the overall, `missed` is
    what was not earned, `deducted` is taken back off what was earned, `noted` carries no points.
    So overall = sum(gained) + sum(deducted), and 100 - overall = -(sum(missed) + sum(deducted)).
    """

    dimension: str
    effect: Effect
    points: float
    inject: str | None
    subject: str | None  # the step id, contact id, harm id or `first>then` constraint it is about
    message: str
    source: str | None  # the guide and section, as `Key.cite` writes it

    def to_dict(self) -> dict:
        return {
            "dimension": self.dimension,
            "effect": self.effect,
            "points": self.points,
            "inject": self.inject,
            "subject": self.subject,
            "message": self.message,
            "source": self.source,
        }


@dataclass(slots=True)
class PhaseScore:
    asked: int
    performed: int
    score: float | None  # None when the path asked no step in this phase

    def to_dict(self) -> dict:
        return {"asked": self.asked, "performed": self.performed, "score": self.score}


@dataclass(slots=True)
class Rating:
    score: float
    rating: str
    meaning: str

    def to_dict(self) -> dict:
        return {"score": self.score, "rating": self.rating, "meaning": self.meaning}


@dataclass(slots=True)
class FreeAnswer:
    inject: str
    method: Literal["keywords", "facilitator"]
    credited: tuple[str, ...]
    text: str

    def to_dict(self) -> dict:
        return {"inject": self.inject, "method": self.method, "credited": list(self.credited), "text": self.text}


@dataclass(slots=True)
class Scorecard:
    team: str
    overall: float
    dimensions: dict[str, float]  # only the dimensions that counted (see `weights`)
    weights: dict[str, float]  # each counted dimension's share of the overall, in percent
    phases: dict[str, PhaseScore]
    ratings: dict[str, Rating]
    findings: tuple[Finding, ...]
    free_answers: tuple[FreeAnswer, ...]
    path: tuple[str, ...]
    unanswered: tuple[str, ...]  # scored injects on the path left unanswered (counted as missed)
    timed: bool
    unscored: tuple[str, ...] = ()  # discussion-only injects on the path: in no denominator

    def to_dict(self) -> dict:
        return {
            "team": self.team,
            "overall": self.overall,
            "dimensions": dict(self.dimensions),
            "weights": dict(self.weights),
            "phases": {name: p.to_dict() for name, p in self.phases.items()},
            "ratings": {name: r.to_dict() for name, r in self.ratings.items()},
            "findings": [f.to_dict() for f in self.findings],
            "free_answers": [a.to_dict() for a in self.free_answers],
            "path": list(self.path),
            "unanswered": list(self.unanswered),
            "timed": self.timed,
            "unscored": list(self.unscored),
        }


def escalation_rows(card: Scorecard, key) -> list[dict]:
    """Each contact the scorecard speaks of, read from its escalation findings so that every
    screen and report tells the score's own story: the contacts the path asked for, in the
    playbook's order, then the others as the team reached them. `status` is one of reached,
    late, not reached (required); permitted, needless (not required). `inject` is where the team
    reached the contact (None when it did not); `out_of_order` when it came before a contact the
    guide has reached first."""
    gained: dict[str, str | None] = {}
    missed: dict[str, str | None] = {}
    taken: dict[str, str | None] = {}  # deducted or noted: needless, or out of order
    for f in card.findings:
        if f.dimension != "escalation" or f.subject is None:
            continue
        bucket = gained if f.effect == "gained" else missed if f.effect == "missed" else taken
        bucket.setdefault(f.subject, f.inject)
    required = set(key.required_contacts)
    asked = [c for c in key.required_contacts if c in gained or c in missed]
    others = [c for c in dict.fromkeys([*gained, *taken]) if c not in required]
    rows = []
    for contact in [*asked, *others]:
        if contact in required:
            status = ("late" if contact in missed else "reached") if contact in gained else "not reached"
        else:
            status = "permitted" if contact in gained else "needless"
        esc = key.escalations.get(contact)
        # A needless contact has only its deduction (or note) to say where it was reached.
        reached_at = gained[contact] if contact in gained else None if contact in required else taken[contact]
        rows.append({
            "contact": contact,
            "name": key.contacts[contact].name if contact in key.contacts else contact,
            "required": contact in required,
            "urgency": esc.urgency if esc else None,
            "inject": reached_at,
            "status": status,
            "out_of_order": contact in required and contact in taken,
        })
    return rows
