"""Fill a scenario's placeholders with details from a Faker seeded per drill (and, through
scenarios.shuffle, put each inject's options in the order the drill's seed shows them).

A placeholder is `{{name}}` or `{{name:key}}`. The same name and key give the same value
everywhere in one drill (`{{staff:clerk}}` is one person from the first inject to the last), and
each value is drawn from a Faker seeded by (drill seed, name, key) alone, so the same seed gives
byte-identical text whatever order the text is rendered in, and editing one inject never changes
the people in another.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # faker is imported lazily: it costs start-up time the app does not need yet.
    from faker import Faker

    from .model import Scenario

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)(?::([a-z0-9_-]+))?\s*\}\}")

_DEPARTMENTS = (
    "Finance", "Utilities Billing", "Parks and Recreation", "Public Works", "Human Resources",
    "Municipal Court", "Licensing and Permits", "Water Department", "Planning and Zoning",
    "City Clerk", "Health Department", "Streets Department",
)
_HOST_ROLES = ("web", "app", "db", "fs", "vpn", "mail", "gis", "erp", "pay", "hr")
_HOST_SITES = ("cityhall", "annex", "dc1", "dc2", "court", "utility", "library", "fleet")
_OUTLET_WORDS = ("Ledger", "Courier", "Gazette", "Dispatch", "Herald", "Observer")


def _seed_for(seed: int, name: str, key: str) -> int:
    digest = hashlib.sha256(f"{seed}|{name}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _base_time(fake: Faker) -> datetime:
    # A weekday morning in a fixed year: never the wall clock, so renders repeat exactly.
    day = datetime(2026, 1, 5, 8, 0) + timedelta(days=fake.random_int(0, 300))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day + timedelta(minutes=fake.random_int(0, 150))


def _handle(name: str, sep: str) -> str:
    first, last = name.split()[0], name.split()[-1]
    return "".join(c for c in f"{first}{sep}{last}".lower() if c.isalnum() or c in "._")


# name -> (what it gives, how to make it). Every value is Faker's: no real person or system.
PLACEHOLDERS: dict[str, tuple[str, Callable[[Faker, Any], str] | None]] = {
    "staff": ("a staff member's full name", lambda f, s: f"{f.first_name()} {f.last_name()}"),
    "email": ("the email address of {{staff}} with the same key", None),
    "username": ("the account name of {{staff}} with the same key", None),
    "resident": ("a resident's full name (synthetic)", lambda f, s: f"{f.first_name()} {f.last_name()}"),
    "address": ("a street address (synthetic)", lambda f, s: f.street_address()),
    "ssn": ("a Social Security number (synthetic)", lambda f, s: f.ssn()),
    "card": ("a card number (synthetic)", lambda f, s: f.credit_card_number()),
    "phone": ("a phone number", lambda f, s: f.phone_number()),
    "department": ("a city department", lambda f, s: f.random_element(_DEPARTMENTS)),
    "vendor": ("a vendor company", lambda f, s: f.company()),
    "hostname": (
        "a server's hostname",
        lambda f, s: f"{f.random_element(_HOST_SITES)}-{f.random_element(_HOST_ROLES)}-{f.random_int(1, 40):02d}",
    ),
    "ip": ("an internal IPv4 address", lambda f, s: f.ipv4_private()),
    "external_ip": ("an external IPv4 address", lambda f, s: f.ipv4_public()),
    "ticket": ("a help-desk ticket number", lambda f, s: f"INC-{f.random_int(100000, 999999)}"),
    "outlet": ("a news outlet", lambda f, s: f"{f.city()} {f.random_element(_OUTLET_WORDS)}"),
    "records": (
        "the number of records affected (the scenario's residents_affected when set)",
        lambda f, s: f"{s.facts.residents_affected:,}" if s.facts.residents_affected else str(f.random_int(12, 480)),
    ),
}
# Dates and clock times share one incident day per drill. A key of digits is minutes after the
# incident starts (`{{time:0}}`, `{{time:45}}` read in order); any other key is a random moment.
_DAY_FORMATS = {
    "date": ("the date of the drill's incident", "%A %d %B %Y"),
    "time": ("a clock time on the incident day", "%H:%M"),
    "timestamp": ("a log timestamp on the incident day", "%Y-%m-%dT%H:%M:%S"),
}
PLACEHOLDERS.update({name: (what, None) for name, (what, _) in _DAY_FORMATS.items()})


def placeholders_in(text: str) -> list[tuple[int, str]]:
    """(offset, name) for each placeholder in the text, in order."""
    return [(m.start(), m.group(1)) for m in PLACEHOLDER.finditer(text)]


class Renderer:
    def __init__(self, scenario: Scenario, seed: int) -> None:
        from faker import Faker

        self._scenario = scenario
        self._seed = seed
        self._fake = Faker("en_US")
        self._cache: dict[tuple[str, str], str] = {}

    def value(self, name: str, key: str = "") -> str:
        cached = self._cache.get((name, key))
        if cached is None:
            cached = self._make(name, key)
            self._cache[(name, key)] = cached
        return cached

    def _make(self, name: str, key: str) -> str:
        fake = self._fake
        if name == "email":
            return _handle(self.value("staff", key), ".") + "@city.example"
        if name == "username":
            return _handle(self.value("staff", key), "")
        if name in _DAY_FORMATS:
            fake.seed_instance(_seed_for(self._seed, "day", ""))
            moment = _base_time(fake)
            fake.seed_instance(_seed_for(self._seed, name, key))
            if key.isdigit():
                moment += timedelta(minutes=int(key), seconds=fake.random_int(0, 59) if name == "timestamp" else 0)
            else:
                moment += timedelta(minutes=fake.random_int(0, 180), seconds=fake.random_int(0, 59))
            return moment.strftime(_DAY_FORMATS[name][1])
        fake.seed_instance(_seed_for(self._seed, name, key))
        return PLACEHOLDERS[name][1](fake, self._scenario)

    def text(self, text: str) -> str:
        # A name this version does not know stays as written: validation refuses it in a file, but
        # a drill stored by another version (or a scenario built in code) must still render.
        return PLACEHOLDER.sub(
            lambda m: self.value(m.group(1), m.group(2) or "") if m.group(1) in PLACEHOLDERS else m.group(0), text)


def _fill(value: Any, renderer: Renderer, skip: frozenset[str]) -> Any:
    if isinstance(value, str):
        return renderer.text(value)
    if isinstance(value, list):
        return [_fill(item, renderer, skip) for item in value]
    if isinstance(value, dict):
        return {k: (v if k in skip else _fill(v, renderer, skip)) for k, v in value.items()}
    return value


# Ids and key fields are never rendered: a placeholder there would change the answer key.
_KEY_FIELDS = frozenset({"id", "start", "next", "key", "steps", "notifies", "harms", "jurisdiction", "violation"})


def render(scenario: Scenario, seed: int) -> Scenario:
    """The scenario as a drill with this seed shows it: every placeholder filled and each
    inject's options in their shown order (scenarios.shuffle). The same seed gives
    byte-identical text. Judge answers against the unrendered scenario: the scorer's "first in
    the file" rules read the file's order, which this one no longer has."""
    from .model import Scenario
    from .shuffle import shuffle

    renderer = Renderer(scenario, seed)
    data = _fill(scenario.model_dump(mode="json"), renderer, _KEY_FIELDS)
    return shuffle(Scenario.model_validate(data), seed)
