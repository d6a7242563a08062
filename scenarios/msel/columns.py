"""The MSEL's layout: its columns, row types and scenario fields, and the syntax of a cell.

Shared by the writer and the reader, so what one writes is what the other reads."""

from __future__ import annotations

import re

# HSEEP's Master Scenario Events List columns, in the order trainers know them. Two have no field
# in the scenario format: "Intended player" is the trainer's own (written empty, never read) and
# "Objective or capability" is worked out from the playbook for reading (never read back).
SCENARIO_TIME = "Scenario time"
SYNOPSIS = "Event synopsis"
INJECT = "Inject"
CONTROLLER = "Responsible controller"
PLAYER = "Intended player"
RESPONSE = "Expected player response"
CAPABILITY = "Objective or capability"
DELIVERY = "Delivery method"
NOTES = "Evaluator notes"
HSEEP = (SCENARIO_TIME, SYNOPSIS, INJECT, CONTROLLER, PLAYER, RESPONSE, CAPABILITY, DELIVERY, NOTES)

# The key and what the scenario format has beyond HSEEP, by id, after the HSEEP columns.
ROW_TYPE = "Row type"
ID = "ID"
SUBJECT = "Subject"
QUESTION = "Question"
KIND = "Answer kind"
LIMIT = "Time limit (s)"
STEPS = "Steps"
NOTIFIES = "Notifies"
HARMS = "Harms"
KEYWORDS = "Keywords"
NEXT = "Next"
ORDER_KEY = "Order key"
KEY_COLUMNS = (ROW_TYPE, ID, SUBJECT, QUESTION, KIND, LIMIT, STEPS, NOTIFIES, HARMS, KEYWORDS, NEXT, ORDER_KEY)

COLUMNS = HSEEP + KEY_COLUMNS
NOT_READ = frozenset({PLAYER, CAPABILITY})
# A sheet without one of these cannot describe an inject; any other column may be left out.
REQUIRED = (ROW_TYPE, ID, SCENARIO_TIME, SYNOPSIS, INJECT, CONTROLLER, DELIVERY, QUESTION, KIND)

# Widths in characters, for the xlsx (the text wraps within them).
WIDTHS = {
    SCENARIO_TIME: 10, SYNOPSIS: 30, INJECT: 64, CONTROLLER: 26, PLAYER: 16, RESPONSE: 48, CAPABILITY: 24,
    DELIVERY: 11, NOTES: 40, ROW_TYPE: 10, ID: 20, SUBJECT: 32, QUESTION: 40, KIND: 10, LIMIT: 9,
    STEPS: 26, NOTIFIES: 24, HARMS: 24, KEYWORDS: 22, NEXT: 20, ORDER_KEY: 16,
}

SCENARIO_ROW, INJECT_ROW, ARTIFACT_ROW, OPTION_ROW = "scenario", "inject", "artifact", "option"
ROW_TYPES = (SCENARIO_ROW, INJECT_ROW, ARTIFACT_ROW, OPTION_ROW)

# The scenario's own fields, one row each ("objective" once per objective), by their names in
# the scenario format; the facts by theirs. In the xlsx they fill the "Scenario" sheet's two
# columns; in a CSV they are "scenario" rows: the name under Event synopsis, the value under Inject.
MAIN_SHEET = "MSEL"
SCENARIO_SHEET = "Scenario"
FIELD, VALUE = "Field", "Value"
SCENARIO_FIELDS = ("id", "title", "violation", "jurisdiction", "difficulty", "summary", "objective", "start")
OBJECTIVE = "objective"
FACTS = (
    "criminal_activity_suspected", "resident_personal_data", "vendor_involved", "residents_affected",
    "data_encrypted", "encryption_key_compromised", "city_unresponsive", "service_pressure", "media_inquiry",
    "law_enforcement_referral", "fraud_unlikely_documented",
)
NUMBER_FACTS = frozenset({"residents_affected"})

# --- cell syntax ----------------------------------------------------------------------------------

# OWASP CSV injection: a cell starting with one of these may be run as a formula (the CSV
# exports' rule, scoring.report.tabular). A CSV cell starting with one is written after a single
# quote, and so is one that starts with a quote itself, so that reading drops exactly one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"

_IDS = re.compile(r"[\s,;]+")


def quoted_cell(text: str) -> str:
    return QUOTE + text if text.startswith(FORMULA_START + (QUOTE,)) else text


def line_breaks(text: str) -> str:
    r"""A cell's line breaks as the scenario keeps them ("\n"), whatever wrote it: an xlsx cannot
    hold a carriage return (its XML reads one back as "\n"), and a CSV's "\r\n" or lone "\r"
    inside a cell would be shown in the app as a visible "\r"."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def unquoted_cell(text: str) -> str:
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_START + (QUOTE,)):
        return text[1:]
    return text


def join_ids(ids: list[str]) -> str:
    return ", ".join(ids)


def split_ids(text: str) -> list[str]:
    """Ids separated by commas, semicolons, spaces or line breaks."""
    return [part for part in _IDS.split(text) if part]


def join_lines(items: list[str]) -> str:
    return "\n".join(items)


def split_lines(text: str) -> list[str]:
    """One item a line (keywords may hold commas); empty lines are skipped."""
    return [line for line in text.split("\n") if line.strip()]


def header_key(name: str) -> str:
    """A header as it is matched: case, spacing and a trailing colon do not matter."""
    return " ".join(name.split()).rstrip(":").casefold()


def field_key(name: str) -> str:
    """A scenario field's name as it is matched: "Residents affected" names residents_affected."""
    return re.sub(r"[\s-]+", "_", name.strip()).casefold()
