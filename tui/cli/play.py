"""`breachdrill play ID|PATH --answers FILE` (one team) or `--team NAME=FILE ...` (several teams
in one drill): a drill played headlessly from answers kept on paper, scored and stored.

The answers file maps inject ids to an answer: an option id, a list of option ids (multi,
order), text (free), or a mapping {answer: ..., seconds: N, mark: [option ids]}. Each team
follows its own branch; injects it reaches with no answer in its file are left unanswered.
Every problem in every file is reported as FILE:LINE:COL before anything is recorded.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..text import literal
from .common import (
    CliError,
    add_db_option,
    add_library_option,
    print_json,
    resolve_scenario,
    seed_option,
    service,
)
from .scorecard_text import format_scorecard

DEFAULT_TEAM = "team-1"
ANSWER_FIELDS = ("answer", "seconds", "mark")


def register(sub) -> None:
    p = sub.add_parser(
        "play", help="play a drill from answers files (one per team), record it and print the scorecards",
        description="Play a drill from answers files: --answers FILE for one team, or --team NAME=FILE "
                    "once per team for several teams in one drill. Each answers file is YAML mapping "
                    "inject id -> option id, [option ids] or text, or {answer: ..., seconds: N, mark: [ids]}.",
    )
    p.add_argument("ref", metavar="ID|PATH", help="a scenario id or a scenario file")
    p.add_argument("--answers", metavar="FILE", help="one team's answers (name it with --team NAME)")
    p.add_argument("--team", action="append", default=[], metavar="NAME[=FILE]",
                   help=f"with --answers: the team's name (default {DEFAULT_TEAM}); without it: NAME=FILE, "
                        "repeated for each team of the drill")
    # Read as text and checked in cmd_play, so a bad value is one line naming the flag.
    p.add_argument("--seed", default=None, metavar="N", help="details seed (default: a random one, recorded)")
    p.add_argument("--timed", action="store_true",
                   help="score decision times against each inject's limit "
                        "(answers without seconds are timed as played)")
    p.add_argument("--json", action="store_true",
                   help="print the scorecard as JSON (with --team NAME=FILE: the drill and a list of scorecards)")
    add_db_option(p)
    add_library_option(p)
    p.set_defaults(func=cmd_play)


@dataclass
class Planned:
    answer: Any = None
    seconds: float | None = None
    mark: list[str] | None = None


def read_answers(path: str, scenario, flag: str | None = None) -> dict[str, Planned]:
    """The answers file, checked against the scenario; CliError at the first problem, located.
    `flag` is how the user named the file, for the error when it is not there."""
    import os

    from scenarios import yamlsource
    from scenarios.errors import ExerciseError
    from scenarios.model import MAX_SECONDS
    from scenarios.scenario_index import normalize_answer

    file = Path(path)
    try:
        os.stat(file)
    except (FileNotFoundError, NotADirectoryError):
        raise CliError(f"{flag or '--answers ' + path}: no such file") from None
    except OSError:
        pass  # there but not to be read: reading it says why, located
    # Only a regular file of at most yamlsource.MAX_BYTES is read: a FIFO or /dev/zero is one line.
    source, problems = yamlsource.load(file, "answers files")
    # 0 bytes, only comments, or `{}`: a drill with no answer at all is a wrong file, not a score.
    if source is None and problems and problems[0].message == "file is empty":
        raise CliError(f"{problems[0]} (no answers in the file)")
    if problems:
        raise CliError(str(problems[0]))
    data = source.data
    if data == {}:
        raise CliError(str(source.problem((), "no answers in the file")))
    if not isinstance(data, dict):
        raise CliError(str(source.problem((), "expected a mapping of inject id to answer")))
    injects = {inject.id: inject for inject in scenario.injects}
    planned: dict[str, Planned] = {}
    for inject_id, value in data.items():

        def fail(loc: tuple, message: str, at_key: bool = False, inject_id: str = inject_id):
            raise CliError(str(source.problem((inject_id, *loc), message, at_key=at_key)))

        inject = injects.get(inject_id)
        if inject is None:
            fail((), f"unknown inject {yamlsource.quoted(inject_id)} (injects: {', '.join(injects)})", at_key=True)
        entry, at = Planned(), ()
        if isinstance(value, dict):
            for field in value:
                if field not in ANSWER_FIELDS:
                    fail((field,), f"unknown field {yamlsource.quoted(field)} (expected: {', '.join(ANSWER_FIELDS)})",
                         at_key=True)
            if "answer" not in value:
                fail((), f"inject '{inject_id}': missing field 'answer'")
            seconds = value.get("seconds")
            if seconds is not None and (
                isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                or not math.isfinite(seconds) or not 0 <= seconds <= MAX_SECONDS
            ):  # NaN and infinities too: neither is a time, and JSON has neither (.inf was stored as null)
                fail(("seconds",), f"inject '{inject_id}': seconds must be a number of seconds, 0 or more, "
                                   f"up to {MAX_SECONDS:,} (30 days); got {_shown(seconds)}")
            entry.seconds = float(seconds) if seconds is not None else None
            if "mark" in value:
                mark = value["mark"]
                mark = [mark] if isinstance(mark, str) else mark
                if inject.kind != "free":
                    fail(("mark",), f"inject '{inject_id}' is {inject.kind}: only free answers are marked")
                if not isinstance(mark, list) or not all(isinstance(m, str) for m in mark):
                    fail(("mark",), f"inject '{inject_id}': mark is a list of option ids")
                for i, oid in enumerate(mark):
                    if oid not in {o.id for o in inject.options}:
                        ids = ", ".join(o.id for o in inject.options)
                        fail(("mark", i),
                             f"inject '{inject_id}': unknown option {yamlsource.quoted(oid)} (options: {ids})")
                entry.mark = list(mark)
            value, at = value["answer"], ("answer",)
        if isinstance(value, int) and not isinstance(value, bool) and inject.kind != "free":
            value = str(value)  # an option id that YAML read as a number
        try:
            entry.answer = normalize_answer(inject, value)
        except ExerciseError as exc:
            ids = {o.id for o in inject.options}
            bad = next((i for i, v in enumerate(value) if v not in ids), None) if isinstance(value, list) else None
            fail(at if bad is None else (*at, bad), str(exc))
        planned[inject_id] = entry
    return planned


def _shown(value: Any) -> str:
    """A value from an answers file as its YAML spelling, short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _teams(args: argparse.Namespace) -> tuple[list[tuple[str, str, str]], bool]:
    """(team, answers file, how the user named it) for each team, and whether NAME=FILE was used."""
    if args.answers is not None:
        if any("=" in given for given in args.team):
            raise CliError("--answers FILE plays one team: name it with --team NAME, or give each team "
                           "as --team NAME=FILE without --answers")
        if len(args.team) > 1:
            raise CliError(f"--answers FILE plays one team, but --team was given {len(args.team)} times "
                           "(give each team as --team NAME=FILE instead)")
        team = (args.team or [DEFAULT_TEAM])[0].strip()
        if not team:
            raise CliError("--team: a team needs a name")
        return [(team, args.answers, f"--answers {args.answers}")], False
    if not args.team:
        raise CliError("no answers: give --answers FILE for one team, or --team NAME=FILE for each team")
    teams: list[tuple[str, str, str]] = []
    for given in args.team:
        team, eq, file = (part.strip() for part in given.partition("="))
        if not eq:
            raise CliError(f"--team {given}: no answers file (give --team NAME=FILE, or --answers FILE)")
        if not team:
            raise CliError(f"--team {given}: a team needs a name")
        if not file:
            raise CliError(f"--team {given}: no answers file after '='")
        if any(team.casefold() == t.casefold() for t, _, _ in teams):
            raise CliError(f"--team {given}: team '{team}' is named twice (team names ignore case)")
        teams.append((team, file, f"--team {given}"))
    return teams, True


