"""Getting back to service: credentials and backups (East Independence), the forensic review
(St. Louis), pressure to restore and what an unchecked restore brings back, and the go-live."""

from __future__ import annotations

from ..context import Ctx
from ..draft import Draft, Opt, artifact
from .evidence import evidence_gone


def credentials(x: Ctx) -> Draft:
    """East Independence: "Preserve backups and secure access credentials; change passwords and
    revoke tokens where appropriate" ("Immediate Actions When You Suspect a Breach")."""
    opts = [
        Opt("Change the exposed passwords and revoke the sessions and tokens issued since the incident began, and put a hold on "
            "the backups so tonight's rotation does not overwrite the last copy from before it.",
            "guide", steps=x.steps("rotate-credentials", "preserve-backups"),
            why="A password that has been exposed is no longer secret, and backups are evidence as well as the way back."),
        Opt("Change the passwords; the backups can rotate as usual.", "partial", steps=x.steps("rotate-credentials"),
            why="Letting the rotation run loses the one known-good copy."),
        Opt("Leave the passwords alone: the nightly jobs run on them, and changing them could break tomorrow's work.", "harm",
            harms=x.harm("keep-compromised-credentials"), subtle="Change the passwords next week, once the nightly jobs have been updated to use new ones.",
            why="Update the jobs with the new password; do not leave an exposed one in use."),
        Opt(x.t(x.story.wipe), "harm", harms=x.harm("wipe-before-imaging"), branch="evidence-gone",
            why="The rebuild destroys the evidence before it is kept."),
    ]
    if x.story.server:
        opts.append(Opt("Restore last night's backup right away to undo the damage.", "harm", harms=x.harm("restore-unverified-backup"),
                        why="Last night's backup was taken after the incident began, and nobody has checked it."))
    return Draft(
        topic="credentials", title="Passwords and backups", sender=x.t("{{staff:itlead}}, $it_full"), channel="email",
        subject=x.t("$ticket Two things before the fix"),
        body=x.t(
            """
            From: {{staff:itlead}}
            To: $me

            Two things before anything is fixed:

            1. $credential.
            2. The backups of $system rotate nightly: each night the oldest copy is overwritten,
               and the last copy from before the incident is the oldest one left.

            Tell me what you want done about both.
            """, credential=x.t(x.story.credential[:1].upper() + x.story.credential[1:])),
        question="What do you ask City IT to do about the passwords and the backups?", kind="single", options=opts, limit=150,
        notes="Teams new to incident work often see backups only as a recovery tool; here they are also evidence.",
        lesson="The guide puts backups and credentials in one line of its Immediate Actions: preserve the one, secure the other.",
        consequences={"evidence-gone": evidence_gone(x)},
    )


def forensics(x: Ctx) -> Draft:
    """St. Louis: "forensic review by the city's security team or an approved outside vendor"."""
    opts = [
        Opt(x.t("The city's security team (with an approved outside firm if $it chooses) runs the forensic review; your team "
                "hands over its preserved artifacts as $it instructs and leaves the originals untouched."),
            "guide", steps=x.steps("forensic-review", "follow-it-intake", "leave-original-media"),
            why="The guide names who reviews, and originals stay as they are until investigators say otherwise."),
        Opt("Let the department's most technical staff member investigate and send a summary.", "wrong",
            why="The review is done by the city's security team or an approved outside vendor."),
        Opt(x.t(x.story.tamper), "harm", harms=x.harm("alter-original-media"), why="Working on the original changes it."),
        Opt(x.t(x.story.wipe), "harm", harms=x.harm("wipe-before-imaging"), branch="evidence-gone",
            why="The rebuild destroys the evidence before it is kept."),
    ]
    return Draft(
        topic="forensics", title="Who does the forensic review?", sender=x.t("{{staff:itlead}}, $it_full"),
        channel="email", subject=x.t("$ticket Forensic review"),
        body=x.t(
            """
            From: {{staff:itlead}}
            To: $me
            Cc: $director

            $director would like the department to look into $system itself and save time. The
            forensic review will be done by the city's security team, with an approved outside
            vendor if we need one. Please send your preserved artifacts as instructed.
            """),
        question="What does your team agree to?", kind="single", options=[o for o in opts if o.role != "needless" or o.notifies],
        limit=150, notes="The department's wish to \"just look\" is the common line; the guide gives the review to the security team.",
        lesson="Investigations involve forensic review by the city's security team or an approved outside vendor (St. Louis guide).",
        consequences={"evidence-gone": evidence_gone(x)},
    )


