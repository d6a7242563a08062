"""The written answers (free) and the runbooks put in order (order), in several variants; each
variant says when it fits, and the assembler picks among those that do."""

from __future__ import annotations

from ..context import Ctx, cap
from ..draft import Draft, Opt
from .notice import DELAY_WHY, coordinate_phrase

# --- free: answers in the team's own words, scored by keywords or the facilitator's mark ----------
# The first keyword of each rubric entry is what a model answer would say; harmful entries use
# words no good answer needs, so a sound answer never earns a harm by accident.


def _rubric(x: Ctx, entries: list[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> list[Opt]:
    """Rubric options (text, steps, keywords) for the steps the facts make applicable; the debrief
    cites each step, which is the explanation."""
    opts = []
    for text, steps, keywords in entries:
        steps = x.steps(*steps)
        if steps:
            opts.append(Opt(text, "right", steps=steps, keywords=keywords))
    return opts


def _shred(x: Ctx) -> Opt:
    return Opt("Shred or delete the working notes once the report is filed.", "harm",
               harms=x.harm("discard-communications" if x.ei else "delete-logs"),
               keywords=("shred", "throw away", "get rid of"), why="The notes are part of the record for review.")


def after_action(x: Ctx) -> Draft:
    entries = [("The incident timeline: when it started, was found, contained and reported.", ("document-timeline",),
                ("timeline", "chronology", "sequence of events"))]
    if x.ei:
        entries += [
            ("The original logs, emails and call notes, kept unaltered.", ("keep-originals",), ("original", "originals", "unaltered")),
            ("Every communication about the incident, documented for appeals or regulatory review.", ("document-communications",),
             ("communications", "appeal", "regulatory review")),
            ("Which passwords and tokens were changed or revoked.", ("rotate-credentials",), ("password", "passwords", "tokens")),
        ]
    else:
        entries += [
            ("Verified copies of the original logs, with hashes.", ("verified-copies",), ("verified copies", "hash", "hashes")),
            ("A chain-of-custody record for every export and image.", ("chain-of-custody",), ("chain of custody", "custody")),
            ("The IT/security office's written instructions, and what was done on each.", ("follow-it-intake",),
             ("instructions", "intake", "security office")),
        ]
    if x.c.vendor:
        entries.append(("When the vendor notified the city, and what it said.", ("vendor-notifies-owner",), ("vendor", "contractor")))
    opts = _rubric(x, entries)
    if x.rng("after-action").random() < 0.5:
        opts.append(_shred(x))
    return Draft(
        topic="after-action", title="The record for review", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", body=x.t(
            """
            From: $director
            To: $me

            The after-action review is next week. In a few lines: what records will your team
            bring, and what happens to the working notes?
            """),
        question="In a few sentences, list the records your team keeps for the review.", kind="free", options=opts, limit=300,
        notes="Score with the keywords, or mark it yourself. Watch for answers that would tidy the record.",
        lesson="The record is what the review, any appeal and the improvement plan build on.",
    )


def call_script(x: Ctx) -> Draft:
    """Only when residents' personal data is involved."""
    if x.ei:
        entries = [("Call-takers say only what the city's approved statement says.", ("public-notice-on-instruction",),
                    ("approved statement", "official statement", "city's statement")),
                   ("Every call is logged: who, when, what was asked and what was said.", ("document-communications",),
                    ("logged", "log every call", "record each call"))]
    else:
        entries = [("Answers follow the notice materials prepared with Missouri Attorney General guidance.", ("prepare-resident-notices",),
                    ("attorney general guidance", "notice materials", "prepared notice")),
                   ("Questions the script cannot answer go to the IT/security office's intake.", ("follow-it-intake",),
                    ("intake", "security office", "IT office"))]
    if x.c.notice_required:
        entries.append(("Affected residents will receive a written notice from the city.", ("notify-residents",),
                        ("written notice", "letter", "will be notified")))
    elif x.c.exempt:
        entries.append(("The city is confirming the data was encrypted and the key was not taken.", ("confirm-encryption-exemption",),
                        ("encrypted", "encryption", "key was not taken")))
    opts = _rubric(x, entries)
    opts.append(Opt("Read callers the list of affected names so they can check on their neighbours.", "harm",
                    harms=x.harm("public-before-it"), keywords=("list of names", "read the names", "neighbours"),
                    why="It discloses the data again, before the city has decided what to say."))
    return Draft(
        topic="call-script", title="What do the call-takers say?", sender="{{staff:calls}}, phone line lead, " + x.vars["dept"],
        channel="email", body=x.t(
            """
            From: {{staff:calls}}
            To: $me

            The phones haven't stopped. Callers ask: "Was my information exposed?" and "Will I be
            told?" We need a short answer to give, and to know what to do with each call.
            """),
        question="In a few sentences, write what call-takers say and what they do with each call.", kind="free",
        options=opts, limit=300,
        notes="Score with the keywords, or mark it yourself. Watch for answers that promise a date or a fine.",
        lesson="A call script is a public notification: it follows the city's instructions, and each call is documented.",
    )


def notice_outline(x: Ctx) -> Draft:
    """Only when notice is required."""
    entries = [("Goes out without unreasonable delay.", ("notify-residents",), ("without unreasonable delay", "promptly", "as soon as possible"))]
    if x.ei:
        entries.append(("Its content and timing follow City IT's instructions.", ("public-notice-on-instruction",),
                        ("City IT", "city instructions", "instructed")))
    else:
        entries.append(("Follows Missouri Attorney General guidance.", ("prepare-resident-notices",),
                        ("attorney general guidance", "AG guidance")))
    entries.append((cap(coordinate_phrase(x)) + ".", ("coordinate-notice-with-police",),
                    ("police", "law enforcement", "investigation")))
    opts = _rubric(x, entries)
    opts.append(Opt("Holds the notice until the news has died down.", "harm",
                    harms=x.harm("delay-notice-without-cause"), keywords=("died down", "less attention", "blown over"),
                    why=DELAY_WHY + " Waiting for the news to pass is none of those."))
    return Draft(
        topic="notice-outline", title="Outline the resident notice", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", body=x.t(
            """
            From: $director
            To: $me

            Send me the outline for the notice to the {{records}} residents: whose guidance it
            follows, what it is timed with, and when it goes.
            """),
        question="In a few lines: whose guidance does the notice follow, and when does it go?", kind="free",
        options=opts, limit=300, notes="No day count is expected: the sources set none.",
        lesson="RSMo 407.1500: without unreasonable delay, consistent with the needs of law enforcement and with the steps "
               "needed to determine the scope and restore integrity.",
    )


