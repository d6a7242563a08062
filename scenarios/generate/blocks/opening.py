"""The first inject (how the incident is found and the first report) and the consequence of
leaving the system connected."""

from __future__ import annotations

from ..context import Ctx, cap
from ..draft import Draft, Opt


def reported_to(x: Ctx) -> str:
    return "City IT" if x.ei else "the IT/security office and your department head"


def vendor_first(x: Ctx) -> bool:
    return x.c.vendor and x.story.vendor_finds


def police_first(x: Ctx) -> bool:
    """East Independence reaches the police at once when the first report already shows a crime;
    St. Louis leaves police to a referral after its IT/security office (its playbook's `after`)."""
    return x.ei and x.c.criminal and x.story.crime_at_discovery


def _guide(x: Ctx) -> Opt:
    contain = cap(x.t(x.story.contain))
    steps = ["isolate", "document-timeline"]
    notifies = list(x.report(police=police_first(x)))
    vendor = ""
    if vendor_first(x):
        steps.append("vendor-notifies-owner")
        notifies += x.required("contract-contact")
        vendor = (" $vendor notifies the city contact named in its contract, in writing, with what it knows." if not x.ei
                  else " $vendor tells the city in writing now, as the party holding data it does not own.")
    if x.ei:
        report = "Report it to City IT, the city's designated contact" + (
            "; call the Police Department to file a report" if police_first(x) else "")
    else:
        report = "Report it to the City of St. Louis IT/security office and your department head"
    text = x.t(f"{contain}. {report}; start a written timeline: when it was found, what was seen and who has touched it.{vendor}")
    why = ("Contain first and report at once, without changing more than containment needs; the timeline starts now, "
           "because every later decision leans on it.")
    return Opt(text, "guide", steps=x.steps(*steps), notifies=tuple(notifies), why=why)


def discovery(x: Ctx) -> Draft:
    story = x.story
    d = story.discover(x)
    options = [_guide(x)]
    options.append(Opt(
        x.t(f"Deal with it yourself: {x.t(story.contain)}, fix the cause quietly, and tell {reported_to(x)} once it is sorted."),
        "partial", steps=x.steps("isolate"),
        why="Containing is right, but the report cannot wait for the fix, and a quiet fix changes what investigators will find."))
    options.append(Opt(
        x.t(f"Report it to {reported_to(x)} and wait for their call back before touching anything or writing anything down."),
        "partial", notifies=x.report(),
        why="Reporting is right, but the exposure goes on while you wait, and the guides ask for the timeline from the start."))
    # Never the contacts a guide permits (East Independence's police, the Attorney General's
    # consumer protection division): reaching them is never needless.
    needless = x.needless("code-enforcement", "police")
    if needless:
        who = {"code-enforcement": "Report it to Code Enforcement, which enforces the city code",
               "police": "Call the police to report a data theft"}[needless[0]]
        options.append(Opt(x.t(f"{who}, and {x.t(story.contain)}."), "needless", steps=x.steps("isolate"), notifies=needless[:1],
                           why="Containment is right, but the first report goes to the offices the guide names for it."))
    options.append(Opt(x.t(story.leave), "harm", harms=x.harm("leave-connected"), branch="still-open",
                       subtle=x.t(story.leave_subtle),
                       why="While it stays connected the exposure keeps growing; containment comes first."))
    options.append(Opt(x.t(story.wipe), "harm", harms=x.harm("wipe-before-imaging"),
                       why="It destroys the evidence of what happened before anyone has preserved it."))
    options.append(Opt(
        "Post a warning on the city's social-media pages so people know what happened.", "harm",
        harms=x.harm("public-before-it"),
        subtle="Send a short heads-up to the neighbourhood groups so residents hear it from the city first.",
        why=x.t("A public word before $it has assessed advertises the exposure while it is still open.")))
    if story.server:
        options.append(Opt(x.t("Pull the power on $host so nothing more can happen to it."), "harm",
                           harms=x.harm("power-down-first"),
                           why="Disconnecting is enough; powering off loses what is in memory."))
    return Draft(
        topic="discovery", title=d["title"], sender=d["sender"], channel=d["channel"], subject=d.get("subject"),
        body=d["body"], artifacts=d["artifacts"], question=d["question"], kind="single", options=options, limit=180,
        notes=x.t(
            """
            Expected response: contain, report $report, and start the timeline. Watch for teams that
            want to fix the cause themselves first: that changes the evidence before $it has seen it.
            """),
        lesson=x.t("The first minutes set the score: containment and the first report come before anything else."),
        consequences={"still-open": still_open(x)},
    )


def still_open(x: Ctx) -> Draft:
    d = x.story.spread(x)
    notifies = x.report(police=police_first(x))
    options = [
        Opt(x.t(f"Now: {x.t(x.story.contain)}. Report it to {reported_to(x)} (late, but now), and export $logs "
                "to show what happened while it was open."),
            "guide", steps=x.steps("isolate", "preserve-logs"), notifies=notifies,
            why="Late, but the same answer: contain, report, and keep the record of the extra exposure."),
        Opt(x.t(x.story.leave_subtle), "harm", harms=x.harm("leave-connected"),
            why="Still connected, still exposed."),
        Opt(x.t("Clear $logs from the last hour; they are full of noise and slow everything down."),
            "harm", harms=x.harm("delete-logs"), subtle=x.t("Rotate and compress $logs to free space while this is going on."),
            why="Those logs are the only record of who saw what while it was open."),
        Opt(x.t(f"Export the logs and leave it connected to watch what happens next; report to {reported_to(x)} if it gets worse."),
            "harm", harms=x.harm("leave-connected"), keep=True,
            why="Watching an open exposure is leaving it open: keeping the logs does not make up for that."),
        Opt(x.t(f"Now: {x.t(x.story.contain)}, and report it to {reported_to(x)} once you have written up what happened."),
            "partial", steps=x.steps("isolate"),
            why="Containing is right at last; the report cannot wait for the write-up, and the logs of the extra exposure are not kept."),
    ]
    return Draft(
        topic="still-open", title=d["title"], sender=d["sender"], channel=d["channel"], subject=d.get("subject"),
        body=d["body"], artifacts=d.get("artifacts", []), question="It is still connected. What now?", kind="single",
        options=options, limit=120,
        notes="Consequence inject, reached only by leaving the system connected. Make the cost visible.",
        lesson="Leaving a compromised system connected to keep it running is the harm the first immediate action exists to prevent.",
    )
