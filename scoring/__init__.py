"""Judging and remembering drills, with no UI: `score` (scorecards from events), `scorecard`
(what a scorecard holds), `store` and `dbfile` (the event log in SQLite), `history` (the read
model Review and exports use), `drills` (the service both front ends call) and `report/`."""
