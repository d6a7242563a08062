"""Evidence: the choose-all-that-apply inject after the first report, and the consequence of a
wipe (what can still be saved)."""

from __future__ import annotations

from ..context import Ctx
from ..draft import Draft, Opt, artifact


def _right(x: Ctx) -> list[Opt]:
    """The evidence choices the playbook documents, in this jurisdiction's words."""
    story = x.story
    opts = [Opt(x.t("Export $logs as they are now, with their timestamps and user records, and keep the exports unaltered."),
                "right", steps=x.steps("preserve-logs", *(() if x.ei else ("verified-copies",))),
                why="These logs are the only record of what was reached, when and by whom.")]
    if x.ei:
        opts.append(Opt("Keep the original emails, call notes and screenshots about the incident in a restricted folder rather than deleting them.",
                        "right", steps=x.steps("keep-originals"),
                        why="Restricting access protects the people named in them without destroying evidence."))
        if story.server:
            opts.append(Opt(x.t("Put a hold on the backups of $host, so the nightly rotation cannot overwrite the last copy from before the incident."),
                            "right", steps=x.steps("preserve-backups"),
                            why="The last copy from before the incident is both evidence and the way back."))
    else:
        opts.append(Opt("Start a chain-of-custody record for every export and copy: who made it, when, and who it was handed to.",
                        "right", steps=x.steps("chain-of-custody"),
                        why="Evidence that may reach investigators needs a record of every transfer."))
        opts.append(Opt(x.t("Leave the original media as it is until investigators say otherwise; work only on verified copies."),
                        "right", steps=x.steps("leave-original-media", "verified-copies"),
                        why="Originals stay untouched; copies with hashes are what people work on."))
    if story.server:
        opts.append(Opt(x.t("Have $it image $host's disk and capture its memory before anyone changes it."), "right",
                        steps=x.steps("image-before-rebuild"), why="An image taken now is the system as the attacker left it."))
    opts.append(Opt("Add to the timeline: when it started, when it was found, what was contained and which records were reached.",
                    "right", steps=x.steps("document-timeline"), why="The notice and every later decision depend on it."))
    return opts


def _wrong(x: Ctx) -> list[Opt]:
    opts = [
        Opt(x.t("Clear $logs: they are full of noise and the investigation will be easier on a clean slate."), "harm",
            harms=x.harm("delete-logs"), subtle=x.t("Rotate and compress $logs to free disk space for the investigation."),
            why="Rotation and clearing remove the very entries investigators need."),
    ]
    if x.ei:
        opts.append(Opt("Delete the emails and screenshots that show residents' details, so staff stop passing them around.", "harm",
                        harms=x.harm("discard-communications"),
                        why="Well meant, but the messages are evidence; restrict them, do not delete them."))
        opts.append(Opt("Report whoever caused this to Code Enforcement for breaking city rules.", "needless",
                        notifies=x.needless("code-enforcement"), why="Nothing here calls for an enforcer."))
    else:
        opts.append(Opt(x.t(x.story.tamper), "harm", harms=x.harm("alter-original-media"), why="Investigators need the originals as found."))
        opts.append(Opt("Email the log exports to the director's personal account so they can be read at home tonight.", "harm",
                        harms=x.harm("break-chain-of-custody"), why="No custody record, and the data leaves the city's control."))
    opts.append(Opt(x.t("Collect nothing yet: $it will gather whatever it needs later."), "wrong",
                    why="Evidence fades: logs rotate and people forget; the guides ask for it now."))
    return [o for o in opts if o.role != "needless" or o.notifies]


def evidence(x: Ctx) -> Draft:
    rng = x.rng("evidence")
    right = _right(x)
    # Logs always (every plan asks for them); the rest is a sample, so drills differ.
    keep = right[:1] + sorted(rng.sample(right[1:], min(len(right) - 1, rng.choice((2, 3)))), key=right.index)
    return Draft(
        topic="evidence", title=x.t("$It asks what is being preserved"),
        sender=x.t("{{staff:itlead}}, $it_full"), channel="email", subject=x.t("$ticket Evidence"),
        body=x.t(
            """
            From: {{staff:itlead}}
            To: $me

            Thanks for the report; $ticket is open. Before anyone fixes anything, tell me what your
            team is preserving. Whatever is not kept today may not exist tomorrow.
            """),
        artifacts=[artifact("record", x.t("$ticket status"), x.t("Opened: [[found]] (your report)\nContained: yes\nEvidence collected: none yet\nCause fixed: no"))],
        question="Which of these does your team do now? Choose all that apply.", kind="multi",
        options=keep + _wrong(x), limit=210,
        notes="The tempting wrong choices sound like housekeeping. Use them in the hot wash to separate protecting data from destroying evidence.",
        lesson="Evidence first, fixes second: the scope of the incident lives only in these records.",
    )


def evidence_gone(x: Ctx) -> Draft:
    """Reached by wiping or rebuilding before the evidence was kept."""
    opts = [
        Opt(x.t("Stop all changes. Put what is left (backup copies, exports, messages) under hold, and record in the timeline exactly what was wiped, when and by whom."),
            "guide", steps=x.steps("document-timeline", "preserve-logs", *(("preserve-backups", "keep-originals") if x.ei else ("chain-of-custody",))),
            why="What was lost is lost; the record of the loss and what remains are now the evidence."),
        Opt("Delete the change ticket and the notes about the wipe so the quick fix doesn't look bad.", "harm",
            harms=x.harm("discard-communications" if x.ei else "delete-logs"), why="Hiding the change makes it a second problem."),
        Opt("Keep the backup copies, but leave the wipe out of the timeline: it is embarrassing and changes nothing now.", "harm",
            steps=x.steps("preserve-backups"), harms=x.harm("wipe-left-out-of-timeline"), keep=True,
            why="Keeping the copies is right, but the timeline must say what was changed, by whom and when: a record "
                "with the wipe left out misleads everyone who relies on it."),
        Opt("Put what is left under hold and tell the investigators; the timeline can be written up after the review.", "partial",
            steps=x.steps("preserve-logs"), why="Keeping what is left is right; the record of the wipe belongs in the timeline now."),
    ]
    if x.story.server:
        opts.append(Opt("Restore last night's backup over the rebuilt system so it looks as it did.", "harm",
                        harms=x.harm("restore-unverified-backup"),
                        why="An unchecked backup can carry the same problem back, and it overwrites what the rebuild left."))
    return Draft(
        topic="evidence-gone", title="The investigators ask for the original", sender=x.t("{{staff:itlead}}, $it_full"),
        channel="email", body=x.t(
            """
            From: {{staff:itlead}}
            To: $me

            I asked for the evidence as it was, and I'm told $wiped. What do we still have, and
            what exactly was changed?
            """),
        question="What can your team still save?", kind="single", options=opts, limit=150,
        notes="Consequence inject for wiping before imaging. Ask what the investigators can still recover.",
        lesson="A wipe before the evidence is kept cannot be undone; the record of it can still be kept honest.",
    )
