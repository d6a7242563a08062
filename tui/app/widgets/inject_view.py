"""An inject as it would reach the team: an email with headers, a phone call transcript, a
ticket, a news item or a log excerpt, with its artifacts in monospace panels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from scenarios.inject_text import CHANNEL_LABEL, lay_out

from .literal import content, join


def _headers(rows: list[tuple[str, str]]) -> Content:
    width = max(len(name) for name, _ in rows)
    return Content("\n").join(join(content(f"{name + ':':<{width + 1}} ", "bold"), value) for name, value in rows)


class InjectView(Vertical):
    def __init__(self, inject, team: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.inject = inject
        self.team = team

    def compose(self) -> ComposeResult:
        inject = self.inject
        when = f"+{inject.at} min into the incident"
        if inject.channel == "email":
            rows = [
                ("From", inject.sender), ("To", self.team), ("Subject", inject.subject or inject.title),
                ("Received", when),
            ]
            yield Static(_headers(rows), classes="letter-head")
            yield Static(content(lay_out(inject.body)), classes="letter-body")
        elif inject.channel == "phone":
            yield Static(_headers([("Call from", inject.sender), ("Taken", when)]), classes="letter-head")
            # Scenario authors write the call as a transcript already (who says what).
            yield Static(content(lay_out(inject.body)), classes="transcript")
        elif inject.channel == "log":
            yield Static(_headers([("Alert from", inject.sender), ("Raised", when)]), classes="letter-head")
            yield Static(content(inject.body.rstrip()), classes="artifact")
        else:
            label = CHANNEL_LABEL[inject.channel]
            rows = [(label, inject.subject or inject.title), ("From", inject.sender), ("When", when)]
            yield Static(_headers(rows), classes="letter-head")
            yield Static(content(lay_out(inject.body)), classes="letter-body")
        for artifact in inject.artifacts:
            panel = Static(content(artifact.content.rstrip()), classes=f"artifact artifact-{artifact.kind}")
            panel.border_title = content(f"{artifact.kind}: {artifact.title}")
            yield panel
