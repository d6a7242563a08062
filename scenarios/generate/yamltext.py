"""Scenario data as YAML that reads like the hand-written library: fields in the format's order,
multi-line text as literal blocks, long lines folded, and never an anchor or alias (the loader
rejects them, and a file meant for editing should not have them)."""

from __future__ import annotations

import yaml

_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
FOLD_OVER = 90  # characters: longer one-line texts are written as folded blocks


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = None
    if "\n" in data:
        style = "|"
    elif len(data) > FOLD_OVER:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _list(dumper: yaml.SafeDumper, data: list) -> yaml.SequenceNode:
    # Ids and keywords on one line, as the library writes them: steps: [isolate, preserve-logs]
    short = all(isinstance(item, str) and "\n" not in item for item in data) and len(", ".join(data)) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=short)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


def dump(data: dict, header: str = "") -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return header + body
