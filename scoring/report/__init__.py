"""After-action reports and exports: Markdown, HTML, CSV and JSON from one AAR document."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads FORMATS while building its parser: nothing heavy at import
    from ..history import ScoredDrill

FORMATS = ("md", "html", "csv", "json")


def render_report(drill: ScoredDrill, fmt: str) -> str:
    from .aar import build

    if fmt == "csv":
        from .tabular import report_csv

        return report_csv(drill)
    aar = build(drill)
    if fmt == "json":
        from scenarios.safe_text import json_dumps  # lossless: controls and bidi as \u escapes

        return json_dumps(aar, indent=2) + "\n"
    if fmt == "html":
        from .html import to_html

        return to_html(aar)
    from .markdown import to_markdown

    return to_markdown(aar)
