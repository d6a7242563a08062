"""What a scorecard holds, and its JSON shape (docs/scoring.md).

Plain slotted dataclasses with hand-written `to_dict`: the scorer builds thousands of these a
second, and pydantic's validation would cost more than the scoring itself. Findings are frozen:
the scorer shares identical ones between scorecards. The rest are not (a frozen dataclass is
five times slower to build) but are read-only by convention: a scorecard is recomputed from
events, never edited. Its `judgments` (one InjectJudgment per inject on the path: what the
scorer made of the answer) are what every screen and report reads to say right or wrong; they
are not in `to_dict` (its shape is the documented one), the report writes them per response.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Effect = Literal["gained", "missed", "deducted", "noted"]
# A contact as the scorer judged it: a required one reached (in time), late (after its first
# opportunity, when the guide says "immediately") or not reached; one not required, permitted
# (credited, no points) or needless (a deduction).
ContactStatus = Literal["reached", "late", "not reached", "permitted", "needless"]

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


@dataclass(slots=True, frozen=True)
class StepJudgment:
    step: str
    title: str
    source: str | None  # the guide and section, as `Key.cite` writes it


@dataclass(slots=True, frozen=True)
class HarmJudgment:
    harm: str
    title: str
    severity: str
    undoes: tuple[str, ...]  # the titles of the steps it undoes
    source: str | None


@dataclass(slots=True, frozen=True)
class ContactJudgment:
    contact: str
    name: str
    status: ContactStatus
    required: bool
    urgency: str | None  # the guide's escalation urgency, None when it sets none
    by: str | None  # who makes the call, in the guide's words
    inject: str | None  # where the team reached it, None when it did not
    first: str | None  # a required contact's first opportunity on the path
    out_of_order: bool  # reached before a contact the guide has reached first
    source: str | None


@dataclass(slots=True, frozen=True)
class OrderJudgment:
    right: int  # pairs in the documented order
    pairs: int
    documented: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class InjectJudgment:
    """What the scorer made of a team's answer to one inject on its path (or of its silence).

    Every screen and report that says right or wrong reads this, never the key: `honoured` are
    the steps credited here, `undone` the steps a harm chosen here took back, `broken` the harms
    counted here and `held_harms` those a free answer's words matched without a facilitator's
    mark; `reached`, `late`, `permitted` and `needless` the contacts first reached here;
    `missed_steps` and `missed_contacts` what this inject's guide answer does that the team had
    not done by then (a missed contact keeps its overall status: late, or not reached).
    `unasked_*` were done here but asked nowhere on the path: in no denominator, no points."""

    inject: str
    scored: bool  # False: discussion only, in no denominator
    answered: bool
    method: str | None  # choice, keywords or facilitator; None when unanswered
    credited: tuple[str, ...]  # the options that count
    held: tuple[str, ...]  # options matched by keywords that count only with a mark
    guide: tuple[str, ...]  # the guide's answer (file order; () for discussion only)
    matches_guide: bool | None  # None for discussion only; False when unanswered
    honoured: tuple[StepJudgment, ...]
    undone: tuple[StepJudgment, ...]
    broken: tuple[HarmJudgment, ...]
    held_harms: tuple[HarmJudgment, ...]
    reached: tuple[ContactJudgment, ...]
    late: tuple[ContactJudgment, ...]
    permitted: tuple[ContactJudgment, ...]
    needless: tuple[ContactJudgment, ...]
    missed_steps: tuple[StepJudgment, ...]
    missed_contacts: tuple[ContactJudgment, ...]
    unasked_steps: tuple[StepJudgment, ...]
    unasked_contacts: tuple[ContactJudgment, ...]
    order: OrderJudgment | None  # an answered order inject's pairs
    findings: tuple[Finding, ...]  # the scorecard's findings at this inject
    gained: float  # their points, signed as findings' are
    lost: float

    def to_dict(self) -> dict:
        ids = {"honoured": "step", "undone": "step", "broken": "harm", "held_harms": "harm", "reached": "contact",
               "late": "contact", "permitted": "contact", "needless": "contact", "missed_steps": "step",
               "missed_contacts": "contact", "unasked_steps": "step", "unasked_contacts": "contact"}
        return {
            "inject": self.inject, "scored": self.scored, "answered": self.answered, "method": self.method,
            "credited": list(self.credited), "held": list(self.held), "guide": list(self.guide),
            "matches_guide": self.matches_guide,
            **{name: [getattr(x, attr) for x in getattr(self, name)] for name, attr in ids.items()},
            "order": None if self.order is None else {"right": self.order.right, "pairs": self.order.pairs},
            "gained": self.gained, "lost": self.lost,
        }


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
    # Builds `judgments` from what the scorer kept (scoring.judgment). Lazy because Review and
    # exports score thousands of drills a second and read no judgment; derived, so not compared.
    judge: Callable[[Scorecard], dict[str, InjectJudgment]] | None = field(default=None, repr=False, compare=False)
    _judgments: dict[str, InjectJudgment] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def judgments(self) -> dict[str, InjectJudgment]:
        """inject id -> InjectJudgment, for every inject on the path, in path order."""
        if self._judgments is None:
            self._judgments = self.judge(self) if self.judge is not None else {}
        return self._judgments

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


def contact_judgments(card: Scorecard, key) -> list[ContactJudgment]:
    """Each contact the score speaks of, read from the card's judgments: the contacts the path
    asked for, in the playbook's order, then those permitted and those needless, as the team
    reached them. (A required contact the path never asked for is in no denominator: left out.)"""
    seen: dict[str, ContactJudgment] = {}
    for inject in card.path:
        j = card.judgments[inject]
        for c in (*j.reached, *j.late, *j.missed_contacts, *j.permitted, *j.needless):
            seen.setdefault(c.contact, c)
    asked = [seen[c] for c in key.required_contacts if c in seen and seen[c].required]
    others = [c for status in ("permitted", "needless") for c in seen.values() if c.status == status]
    return asked + others


def escalation_rows(card: Scorecard, key) -> list[dict]:
    """`contact_judgments` as plain rows for reports. `status` is one of reached, late, not
    reached (required); permitted, needless (not required). `inject` is where the team reached
    the contact (None when it did not); `out_of_order` when it came before a contact the guide
    has reached first."""
    return [{
        "contact": c.contact,
        "name": c.name,
        "required": c.required,
        "urgency": c.urgency,
        "inject": c.inject,
        "status": c.status,
        "out_of_order": c.out_of_order,
    } for c in contact_judgments(card, key)]
