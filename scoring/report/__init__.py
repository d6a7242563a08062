"""After-action reports and exports: Markdown, HTML, CSV and JSON from one AAR document."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads FORMATS while building its parser: nothing heavy at import
    from ..history import ScoredDrill

FORMATS = ("md", "html", "csv", "json")


def render_report(drill: ScoredDrill, fmt: str, meta: dict | None = None, responses: bool = False) -> str:
    """`meta`: the cover information and plan owners/due dates (scoring.report.meta), or None.
    `responses`: the CSV adds each team's responses as a table (md, html and json always hold them)."""
    from .aar import build

    if fmt == "csv":
        from .tabular import report_csv

        return report_csv(drill, meta, responses)
    aar = build(drill, meta)
    if fmt == "json":
        from scenarios.safe_text import json_dumps  # lossless: controls and bidi as \u escapes

        return json_dumps(aar, indent=2) + "\n"
    if fmt == "html":
        from .html import to_html

        return to_html(aar)
    from .markdown import to_markdown

    return to_markdown(aar)
