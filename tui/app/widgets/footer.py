"""The footer every screen shows: compact, and fitted to the terminal's width. A key that does not
fit is left out whole, never cut mid-word: the app-wide extras first (Theme, then Commands), then
the screen's own keys from the right; Help (F1) always stays, and lists every key. The command
palette is an ordinary binding (Ctrl+P, id app.commands) rather than a docked hint that covers the
last keys."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Binding ids, the first given up first when the keys do not all fit.
DROPPED_FIRST = ("app.toggle_theme", "app.commands")
ALWAYS_SHOWN = ("app.help", "app.quit")
GAP = 1  # a compact FooterKey's margin-right


def key_width(key: FooterKey) -> int:
    """The cells a compact key takes: its key, a space, its description, and its margin."""
    return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + GAP


def fitted(widths: list[tuple[str, int]], room: int) -> set[int]:
    """Which keys (by position) to leave out so the rest fit `room` cells; (binding id, width)."""
    left_out: set[int] = set()
    total = sum(w for _, w in widths) - GAP  # the last key's margin can fall off the edge
    order = [i for name in DROPPED_FIRST for i, (bid, _) in enumerate(widths) if bid == name]
    order += [i for i in reversed(range(len(widths))) if widths[i][0] not in (*DROPPED_FIRST, *ALWAYS_SHOWN)]
    order += [i for i, (bid, _) in enumerate(widths) if bid == "app.quit"]
    for i in order:
        if total <= room:
            break
        left_out.add(i)
        total -= widths[i][1]
    return left_out


class FittedFooter(Footer):
    # Textual's footer builds all its keys again after every change of bindings, and a screen
    # changes them many times as it opens (each focus, each widget mounted): Review's opening
    # rebuilt it 87 times, two thirds of the time to its first frame. Here the changes of one
    # refresh make one rebuild, and none at all when the keys shown would be the same.
    _shown_for: tuple | None = None
    _rebuild_due = False

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen and not self._rebuild_due:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        if self.is_attached and self._keys_shown() != self._shown_for:
            await self.recompose()

    def _keys_shown(self) -> tuple:
        """What the keys would show: each active binding's key, label, action and state."""
        return tuple((key, b.id, b.action, b.description, b.show, enabled, tooltip, self.app.get_key_display(b))
                     for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items())

    def compose(self) -> ComposeResult:
        # Fitted before they are mounted, so no frame shows a cut key. (The app's bindings have no
        # groups: a KeyGroup's keys would need yielding inside its `with`.)
        self._shown_for = self._keys_shown() if self._bindings_ready else None
        widgets = list(super().compose())
        self.fit([w for w in widgets if isinstance(w, FooterKey)])
        yield from widgets

    def on_resize(self) -> None:
        self.fit(list(self.query(FooterKey)))

    def fit(self, keys: list[FooterKey]) -> None:
        if not keys:
            return
        active = self.screen.active_bindings
        ids = []
        for key in keys:
            held = active.get(key.key)
            ids.append((held[1].id or "") if held is not None else "")
        room = self.size.width or self.app.size.width
        left_out = fitted([(bid, key_width(key)) for bid, key in zip(ids, keys, strict=True)], room)
        for position, key in enumerate(keys):
            key.display = position not in left_out


def footer() -> Footer:
    return FittedFooter(compact=True, show_command_palette=False)
