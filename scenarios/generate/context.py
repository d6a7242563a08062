"""Everything a building block needs: the seed's random streams, the facts, the key, the words.

Text is written as `string.Template`s: `$it`, `$system` and the like are filled here, while the
scenario's own `{{placeholders}}` pass through untouched for the renderer's Faker.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cached_property
from string import Template
from textwrap import dedent

from ..playbook import Key
from .complications import Complications, Level

# How each jurisdiction's words differ; every office named here is one its playbook names.
OFFICES = {
    "east-independence": {
        "it": "City IT",
        "It": "City IT",
        "it_full": "the City IT department",
        "guide": "East Independence guide",
        "city": "East Independence",
        "report": "to City IT, the city's designated contact",
    },
    "st-louis": {
        "it": "the IT/security office",
        "It": "The IT/security office",
        "it_full": "the City of St. Louis IT/security office",
        "guide": "St. Louis guide",
        "city": "St. Louis",
        "report": "to the City of St. Louis IT/security office and the department head",
    },
}

# The people and things every scenario may mention, as the renderer's placeholders.
PEOPLE = {
    "me": "{{staff:lead}}",
    "itlead": "{{staff:itlead}}",
    "director": "{{staff:director}}",
    "vendor": "{{vendor:main}}",
    "vendorlead": "{{staff:vendorlead}}",
    "detective": "{{staff:detective}}",
    "reporter": "{{resident:reporter}}",
    "outlet": "{{outlet:paper}}",
    "ticket": "{{ticket:incident}}",
    "records": "{{records}}",
    "attacker": "{{external_ip:attacker}}",
    "date": "{{date}}",
}


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Ctx:
    violation: str
    jurisdiction: str
    difficulty: str
    seed: int
    story: object
    c: Complications
    key: Key
    level: Level
    department: str
    vars: dict = field(default_factory=dict)

    @property
    def ei(self) -> bool:
        return self.jurisdiction == "east-independence"

    def rng(self, topic: str) -> random.Random:
        """A stream for one topic, independent of difficulty: the same seed gives the same plan."""
        return random.Random(f"{self.violation}|{self.jurisdiction}|{self.seed}|{topic}")

    def drng(self, topic: str) -> random.Random:
        """A stream that also depends on difficulty: wording, herrings, which distractors."""
        return random.Random(f"{self.violation}|{self.jurisdiction}|{self.seed}|{self.difficulty}|{topic}")

    def subtle(self, topic: str) -> bool:
        return self.drng(f"subtle|{topic}").random() < self.level.subtle

    def t(self, text: str, **extra: str) -> str:
        """A template filled with the scenario's words; a missing name is a bug, so it raises."""
        return Template(dedent(text).strip("\n")).substitute(self.vars, **extra).rstrip()

    # --- the key, filtered: blocks name what they would like; the facts decide what applies ----

    def steps(self, *ids: str) -> tuple[str, ...]:
        return tuple(s for s in ids if s in self.key.applicable_steps)

    def required(self, *ids: str) -> tuple[str, ...]:
        return tuple(c for c in ids if c in self.required_set)

    def needless(self, *ids: str) -> tuple[str, ...]:
        """The named contacts the guides give no cause to reach here, for a "needless" option.

        Never a contact a guide permits in some case ("you may contact ...": reaching it is never
        needless), and never the police where criminal activity is suspected: reporting a crime
        is not an escalation a reviewer would call needless, whatever the city's trigger."""
        return tuple(
            c for c in ids
            if c in self.key.contacts and c not in self.required_set and self.key.contacts[c].permitted is None
            and not (c == "police" and self.c.criminal)
        )

    def permitted(self, *ids: str) -> tuple[str, ...]:
        """The named contacts the guides allow here without requiring them."""
        return tuple(c for c in ids if c in self.key.permitted_contacts)

    def harm(self, *ids: str) -> tuple[str, ...]:
        missing = [h for h in ids if h not in self.key.harms]
        if missing:
            raise KeyError(f"harm {missing} not in playbook {self.key.playbook.id}")
        return ids

    @cached_property
    def required_set(self) -> frozenset[str]:
        return frozenset(self.key.required_contacts)

    def report(self, police: bool = False) -> tuple[str, ...]:
        """Who the first report reaches: the always-required contacts (and the police in EI)."""
        always = ("city-it", "department-head")
        return self.required(*always, *(("police",) if police else ()))


def make_vars(jurisdiction: str, story, department: str, c: Complications) -> dict:
    words = dict(OFFICES[jurisdiction]) | PEOPLE
    words |= {
        "dept": department,
        # "the Health Department" but "Public Works": department names with a head noun take "the".
        "the_dept": f"the {department}" if department.endswith("Department") else department,
        "role": f"the {department} supervisor",
        "system": story.system,
        "System": cap(story.system),
        "data": story.data if c.residents else story.data_none,
        "file": story.file if c.residents else story.file_none,
        "host": f"{{{{hostname:{story.host}}}}}",
        "ip": f"{{{{ip:{story.host}}}}}",
        "logs": Template(story.logs).safe_substitute(host=f"{{{{hostname:{story.host}}}}}"),
        "wiped": Template(story.wiped).safe_substitute(host=f"{{{{hostname:{story.host}}}}}"),
    }
    override = story.by_department.get(department)
    if override and c.residents:
        words |= override
    return words