def free_variants(x: Ctx):
    yield after_action
    if x.c.residents:
        yield call_script
    if x.c.notice_required:
        yield notice_outline


# --- order: a runbook put in the documented order -----------------------------------------------


def _order(x: Ctx, topic: str, title: str, body: str, items: list[tuple[str, str, str]], notes: str, lesson: str) -> Draft:
    opts = [Opt(x.t(text), "right", steps=x.steps(step), why=why) for step, text, why in items if x.steps(step)]
    return Draft(topic=topic, title=title, sender=x.t("{{staff:itlead}}, $it_full"), channel="ticket",
                 subject=x.t("$ticket Runbook"), body=x.t(body), question="Put the steps in the documented order, first to last.",
                 kind="order", options=opts, limit=180, notes=notes, lesson=lesson)


ISOLATE = ("isolate", "Keep $host off the network throughout.", "Isolate first.")


def recovery_order(x: Ctx) -> Draft:
    """Only for systems that can be rebuilt. Restoring is always last; the rest is a sample."""
    # Isolation first in every runbook; St. Louis then documents the timeline "before taking
    # further actions" (How-To 1).
    first = [ISOLATE]
    if not x.ei:
        first.append(("document-timeline", "Write down the affected systems and the timeline so far.", "The guide: before taking further actions."))
    middle = [
        ("image-before-rebuild", "Confirm the disk image and memory capture of $host are complete before it is touched.", "Image before rebuilding."),
        ("verify-backups", "Test-restore the backups in isolation and pick the last verified-clean one.", "Verify backups before restoring."),
    ]
    rng = x.rng("recovery-order")
    keep = first + sorted(rng.sample(middle, rng.choice((1, 2))), key=middle.index)
    items = keep + [("restore-on-instruction", "Restore from the verified copy only on $it's written instruction.", "Restore last, on instruction.")]
    return _order(x, "recovery-order", "The rebuild runbook", "Before I sign anything, send me the runbook for bringing $system back, with its steps in the documented order.",
                  items, "Documented order: contain first, image before rebuilding, verify before restoring, restore last and on instruction.",
                  "Contain, preserve, verify, then restore on instruction (the city's guide; NIST CSF 2.0 RC.RP-03"
                  + ("; CISA's ransomware checklist)." if x.violation == "unpatched-system" else ")."))


