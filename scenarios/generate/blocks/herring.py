"""Red herrings: alarming news that has nothing to do with the incident. The guide's answer is
to note it, keep its record with the rest, and stay on the incident; the mistakes are to
escalate it or to destroy something because of it. Harder drills add more of them."""

from __future__ import annotations

from ..context import Ctx
from ..draft import Draft, Opt, artifact

# (topic, title, sender, channel, body, artifact title, artifact content, what it really is, the rash fix)
HERRINGS = (
    ("password-resets", "A surge of password resets", "{{staff:helpdesk}}, help desk", "ticket",
     "The help desk has had forty password-reset calls this morning, far more than usual. Is it part of the incident?",
     "Help-desk queue", "password resets today: 41 (usual: 6)\ncommon note: \"payroll portal asked me to change it\"",
     "the payroll portal's scheduled password expiry, announced last month",
     "Lock the accounts that asked for resets and have their laptops wiped and reimaged, to be safe."),
    ("copier-alert", "A malware alert from the copier", "{{staff:helpdesk}}, help desk", "log",
     "The antivirus console flags the third-floor copier's scan folder: \"suspicious file\".",
     "Antivirus console", "[[ts:-3]]  DETECTED  scan_0042.pdf  on {{hostname:copier}}  rule=PDF.Heuristic.7\n"
     "(same rule, same copier: 19 alerts this year, all closed as false positives)",
     "a known false positive from the copier's scan format",
     "Wipe the copier's storage and reinstall its software, to be safe."),
    ("phishing", "An email about the incident", "{{staff:forwarder}}, forwarded from the shared inbox", "email",
     "Staff have received an email titled \"Data incident: confirm your account\" with a sign-in link. Is it the attacker?",
     "Mail filter report", "message quarantined for 212 of 214 recipients; 0 clicks recorded\nsender domain registered yesterday",
     "an opportunistic phishing run the mail filter already caught, unconnected to this incident",
     "Reimage the two computers whose users received the email, to be safe."),
    ("travel-sign-in", "A sign-in from abroad", "Sign-in monitor (automatic alert)", "log",
     "A staff member's account has signed in from another country.",
     "Sign-in monitor", "[[ts:-4]]  SIGN-IN OK  {{username:traveller}}  country=abroad  mfa=passed\n"
     "travel request on file for {{staff:traveller}}: conference, this week",
     "a staff member at an approved conference, with multi-factor sign-in",
     "Send a remote wipe to the traveller's laptop, to be safe."),
)


def herring(x: Ctx, which: int) -> Draft:
    """The `which`-th red herring (the assembler picks distinct ones)."""
    topic, title, sender, channel, body, a_title, a_content, truth, rash = HERRINGS[which]
    opts = [
        Opt("Note it in the timeline, keep its log with the incident evidence, and stay on the incident.", "guide",
            steps=x.steps("document-timeline", "preserve-logs"), why=f"It is {truth}."),
        Opt("Stop the incident work and put the whole team on this until it is explained.", "wrong",
            why="It is worth a note, not the team's attention."),
        Opt(rash, "harm", harms=x.harm("wipe-before-imaging"),
            why="Wiping destroys the record, whatever it turns out to be."),
        Opt("Clear the alert and its log entries so the console is readable again.", "harm", harms=x.harm("delete-logs"),
            why="Alerts are records; close them with a note instead."),
    ]
    # Never a contact a guide permits (East Independence's police, the Attorney General's consumer
    # protection division): x.needless leaves those out.
    escalate = x.needless("police", "code-enforcement", "attorney-general")
    if escalate:
        name = {"police": "the police", "code-enforcement": "Code Enforcement",
                "attorney-general": "the Attorney General's office"}[escalate[0]]
        opts.append(Opt(f"Treat it as part of the attack and report it to {name}.", "needless", notifies=escalate[:1],
                        why=f"It is {truth}."))
    return Draft(
        topic=f"herring-{topic}", title=title, sender=sender, channel=channel, body=body,
        artifacts=[artifact("log", a_title, a_content)], question="Does this change anything? What do you do with it?",
        kind="single", options=opts, limit=120,
        notes=f"A red herring: it is {truth}. The artifact says so to a team that reads it.",
        lesson="Not every alarm during an incident is the incident; note it, keep its record, and do not escalate without cause.",
    )
