"""`breachdrill scenarios list | validate | show | schema` (and `generate`, `export`, `import`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..text import counted, cut, literal
from .common import CliError, add_library_option, parse_seed, print_json, resolve_scenario, service
from .generate import add_generate
from .handout import add_handout
from .msel import add_msel

DEFAULT_SEED = 1


def register(sub) -> None:
    parser = sub.add_parser("scenarios", help="list, validate, show, describe, export and import scenario files")
    inner = parser.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)

    p = inner.add_parser("list", help="every scenario in the library")
    add_library_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = inner.add_parser("validate", help="check scenario files; exit 1 when any is invalid (warnings do not fail)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the whole library)")
    add_library_option(p)
    p.set_defaults(func=cmd_validate)

    p = inner.add_parser("show", help="a scenario as a drill with a seed shows it, with its answer key")
    p.add_argument("ref", metavar="ID|PATH")
    p.add_argument("--seed", type=parse_seed, default=None,
                   help=f"the drill's seed: its details and the order of its options (default {DEFAULT_SEED})")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_library_option(p)
    p.set_defaults(func=cmd_show)

    p = inner.add_parser("schema", help="JSON Schema of the scenario format, for editors")
    p.set_defaults(func=cmd_schema)

    add_generate(inner)
    add_msel(inner)
    add_handout(inner)


def _summary(row) -> dict:
    return {
        "id": row.scenario_id,
        "title": row.title,
        "violation": row.violation,
        "jurisdiction": row.jurisdiction,
        "difficulty": row.difficulty,
        "injects": row.injects,
        "path": row.path,
    }


def cmd_list(args: argparse.Namespace) -> int:
    # The library's rows as the app reads them: from the row cache where a file's size and mtime
    # still match, every other file validated now (and the cache updated for the next list).
    svc = service(args)
    rows = svc.validate_library(svc.scan_library())
    valid = [r for r in rows if r.ok]
    invalid = [r for r in rows if not r.ok]
    if args.json:
        listed = [_summary(r) | {"valid": True} for r in valid]
        listed += [{"path": r.path, "valid": False, "problems": [f"{r.path}:{line}:{col}: {message}"
                                                                 for line, col, message in r.problems]}
                   for r in invalid]
        print_json(listed)
    else:
        summaries = [_summary(r) for r in valid]
        headers = ("id", "title", "violation", "jurisdiction", "difficulty", "injects", "path")
        # A long title is cut (with an ellipsis) rather than padding every row; ids and paths are
        # kept whole, to be copied. `--json` keeps everything.
        table = [[cut(literal(str(r[h]))) if h == "title" else literal(str(r[h])) for h in headers] for r in summaries]
        widths = [max([len(h)] + [len(row[i]) for row in table]) for i, h in enumerate(headers)]
        print("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        for row in table:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for r in invalid:
        print(
            f"invalid: {literal(r.path)} ({counted(len(r.problems), 'problem')}; see `breachdrill scenarios validate`)",
            file=sys.stderr,
        )
    return 0


def _entries(paths: list[str]) -> list:
    """The files and folders given, loaded; a folder that cannot be listed is one located line."""
    import os
    import stat

    from scenarios.folders import list_folder
    from scenarios.library import load_files
    from scenarios.loader import Loaded
    from scenarios.yamlsource import Problem

    given: list[Path | Loaded] = []
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except (FileNotFoundError, NotADirectoryError):
            raise CliError(f"{raw}: no such file or directory") from None
        except OSError:
            is_dir = False  # there, but not to be looked at: reading it says why
        if not is_dir:
            given.append(path)
            continue
        files, problem = list_folder(path)
        given.extend(files if problem is None else [Loaded(raw, problems=[Problem(raw, 1, 1, problem)])])
    loaded = iter(load_files([p for p in given if isinstance(p, Path)]))
    return [p if not isinstance(p, Path) else next(loaded) for p in given]


def cmd_validate(args: argparse.Namespace) -> int:
    from scenarios.loader import playbook_problems

    if args.paths:
        entries = _entries(args.paths)
        problems = []
    else:
        entries = service(args).discover()
        problems = playbook_problems()
    problems += [p for e in entries for p in e.problems]
    for problem in problems:
        print(literal(str(problem)))
    warnings = [w for entry in entries for w in entry.warnings]  # located, never a reason to fail
    for warning in warnings:
        print(literal(str(warning)))
    noted = f"; {counted(len(warnings), 'warning')}" if warnings else ""
    bad = len({p.path for p in problems})
    if problems:
        print(f"{counted(len(problems), 'problem')} in {bad} of {counted(len(entries), 'file')}{noted}",
              file=sys.stderr)
        return 1
    print(f"ok: {counted(len(entries), 'scenario file')} valid{noted}", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from scenarios.guide import answers, is_scored
    from scenarios.loader import scenario_hash
    from scenarios.render import render

    loaded = resolve_scenario(args.ref, args)
    scenario, key = loaded.scenario, loaded.key
    seed = DEFAULT_SEED if args.seed is None else args.seed
    if args.seed is None:  # the order of the options is the seed's: say which one this is
        print(f"seed {seed} (no --seed given): a drill with another seed shows other details and "
              "another order of options", file=sys.stderr)
    rendered = render(scenario, seed)  # options in the order a drill with this seed shows them
    # Guide answers from the file's order (ties go to the first in the file); discussion-only
    # injects have none.
    unscored = [inject.id for inject in scenario.injects if not is_scored(inject)]
    guide = {k: v for k, v in answers(scenario, key).items() if k not in unscored}
    if args.json:
        print_json(
            rendered.model_dump(mode="json")
            | {
                "seed": seed,
                "hash": scenario_hash(scenario),
                "path": loaded.path,
                "key": {
                    "applicable_steps": sorted(key.applicable_steps),
                    "required_contacts": list(key.required_contacts),
                    "permitted_contacts": sorted(key.permitted_contacts),
                    "guide_answers": guide,
                    "unscored": unscored,
                },
            }
        )
        return 0
    from .show_text import scenario_text

    sys.stdout.write(scenario_text(rendered, key, guide, seed, loaded.path))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from scenarios.model import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "breachdrill scenario"
    print_json(schema)
    return 0