def notice_order(x: Ctx) -> Draft:
    if x.ei:
        items = [("document-timeline", "Finish the list of affected records and the exposure window in the timeline.", "Document timeline, affected records."),
                 ("public-notice-on-instruction", "Settle the notice's content and timing with City IT.", "Public notifications follow city instructions."),
                 ("notify-residents", "Mail the notice to the affected residents.", "Without unreasonable delay."),
                 ("document-communications", "File the notice, the mailing list and every related message for review.", "Document all communications.")]
    else:
        items = [("isolate", "Confirm the affected systems stay isolated before any notice work starts.", "Contain first (What to Do Immediately)."),
                 ("document-timeline", "Document the timeline and affected records.", "How-To step 1."),
                 ("follow-it-intake", "Follow the IT/security office's intake instructions for the notice.", "How-To step 2."),
                 ("prepare-resident-notices", "Prepare the notice following Missouri Attorney General guidance.", "How-To step 4."),
                 ("notify-residents", "Send the notice to the affected residents.", "RSMo 407.1500: without unreasonable delay.")]
    return _order(x, "notice-order", "Putting the notice work in order",
                  "The director has approved notifying residents. Put the notice work in the order your team will do it, so I can sign off the runbook.",
                  items, "Records and timeline first, then the city's instructions, then the notice.",
                  "The order comes from the guide's How-To and RSMo 407.1500.")


def howto_order(x: Ctx) -> Draft:
    """The guide's own How-To list, in its order."""
    if x.ei:
        third = ("restore-on-instruction", "Follow City IT's instructions for restoration.", "How-To 3: follow city instructions for restoration.")
        if not x.story.server or x.rng("howto-order").random() < 0.5:
            third = ("public-notice-on-instruction", "Make public notifications only as the city instructs.", "How-To 3: public notifications on instruction.")
        items = [("isolate", "Isolate the affected devices.", "How-To 1."),
                 ("preserve-logs", "Collect logs, timestamps and evidence.", "How-To 1."),
                 third,
                 ("document-communications", "Document all communications for appeals or regulatory review.", "How-To 4.")]
    else:
        items = [("isolate", "Contain the incident: isolate the affected systems.", "What to Do Immediately: contain first."),
                 ("document-timeline", "Document the incident timeline and affected systems.", "How-To 1: before taking further actions."),
                 ("follow-it-intake", "Follow the IT/security office's intake instructions.", "How-To 2."),
                 ("preserve-logs", "Preserve logs and evidence, and provide copies to investigators when authorized.", "How-To 3."),
                 ("prepare-resident-notices", "Prepare consumer notices consistent with Missouri Attorney General guidance.", "How-To 4."),
                 ("cooperate-with-referrals", "Cooperate with law enforcement referrals, if advised.", "How-To 5.")]
    if x.ei:
        body, notes = ("For the after-action report, put what your team did in the order the city's guide lists it.",
                       "The documented order is the guide's own How-To list.")
    else:
        body, notes = ("For the after-action report, put what your team did in the order the city's guide gives it: "
                       "containment first, then its How-To list.",
                       "The documented order: containment first (What to Do Immediately), then the guide's How-To list.")
    return _order(x, "howto-order", "The guide's steps, in order", body, items, notes,
                  "The guide gives the order: contain first, then its How-To steps.")


def order_variants(x: Ctx):
    if x.story.server:
        yield recovery_order
    if x.c.notice_required:
        yield notice_order
    yield howto_order
