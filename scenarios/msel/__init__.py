"""Scenarios as the spreadsheets trainers keep: the HSEEP Master Scenario Events List (MSEL).

The layout (`columns`), written by `write` and read back by `read`:

- The main sheet ("MSEL" in an xlsx; the whole of a CSV) has one header row. The HSEEP columns
  come first: Scenario time, Event synopsis, Inject, Responsible controller, Intended player,
  Expected player response, Objective or capability, Delivery method, Evaluator notes. The
  columns that hold the rest of the scenario and its key, by id, come after: Row type, ID,
  Subject, Question, Answer kind, Time limit (s), Steps, Notifies, Harms, Keywords, Next, Order key.
- Each row has a Row type:
  - `inject`: Scenario time = `at` (whole minutes, or H:MM), Event synopsis = `title`, Inject =
    `body`, Responsible controller = `sender` (whom the controller plays), Delivery method =
    `channel`, Expected player response = `debrief`, Evaluator notes = `notes`, and ID, Subject,
    Question, Answer kind (`kind`), Time limit (s) (`limit`), Next and Order key (`key`).
  - `artifact` (under its inject): Event synopsis = its title, Inject = its content, Delivery
    method = its kind (log, email, document, record).
  - `option` (under its inject): ID, Inject = its `text`, Expected player response = `debrief`,
    Evaluator notes = `notes`, Steps, Notifies, Harms, Next and Keywords.
  - `scenario`: one of the scenario's own fields: its name (id, title, violation, jurisdiction,
    difficulty, summary, objective, start, or a fact such as vendor_involved) under Event
    synopsis, its value under Inject. "objective" is one row per objective; a fact is yes or no
    (residents_affected a number). The xlsx keeps these in its "Scenario" sheet instead, as two
    columns, Field and Value; a CSV has them as its first rows.
- Steps, Notifies, Harms and Order key hold ids separated by commas (or spaces); Keywords holds
  one keyword a line. Blank rows are skipped. Intended player is the trainer's own column and
  Objective or capability is worked out from the playbook for reading: neither is read back.
  Any other column is kept out of the scenario with a warning.
- Formula safety: in a CSV, a cell starting with = + - @, a tab or a line break (OWASP's list,
  as the CSV exports use) or with a single quote is written after a single quote, which the
  import drops again: the text round-trips exactly. In an xlsx such a cell is a text cell marked
  "quote prefix", which Excel and LibreOffice never evaluate; a formula cell is never imported.

Nothing here imports Textual or the front ends.
"""
