"""Generated scenarios (issue 6): a fresh, valid drill for any violation and city, from a seed.

    generate(violation, jurisdiction, seed, difficulty) -> str        the YAML text of a scenario file
    generate_scenario(violation, jurisdiction, seed, difficulty) -> Scenario

The output is an ordinary scenario file: it validates, loads, renders and plays like a built-in,
and the same arguments always give the same bytes. Nothing here imports faker: people, places
and numbers are placeholders, filled when the drill is rendered.
"""

from .assemble import (
    DEFAULT_DIFFICULTY,
    DIFFICULTIES,
    VIOLATIONS,
    generate,
    generate_scenario,
    jurisdictions,
    scenario_data,
    scenario_id,
)
from .draft import GenerationError

__all__ = [
    "DEFAULT_DIFFICULTY",
    "DIFFICULTIES",
    "VIOLATIONS",
    "GenerationError",
    "generate",
    "generate_scenario",
    "jurisdictions",
    "scenario_data",
    "scenario_id",
]
