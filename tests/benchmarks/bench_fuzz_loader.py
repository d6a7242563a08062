"""The loader against mangled scenario files: every file is either a scenario or located
problems (FILE:LINE:COL, one line each), never a traceback, and never slow.

Run: pytest tests/benchmarks/bench_fuzz_loader.py -s   (BENCH_FUZZ_FILES=N for another count)

FILES mutated files are made from the built-in scenarios (scenarios/library/), each by one to
three mutations drawn from a seeded random generator, so a run is the same run every time and
a failing file can be made again from its number: bytes flipped, the file cut short, lines
duplicated, deleted, swapped or re-indented, control characters and odd line breaks inserted,
numbers made huge (5,000 digits, 1e999, .nan, .inf, hex), values nested deep, YAML tags put on
scalars, lists and mappings, anchors and alias bombs, duplicate and complex keys, invalid
UTF-8, lists blown up past their bounds, files past the size limit.

Each is written as a real file and loaded with `load_scenario`, in a child process watched
by this one: a file not done within HANG_S is a hang (the child is killed and a new one goes on
with the next file), a child that dies is a crash. A valid result is also turned into its
library row (`catalog.row_of`) and rendered (`render`), as the app and a drill would.
A traceback is any exception out of that; an unlocated problem is one whose message spans
lines or whose line is past the file's end. Figures: files, valid, invalid, tracebacks, hangs,
crashes, unlocated, and p50/p99/max ms per load. Goals: zero of each failure. Then a sample
goes through the real `breachdrill scenarios validate DIR` and `scenarios list --library DIR`.
Failing files are kept in the test's tmp folder, named by their number, and listed.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import resource
import statistics
import time
import traceback
from pathlib import Path

from helpers import run_cli

from scenarios.folders import BUILTIN_DIR

FILES = int(os.environ.get("BENCH_FUZZ_FILES", "12000"))
SEED = 17
HANG_S = 5.0
SAMPLE_FOR_CLI = 400
MEMORY_LIMIT = 3 << 30  # the child's address space: a memory bomb is a MemoryError (a traceback), not the OOM killer

BASES = [p.read_bytes() for p in sorted(BUILTIN_DIR.glob("*.yaml"))]
LOCATED = re.compile(r"^[^\n]+:\d+:\d+: [^\n]+$")

# --- the mutations -----------------------------------------------------------------------------

CONTROLS = [chr(c) for c in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0))]
ODD_TEXT = ["\u2028", "\u2029", "\x85", "\ufeff", "\ufffe", "\uffff", "\u202e", "😀", "\t", "\r", "\r\n", "\x00"]
NUMBERS = [
    "9" * 20, "9" * 400, "9" * 4299, "9" * 4301, "9" * 5000, "-" + "9" * 5000, "9" * 50_000, "1" + "0" * 101,
    "1e999", "-1e999", "1e308", ".nan", ".NaN", ".inf", "-.inf", "+.inf", "0x" + "f" * 5000, "0o" + "7" * 3000,
    "0b" + "1" * 9000, "1_000_000_000_000", "-5", "-0", "0.5", "1:30:00", "99" * 60 + ":59", "1e-999",
    "!!int abc", "!!float xyz", "!!bool maybe", "!!int 0x", "!!float .", "!!null x", "!!int " + "9" * 5000,
    "2024-01-01", "2024-13-45", "=", "<<", "~", "true", "yes", "0777", "12e3", "1.0e+400", "9" * 18 + ".5",
]
TAGS = [
    "!custom ", "!!python/object/apply:os.system ", "!!python/object:os.system ", "!!python/name:os.system ",
    "!!binary ", "!!set ", "!!omap ", "!!pairs ", "!!timestamp ", "!<tag:yaml.org,2002:str> ", "!!str ",
    "!!int ", "!!float ", "!!bool ", "!!null ", "!!map ", "!!seq ", "!e!x ", "! ", "!!merge ", "!!value ",
    "!<!> ", "!!python/tuple ", "!!python/object/new:subprocess.Popen ",
]


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


def flip(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        data[i] ^= rng.randint(1, 255)
    return bytes(data)


def truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randrange(len(raw))]


def duplicate_lines(rng: random.Random, raw: bytes) -> bytes:
    lines = _lines(raw)
    i = rng.randrange(len(lines))
    n = rng.randint(1, 40)
    return b"\n".join(lines[:i] + lines[i : i + n] * rng.choice((2, 3, 50)) + lines[i + n :])


def delete_lines(rng: random.Random, raw: bytes) -> bytes:
    lines = _lines(raw)
    i = rng.randrange(len(lines))
    return b"\n".join(lines[:i] + lines[i + rng.randint(1, 30) :])


def swap_lines(rng: random.Random, raw: bytes) -> bytes:
    lines = _lines(raw)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def reindent(rng: random.Random, raw: bytes) -> bytes:
    lines = _lines(raw)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice((b" ", b"  ", b"\t", b"")) + (lines[i].lstrip() if rng.random() < 0.5 else lines[i])
    return b"\n".join(lines)


def insert_text(rng: random.Random, raw: bytes) -> bytes:
    text = raw.decode("utf-8", "surrogateescape")
    i = rng.randrange(len(text) + 1)
    what = rng.choice(CONTROLS) if rng.random() < 0.6 else rng.choice(ODD_TEXT)
    return (text[:i] + what * rng.choice((1, 1, 3)) + text[i:]).encode("utf-8", "surrogateescape")


def bad_bytes(rng: random.Random, raw: bytes) -> bytes:
    i = rng.randrange(len(raw) + 1)
    junk = rng.choice((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xef\xbb\xbf", b"\xc0\xaf",
                       bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))))
    return raw[:i] + junk + raw[i:]


_VALUE = re.compile(rb"(?m)^( *(?:- )?[a-z_]+: )(\S.*)$")
_NUMBER = re.compile(rb"(?m)(?<=: )\d+$")


def _replace_value(rng: random.Random, raw: bytes, value: bytes, numbers_only: bool = False) -> bytes:
    found = list((_NUMBER if numbers_only else _VALUE).finditer(raw))
    if not found:
        return raw + b"\nx: " + value + b"\n"
    m = rng.choice(found)
    start = m.start() if numbers_only else m.start(2)
    return raw[:start] + value + raw[m.end() :]


def huge_number(rng: random.Random, raw: bytes) -> bytes:
    return _replace_value(rng, raw, rng.choice(NUMBERS).encode(), numbers_only=rng.random() < 0.7)


def nest(rng: random.Random, raw: bytes) -> bytes:
    n = rng.choice((10, 200, 500, 990, 999, 1000, 1001, 5000, 100_000))
    kind = rng.randrange(4)
    if kind == 0:
        value = b"[" * n + b"]" * n
    elif kind == 1:
        value = b"{a: " * n + b"x" + b"}" * n
    elif kind == 2:
        value = b"[" * n  # never closed
    else:
        n = min(n, 2000)
        value = b"\n" + b"".join(b"  " * (k + 1) + b"- \n" for k in range(n))
        value = value.rstrip(b"\n") + b"x"
    return _replace_value(rng, raw, value)


def tag(rng: random.Random, raw: bytes) -> bytes:
    found = list(_VALUE.finditer(raw))
    m = rng.choice(found)
    value = m.group(2)
    if rng.random() < 0.3:
        value = rng.choice((b"[a, b]", b"{a: 1}", b"[]", b"{}", b"[echo hi]", b"- x"))
    return raw[: m.start(2)] + rng.choice(TAGS).encode() + value + raw[m.end() :]


def directive(rng: random.Random, raw: bytes) -> bytes:
    head = rng.choice((b"%YAML 1.1\n---\n", b"%YAML 2.0\n---\n", b"%TAG ! tag:evil.example,2000:\n---\n",
                       b"%FOO bar\n---\n", b"---\n", b"...\n", b"--- !custom\n", b"--- &a\n"))
    tail = rng.choice((b"", b"\n---\nid: second\n", b"\n...\n", b"\n--- *a\n"))
    return head + raw + tail


def anchors(rng: random.Random, raw: bytes) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:  # the billion laughs, at the top
        bomb = [b'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for k in range(1, 10):
            bomb.append(b"a%d: &a%d [" % (k, k) + b",".join([b"*a%d" % (k - 1)] * 9) + b"]")
        return b"\n".join(bomb) + b"\n" + raw
    if kind == 1:  # a mapping anchored and merged
        return re.sub(rb"(?m)^facts:", b"facts: &f", raw, count=1) + b"\nother:\n  <<: *f\n"
    if kind == 2:  # an alias of something not anchored, or anchored later
        return _replace_value(rng, raw, rng.choice((b"*nowhere", b"*a", b"&a x", b"&a [*a]")))
    # a scalar anchored and aliased
    raw = _replace_value(rng, raw, b"&s shared")
    return _replace_value(rng, raw, b"*s")


def keys(rng: random.Random, raw: bytes) -> bytes:
    lines = _lines(raw)
    candidates = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    i = rng.choice(candidates)
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip(b" -"))]
    choice = rng.randrange(5)
    if choice == 0:
        lines.insert(i + 1, line.replace(b"- ", b"  ", 1))  # a duplicate key
    elif choice == 1:
        lines[i] = indent + b"? [a, b]\n" + indent + b": x"  # a complex key
    elif choice == 2:
        lines[i] = indent + b"<<: {a: 1}"
    elif choice == 3:
        lines[i] = indent + b"colour" + str(rng.randrange(100)).encode() + b": red"  # an unknown field
    else:
        lines[i] = indent + rng.choice((
            b"1e999", b"9" * 5000, b".nan", b"null", b"~", b"true", b"'a\nb'", b'"a\\nb"', b'"\\x1b[31mred"',
            b'"\\u2028x"', b'"' + b"k" * 30_000 + b'"', b'"\\r"', b"[a]", b"{a: b}", b"!!binary aGk=",
        )) + b": x"
    return b"\n".join(lines)


def line_breaks(rng: random.Random, raw: bytes) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return raw.replace(b"\n", b"\r\n")
    if choice == 1:
        return raw.replace(b"\n", b"\r")
    if choice == 2:
        return raw.rstrip(b"\n")
    return raw.replace(b"\n", "\u2028".encode(), rng.randint(1, 5))


def blow_up(rng: random.Random, raw: bytes) -> bytes:
    """A list past its bound: an option, an inject or a step repeated many times."""
    text = raw.decode()
    choice = rng.randrange(3)
    if choice == 0:  # options of the first inject, 30 of them, fresh ids
        m = re.search(r"(?ms)^    options:\n(      - id: .*?)(?=^      - id: |^  - id: |^    \w)", text)
        if m:
            block = m.group(1)
            copies = "".join(block.replace("- id: ", f"- id: x{k}-", 1) for k in range(rng.choice((27, 30, 300))))
            return (text[: m.end(1)] + copies + text[m.end(1) :]).encode()
    if choice == 1:  # injects, 250 of them, fresh ids
        m = re.search(r"(?ms)^injects:\n(  - id: .*?)(?=^  - id: )", text)
        if m:
            block = m.group(1)
            copies = "".join(block.replace("- id: ", f"- id: y{k}-", 1) for k in range(rng.choice((201, 250))))
            return (text[: m.end(1)] + copies + text[m.end(1) :]).encode()
    # a step list made long
    return re.sub(r"steps: \[([^\]]*)\]", lambda m: "steps: [" + ", ".join([m.group(1) or "x"] * 500) + "]",
                  text, count=1).encode()


def oversize(rng: random.Random, raw: bytes) -> bytes:
    if rng.random() < 0.5:
        return raw + b"# padding\n" * (110_000)  # past the 1 MiB limit
    return _replace_value(rng, raw, b"x" * rng.choice((20_001, 200_000)))  # one text past its bound


def many_problems(rng: random.Random, raw: bytes) -> bytes:
    """Thousands of mistakes in one file: unknown fields, or unknown names in a long list."""
    if rng.random() < 0.5:
        return raw + b"".join(b"k%d: 1\n" % k for k in range(rng.choice((500, 20_000))))
    return re.sub(rb"steps: \[([^\]]*)\]", lambda m: b"steps: [" + b", ".join(b"zz%d" % k for k in range(5000)) + b"]",
                  raw, count=1)


MUTATIONS = [flip, truncate, duplicate_lines, delete_lines, swap_lines, reindent, insert_text, bad_bytes,
             huge_number, nest, tag, directive, anchors, keys, line_breaks, blow_up, oversize, many_problems]
RARE = {oversize, many_problems, blow_up}


def mutated(index: int) -> tuple[bytes, list[str]]:
    """File `index`: the same bytes every run."""
    rng = random.Random(f"{SEED}:{index}")
    raw = BASES[index % len(BASES)]
    applied = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        mutation = rng.choice(MUTATIONS)
        if mutation in RARE and rng.random() < 0.6:
            mutation = rng.choice([m for m in MUTATIONS if m not in RARE])
        try:
            raw = mutation(rng, raw)
        except (ValueError, IndexError, UnicodeDecodeError):
            continue  # a mutation that does not apply to this text (e.g. no value left to replace)
        applied.append(mutation.__name__)
    return raw, applied


# --- loading, watched --------------------------------------------------------------------------


def _line_count(raw: bytes) -> int:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.count(b"\n") + 2
    return len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text)) + 1


def _judge(path: Path, raw: bytes) -> tuple[str, float, str]:
    from scenarios.catalog import row_of
    from scenarios.loader import load_scenario
    from scenarios.render import render

    start = time.perf_counter()
    try:
        loaded = load_scenario(path)
    except BaseException:
        return "traceback", (time.perf_counter() - start) * 1000, traceback.format_exc(limit=-6)
    ms = (time.perf_counter() - start) * 1000
    lines = _line_count(raw)
    for problem in loaded.problems:
        if not LOCATED.match(str(problem)) or not 1 <= problem.line <= lines or problem.col < 1:
            return "unlocated", ms, f"{str(problem)[:300]!r} (the file has {lines} lines)"
    if not loaded.ok:
        return "invalid", ms, ""
    try:
        row_of(loaded, path.stat())
        render(loaded.scenario, 1)
    except BaseException:
        return "traceback", ms, traceback.format_exc(limit=-6)
    return "valid", ms, ""


def _worker(conn, folder: str, start: int, stop: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    for index in range(start, stop):
        raw, _ = mutated(index)
        path = Path(folder) / f"f{index:05d}.yaml"
        path.write_bytes(raw)
        kind, ms, detail = _judge(path, raw)
        if kind in ("valid", "invalid"):
            path.unlink()
        conn.send((index, kind, ms, detail))
    conn.close()


def run_all(folder: Path, count: int) -> list[tuple[str, float, str]]:
    ctx = multiprocessing.get_context("fork")
    results: list[tuple[str, float, str] | None] = [None] * count
    index = 0
    while index < count:
        ours, theirs = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_worker, args=(theirs, str(folder), index, count), daemon=True)
        child.start()
        theirs.close()
        while index < count:
            if not ours.poll(HANG_S):
                results[index] = ("hang", HANG_S * 1000, f"not done within {HANG_S} s")
                child.kill()
                break
            try:
                got, kind, ms, detail = ours.recv()
            except EOFError:
                results[index] = ("crash", 0.0, f"the loading process died (exit code {child.exitcode})")
                break
            results[got] = (kind, ms, detail)
            index = got + 1
        child.join()
        ours.close()
        index += 1 if index < count and results[index] is not None else 0
    return results  # type: ignore[return-value]


def test_mangled_files_give_located_problems_and_never_hang(tmp_path):
    folder = tmp_path / "fuzz"
    folder.mkdir()
    started = time.perf_counter()
    results = run_all(folder, FILES)
    wall = time.perf_counter() - started
    kinds = {k: [i for i, r in enumerate(results) if r[0] == k]
             for k in ("valid", "invalid", "traceback", "hang", "crash", "unlocated")}
    times = sorted(r[1] for r in results if r[0] in ("valid", "invalid", "unlocated", "traceback"))
    applied: dict[str, int] = {}
    for i in range(FILES):
        for name in mutated(i)[1]:
            applied[name] = applied.get(name, 0) + 1

    print(f"\nloader fuzz: {FILES:,} mutated files from {len(BASES)} built-in scenarios, seed {SEED}, "
          f"{wall:.0f} s in all")
    print("mutations applied: " + ", ".join(f"{k} {v}" for k, v in sorted(applied.items())))
    print(f"files {FILES:,}  valid {len(kinds['valid']):,}  invalid {len(kinds['invalid']):,}  "
          f"tracebacks {len(kinds['traceback'])}  hangs (> {HANG_S:g} s) {len(kinds['hang'])}  "
          f"crashes {len(kinds['crash'])}  unlocated {len(kinds['unlocated'])}")
    print(f"ms per file: p50 {statistics.median(times):.1f}  p99 {times[int(len(times) * 0.99)]:.1f}  "
          f"max {times[-1]:.1f}")
    failures = [i for k in ("traceback", "hang", "crash", "unlocated") for i in kinds[k]]
    for i in failures[:20]:
        kind, _, detail = results[i]
        path = folder / f"f{i:05d}.yaml"
        if not path.exists():
            path.write_bytes(mutated(i)[0])
        print(f"--- {kind}: {path} ({', '.join(mutated(i)[1])})\n{detail}")

    # The real command line on a sample (every kind of mutation is in it): one line per problem.
    sample = folder / "sample"
    sample.mkdir()
    for i in range(0, FILES, max(1, FILES // SAMPLE_FOR_CLI)):
        (sample / f"s{i:05d}.yaml").write_bytes(mutated(i)[0])
    checked = len(list(sample.iterdir()))
    env = {"BREACHDRILL_DB": str(tmp_path / "d.db")}
    started = time.perf_counter()
    validate = run_cli("scenarios", "validate", str(sample), env=env, timeout=300)
    listed = run_cli("scenarios", "list", "--library", str(sample), env=env, timeout=300)
    cli_s = time.perf_counter() - started
    bad_lines = [line for line in validate.stdout.splitlines() if not LOCATED.match(line)]
    print(f"CLI on a sample of {checked} files: validate exit {validate.returncode}, "
          f"{len(validate.stdout.splitlines())} lines ({len(bad_lines)} not FILE:LINE:COL); "
          f"list exit {listed.returncode}; {cli_s:.1f} s for both")

    assert not failures, f"{len(failures)} files failed: see above"
    assert validate.returncode == 1 and "Traceback" not in validate.stderr + validate.stdout, validate.stderr[-3000:]
    assert not bad_lines, bad_lines[:5]
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr[-3000:]
