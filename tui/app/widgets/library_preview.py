"""The library's preview of the highlighted scenario, in a trainer's words: its summary, facts and
inject count with each placeholder named ("[a date]"); or, for an invalid file, its problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from .library_table import shown_path
from .literal import content, join

if TYPE_CHECKING:
    from scenarios.catalog import Row


def describe(row: Row) -> Content:
    """The preview: summary, facts and inject count; or, for an invalid file, its problems."""
    if row.pending:
        return content(f"{shown_path(row.path)} is new or changed since the last start: checking it...", "italic")
    if not row.ok:
        lines = [content(f"{shown_path(row.path)} cannot be played:", "bold $error")]
        for line, col, message in row.problems:
            lines.append(content(f"  line {line}, col {col}: {message}"))
        return Content("\n").join(lines)
    p = row.preview
    parts = [
        content(row.title, "bold"),
        content(
            f"{row.violation} · {row.jurisdiction} · {row.difficulty} · {row.injects} injects · {shown_path(row.path)}",
            "dim",
        ),
        worded(p["summary"]),
        join(content("Facts: ", "bold"), facts_in_words(p["facts"])),
    ]
    if p["objectives"]:
        parts.append(join(content("Objectives: ", "bold"), worded(p["objectives"])))
    parts.append(join(content("Opens with: ", "italic"), worded(p["opens"], "italic")))
    return Content("\n").join(parts)


# What each placeholder stands for until a drill's seed fills it, as the preview names it.
PLACEHOLDER_WORDS = {
    "staff": "a staff member", "email": "an email address", "username": "an account name",
    "resident": "a resident", "address": "a street address", "ssn": "a Social Security number",
    "card": "a card number", "phone": "a phone number", "department": "a city department",
    "vendor": "a vendor", "hostname": "a server", "ip": "an internal IP address",
    "external_ip": "an outside IP address", "ticket": "a ticket number", "outlet": "a news outlet",
    "records": "a number of", "date": "a date", "time": "a time", "timestamp": "a timestamp",
}


def worded(text: str, style: str = "") -> Content:
    """Scenario text with each placeholder named in words ("On [a date] a resident..."): the
    library's rows hold them unfilled (`<date>`, or `{{date}}` where the row keeps the raw text)."""
    import re

    from scenarios.render import PLACEHOLDER, PLACEHOLDERS

    names = "|".join(sorted(PLACEHOLDERS, key=len, reverse=True))
    pattern = re.compile(f"<({names})>|{PLACEHOLDER.pattern}")
    pieces: list[Content] = []
    at = 0
    for match in pattern.finditer(text):
        name = match.group(1) or match.group(2)
        pieces.append(content(text[at : match.start()], style))
        words = PLACEHOLDER_WORDS.get(name, name.replace("_", " "))
        pieces.append(content(f"[{words}]", f"{style} italic".strip()))
        at = match.end()
    pieces.append(content(text[at:], style))
    return join(*pieces)


# The scenario's facts (scenarios.model.Facts) as a trainer reads them.
FACT_WORDS = {
    "criminal_activity_suspected": "Criminal activity suspected",
    "resident_personal_data": "Residents' personal data involved",
    "vendor_involved": "Vendor involved",
    "residents_affected": "Residents affected",
    "data_encrypted": "Data encrypted",
    "encryption_key_compromised": "Encryption key compromised",
    "city_unresponsive": "City unresponsive",
    "service_pressure": "Pressure to restore service",
    "media_inquiry": "Media inquiry",
    "law_enforcement_referral": "Law enforcement referral",
    "fraud_unlikely_documented": "Fraud documented as unlikely",
}


def facts_in_words(facts: str) -> str:
    """The row's facts ("criminal activity suspected: False; residents affected: 640; ...") as
    "Criminal activity suspected: no · Residents affected: 640 · ..."; anything else as it is."""
    said = []
    for part in facts.split("; "):
        name, colon, value = part.partition(": ")
        if not colon:
            said.append(part)
            continue
        label = FACT_WORDS.get(name.replace(" ", "_"), name[:1].upper() + name[1:])
        if value in ("True", "False"):
            value = "yes" if value == "True" else "no"
        elif value.isdigit():
            value = f"{int(value):,}" if int(value) else "not stated"
        said.append(f"{label}: {value}")
    return " · ".join(said)
