"""`breachdrill scenarios handout` (issue 15, part 3): a drill printed for a room that runs on
paper. Through the real command line: the players' pack has a page per inject in order, each
showing its options in the order (and with the numbers) a drill with that seed shows them; the
facilitator's copy gives the guide's answer by those numbers and where each answer leads; text
from a scenario file is escaped and its controls shown literally; and a real browser prints the
pack as exactly one sheet per inject after the title page."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from _browser import CHROMIUM, CHROMIUM_ARGS
from _drill_fixtures import ei_scenario_data
from helpers import one_line_error, run_cli

SCENARIO, SEED = "ei-unpatched-system", 4242  # branches, and single, multi, order and free injects


class Pages(HTMLParser):
    """Each `<section class="page">`: its text, its marked options' texts and its classed lines."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.pages: list[dict] = []
        self._open: list[tuple[str, str]] = []  # (tag, class) of every element open
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "section" and cls == "page":
            self.pages.append({"text": "", "options": [], "guide": "", "then": [], "marks": []})
        if self.pages and tag == "li" and self._inside("options"):
            self.pages[-1]["options"].append("")
        if self.pages and tag == "li" and self._inside_tag("ul") and self._after_heading == "Then":
            self.pages[-1]["then"].append("")
        if tag == "h3":
            self._after_heading = ""
        self._open.append((tag, cls))

    _after_heading = ""

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.pages:
            return
        page = self.pages[-1]
        page["text"] += data
        if self._inside_tag("h3"):
            self._after_heading += data
        if self._inside("text") and self._inside("options"):
            page["options"][-1] += data
        if self._inside("mark") or self._inside("blank"):
            page["marks"].append(data)
        if self._inside("guide"):
            page["guide"] += data
        if self._inside_tag("li") and self._inside_tag("ul") and self._after_heading == "Then":
            page["then"][-1] += data

    def _inside(self, cls: str) -> bool:
        return any(cls in c.split() for _, c in self._open)

    def _inside_tag(self, tag: str) -> bool:
        return any(t == tag for t, _ in self._open)


