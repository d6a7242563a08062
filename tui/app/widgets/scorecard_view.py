"""A team's scorecard as a participant's screen shows it: overall, dimensions, HSEEP ratings and
findings with their sources. The team's own terminal heads it "Your team's scorecard"
(screens/player.py); an observer's, with each team's name (screens/observer.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...text import counted
from .literal import content, join

if TYPE_CHECKING:
    from scoring.report.words import Reader
    from scoring.scorecard import Scorecard


def scorecard_content(heading: Content, card: Scorecard, reader: Reader, whose_path: str = "your") -> Content:
    lines = [heading, content(f"Overall {card.overall:.1f} / 100", "bold"), content("")]
    lines.append(content("Dimensions", "bold"))
    for name, value in card.dimensions.items():
        lines.append(content(f"  {name:<12} {value:5.1f}   weight {card.weights.get(name, 0):.0f}%"))
    if card.ratings:
        lines += [content(""), content("Ratings (HSEEP)", "bold")]
        for capability, rating in card.ratings.items():
            lines.append(content(f"  {rating.rating}  {rating.score:5.1f}  {capability}: {rating.meaning}"))
    lines += [content(""), content("Findings", "bold")]
    for f in card.findings:
        points = f"{f.points:+6.1f}" if f.effect != "noted" else "     ·"
        lines.append(join(content(f"  {points}  ", "bold"), content(f"{f.dimension}: ", "dim"), reader.text(f)))
        if f.source:
            lines.append(content(f"          {f.source}", "dim italic"))
    if not card.findings:
        lines.append(content("  none", "italic"))
    if card.unanswered:
        n = len(card.unanswered)
        lines += [content(""), content(f"{counted(n, 'inject')} on {whose_path} path {'was' if n == 1 else 'were'} "
                                       "not answered: counted as missed.", "italic")]
    return Content("\n").join(lines)
