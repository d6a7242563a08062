"""Following a drill other terminals write to: the console sees players' answers, a player sees
the facilitator's releases, pauses and the end, within a poll (POLL seconds).

Each poll reads only the events after the last one held (`Store.events_since`, the primary
key's range: no busy loop, nothing re-read), on a connection of its own, in a thread worker so
a busy or restarting database never freezes the screen. What it read is taken in on the UI
thread, and only if no command is being recorded meanwhile (`Recording.saving`) and the drill
has not moved since the read: the engine is only ever changed by one thread at a time, and a
read that raced a write is simply done again at the next poll.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from scoring.store import Store

    from .session import Drill

POLL = 0.5  # seconds between polls: an answer reaches the console well within a second


class Follower:
    """Mixed into a Screen that shows `self.drill`: `follow(changed)` in on_mount starts the
    polls; `changed()` runs on the UI thread after new events were taken in. `extra(store)`,
    called in the poll's thread, reads what else the screen shows (the console: the seats),
    passed to `changed_extra`."""

    drill: Drill
    _poll_store: Store | None = None
    _poll_lock: threading.Lock | None = None
    _polling = False
    _stopped = False  # the screen went away: no poll reopens a connection, none is taken in

    def follow(self: Any, changed: Callable[[], None], extra: Callable[[Store], Any] | None = None,
               shown: Callable[[Any], None] | None = None) -> None:
        self._on_changed, self._extra, self._on_extra = changed, extra, shown
        self._poll_lock = threading.Lock()
        self.set_interval(POLL, self._follow_poll, name="follow")

    def _follow_poll(self: Any) -> None:
        if self._polling or self.app.saving or not self.is_attached:
            return
        self._polling = True
        self.run_worker(self._follow_read, thread=True, group="follow")

    def _follow_read(self: Screen | Any) -> None:
        from scenarios.errors import BreachdrillError

        held = len(self.drill.exercise.events)
        try:
            with self._poll_lock:
                if self._stopped:
                    return
                if self._poll_store is None:
                    self._poll_store = self.app.services.open_store()
                new = self._poll_store.events_since(self.drill.id, held)
                extra = self._extra(self._poll_store) if self._extra is not None else None
        except BreachdrillError:  # the database away a moment: the next poll tries again
            new, extra = [], None
            self._drop_store()
        try:
            self.app.call_from_thread(self._follow_take, held, new, extra)
        except RuntimeError:  # the app closed while reading
            pass

    def _follow_take(self: Any, held: int, new: list, extra: Any) -> None:
        self._polling = False
        if self._stopped or not self.is_attached:
            return
        if extra is not None and self._on_extra is not None:
            self._on_extra(extra)
        if not new or self.app.saving or len(self.drill.exercise.events) != held:
            return
        self.drill.exercise.sync(new)
        self._on_changed()

    def _drop_store(self: Any) -> None:
        store, self._poll_store = self._poll_store, None
        if store is not None:
            store.close()

    def stop_following(self: Any) -> None:
        """On unmount: the poll's own connection closed."""
        if self._poll_lock is not None:
            with self._poll_lock:
                self._stopped = True
                self._drop_store()
