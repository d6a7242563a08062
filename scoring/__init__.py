"""Judging and remembering drills, with no UI: `score` (scorecards from events), `scorecard`
(what a scorecard holds) and `store` (the event log in SQLite)."""
