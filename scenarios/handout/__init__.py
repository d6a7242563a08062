"""Printable handouts for rooms that run a drill on paper (`breachdrill scenarios handout`).

- `pages`: what each page holds: the injects as a drill with the seed shows them, the guide's
  answer by those numbers, and where each answer leads.
- `players`: the players' pack, a title page and one page per inject, nothing of the key.
- `facilitator`: the facilitator's copy: the key with its citations, the routes, the debrief.
- `key_text`: the key in the playbook's words; `html`: escaping and the print style.
"""

from __future__ import annotations

from datetime import date

from ..model import Scenario
from ..playbook import Key


def players(scenario: Scenario, key: Key, seed: int, made: date, paper: str = "letter") -> str:
    from .pages import handout
    from .players import players_html

    return players_html(handout(scenario, key, seed), made, paper)


def facilitator(scenario: Scenario, key: Key, seed: int, made: date, paper: str = "letter") -> str:
    from .facilitator import facilitator_html
    from .pages import handout

    return facilitator_html(handout(scenario, key, seed), made, paper)
