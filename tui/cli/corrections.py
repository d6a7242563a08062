"""`breachdrill results correct | rename | archive | restore | delete`: changing a stored drill.

All but delete append one event to the drill's log (scenarios.exercise): what was first recorded
stays in the log, the score is recomputed from the events, and the debrief and the report list
each correction with its time. Delete is not an event: it removes the drill and everything kept
about it, so it is confirmed by typing the drill's id (or `--yes` when there is no terminal).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from ..text import literal
from .common import STATUS_TEXT, CliError, add_db_option, open_store, service

DRILL_HELP = "a drill id (or a unique start of one)"


def register(inner) -> None:
    """Adds the subcommands to `breachdrill results`."""
    p = inner.add_parser("correct", help="replace a team's recorded answer (kept as a correction, score recomputed)")
    p.add_argument("drill", metavar="DRILL", help=DRILL_HELP)
    p.add_argument("--team", required=True, metavar="NAME", help="the team whose answer was recorded wrong")
    p.add_argument("--inject", required=True, metavar="ID", help="the inject it answered")
    p.add_argument("--answer", required=True, metavar="A",
                   help="an option id; option ids separated by commas for multi and order injects; text for free ones")
    p.add_argument("--reason", default="", metavar="TEXT", help="why, for the debrief and the report")
    add_db_option(p)
    p.set_defaults(func=cmd_correct)

    p = inner.add_parser("rename", help="rename a team of a drill (scorecards and Review follow)")
    p.add_argument("drill", metavar="DRILL", help=DRILL_HELP)
    p.add_argument("old", metavar="OLD", help="the team's name now")
    p.add_argument("new", metavar="NEW", help="its new name")
    add_db_option(p)
    p.set_defaults(func=cmd_rename)

    p = inner.add_parser("archive", help="keep a drill but leave it out of every statistic (a test run, a mistake)")
    p.add_argument("drill", metavar="DRILL", help=DRILL_HELP)
    p.add_argument("--reason", default="", metavar="TEXT", help="why, for the debrief and the report")
    add_db_option(p)
    p.set_defaults(func=cmd_archive)

    p = inner.add_parser("restore", help="count an archived drill in the statistics again")
    p.add_argument("drill", metavar="DRILL", help=DRILL_HELP)
    add_db_option(p)
    p.set_defaults(func=cmd_restore)

    p = inner.add_parser("delete", help="remove a drill for good (asks you to type its id)")
    p.add_argument("drill", metavar="DRILL", help=DRILL_HELP)
    p.add_argument("--yes", action="store_true", help="do not ask (needed when there is no terminal to ask on)")
    add_db_option(p)
    p.set_defaults(func=cmd_delete)


@contextmanager
def changing(args: argparse.Namespace) -> Iterator:
    """The drill named (a LiveDrill), every command on it recorded in the store."""
    drills = service(args)
    with drills.open_store() as store:
        yield drills.resume(args.drill, store)


def answer_text(inject, answer: list[str] | str) -> str:
    """An answer on one line, each option as `id) text`: the ids are what `--answer` takes, so
    the command line shows them beside the text the team saw (the report shows the text only)."""
    from scoring.report.aar import answer_lines

    if isinstance(answer, str):
        return answer
    texts = answer_lines(inject, answer)
    return "; ".join(f"{oid}) {' '.join(text.split())}" for oid, text in zip(answer, texts, strict=True))


def parse_answer(inject, text: str) -> list[str] | str:
    """--answer as `play` answers files give it: text for a free inject, else option ids."""
    if inject.kind == "free":
        return text
    return [part.strip() for part in text.split(",") if part.strip()]


def same_answer(kind: str, a: list[str] | str, b: list[str] | str) -> bool:
    return sorted(a) == sorted(b) if kind == "multi" else a == b


def cmd_correct(args: argparse.Namespace) -> int:
    from scenarios.errors import ExerciseError
    from scenarios.render import render
    from scenarios.scenario_index import normalize_answer
    from scoring.score import score_state

    with changing(args) as drill:
        drill_id, exercise = drill.id, drill.exercise
        state = exercise.state
        team = state.teams.get(args.team)
        if team is None:
            raise CliError(f"--team {args.team}: no such team in drill {drill_id} (teams: {', '.join(state.teams)})")
        entry = state.index.injects.get(args.inject)
        if entry is None:
            raise CliError(f"--inject {args.inject}: no such inject in scenario '{state.scenario.id}' "
                           f"(injects: {', '.join(state.index.injects)})")
        answered = ", ".join(team.answers) or "none"
        if args.inject not in team.answers:
            raise CliError(f"--inject {args.inject}: team '{team.name}' has not answered it, so there is "
                           f"nothing to correct (answered: {answered})")
        inject = entry.inject
        try:
            new = normalize_answer(inject, parse_answer(inject, args.answer))
        except ExerciseError as exc:
            raise CliError(f"--answer {args.answer}: {exc}") from None
        old = team.answers[args.inject].answer
        if same_answer(inject.kind, old, new):
            raise CliError(f"--answer {args.answer}: that is the answer already recorded; nothing changed")
        before = score_state(state.scenario, drill.key, state)[team.name].overall
        exercise.correct(team.name, args.inject, new, args.reason)
        after = score_state(state.scenario, drill.key, exercise.state)[team.name].overall
        shown = render(state.scenario, state.seed).inject(args.inject)
    lines = [
        f"Drill {drill_id}: corrected the answer of team {team.name} to inject {inject.id} ({shown.title})",
        f"  was: {answer_text(shown, old)}",
        f"  now: {answer_text(shown, new)}",
        *([f"  reason: {args.reason.strip()}"] if args.reason.strip() else []),
        f"Team {team.name}: {before:.1f} -> {after:.1f} / 100",
    ]
    print(literal("\n".join(lines)))
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    with changing(args) as drill:
        if args.old in drill.exercise.state.teams and args.new.strip() == args.old:
            raise CliError(f"{args.new}: that is the team's name already; nothing changed")
        event = drill.exercise.rename(args.old, args.new)
    print(literal(f"Drill {drill.id}: team {args.old} is now {event.name}"))
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    with changing(args) as drill:
        drill.exercise.archive(args.reason)
    print(f"Drill {drill.id} archived: it is kept, and left out of every statistic "
          f"(`breachdrill results restore {drill.id}` counts it again)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with changing(args) as drill:
        drill.exercise.restore()
    print(f"Drill {drill.id} restored: it counts in the statistics again")
    return 0


def describe(row) -> str:
    status = STATUS_TEXT.get(row.status, row.status) + (", archived" if row.archived else "")
    return literal(f"{row.title} [{row.scenario_id}], started {row.created}, {status}, "
                   f"teams {', '.join(row.teams)}, {row.events} events")


def cmd_delete(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        row = store.drill(args.drill)
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError(f"delete {row.id}: no terminal to confirm on; add --yes to delete it without asking")
            # The prompt goes to stderr: standard output says only what was deleted.
            print(f"This removes drill {row.id} for good: {describe(row)}.\n"
                  f"To keep it out of the statistics instead, use `breachdrill results archive {row.id}`.\n"
                  f"Type the drill id to delete it: ", end="", file=sys.stderr, flush=True)
            typed = sys.stdin.readline().strip()
            if typed != row.id:
                print(
                    literal(f"breachdrill: nothing deleted ('{typed}' is not the drill id {row.id})"), file=sys.stderr
                )
                return 1
        store.delete(row.id)
    print(f"Deleted drill {row.id}: {describe(row)}")
    return 0
