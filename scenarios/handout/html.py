"""The printable HTML both packs share: escaping, the page frame and the print style.

One self-contained file (no scripts, no links out), black on white so a greyscale printer loses
nothing: marks are shapes (○ □ ✓ ✗), never colours."""

from __future__ import annotations

from html import escape

from ..inject_text import lay_out
from ..safe_text import literal

PAPER = {"letter": "Letter", "a4": "A4"}

_STYLE = """
@page { size: PAPER_SIZE; margin: 14mm 15mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #000;
  background: #fff; margin: 0; }
.page { break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
.head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .2rem 1rem;
  border-bottom: 2pt solid #000; padding-bottom: .2rem; margin-bottom: .6rem; font-size: 9pt; }
.head .drill { font-weight: bold; flex: 1 1 20rem; }
.head .where { white-space: nowrap; font-weight: bold; }
h1 { font-size: 17pt; margin: 0 0 .6rem; }
h2 { font-size: 13pt; margin: .2rem 0 .5rem; }
h3 { font-size: 11pt; margin: .8rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 .5rem; }
.letter { border: 1pt solid #000; padding: .4rem .6rem; margin-bottom: .6rem; }
.letter-head { border-collapse: collapse; margin-bottom: .4rem; }
.letter-head th { text-align: left; padding: 0 .6rem 0 0; vertical-align: top; white-space: nowrap; }
.letter-head td { padding: 0; vertical-align: top; }
.body p { white-space: pre-wrap; overflow-wrap: anywhere; }
pre, .mono { font: 8.5pt/1.3 "DejaVu Sans Mono", "Liberation Mono", monospace; white-space: pre-wrap;
  overflow-wrap: anywhere; margin: 0; }
.artifact { border: 1pt solid #000; margin: 0 0 .6rem; break-inside: avoid; page-break-inside: avoid; }
.artifact .caption { border-bottom: 1pt solid #000; padding: .15rem .5rem; font-weight: bold; font-size: 9pt; }
.artifact pre { padding: .3rem .5rem; }
.question { font-weight: bold; margin: .7rem 0 .2rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.how { font-style: italic; font-size: 9pt; margin-bottom: .3rem; }
.options { list-style: none; margin: 0; padding: 0; break-inside: avoid; page-break-inside: avoid; }
.options li { display: flex; gap: .5rem; margin: 0 0 .35rem; break-inside: avoid; page-break-inside: avoid; }
.options .mark { flex: none; font-size: 13pt; line-height: 1; width: 1.2rem; text-align: center; }
.options .blank { flex: none; width: 2.2rem; border-bottom: 1pt solid #000; height: 1.1rem; }
.options .n { flex: none; font-weight: bold; min-width: 1.4rem; }
.options .text { overflow-wrap: anywhere; }
.none .text { font-style: italic; }
.ruled { break-inside: avoid; page-break-inside: avoid; }
.ruled div { border-bottom: 1pt solid #000; height: 1.45rem; }
.team-line { margin-top: 1.5rem; font-size: 12pt; }
.meta th { text-align: left; padding-right: .8rem; vertical-align: top; }
table.key { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: .4rem; }
table.key th, table.key td { border: 1pt solid #000; padding: .2rem .35rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
table.key th.no, table.key td.no { width: 2.6rem; white-space: nowrap; }
table.key tr { break-inside: avoid; page-break-inside: avoid; }
.guide { border: 2pt solid #000; padding: .3rem .5rem; margin: .4rem 0; font-weight: bold; }
.cite { font-style: italic; }
ul.plain { margin: 0 0 .5rem; padding-left: 1.2rem; }
.note { white-space: pre-wrap; overflow-wrap: anywhere; margin-bottom: .3rem; }
@media screen {
  html { background: #ddd; }
  .page { background: #fff; max-width: 50rem; margin: 1rem auto; padding: 1.2rem 1.5rem; border: 1px solid #999; }
}
"""


def h(value: object) -> str:
    """Scenario text in HTML: escaped, its terminal and bidi controls shown as `\\x1b`, `\\u202e`
    (scenarios.safe_text: a right-to-left override would reorder the page), newlines kept."""
    return escape("" if value is None else literal(str(value)), quote=True)


def paragraphs(text: str) -> str:
    """A body as the app lays it out (scenarios.inject_text.lay_out): a paragraph per block, the
    author's line breaks kept (a list, a turn, a signature), the editor's joined."""
    blocks = lay_out(text).split("\n\n")
    return "".join(f"<p>{h(block.rstrip())}</p>" for block in blocks if block.strip())


def prose(text: str) -> str:
    """A summary as one paragraph (as `scenarios show` fills it): its lines are the editor's."""
    return " ".join(text.split())


def document(title: str, pages: list[str], paper: str) -> str:
    return "".join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{h(title)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{_STYLE.replace('PAPER_SIZE', PAPER[paper])}</style></head><body>\n",
        *(f'<section class="page">{page}</section>\n' for page in pages),
        "</body></html>\n",
    ])


def table(rows: list[tuple[str, str]], cls: str) -> str:
    """A two-column table of (header, cell), both HTML already."""
    body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<table class="{cls}">{body}</table>'
