"""What a generated incident involves (the facts that decide the key) and how hard it is to read.

The facts are drawn before anything else, from the seed alone: difficulty never changes them, so
it changes what a team must notice, never what the guide asks of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..model import Facts

THRESHOLD = 1000  # RSMo 407.1500: "more than 1,000 residents" notified at one time


@dataclass(frozen=True)
class Level:
    """What a difficulty changes: time limits, red herrings and how plainly the signs show."""

    limit: float  # multiplies each inject's base time limit
    herrings: int  # red-herring injects on the main line
    subtle: float  # chance that a sign or a tempting wrong choice is worded subtly
    harms: int  # harmful options kept per single inject (at least one always)
    distractors: int  # other wrong options kept per inject


LEVEL_BY_DIFFICULTY: dict[str, Level] = {
    "introductory": Level(limit=1.5, herrings=0, subtle=0.0, harms=1, distractors=1),
    "intermediate": Level(limit=1.0, herrings=1, subtle=0.5, harms=2, distractors=1),
    "advanced": Level(limit=0.6, herrings=2, subtle=1.0, harms=2, distractors=2),
}


@dataclass(frozen=True)
class Complications:
    criminal: bool
    vendor: bool
    residents: int  # residents whose personal information is involved; 0 = none
    encrypted: bool
    key_taken: bool
    pressure: bool
    inquiry: str | None  # "news" | "records" | None
    # St. Louis: the IT/security office advises a referral to law enforcement (the guide's trigger
    # for the police: "If advised, cooperate with state enforcement or law enforcement referrals").
    referral: bool = False
    # St. Louis: the city does not answer on the resident notice (the FAQ's "if the city fails to
    # respond, you may contact the Missouri Attorney General's consumer protection division").
    unresponsive: bool = False
    # RSMo 407.1500: after the investigation, identity theft or fraud is not reasonably likely,
    # determined in writing (and kept for 5 years): no notice is needed.
    fraud_unlikely: bool = False

    @property
    def notice_required(self) -> bool:
        # The encryption exemption holds only when the key was not taken too; and no notice is
        # needed where fraud is not reasonably likely, so determined in writing (RSMo 407.1500).
        return self.residents > 0 and not (self.encrypted and not self.key_taken) and not self.fraud_unlikely

    @property
    def exempt(self) -> bool:
        return self.residents > 0 and self.encrypted and not self.key_taken

    @property
    def over_threshold(self) -> bool:
        return self.notice_required and self.residents > THRESHOLD

    def facts(self) -> Facts:
        return Facts(
            criminal_activity_suspected=self.criminal,
            resident_personal_data=self.residents > 0,
            vendor_involved=self.vendor,
            residents_affected=self.residents,
            data_encrypted=self.encrypted,
            encryption_key_compromised=self.encrypted and self.key_taken,
            city_unresponsive=self.unresponsive,
            service_pressure=self.pressure,
            media_inquiry=self.inquiry is not None,
            law_enforcement_referral=self.referral,
            fraud_unlikely_documented=self.fraud_unlikely,
        )


def _either(rng: random.Random, fixed: bool | None, chance: float) -> bool:
    return fixed if fixed is not None else rng.random() < chance


def choose(rng: random.Random, story, jurisdiction: str) -> Complications:
    """Facts consistent with the story: a stolen laptop is a crime, a misaddressed email is not."""
    criminal = _either(rng, story.criminal, 0.5)
    vendor = _either(rng, story.vendor, 0.4)
    personal = _either(rng, story.personal, 0.7)
    residents = 0
    if personal:
        # Either side of the 1,000-resident line, never on it: the line is the lesson, not a trick.
        residents = rng.randrange(1_050, 15_000, 10) if rng.random() < 0.5 else rng.randrange(40, 990)
    encrypted = personal and story.encryptable and rng.random() < 0.4
    key_taken = encrypted and rng.random() < 0.5
    pressure = story.restore is not None and rng.random() < 0.6
    inquiry = rng.choice(("news", "records")) if rng.random() < 0.65 else None
    # Drawn after the facts above, so those stay as they were for every seed.
    stl = jurisdiction == "st-louis"
    # The referral is St. Louis's trigger for law enforcement; the IT/security office advises one
    # on most signs of a crime, not all (the story says so either way).
    referral = stl and criminal and rng.random() < 0.75
    # The documented no-fraud finding fits a mistake, not a theft, and only matters where a
    # notice would otherwise be due.
    fraud_unlikely = personal and not criminal and not (encrypted and not key_taken) and rng.random() < 0.35
    # The FAQ's unresponsive city is about consumer-notification obligations: personal data only.
    unresponsive = stl and personal and not fraud_unlikely and rng.random() < 0.35
    return Complications(criminal, vendor, residents, encrypted, key_taken, pressure, inquiry,
                         referral=referral, unresponsive=unresponsive, fraud_unlikely=fraud_unlikely)
