"""Teams on their own terminals, through the drill service: the console and each player are a
service with a connection of their own to one real SQLite file, as two terminals are."""

from __future__ import annotations

import sqlite3

import pytest
import yaml
from _drill_fixtures import ei_scenario_data

from scenarios.errors import ExerciseError
from scoring.drills import DrillService
from scoring.seating import NotJoined


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "records.yaml").write_text(yaml.safe_dump(ei_scenario_data(), sort_keys=False))
    return folder


def _service(tmp_path, library) -> DrillService:
    return DrillService(db=tmp_path / "drills.db", library=[str(library)], builtin=False,
                        cache_dir=tmp_path / "cache")


@pytest.fixture
def console(tmp_path, library):
    service = _service(tmp_path, library)
    drill = service.start(service.resolve("test-ei-records"), teams=["Blue", "Red"], seed=7)
    codes = service.issue_codes(drill).teams
    yield service, drill, codes
    service.close()


def _rows(db) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("events", "seats", "join_codes"))


def test_each_team_gets_its_own_code_and_only_digests_are_stored(console, tmp_path):
    service, drill, codes = console
    assert set(codes) == {"Blue", "Red"} and len(set(codes.values())) == 2
    with sqlite3.connect(tmp_path / "drills.db") as conn:
        stored = " ".join(r[0] for r in conn.execute("SELECT hash FROM join_codes"))
    for code in codes.values():
        assert code not in stored and code.replace("-", "") not in stored


def test_a_code_opens_its_team_seat_and_says_so_to_the_console(console, tmp_path, library):
    service, drill, codes = console
    player = _service(tmp_path, library)
    seat = player.join(codes["Red"].lower())
    assert seat.team == "Red" and seat.drill.id == drill.id
    assert service.seats(drill) == {"Red": "joined"}
    player.take_seat(seat, "answering")
    assert service.seats(drill) == {"Red": "answering"}
    player.take_seat(seat, "left")
    assert service.seats(drill) == {"Red": "left"}


def test_the_observers_and_the_facilitators_codes_open_their_roles_and_no_team(console, tmp_path, library):
    service, drill, _ = console
    issued = service.issue_codes(drill)
    shown = [*issued.teams.values(), issued.observer, issued.facilitator]
    assert len(set(shown)) == 4  # no role shares a team's code
    observer = _service(tmp_path, library).join(issued.observer)
    facilitator = _service(tmp_path, library).join(issued.facilitator)
    assert (observer.role, facilitator.role) == ("observer", "facilitator")
    assert observer.drill.id == facilitator.drill.id == drill.id
    with pytest.raises(ValueError, match="observer's seat has no team"):
        _ = observer.team
    # their terminals are not any team's: the console's seats list only teams
    assert service.seats(drill) == {}
    assert _service(tmp_path, library).join(issued.teams["Red"]).role == "team"
    assert service.seats(drill) == {"Red": "joined"}


@pytest.mark.parametrize("typed", ["ABCDE-FGHJK", "not a code", ""])
def test_a_wrong_code_is_one_line_and_writes_nothing(console, tmp_path, library, typed):
    service, drill, codes = console
    before = _rows(tmp_path / "drills.db")
    with pytest.raises(NotJoined) as refused:
        _service(tmp_path, library).join(typed)
    assert "\n" not in str(refused.value)
    assert _rows(tmp_path / "drills.db") == before


def test_reissued_codes_replace_the_old_ones(console, tmp_path, library):
    service, drill, codes = console
    fresh = service.issue_codes(drill).teams
    with pytest.raises(NotJoined, match="opens no drill"):
        _service(tmp_path, library).join(codes["Blue"])
    assert _service(tmp_path, library).join(fresh["Blue"]).team == "Blue"


def test_a_code_stops_working_when_the_drill_ends(console, tmp_path, library):
    service, drill, codes = console
    drill.exercise.end()
    with pytest.raises(NotJoined, match="has ended"):
        _service(tmp_path, library).join(codes["Blue"])


def test_a_renamed_team_keeps_its_code(console, tmp_path, library):
    service, drill, codes = console
    drill.exercise.rename("Red", "Crimson")
    assert _service(tmp_path, library).join(codes["Red"]).team == "Crimson"


def test_a_player_answer_reaches_the_console_and_the_console_release_reaches_the_player(console, tmp_path, library):
    service, drill, codes = console
    seat = _service(tmp_path, library).join(codes["Blue"])
    drill.exercise.release("Blue")
    assert seat.drill.catch_up() == 1
    assert seat.drill.state.teams["Blue"].current == "detect"
    seat.drill.exercise.submit("Blue", "detect", "isolate-and-call")
    assert drill.catch_up() == 1
    assert drill.state.teams["Blue"].answers["detect"].answer == ["isolate-and-call"]


def test_a_stale_terminal_catches_up_before_writing_and_never_shows_a_skipped_answer(console, tmp_path, library):
    """The facilitator keys Blue's answer while Blue's own terminal, which has not polled yet,
    submits another: the terminal is refused with the reason, and the log holds one answer."""
    service, drill, codes = console
    seat = _service(tmp_path, library).join(codes["Blue"])
    drill.exercise.release("Blue")
    seat.drill.catch_up()
    drill.exercise.submit("Blue", "detect", "wipe-now")
    with pytest.raises(ExerciseError, match="already answered"):
        seat.drill.exercise.submit("Blue", "detect", "isolate-and-call")
    assert seat.drill.state.teams["Blue"].answers["detect"].answer == ["wipe-now"]
    events = DrillService(db=tmp_path / "drills.db").store().events(drill.id)
    assert [e.type for e in events].count("response-submitted") == 1


def test_a_stale_terminal_writing_for_another_team_goes_in_after_the_others(console, tmp_path, library):
    service, drill, codes = console
    seat = _service(tmp_path, library).join(codes["Red"])
    drill.exercise.release("Blue")  # the player's terminal has not seen this
    drill.exercise.release("Red")
    seat.drill.catch_up()
    drill.exercise.submit("Blue", "detect", "isolate-and-call")
    seat.drill.exercise.submit("Red", "detect", "wipe-now")  # behind by one: catches up, then writes
    assert seat.drill.exercise.events == DrillService(db=tmp_path / "drills.db").store().events(drill.id)
    assert drill.catch_up() == 1 and not drill.state.skipped


def test_a_console_behind_a_players_answer_still_releases_the_teams_next_inject(console, tmp_path, library):
    """The console has not polled since Blue answered from its terminal: its release is refused
    against what it holds (Blue still answering), so it catches up and releases what is due."""
    service, drill, codes = console
    seat = _service(tmp_path, library).join(codes["Blue"])
    drill.exercise.release("Blue")
    seat.drill.catch_up()
    seat.drill.exercise.submit("Blue", "detect", "isolate-and-call")
    released = drill.exercise.release("Blue")  # no catch_up first
    assert released.inject == "evidence"
    assert drill.state.teams["Blue"].path == ["detect", "evidence"] and not drill.state.skipped


def test_a_refusal_that_holds_against_the_drill_as_it_is_is_still_refused(console):
    service, drill, codes = console
    with pytest.raises(ExerciseError, match="not in front of team"):
        drill.exercise.submit("Blue", "evidence", ["export-logs"])
