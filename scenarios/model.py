"""What a drill is made of: scenarios, injects, options, and the playbooks that key them.

The field names are the public vocabulary of a scenario file (see README, "Scenario format"):
other tools read the key through them, so renaming one is a format change.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Violation = Literal["access-control", "unpatched-system", "unsecured-pii"]
Channel = Literal["email", "phone", "ticket", "log", "news"]
Kind = Literal["single", "multi", "order", "free"]
Difficulty = Literal["introductory", "intermediate", "advanced"]
# NIST SP 800-61 Rev. 2 incident-response phases.
Phase = Literal[
    "preparation",
    "detection-analysis",
    "containment-eradication-recovery",
    "post-incident",
]
# HSEEP core capabilities that a breach drill exercises.
Capability = Literal[
    "Cybersecurity",
    "Forensics and Attribution",
    "Operational Coordination",
    "Public Information and Warning",
    "Intelligence and Information Sharing",
]
Urgency = Literal["immediately", "without-unreasonable-delay", "when-advised"]
Severity = Literal["major", "minor"]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]

# Every number and count a file can give is bounded: far beyond any real drill, well short of
# what would make a check, a render or a scorecard slow (a file is at most 1 MiB; see yamlsource).
MAX_MINUTES = 60 * 24 * 30  # an inject's `at`: a drill's clock runs at most 30 days
MAX_SECONDS = 60 * 60 * 24 * 30  # a decision time (answers files), the same 30 days
MAX_RESIDENTS = 100_000_000
MAX_INJECTS = 200
MAX_OPTIONS = 26
MAX_REFS = 20  # steps, contacts or harms named by one option
MAX_LIST = 50  # objectives, keywords, artifacts


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- playbooks -----------------------------------------------------------------------------


class Source(Strict):
    """A citation: one of the playbook's documents and a section heading in it."""

    doc: Id
    section: Text


class Document(Strict):
    id: Id
    title: Text
    citation: Text


class Contact(Strict):
    id: Id
    name: Text
    role: Text
    # None: the guide names the office but sets no duty to reach it in a breach.
    when: list[Id] | None = Field(default=None, description="conditions, all must hold; [] = always")
    # Where the guide allows without requiring ("you may contact"), or names the contact with no
    # condition in one passage and with one in another: reaching it is credited, never needless.
    permitted: list[Id] | None = Field(
        default=None, description="conditions under which reaching it is allowed though not required; [] = always")
    source: Source


class Step(Strict):
    id: Id
    title: Text
    phase: Phase
    capability: Capability
    when: list[Id] = Field(default_factory=list)
    source: Source


class Order(Strict):
    """`first` must be done before `then`; either is a step id or `notify:<contact>`."""

    first: Text
    then: Text
    why: Text
    source: Source


class Escalation(Strict):
    contact: Id
    by: Text = Field(description="who makes the call, in the guide's words")
    urgency: Urgency
    after: list[Id] = Field(default_factory=list, description="contacts that must be reached first")
    source: Source


class Harm(Strict):
    id: Id
    title: Text
    severity: Severity
    breaks: list[Id] = Field(default_factory=list, description="step ids this action undoes")
    source: Source


class Penalties(Strict):
    fines: Text
    escalation: Text
    appeals: Text
    enforcer: Text
    source: Source


class Playbook(Strict):
    id: Id
    name: Text
    extends: Id | None = None
    summary: Text
    documents: list[Document] = Field(default_factory=list)
    penalties: Penalties | None = None
    contacts: list[Contact] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    order: list[Order] = Field(default_factory=list)
    escalations: list[Escalation] = Field(default_factory=list)
    harms: list[Harm] = Field(default_factory=list)


# --- scenarios -----------------------------------------------------------------------------


class Facts(Strict):
    criminal_activity_suspected: bool
    resident_personal_data: bool
    vendor_involved: bool
    residents_affected: int = Field(default=0, ge=0, le=MAX_RESIDENTS)
    data_encrypted: bool = False
    encryption_key_compromised: bool = False
    city_unresponsive: bool = False
    service_pressure: bool = False
    media_inquiry: bool = False
    # St. Louis's trigger for the police is a referral ("If advised, cooperate with state
    # enforcement or law enforcement referrals"), not a suspicion of crime.
    law_enforcement_referral: bool = False
    # RSMo 407.1500's exemption: after an appropriate investigation or consultation with law
    # enforcement, identity theft or fraud is not reasonably likely, determined in writing.
    fraud_unlikely_documented: bool = False


class Artifact(Strict):
    kind: Literal["log", "email", "document", "record"]
    title: Text
    content: Text


class Option(Strict):
    id: Id
    text: Text
    steps: list[Id] = Field(default_factory=list, max_length=MAX_REFS)
    notifies: list[Id] = Field(default_factory=list, max_length=MAX_REFS)
    harms: list[Id] = Field(default_factory=list, max_length=MAX_REFS)
    next: Id | None = None
    keywords: list[Text] = Field(
        default_factory=list, max_length=MAX_LIST, description="free injects: words that earn this key")
    notes: Text | None = None
    debrief: Text | None = None


class Inject(Strict):
    id: Id
    at: int = Field(ge=0, le=MAX_MINUTES, description="minutes after the drill starts")
    title: Text
    sender: Text
    channel: Channel
    subject: Text | None = None
    body: Text
    artifacts: list[Artifact] = Field(default_factory=list, max_length=MAX_LIST)
    question: Text
    kind: Kind
    limit: int | None = Field(default=None, ge=10, le=3600, description="seconds, timed drills only")
    options: list[Option] = Field(min_length=1, max_length=MAX_OPTIONS)
    key: list[Id] | None = Field(default=None, max_length=MAX_OPTIONS)
    next: Id | None = None
    notes: Text | None = None
    debrief: Text | None = None


class Scenario(Strict):
    id: Id
    title: Text
    violation: Violation
    jurisdiction: Id
    difficulty: Difficulty = "intermediate"
    summary: Text
    objectives: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
    facts: Facts
    start: Id
    injects: list[Inject] = Field(min_length=1, max_length=MAX_INJECTS)

    def inject(self, inject_id: str) -> Inject:
        for inject in self.injects:
            if inject.id == inject_id:
                return inject
        raise KeyError(inject_id)
