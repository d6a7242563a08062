"""`breachdrill playbooks list | show | validate`: the built-in playbooks and organisations' own.

An organisation's playbook is a file in a `--playbooks DIR` folder (or one BREACHDRILL_PLAYBOOKS
names), in the built-ins' format, layered over the Missouri state layer; a scenario names its
id as its jurisdiction (scenarios/playbook_folders.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..text import counted, cut, literal
from .common import CliError, add_playbooks_option, print_json, use_playbooks


def register(sub) -> None:
    parser = sub.add_parser("playbooks", help="list, show and validate playbooks, built-in and organisations' own")
    inner = parser.add_subparsers(dest="playbooks_command", metavar="ACTION", required=True)

    p = inner.add_parser("list", help="every playbook: id, name, the layer it extends, its file, built-in or user")
    add_playbooks_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = inner.add_parser("show", help="a playbook merged with the layers it extends, every entry with its citation")
    p.add_argument("id", metavar="ID")
    add_playbooks_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_show)

    p = inner.add_parser("validate", help="check playbook files; exit 1 when any has a problem")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="user playbook files or folders (default: the built-ins and every --playbooks folder)")
    add_playbooks_option(p)
    p.set_defaults(func=cmd_validate)


def _kind(entry) -> str:
    return "builtin" if entry.builtin else "user"


def cmd_list(args: argparse.Namespace) -> int:
    from scenarios.loader import playbook_entries

    use_playbooks(args)
    entries = playbook_entries()
    if args.json:
        print_json([{
            "id": e.id, "name": e.name, "extends": e.extends, "path": e.path, "kind": _kind(e),
            "jurisdiction": e.jurisdiction, "valid": not e.problems, "problems": [str(p) for p in e.problems],
        } for e in entries])
        return 0
    headers = ("ID", "NAME", "EXTENDS", "KIND", "FILE")
    table = [[literal(e.id), cut(literal(e.name)), literal(e.extends or "-"), _kind(e), literal(e.path)]
             for e in entries]
    widths = [max([len(h)] + [len(row[i]) for row in table]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for e in entries:
        if e.problems:
            print(f"invalid: {literal(e.path)} ({counted(len(e.problems), 'problem')}; see `breachdrill playbooks "
                  "validate`)", file=sys.stderr)
    return 0


def _entry(pid: str):
    from scenarios.checks import hint
    from scenarios.loader import playbook_entries

    entries = {e.id: e for e in playbook_entries()}
    entry = entries.get(pid)
    if entry is None:
        raise CliError(f"no playbook with id {literal(repr(pid))}{hint(pid, entries)} "
                       "(see `breachdrill playbooks list`)")
    if entry.playbook is None:
        raise CliError(f"playbook '{pid}' ({entry.path}) has {counted(len(entry.problems), 'problem')}: "
                       f"run `breachdrill playbooks validate {entry.path}`")
    return entry


def cmd_show(args: argparse.Namespace) -> int:
    from scenarios.playbook import Key

    use_playbooks(args)
    entry = _entry(args.id)
    playbook = entry.playbook
    if args.json:
        print_json(playbook.model_dump(mode="json") | {"path": entry.path, "kind": _kind(entry)})
        return 0
    sys.stdout.write(literal("\n".join(_text(playbook, Key(playbook, facts=None), entry)) + "\n"))  # type: ignore[arg-type]
    return 0


def _when(conditions) -> str:
    from scenarios.conditions import describe

    return "always" if conditions == [] else f"when {describe(conditions)}"


def _text(playbook, key, entry) -> list[str]:
    """The merged playbook as a facilitator checks it against the written plan: each entry, then
    the document and section it cites."""
    out = [playbook.name, f"id {playbook.id} · {_kind(entry)} · extends {playbook.extends or '-'}",
           f"file {entry.path}", "", "Documents:"]
    out += [f"  {d.id}: {d.title} ({d.citation})" for d in playbook.documents]

    def cited(line: str, source) -> None:
        out.extend([line, f"      source: {key.cite(source)}"])

    out += ["", "Contacts:"]
    for c in playbook.contacts:
        duty = "no duty to reach it set" if c.when is None else f"required {_when(c.when)}"
        allowed = f"; allowed {_when(c.permitted)}" if c.permitted is not None else ""
        cited(f"  {c.id}: {c.name} ({duty}{allowed})", c.source)
    out += ["", "Steps:"]
    for s in playbook.steps:
        applies = f", {_when(s.when)}" if s.when else ""
        cited(f"  {s.id}: {s.title} [{s.phase}; {s.capability}{applies}]", s.source)
    out += ["", "Escalations:"]
    for e in playbook.escalations:
        after = f", after {', '.join(e.after)}" if e.after else ""
        cited(f"  {e.contact}: {e.urgency}, by {e.by}{after}", e.source)
    out += ["", "Order:"]
    for o in playbook.order:
        cited(f"  {o.first} before {o.then}: {o.why}", o.source)
    out += ["", "Harms:"]
    for h in playbook.harms:
        breaks = f", undoes {', '.join(h.breaks)}" if h.breaks else ""
        cited(f"  {h.id}: {h.title} ({h.severity}{breaks})", h.source)
    if playbook.penalties is not None:
        pen = playbook.penalties
        out += ["", "Penalties:", f"  fines: {pen.fines}", f"  escalation: {pen.escalation}",
                f"  appeals: {pen.appeals}", f"  enforcer: {pen.enforcer}", f"      source: {key.cite(pen.source)}"]
    return out


def _files(paths: list[str]) -> list[Path]:
    from scenarios.folders import list_folder

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise CliError(f"{raw}: no such file or directory")
        if path.is_dir():
            found, problem = list_folder(path)
            if problem is not None:
                raise CliError(f"{raw}: {problem.replace('library folder', 'playbook folder')}")
            files += found
        else:
            files.append(path)
    return files


def cmd_validate(args: argparse.Namespace) -> int:
    from scenarios.loader import playbook_entries, playbook_problems, validate_playbook_files

    use_playbooks(args)
    if args.paths:
        files = _files(args.paths)
        _, problems = validate_playbook_files(files)
        count = len(files)
    else:
        problems = playbook_problems()
        count = len({e.path for e in playbook_entries()} | {p.path for p in problems})
    for problem in problems:
        print(literal(str(problem)))
    if problems:
        bad = len({p.path for p in problems})
        print(f"{counted(len(problems), 'problem')} in {bad} of {counted(count, 'file')}", file=sys.stderr)
        return 1
    print(f"ok: {counted(count, 'playbook file')} valid", file=sys.stderr)
    return 0
