"""A scenario as an MSEL: rows of cells, then CSV text or an xlsx workbook (see the package's
docstring for the layout)."""

from __future__ import annotations

import csv
import io

from ..model import Inject, Option, Scenario
from ..playbook import Key
from ..safe_text import literal_cell
from . import columns as c

Cell = str | int | None


def scenario_fields(scenario: Scenario) -> list[tuple[str, Cell]]:
    """(field name, value) for the scenario's own fields and facts, in the format's order."""
    fields: list[tuple[str, Cell]] = []
    for name in c.SCENARIO_FIELDS:
        if name == c.OBJECTIVE:
            fields += [(c.OBJECTIVE, objective) for objective in scenario.objectives]
        else:
            fields.append((name, getattr(scenario, name)))
    for name in c.FACTS:
        value = getattr(scenario.facts, name)
        fields.append((name, value if name in c.NUMBER_FACTS else ("yes" if value else "no")))
    return fields


def _capabilities(step_ids: list[str], key: Key | None) -> str:
    """The HSEEP capabilities the steps exercise, for reading (never read back)."""
    if key is None:
        return ""
    found = [key.steps[s].capability for s in step_ids if s in key.steps]
    return "\n".join(dict.fromkeys(found))


def _inject_row(inject: Inject, key: Key | None) -> dict[str, Cell]:
    steps = [s for option in inject.options for s in option.steps]
    return {
        c.SCENARIO_TIME: inject.at, c.SYNOPSIS: inject.title, c.INJECT: inject.body, c.CONTROLLER: inject.sender,
        c.RESPONSE: inject.debrief, c.CAPABILITY: _capabilities(steps, key), c.DELIVERY: inject.channel,
        c.NOTES: inject.notes, c.ROW_TYPE: c.INJECT_ROW, c.ID: inject.id, c.SUBJECT: inject.subject,
        c.QUESTION: inject.question, c.KIND: inject.kind, c.LIMIT: inject.limit, c.NEXT: inject.next,
        c.ORDER_KEY: None if inject.key is None else c.join_ids(inject.key),
    }


def _option_row(option: Option, key: Key | None) -> dict[str, Cell]:
    return {
        c.INJECT: option.text, c.RESPONSE: option.debrief, c.CAPABILITY: _capabilities(option.steps, key),
        c.NOTES: option.notes, c.ROW_TYPE: c.OPTION_ROW, c.ID: option.id, c.STEPS: c.join_ids(option.steps),
        c.NOTIFIES: c.join_ids(option.notifies), c.HARMS: c.join_ids(option.harms),
        # A cell holds a keyword a line. Matching treats any run of spaces and line breaks in a
        # keyword as one space (scenario_index), so writing each on one line scores the same.
        c.KEYWORDS: c.join_lines([" ".join(word.split()) for word in option.keywords if word.strip()]),
        c.NEXT: option.next,
    }


def rows(scenario: Scenario, key: Key | None) -> list[dict[str, Cell]]:
    """One row per inject, then its artifacts, then its options, by column name."""
    out = []
    for inject in scenario.injects:
        out.append(_inject_row(inject, key))
        out += [{c.SYNOPSIS: a.title, c.INJECT: a.content, c.DELIVERY: a.kind, c.ROW_TYPE: c.ARTIFACT_ROW}
                for a in inject.artifacts]
        out += [_option_row(option, key) for option in inject.options]
    return out


def _text(value: Cell) -> str:
    # Controls and bidi marks are written as visible escapes, as every export writes them.
    return "" if value is None else literal_cell(str(value))


# --- CSV ----------------------------------------------------------------------------------------


def csv_text(scenario: Scenario, key: Key | None) -> str:
    """The MSEL as one CSV sheet: the scenario's fields as "scenario" rows first."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(c.COLUMNS)
    for name, value in scenario_fields(scenario):
        row = {c.ROW_TYPE: c.SCENARIO_ROW, c.SYNOPSIS: name, c.INJECT: value}
        writer.writerow([c.quoted_cell(_text(row.get(col))) for col in c.COLUMNS])
    for row in rows(scenario, key):
        writer.writerow([c.quoted_cell(_text(row.get(col))) for col in c.COLUMNS])
    return out.getvalue()


# --- xlsx ---------------------------------------------------------------------------------------


def xlsx_bytes(scenario: Scenario, key: Key | None) -> bytes:
    """The MSEL as a workbook: the "MSEL" sheet of injects, the "Scenario" sheet of fields."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    shaded = PatternFill("solid", start_color="DDEBF7")  # an inject row stands out from its options

    def fill(sheet, headers: tuple[str, ...], values: list[dict[str, Cell]], widths: dict[str, int]) -> None:
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font, cell.alignment = bold, wrap
        for row in values:
            sheet.append([None] * len(headers))
            inject_row = row.get(c.ROW_TYPE) == c.INJECT_ROW
            for col, header in enumerate(headers, start=1):
                cell = sheet.cell(row=sheet.max_row, column=col)
                value = row.get(header)
                if isinstance(value, int):
                    cell.value = value
                elif value is not None and value != "":
                    cell.value = _text(value)
                    # A text cell, never a formula: kept as typed text by Excel and LibreOffice.
                    cell.data_type = "s"
                    cell.quotePrefix = cell.value.startswith(c.FORMULA_START)
                cell.alignment = wrap
                if inject_row:
                    cell.fill = shaded
        for col, header in enumerate(headers, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=col).column_letter].width = widths[header]
        sheet.freeze_panes = "A2"

    book = Workbook()
    main = book.active
    main.title = c.MAIN_SHEET
    fill(main, c.COLUMNS, rows(scenario, key), c.WIDTHS)
    fields = [{c.FIELD: name, c.VALUE: value} for name, value in scenario_fields(scenario)]
    fill(book.create_sheet(c.SCENARIO_SHEET), (c.FIELD, c.VALUE), fields, {c.FIELD: 28, c.VALUE: 90})
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