def made(*args: str) -> str:
    result = run_cli("scenarios", "handout", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def shown() -> dict:
    """The scenario as `scenarios show --json` gives it for the seed: what a drill shows."""
    result = run_cli("scenarios", "show", SCENARIO, "--seed", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def players() -> list[dict]:
    return Pages(made(SCENARIO, "--seed", str(SEED))).pages


@pytest.fixture(scope="module")
def facilitator() -> list[dict]:
    return Pages(made(SCENARIO, "--seed", str(SEED), "--facilitator")).pages


def test_the_title_page_names_the_drill_its_seed_and_the_date(players, shown):
    title = players[0]["text"]
    assert shown["title"] in title and f"Seed{SEED}" in title.replace(" ", "")
    assert all(objective in title for objective in shown["objectives"])
    assert re.search(r"Made\d{4}-\d{2}-\d{2}", title.replace(" ", ""))
    assert "Team: ____" in title


def test_the_players_pack_has_a_page_per_inject_in_order_with_the_drills_options(players, shown):
    injects = shown["injects"]
    assert len(players) == 1 + len(injects)
    total = len(injects)
    for number, (page, inject) in enumerate(zip(players[1:], injects, strict=True), start=1):
        text = " ".join(page["text"].split())
        assert f"Inject {number} of {total} · +{inject['at']} min" in text
        assert "Team: ____" in text and shown["title"] in text
        assert inject["title"] in text and inject["sender"] in text
        assert " ".join(inject["question"].split()) in text
        for artifact in inject["artifacts"]:
            assert artifact["title"] in text
        if inject["kind"] == "free":  # the rubric is the facilitator's: lines to write on instead
            assert page["options"] == [] and page["marks"] == []
            assert not any(" ".join(o["text"].split()) in text for o in inject["options"])
            continue
        expected = [" ".join(o["text"].split()) for o in inject["options"]]
        if inject["kind"] == "multi":
            expected.append("None of these")  # numbered 0, as the app's answer screen does
        assert page["options"] == expected, (inject["id"], page["options"])
        want = {"single": "○", "multi": "□"}.get(inject["kind"])
        assert len(page["marks"]) == (len(expected) if want else 0), inject["id"]
        assert set(page["marks"]) <= ({want} if want else set())
    kinds = {inject["kind"] for inject in injects}
    assert kinds == {"single", "multi", "order", "free"}  # every kind was checked


def test_the_pack_shows_each_channel_as_the_app_names_it(players, shown):
    labels = {"email": "Email", "phone": "Phone call", "ticket": "Help-desk ticket", "log": "Log alert",
              "news": "News"}
    first = {"email": "From:", "phone": "Call from:", "ticket": "Help-desk ticket:", "log": "Alert from:",
             "news": "News:"}
    for page, inject in zip(players[1:], shown["injects"], strict=True):
        assert f"{labels[inject['channel']]}: {inject['title']}" in page["text"]
        assert first[inject["channel"]] in page["text"]


def test_the_facilitators_copy_gives_the_guide_answer_by_the_drills_numbers(facilitator, shown):
    injects = shown["injects"]
    assert len(facilitator) == 1 + len(injects)
    guide = shown["key"]["guide_answers"]
    for number, (page, inject) in enumerate(zip(facilitator[1:], injects, strict=True), start=1):
        assert f"Inject {number} of {len(injects)}" in page["text"]
        place = {o["id"]: n for n, o in enumerate(inject["options"], start=1)}
        if inject["id"] not in guide:
            assert page["guide"] == "Discussed, not scored: no option carries a key."
            continue
        numbers = [place[oid] for oid in guide[inject["id"]]]
        listed = ", ".join(map(str, numbers if inject["kind"] == "order" else sorted(numbers)))
        assert page["guide"] == {
            "order": f"Documented order: {listed}",
            "single": f"Guide answer: {listed}",
            "multi": f"Guide answer: tick {listed}, and no other" if listed else "Guide answer: 0 (None of these)",
            "free": f"Guide answer: an answer that earns rubric entries {listed}",
        }[inject["kind"]], inject["id"]


def test_the_facilitators_copy_says_which_inject_each_answer_leads_to(facilitator, shown):
    injects = shown["injects"]
    page_of = {inject["id"]: n for n, inject in enumerate(injects, start=1)}
    branched = 0
    for page, inject in zip(facilitator[1:], injects, strict=True):
        routes = [line for line in page["then"] if "→" in line]
        verb = "chooses"  # only a single choice's options branch
        leads: dict[str, set[int]] = {}
        for n, option in enumerate(inject["options"], start=1):
            if option["next"]:
                leads.setdefault(option["next"], set()).add(n)
        for target, numbers in leads.items():
            goes = f" → go to inject {page_of[target]}: {injects[page_of[target] - 1]['title']}"
            found = [line for line in routes if line.startswith(f"If the team {verb} ") and line.endswith(goes)]
            said = [line.removeprefix(f"If the team {verb} ").removesuffix(goes) for line in found]
            assert {int(n) for line in said for n in line.split(" or ")} == numbers, (inject["id"], routes)
            branched += 1
        if all(o["next"] for o in inject["options"]) and inject["kind"] == "single":
            assert len(routes) == len(leads)  # no "any other answer": every answer has its own way on
            continue
        lead = "Any other answer" if leads else "Whatever the answer"
        if inject["next"]:
            assert routes[-1] == (f"{lead} → go to inject {page_of[inject['next']]}: "
                                  f"{injects[page_of[inject['next']] - 1]['title']}")
        else:
            assert routes[-1] == f"{lead} → the drill ends"
    assert branched >= 2


def test_the_facilitators_copy_names_the_steps_contacts_and_harms_with_their_sources(facilitator):
    text = " ".join(" ".join(page["text"].split()) for page in facilitator)
    # From the East Independence playbook: each names the guide section it comes from.
    assert "Notifies: City IT department (required for these facts) (East Independence" in text
    assert re.search(r"Harm \((major|minor)\): [^(]+\(East Independence Cybersecurity Bylaws & Breach Guide, \"", text)
    assert re.search(r"Performs: [^(]+\(East Independence Cybersecurity Bylaws & Breach Guide, \"", text)
    assert "Debrief" in text and "Contacts the guides require for these facts" in text


HOSTILE = "<script>alert('x')</script> & \x1b]0;pwned\x07 \u202egpj.exe"


def test_text_from_the_scenario_is_escaped_and_its_controls_shown_literally(tmp_path):
    data = ei_scenario_data()
    data["title"] = f"Drill {HOSTILE}"
    data["summary"] = f"Summary {HOSTILE}"
    data["objectives"] = [f"Objective {HOSTILE}"]
    first = data["injects"][0]
    first["body"] = f"Body {HOSTILE}\nsecond line"
    first["question"] = f"Question {HOSTILE}"
    first["options"][0]["text"] = f"Option {HOSTILE}"
    first["debrief"] = f"Debrief {HOSTILE}"
    first["artifacts"] = [{"kind": "log", "title": f"Log {HOSTILE}", "content": f"</pre>{HOSTILE}"}]
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; \\x1b]0;pwned\\x07 \\u202egpj.exe"
    for extra in ((), ("--facilitator",)):
        html = made(str(path), "--seed", "3", *extra)
        assert "<script" not in html and "</pre>&lt;" not in html
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", html)
        for field in ("Drill", "Summary", "Objective", "Question", "Option"):
            assert f"{field} {escaped}" in html, (extra, field)
        assert ("Debrief " if extra else "Body ") + escaped in html
        pages = Pages(html).pages
        assert f"Drill {HOSTILE}".replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace(
            "\u202e", "\\u202e") in pages[0]["text"]  # what a reader sees: the text, escapes visible


def test_errors_are_one_line(tmp_path):
    assert one_line_error(run_cli("scenarios", "handout", "no-such-drill", "--seed", "1")) == (
        "breachdrill: error: no scenario with id 'no-such-drill' (see `breachdrill scenarios list`)")
    bad = run_cli("scenarios", "handout", SCENARIO, "--seed", "soon")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines() == ["breachdrill: error: --seed: expected a whole number, got 'soon'",
                                       "usage: breachdrill scenarios handout --help"]
    out = tmp_path / "pack.html"
    out.write_text("old")
    assert one_line_error(run_cli("scenarios", "handout", SCENARIO, "-o", str(out))) == (
        f"breachdrill: error: -o {out}: file exists (add --force to replace it)")
    assert out.read_text() == "old"
    assert one_line_error(run_cli("scenarios", "handout", SCENARIO, "-o", str(tmp_path))) == (
        f"breachdrill: error: -o {tmp_path}: is a directory; give a file name")


def printed(html: Path, pdf: Path) -> bytes:
    subprocess.run([CHROMIUM, "--headless", *CHROMIUM_ARGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    html.as_uri()], capture_output=True, timeout=60, check=True)
    return pdf.read_bytes()


def sheets(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))  # each page object, never the /Pages tree


@pytest.mark.parametrize(("scenario", "paper", "size"), [
    ("stl-unpatched-system", "letter", rb"/MediaBox\s*\[0 0 612 792\]"),
    ("ei-unpatched-system", "a4", rb"/MediaBox\s*\[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]"),
])
def test_a_browser_prints_one_sheet_per_inject_after_the_title_page(tmp_path, scenario, paper, size):
    html = tmp_path / "pack.html"
    result = run_cli("scenarios", "handout", scenario, "--seed", str(SEED), "--paper", paper, "-o", str(html))
    assert result.returncode == 0 and result.stderr == f"wrote {html}\n", result.stderr
    injects = len(json.loads(run_cli("scenarios", "show", scenario, "--json").stdout)["injects"])
    pdf = printed(html, tmp_path / "pack.pdf")
    assert sheets(pdf) == 1 + injects
    assert re.search(size, pdf), "the page size given"

