"""A scorecard as text, as `breachdrill play` and `results show` print it."""

from __future__ import annotations

from ..text import literal


def format_scorecard(card) -> str:
    """A scorecard as text: overall, dimensions, ratings, phases, findings, free answers."""
    out = [f"Team {card.team}: {card.overall:.1f} / 100", "", "Dimensions"]
    for name, value in card.dimensions.items():
        out.append(f"  {name:<12} {value:5.1f}   weight {card.weights[name]:.0f}%")
    if card.ratings:
        out += ["", "Ratings (HSEEP)"]
        for cap, r in card.ratings.items():
            out.append(f"  {r.rating}  {r.score:5.1f}  {cap}: {r.meaning}")
    asked = {p: s for p, s in card.phases.items() if s.asked}
    if asked:
        out += ["", "Phases (NIST SP 800-61)"]
        for phase, s in asked.items():
            out.append(f"  {phase:<34} {s.performed}/{s.asked} steps  {s.score:5.1f}")
    out += ["", "Findings"]
    for f in card.findings:
        where = f" [inject {f.inject}]" if f.inject else ""
        out.append(f"  {f.points:+6.2f}  {f.dimension:<10}  {f.message}{where}")
        if f.source:
            out.append(f"          {'':<10}  source: {f.source}")
    if card.free_answers:
        out += ["", "Free answers"]
        for a in card.free_answers:
            how = "the facilitator's mark" if a.method == "facilitator" else "the keyword rubric"
            earned = ", ".join(a.credited) or "nothing"
            out.append(f"  {a.inject}: scored by {how}; earned {earned}")
    if card.unanswered:
        out += ["", f"Unanswered (counted as missed): {', '.join(card.unanswered)}"]
    return literal("\n".join(out))