def _play(exercise, planned: dict[str, dict[str, Planned]]) -> None:
    """Round after round, as a facilitator runs a drill: every team still on its branch is released
    its next inject, then each team's answer is recorded (none in its file: it moves on unanswered)."""
    while due := [team for team in planned if exercise.state.teams[team].next is not None]:
        for team, inject in [(team, exercise.release(team).inject) for team in due]:
            entry = planned[team].get(inject)
            if entry is not None:
                exercise.submit(team, inject, entry.answer, seconds=entry.seconds)
                if entry.mark is not None:
                    exercise.mark(team, inject, entry.mark)


def cmd_play(args: argparse.Namespace) -> int:
    from scoring.score import score_state

    seed = seed_option(args.seed)
    teams, several = _teams(args)
    loaded = resolve_scenario(args.ref, args)
    scenario, key = loaded.scenario, loaded.key
    planned = {team: read_answers(file, scenario, flag) for team, file, flag in teams}

    drills = service(args)
    with drills.open_store() as store:
        drill = drills.start(loaded, teams=list(planned), seed=seed, mode="practice", timed=args.timed, store=store)
        drill_id, exercise = drill.id, drill.exercise
        try:
            _play(exercise, planned)
            exercise.end()
        except Exception:
            # Every answer was checked before the drill was created; should one still be refused
            # on the way, no half-played drill is left for the app to offer to resume.
            with contextlib.suppress(Exception):
                store.delete(drill_id)
            raise
    scored = score_state(scenario, key, exercise.state)
    cards = [scored[team] for team in planned]
    head = {"drill_id": drill_id, "scenario_id": scenario.id, "seed": seed}
    if args.json:
        print_json(head | ({"scorecards": [card.to_dict() for card in cards]} if several else cards[0].to_dict()))
    else:
        print(literal(f"Drill {drill_id}: {scenario.title} [{scenario.id}], seed {seed}"))
        for card in cards:
            print()
            print(format_scorecard(card))
    for card in cards:
        skipped = [i for i in planned[card.team] if i not in card.path]
        if skipped:
            whose = f"the branch of team '{card.team}'" if several else "this team's branch"
            print(literal(f"Not on {whose} (ignored): {', '.join(skipped)}"), file=sys.stderr)
    return 0
