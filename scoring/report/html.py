"""The after-action report as one self-contained, printable HTML file (no scripts, no links out)."""

from __future__ import annotations

from html import escape

from scenarios.safe_text import literal

from . import tables

_STYLE = """
body { font: 11pt/1.45 system-ui, sans-serif; color: #1b1f24; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; border-bottom: 3px solid #1f4e79; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; color: #1f4e79; margin-top: 2rem; border-bottom: 1px solid #c8d3de; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: 10pt; }
th, td { border: 1px solid #c8d3de; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
.rating { font-weight: bold; text-align: center; }
.P { background: #dff0d8; } .S { background: #fcf8e3; } .M { background: #fbe3cf; } .U { background: #f2dede; }
.muted { color: #5a6470; }
.notice { border-left: 4px solid #b5650d; background: #fdf3e6; padding: .4rem .7rem; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } table { page-break-inside: auto; }
  tr { page-break-inside: avoid; } .appendix { page-break-before: always; } }
"""


def h(value: object) -> str:
    """Literal text in HTML: escaped, and its terminal and bidi controls shown as `\\x1b`, `\\u202e`
    (a right-to-left override would reorder the page; newlines are kept, HTML folds them)."""
    return escape("" if value is None else literal(str(value)), quote=True)


def _table(table: tuple[list[str], list[list[object]]], rating_column: int | None = None) -> str:
    headers, rows = table
    head = "".join(f"<th>{h(x)}</th>" for x in headers)
    body = []
    for r in rows:
        cells = [
            f'<td class="rating {h(c)}">{h(c)}</td>' if i == rating_column else f"<td>{h(c)}</td>"
            for i, c in enumerate(r)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _list(items: list[str]) -> str:
    if not items:
        return '<p class="muted">None.</p>'
    return "<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"


def to_html(aar: dict) -> str:
    o = aar["overview"]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{h(aar['report'])}: {h(o['exercise_name'])}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{h(aar['report'])}<br><small>{h(o['exercise_name'])}</small></h1>",
        *([f'<p class="notice"><strong>Archived.</strong> {h(aar["notice"])}</p>'] if aar["notice"] else []),
        "<h2>Exercise overview</h2>", _table(tables.cover(aar)), _table(tables.overview(aar)),
        f"<p><strong>Scenario.</strong> {h(o['scenario'])}</p>",
        "<h3>Objectives</h3>", _list([h(x) for x in o["objectives"]]),
        "<h3>Sources</h3>", _list([h(x) for x in o["sources"]]),
        "<h2>Executive summary</h2>", *[f"<p>{h(p)}</p>" for p in aar["executive_summary"]],
        "<h2>Scores</h2>", _table(tables.scores(aar)),
        "<h3>How the scores were made</h3>", *[f"<p>{h(p)}</p>" for p in aar["method"]],
        "<h2>Analysis of core capabilities</h2>",
    ]
    for cap in aar["capabilities"]:
        parts.append(f"<h3>{h(cap['capability'])}</h3>")
        if cap["ratings"]:
            parts.append(_table(tables.ratings(cap), rating_column=1))
        for title, items in (("Strengths", cap["strengths"]), ("Areas for improvement", cap["improvements"])):
            parts.append(f"<p><strong>{title}</strong></p>")
            parts.append(_list([
                f"{h(i['team'])}: {h(i['text'])}"
                + (f' <span class="muted">({h(i["source"])})</span>' if i["source"] else "")
                for i in items]))
    parts += ['<h2 class="appendix">Appendix A: Improvement plan</h2>', _table(tables.improvement_plan(aar))]
    parts += ["<h2>Appendix B: Participants</h2>", _table(tables.participants(aar))]
    parts.append('<h2 class="appendix">Appendix C: Injects and responses</h2>')
    for inj in aar["injects"]:
        parts.append(f"<h3>+{h(inj['minute'])} min · {h(inj['title'])}</h3>")
        parts.append(f"<p>{h(inj['channel'].capitalize())} from {h(inj['sender'])}. {h(inj['question'])}</p>")
        label, text = tables.documented(inj)
        parts.append(f"<p><strong>{h(label)}:</strong> {h(text)}</p>")
        parts.append(_table(tables.responses(inj)))
    parts.append("<h2>Appendix D: Escalation timeline</h2>")
    for team, rows in aar["escalations"].items():
        parts += [f"<h3>{h(team)}</h3>", _table(tables.escalations(rows))]
    parts.append("<h2>Appendix E: Corrections</h2>")
    parts.append(_table(tables.corrections(aar)) if aar["corrections"]
                 else '<p class="muted">None: every answer is as first recorded.</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
