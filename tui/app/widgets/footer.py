"""The footer every screen shows: compact, so the keys fit 80 columns; the command palette is an
ordinary binding (Ctrl+P, id app.commands) rather than a docked hint that covers the last keys."""

from __future__ import annotations

from textual.widgets import Footer


def footer() -> Footer:
    return Footer(compact=True, show_command_palette=False)