def pressure(x: Ctx) -> Draft:
    restore = x.story.restore
    guide_steps = ("verify-backups", "image-before-rebuild") if x.ei else ("verify-backups", "follow-it-intake")
    opts = [
        Opt(x.t(f"{restore[:1].upper() + restore[1:]} stays off until $it gives the instruction. Meanwhile the backups are "
                "test-restored in isolation and checked against a known-good copy"
                + (", and $host is imaged before anything is rebuilt." if x.ei else ", and the department works around the outage.")),
            "guide", steps=x.steps(*guide_steps), why="Backup integrity is verified before restoring, and restoring follows the IT office's instruction."),
        Opt("Restore last night's backup to production now and reopen.", "harm",
            harms=x.harm("restore-unverified-backup", "restore-without-instruction"), branch="reinfected",
            subtle="Restore the most recent backup that finished without errors, and reopen.",
            why="Nobody knows whether last night's backup holds the same problem, and reopening on the director's say-so is "
                "not the IT office's instruction."),
        Opt(x.t("Reconnect $host as it is and fix it properly at the weekend."), "harm",
            harms=x.harm("leave-connected", "restore-without-instruction"),
            why="A system that is still compromised goes back on the network, on nobody's instruction but the director's."),
        Opt("Keep it off indefinitely, whatever the IT office says.", "wrong", why="Restoring is the IT office's decision, not a refusal."),
    ]
    if not x.ei:
        opts.append(Opt(x.t("Patch $host in place and reopen it today."), "harm",
                        harms=x.harm("alter-original-media", "restore-without-instruction"),
                        why="The original changes before the investigators release it, and it reopens on no written instruction."))
    return Draft(
        topic="pressure", title=x.t("The director wants $restore back today", restore=restore),
        sender="{{staff:director}}, director of " + x.vars["the_dept"], channel="email", subject="Back today",
        body=x.t(
            """
            From: $director
            To: $me

            It has been down since [[found]], the counter line is out the door, and council members
            are calling me. I'm told last night's backup is ready to go. I want $restore back this
            afternoon. Make it happen.
            """, restore=restore),
        artifacts=[artifact("record", x.t("Backup catalog, $host"),
                            "nightly-01 (last night)     status OK   verified: no\n"
                            "nightly-02 (2 nights ago)   status OK   verified: no\n"
                            "weekly-01  (last Sunday)    status OK   verified: no")],
        question="What do you tell the director?", kind="single", options=opts, limit=150,
        notes="The service-pressure peak. Play the director hard; a team that explains why the recent backups are suspect usually wins the argument.",
        lesson="Under pressure to restore: verify backups first (NIST CSF 2.0 RC.RP-03) and restore only on the IT office's instruction.",
        consequences={"reinfected": reinfected(x)},
    )


def reinfected(x: Ctx) -> Draft:
    opts = [
        Opt(x.t("Take $host off the network again at once, record in the timeline what was restored, when and what it did, and "
                + ("keep the backups on hold for City IT." if x.ei else "wait for the IT/security office's written instruction.")),
            "guide", steps=x.steps("isolate", "document-timeline", "preserve-backups" if x.ei else "follow-it-intake"),
            why="Contain again, and keep an honest record of the restore."),
        Opt("Restore the backup from the night before instead, and reopen.", "harm",
            harms=x.harm("restore-unverified-backup", "restore-without-instruction"),
            why="The same mistake again: that backup is not verified either, and nobody in the IT office said to reopen."),
        Opt("Leave it up and remove the bad files by hand.", "harm", harms=x.harm("leave-connected"), why="It stays exposed while someone edits it."),
        Opt(x.t("Pull the power on $host."), "harm", harms=x.harm("power-down-first"), why="Disconnect it; powering off loses memory."),
    ]
    return Draft(
        topic="reinfected", title="It's back", sender=x.t("{{staff:itlead}}, $it_full"), channel="log",
        body=x.t("Within minutes of the restore the same activity starts again on $host: the backup held the attacker's changes."),
        artifacts=[artifact("log", x.t("$host after the restore"), "[[ts:-3]]  same activity as before the incident\n+00:02:14  again")],
        question="What now?", kind="single", options=opts, limit=120,
        notes="Consequence inject for restoring an unverified backup.",
        lesson="An unverified restore can bring the attacker back; verify first.",
    )


def go_live(x: Ctx) -> Draft:
    restore = x.story.restore
    second = x.steps("document-communications") if x.ei else x.steps("follow-it-intake")
    opts = [
        Opt(x.t(f"Bring {restore} back exactly as the written instruction says, once $it's test has passed, and record the time."),
            "guide", steps=x.steps("restore-on-instruction", *second), why="Restore only on the IT office's instruction."),
        Opt("Skip the test and restore last night's backup instead: it has more recent data.", "harm",
            harms=x.harm("restore-unverified-backup", "restore-without-instruction"),
            why="Only verified backups are restored, and the instruction says the verified copy, after the test."),
        Opt(x.t("Reconnect $host before the test finishes; it is probably fine."), "harm",
            harms=x.harm("leave-connected", "restore-without-instruction"),
            why="An untested system goes back on the network, before the instruction's test has passed."),
        Opt("Go live as soon as the director approves, without waiting for the IT office.", "harm",
            harms=x.harm("restore-without-instruction"), keep=True,
            why="The director's approval does not replace the IT office's instruction."),
    ]
    if not x.ei:
        opts.append(Opt(x.t("Reuse the old $host with the fix applied in place, so nothing has to be rebuilt."), "harm",
                        harms=x.harm("alter-original-media"), why="The old system is evidence until investigators release it."))
    return Draft(
        topic="go-live", title="The written go-ahead", sender=x.t("{{staff:itlead}}, $it_full"), channel="email",
        subject=x.t("$ticket Instruction: restore"),
        body=x.t(
            """
            From: {{staff:itlead}}
            To: $me

            Instruction: bring $restore back from the verified copy, after this office's test of
            the rebuilt system. The old system stays isolated until the investigators release it.
            The test takes about an hour; $director is asking whether it can be skipped.
            """, restore=restore),
        question="How do you bring it back?", kind="single", options=opts, limit=150,
        notes="Hot wash: ask what would stop this happening again (the guide's remedies are administrative orders and remedial security requirements).",
        lesson="Restoration comes last, on the city's instruction, from a verified copy.",
    )
