"""The library preview of a generated scenario: its summary paragraph and its objectives, both
written from the facts drawn, so they say what the key will ask."""

from __future__ import annotations

from .complications import THRESHOLD
from .context import Ctx, cap
from .draft import Draft


def summary_paragraph(x: Ctx) -> str:
    c, s = x.c, x.story
    lines = [x.t(f"{x.department}: an incident with {s.system}, which holds $data.")]
    if c.vendor:
        lines.append(x.t(f"A vendor, $vendor, {s.vendor_role or 'supports the affected system'}."))
    lines.append("Signs of criminal activity appear along the way." if c.criminal
                 else "Nothing points to a crime: this is a mistake that exposed data, and the drill tests whether the team escalates only as far as the guide says.")
    if c.referral:
        lines.append("The IT/security office advises a referral to law enforcement.")
    elif c.criminal and not x.ei:
        lines.append("The IT/security office has not advised a referral to law enforcement.")
    if c.residents:
        side = "more than" if c.residents > THRESHOLD else "not more than"
        lines.append(f"{c.residents:,} residents' personal information is involved, {side} the 1,000-resident line of RSMo 407.1500.")
        if c.encrypted:
            lines.append("The data was encrypted, " + ("but the key went with it." if c.key_taken else "and the key was not taken: the exemption has to be confirmed."))
        if c.fraud_unlikely:
            lines.append("After the investigation, a written determination finds identity theft or fraud not reasonably likely.")
    if c.unresponsive:
        lines.append(x.t("$It does not answer the department's questions about the resident notice."))
    if c.pressure:
        lines.append(x.t("The director presses to bring $restore back before it is safe.", restore=s.restore))
    if c.inquiry:
        lines.append("A reporter calls." if c.inquiry == "news" else "A public-records request arrives.")
    if x.level.herrings:
        lines.append("Not every alarm along the way belongs to the incident.")
    lines.append(x.t("Teams play $role and report $report."))
    return " ".join(lines)


def objectives(x: Ctx, main: list[Draft]) -> list[str]:
    c = x.c
    topics = {d.topic for d in main}
    out = [x.t(f"Contain it at once ({x.t(x.story.contain)}) and report $report, with a timeline from the first minute."),
           "Preserve logs and evidence before anything is fixed, rebuilt or restored."]
    if c.criminal and x.ei:
        out.append("Report to the Independence Police Department when criminal activity is suspected.")
    elif c.referral:
        out.append("Cooperate with the law-enforcement referral the IT/security office advises, keeping chain-of-custody.")
    elif c.criminal:
        out.append("Send the signs of a crime through the IT/security office's intake with chain-of-custody: law enforcement comes in on its referral.")
    elif "no-crime" in topics:
        out.append("Escalate only where the guide gives cause: no crime, no police report.")
    if c.vendor:
        out.append("Have the vendor notify the city " + ("immediately after discovery (RSMo 407.1500)." if x.ei
                   else "contact named in its contract (St. Louis guide) immediately after discovery (RSMo 407.1500)."))
    if c.notice_required:
        out.append("Notify the affected residents without unreasonable delay"
                   + (", and the Attorney General's office and the consumer reporting agencies (more than 1,000 residents, "
                      "RSMo 407.1500)." if c.over_threshold else "."))
    elif c.exempt:
        out.append("Confirm the encryption exemption (data encrypted, key not taken) before relying on it.")
    elif c.fraud_unlikely:
        out.append("Rely on the no-notice exemption only with the written determination that identity theft or fraud is not "
                   "reasonably likely, kept for five years (RSMo 407.1500).")
    if c.unresponsive:
        out.append("When the city does not respond, keep the record and the notice drafts, and (as the guide allows) ask the "
                   "Attorney General's consumer protection division for guidance.")
    if c.inquiry:
        out.append(x.t("Answer the " + ("reporter" if c.inquiry == "news" else "records request") + " without going public before $it has assessed."))
    if c.pressure:
        out.append(x.t("Under pressure, verify backups and restore only on $it's instruction."))
    if "fines" in topics:
        out.append("Answer the fines question truthfully: the guides specify no municipal fine or appeal deadline.")
    return [cap(o) for o in out]
