"""A bounded cache of what is built from JSON content (a scenario or playbook snapshot), keyed
by the content itself, and the content ids later caches key on. No UI, no storage."""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

CACHE_SIZE = 64


class ContentCache:
    """A bounded LRU of what was built from JSON data (a scenario or playbook snapshot), keyed
    by that content, not by an object or a name: a cheap hint picks the candidates and equal
    content confirms one, so a hint shared by different content (a dummy `scenario_hash`) never
    returns another scenario's value.

    Why not a hash of the canonical JSON: serialising a 16 KB playbook costs more than
    validating it (about 110 µs against 75 µs), while comparing two equal dicts costs 5 µs.

    Each distinct content gets a token, its content id, on which later caches (the scenario
    index, the scorer's plans) key what they build from the value (`content_id`)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[Any, Any, Any]] = OrderedDict()  # (hint, n) -> (copy, value, seen)
        self._hints: dict[Any, list[tuple]] = {}  # hint -> its tokens
        self._made = 0

    def get(self, hint: Any, content: Any, build: Callable[[], Any]) -> Any:
        """The value built from `content`, building it (`build()`) only if no equal content is held."""
        for token in self._hints.get(hint, ()):
            held, value, seen = self._entries[token]
            # `seen`: the content last found equal. Snapshots decoded from one text are one
            # object (`parse_event`), so this is mostly an identity check, not a deep compare.
            if content == seen or content == held:
                self._entries[token] = (held, value, content)
                self._entries.move_to_end(token)
                return value
        value = build()
        self._made += 1
        token = (hint, self._made)
        # A private copy: the caller's dict may be changed later, the key must not be.
        self._entries[token] = (copy.deepcopy(content), value, content)
        self._hints.setdefault(hint, []).append(token)
        _CONTENT_IDS[id(value)] = token  # the entry's reference keeps id(value) from being reused
        while len(self._entries) > self.size:
            old, (_, gone, _) = self._entries.popitem(last=False)
            _CONTENT_IDS.pop(id(gone), None)
            same = self._hints[old[0]]
            same.remove(old)
            if not same:
                del self._hints[old[0]]
        return value

    def clear(self) -> None:
        for _, value, _ in self._entries.values():
            _CONTENT_IDS.pop(id(value), None)
        self._entries.clear()
        self._hints.clear()

    def __len__(self) -> int:
        return len(self._entries)


_CONTENT_IDS: dict[int, tuple] = {}  # id of a value a ContentCache holds -> its content id


def content_id(value: Any) -> tuple | None:
    """The content id of a value built by a ContentCache while it holds it, else None."""
    return _CONTENT_IDS.get(id(value))
