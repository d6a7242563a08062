"""Generated scenarios (issue 6): a fresh, valid drill for any violation and city, from a seed.

    generate(violation, jurisdiction, seed, difficulty) -> str        the YAML text of a scenario file
    generate_scenario(violation, jurisdiction, seed, difficulty) -> Scenario

The output is an ordinary scenario file: it validates, loads, renders and plays like a built-in,
and the same arguments always give the same bytes. Nothing here imports faker: people, places
and numbers are placeholders, filled when the drill is rendered.

Layout: stories/ holds the incidents (one Story each), blocks/ the injects written about them.
What both are written against stays here, beside the assembler that joins them: the context a
block reads (context, complications), the draft it returns and the checks on it (draft, cite),
and what turns drafts into the file (assemble, clock, prose, summary, yamltext). These are
imported from both subpackages and from each other, so a third package would only lengthen the
imports without saying more about what they hold.
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
