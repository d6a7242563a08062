"""F1: the flows in a few lines, and every key of the screen underneath (remappable by id)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import footer
from ..widgets.literal import content, join
from . import STYLES

# How an answer is given, on the trainer's app and on a team's own terminal alike (answer.py).
ANSWERING = ("Up/Down or a number marks the option (•); in a multi-select Space or a number ticks [x], 0 "
             "ticks None of these; for an order, type the numbers in order or use Shift+Up/Down; Enter "
             "submits (Ctrl+S in a multi-select or a free text, where Enter makes a new line), y confirms. "
             "Page Up/Down and Home/End scroll the message; Tab moves to it and back. ")

FLOWS = (
    ("Library", "arrows pick a scenario; n or Enter starts a new drill; f focuses the filters, x shows all "
     "again; r resumes an interrupted drill; v opens Review; g generates a new scenario from a seed."),
    ("New drill", "name one to eight teams (Ctrl+N adds, Ctrl+O removes); Tab to the mode and the clock, "
     "Space or Enter chooses; keep or change the seed (Ctrl+G draws a new one); Ctrl+S starts."),
    ("Console", "n releases the next inject to every ready team, each along its own branch (on a team's "
     "tab, to that team), and the notice says what reached whom; a records the answer of the team in view; "
     "t goes through the tabs (timeline, then each team); on the timeline Up/Down show the highlighted "
     "inject in full under it and Left/Right bring in the team columns, Sender and Channel that do not fit; "
     "p pauses and resumes; s hides the scoreboard from the room (it stays hidden when the drill is "
     "resumed); the scoreboard scores each team on its answers so far, and in a timed drill shows every "
     "team's time left (over time, in reverse); e ends the drill and opens the debrief (after the end, e "
     "opens it again); Escape returns to the library (the drill stays saved). Teams with a terminal of "
     "their own join with the code shown at the start (breachdrill join CODE); their answers appear here "
     "within a second, and j issues new codes. For a second after an answer screen closes, letters "
     "typed on are not taken as commands."),
    ("Scenario clock", "in a timed facilitated drill each inject goes out at its time (+N min of drill time, "
     "pauses excluded), to each team along its own branch; a team still answering gets its next inject as "
     "soon as it answers (the console says it is behind the clock). The status line, each team's tab, its "
     "timeline column and the scoreboard say what comes next and in how long. h holds the clock (nothing "
     "goes out on it; n still releases by hand) and runs it again; p pauses it with the drill. Every "
     "console on the drill, and one resumed later, follows the same clock and never releases an inject "
     "twice."),
    ("Answering", ANSWERING + "Every confirmed answer is saved at once: closing the terminal never loses it."),
    ("Practice", "after each answer the feedback names the steps honoured or broken, the right contact and "
     "the guide section; Enter opens the next inject."),
    ("Debrief", "t goes through the tabs, one per team: the scorecard, each choice beside the guide's "
     "answer, the missed steps, the escalation trees and every finding with its source. On a free-text "
     "answer in the choices table, m records the facilitator's mark. On a team's tab, c corrects the "
     "highlighted answer; r renames the team; a archives a test drill (left out of every statistic, "
     "kept on disk) or restores it. Each correction is kept with its time and listed in the summary "
     "and the after-action report. o opens each team's own score on its own terminal."),
    ("Review", "every drill in the store: filter by scenario, violation, jurisdiction, team and dates; t "
     "goes through the tabs (drills, each team's trend, the steps most often missed with their guide "
     "section, teams compared on one scenario); Enter opens a drill's scorecard; e exports its "
     "after-action report (HTML, Markdown, CSV or JSON)."),
    ("Generate", "choose a violation, a city and a difficulty, keep or change the seed, Ctrl+S: the "
     "scenario is saved beside the drills database and highlighted in the library."),
    ("Everywhere", "F1 help, Ctrl+P commands (new drill, resume, review, generate, theme, help), Ctrl+T light or dark "
     "theme, Ctrl+Q quits. Keys can be remapped by their binding id."),
)

JOINING = ("Joining", "type the join code the facilitator gave you (like ABCDE-FGHJK) and press Enter: a "
           "team's code opens that team's screen, the observers' code the drill read-only, the facilitator's "
           "the console. A wrong code says why and can be typed again; after five wrong codes in a minute the "
           "screen waits a minute before it takes another.")
EVERYWHERE = ("Everywhere", "F1 help, Ctrl+T light or dark theme, Ctrl+Q quits.")

# A team's own terminal (`breachdrill join`, player.py): its one team, nothing else to reach.
PLAYER_FLOWS = (
    JOINING,
    ("Your team's screen", "the inject in front of your team as it arrived, with its question; Enter answers "
     "it. The line at the top says what the drill is doing: waiting for the facilitator to release an "
     "inject, paused (answers wait until it resumes) or ended; once the facilitator opens the debrief, "
     "your team's scorecard is shown."),
    ("Answering", ANSWERING + "A confirmed answer is saved at once: closing the terminal never loses it, "
     "and the same code brings you back."),
    EVERYWHERE,
)

# The observers' code (screens/observer.py): every team's part, read-only.
OBSERVER_FLOWS = (
    JOINING,
    ("Observing", "read-only: the Timeline lists every release, answer, pause and the end with its time and "
     "team; t goes to each team's tab, its injects as they reached it with the team's answers; Tab moves "
     "between the tab bar and the content, arrows and Page Up/Down scroll. Scores appear on a Scores tab "
     "only once the facilitator opens the debrief to the players."),
    EVERYWHERE,
)

# The facilitator's code (player.py): the console and the debrief, with no library behind them.
FACILITATOR_FLOWS = (JOINING,
                     *(flow for flow in FLOWS if flow[0] in ("Console", "Scenario clock", "Answering", "Debrief")),
                     EVERYWHERE)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = STYLES  # read when the first screen after the library opens
    BINDINGS = [Binding("escape,f1", "close", "Close help", id="help.close")]

    def __init__(self, below, flows: tuple[tuple[str, str], ...] = FLOWS) -> None:
        super().__init__()
        self.below = below  # the screen whose keys are listed
        self.flows = flows  # the trainer's app's, or a team's own terminal's (PLAYER_FLOWS)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(content("breachdrill: keys and flows", "bold"), id="help-title")
            flows = [join(content(f"{title}: ", "bold"), text) for title, text in self.flows]
            yield Static(Content("\n").join(flows), id="help-flows")
            yield Static(self.keys(), id="help-keys")
        yield footer()

    def keys(self) -> Content:
        """The keys of the screen under this one, with the ids a keymap can remap."""
        lines = [content("Keys here (binding id in brackets):", "bold underline")]
        for _, binding, _, _ in self.below.active_bindings.values():
            if binding.show and binding.description:
                lines.append(join(content(f"  {binding.key:<12} ", "bold"), binding.description,
                                  content(f"  [{binding.id}]" if binding.id else "", "dim")))
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
