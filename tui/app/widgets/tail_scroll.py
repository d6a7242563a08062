"""A scroll that follows its end, like `tail -f`, while its reader is at that end."""

from __future__ import annotations

from textual.containers import VerticalScroll


class Tail(VerticalScroll):
    """A scroll that keeps its end in view while the reader is at its end (`tail -f`): a row or
    an inject added shows; a reader who scrolled up to read is not moved, and End follows again.
    (Textual's own anchor pushes short content to the bottom of the view; this does not.)"""

    _tail = True

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._tail = new_value >= self.max_scroll_y

    def follow(self) -> None:
        """To the end after the next refresh, if the reader is at the end (its content is laid
        out by then: a scrollbar appearing re-wraps the text, so the end moves once more)."""
        if self._tail:
            self.call_after_refresh(self._to_end)

    def _to_end(self) -> None:
        if self._tail and self.scroll_y < self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def watch_virtual_size(self) -> None:  # its content grew
        self.follow()

    def on_resize(self) -> None:  # the terminal resized, or its tab opened
        self.follow()

    def on_show(self) -> None:
        self.follow()
