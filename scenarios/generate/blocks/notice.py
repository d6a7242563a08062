"""What residents are told: the notice decision (or the exemption that replaces it), the notice
plan as a checklist, and St. Louis's silent city before the decision. RSMo 407.1500's words for
when notice goes out (`DELAY_WHY`) live here because every block that times a notice cites them."""

from __future__ import annotations

import textwrap

from ..context import Ctx
from ..draft import Draft, Opt, artifact

# RSMo 407.1500's own words for when notice goes out (shared/DOMAIN.md): never "only law
# enforcement can justify a delay".
DELAY_WHY = ("RSMo 407.1500: notice goes out without unreasonable delay, consistent with the needs of law enforcement "
             "and with the steps needed to determine the scope and restore integrity.")


def _notice_text(x: Ctx) -> str:
    parts = ["Notify the {{records}} affected residents without unreasonable delay, "
             + ("with the content and timing City IT instructs" if x.ei else "with notices prepared following Missouri Attorney General guidance")]
    if x.steps("coordinate-notice-with-police"):
        parts.append(", " + coordinate_phrase(x))
    if x.c.over_threshold:
        parts.append(", and tell the Missouri Attorney General's office and the nationwide consumer reporting agencies "
                     "the timing, distribution and content of the notice")
    return "".join(parts) + "."


def coordinate_phrase(x: Ctx) -> str:
    """RSMo 407.1500's "consistent with the needs of law enforcement", as this incident meets it."""
    if x.ei:
        return "timed with the police so it does not impede their investigation"
    if x.c.referral:
        return "timed with law enforcement on the referral so it does not impede the investigation"
    return x.t("timed consistent with the needs of law enforcement (ask $it whether any investigation needs it held)")


def _notice_steps(x: Ctx) -> tuple[str, ...]:
    return x.steps("notify-residents", "public-notice-on-instruction" if x.ei else "prepare-resident-notices",
                   "coordinate-notice-with-police")


def notice(x: Ctx) -> Draft:
    if x.c.exempt:
        return _exemption(x)
    if x.c.fraud_unlikely:
        return _no_fraud(x)
    over = x.c.over_threshold
    reason = ("the encryption key was taken with the data, so the exemption does not apply. "
              if x.c.encrypted else "names with those numbers are personal information under RSMo 407.1500. ")
    told = x.c.unresponsive
    opts = [
        Opt("Yes: " + reason + _notice_text(x), "guide", steps=_notice_steps(x),
            notifies=x.required("attorney-general", "consumer-reporting-agencies"),
            why="Notice follows from the data and the law, not from how the breach happened."),
        Opt("No: the file was encrypted, so the exemption covers it." if x.c.encrypted
            else "No: nothing shows the data has been misused yet, so there is nothing to notify." if x.c.criminal
            else "No: it was a mistake, not a hack, and nothing was stolen, so there is nothing to notify.",
            "harm", harms=x.harm("delay-notice-without-cause"),
            why="RSMo 407.1500 has two ways out: the encryption exemption (which needs the key not taken), or a written "
                "determination, after an appropriate investigation or consultation with law enforcement, that identity "
                "theft or fraud is not reasonably likely. Neither holds here."),
        Opt("Hold the notice until next month's bills go out, so it can travel in the same envelope.", "harm",
            harms=x.harm("delay-notice-without-cause"), why=DELAY_WHY + " Saving postage is none of those."),
    ]
    if over:
        opts.append(Opt("Notify the residents only; the state does not need to hear from the city.", "partial",
                        steps=_notice_steps(x), why="More than 1,000 residents notified at one time brings in the Attorney General and the agencies."))
    else:
        opts.append(Opt("Notify the residents, and to be safe also send the notice to the Attorney General's office and the credit bureaus.",
                        "needless", steps=_notice_steps(x), notifies=x.needless("attorney-general", "consumer-reporting-agencies"),
                        why="This notice covers {{records}} residents: not more than 1,000."))
    return Draft(
        topic="notice", title="Do residents need to be told?",
        sender=("{{staff:director}}, director of " + x.vars["the_dept"]) if told else x.t("{{staff:itlead}}, $it_full"),
        channel="email", subject=x.t("$ticket Final scope"),
        body=x.t(
            """
            From: $director
            To: $me

            The forensic review puts the scope at {{records}} residents' records: $data. $enc
            $It still has not answered our questions about notifying. Do we need to notify
            anyone?
            """ if told else
            """
            From: {{staff:itlead}}
            To: $me
            Cc: $director

            Final scope: {{records}} residents' records were exposed: $data. $enc

            $director asks whether we need to notify anyone.
            """, enc=("The data was encrypted, but the key went with it." if x.c.encrypted else "None of it was encrypted.")),
        question="Does the city notify the affected residents, and who else is told?", kind="single", options=opts, limit=180,
        notes="The threshold for telling the Attorney General and the consumer reporting agencies is more than 1,000 residents notified at one time. No day count is expected: the sources set none.",
        lesson="Notice follows from the data and the governing law (RSMo 407.1500).",
    )


def _exemption(x: Ctx) -> Draft:
    keep = x.steps("document-communications") if x.ei else x.steps("prepare-resident-notices")
    opts = [
        Opt(x.t("Not until it is confirmed: have $it confirm that the data was encrypted and the key was not taken too, and "
                + ("keep that determination on record." if x.ei else "keep the notice materials drafted in the meantime.")),
            "guide", steps=x.steps("confirm-encryption-exemption", *keep),
            why="The exemption holds only when the data was encrypted and the key was not also acquired."),
        Opt("We're fine: it was encrypted. Close the incident.", "wrong", why="Relying on the exemption without confirming the key is the gap."),
        Opt("Announce on the city's pages that no residents' data was at risk.", "harm", harms=x.harm("public-before-it"),
            why=x.t("Nothing goes public before $it has assessed, least of all a reassurance.")),
        Opt("Send the Attorney General's office and the credit bureaus a notice anyway, to be safe.", "needless",
            notifies=x.needless("attorney-general", "consumer-reporting-agencies"),
            why="Those notices follow a resident notice of more than 1,000; the exemption may mean there is none."),
    ]
    return Draft(
        topic="exemption", title="\"It was encrypted, so we're fine?\"", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", body=x.t(
            """
            From: $director
            To: $me

            $It says the data was encrypted, so we're fine, right? We don't have to tell
            {{records}} people anything?
            """),
        question="What do you tell the director?", kind="single", options=opts, limit=180,
        notes="The answer to \"are we fine\" is \"probably, once confirmed\". Accept any wording that makes the exemption depend on the key not being taken.",
        lesson="RSMo 407.1500's encryption exemption needs two facts: the data was encrypted, and the key was not also acquired.",
    )


def _no_fraud(x: Ctx) -> Draft:
    """RSMo 407.1500: no notice where, after an appropriate investigation or consultation with law
    enforcement, identity theft or fraud is not reasonably likely, determined in writing and kept
    for 5 years."""
    keep = x.steps("document-communications") if x.ei else x.steps("prepare-resident-notices")
    opts = [
        Opt("No resident notice is required on these facts: the written determination that identity theft or fraud is not "
            "reasonably likely is the statute's exemption. Keep it with the incident record for five years, note it in the "
            "timeline, and " + ("file every message about the decision for review." if x.ei
                                else "keep the notice materials drafted, as the guide asks whenever personal data is involved."),
            "guide", steps=x.steps("document-no-fraud-determination", "document-timeline", *keep),
            why="The exemption rests on the written determination: it is the record that no notice was owed, and it is kept for five years."),
        Opt("No notice, and the determination can be thrown out with the drafts: it only mattered for the decision.", "wrong",
            why="The determination is kept in writing for five years; without it, nothing shows why no notice went out."),
        Opt(x.t("Post on the department's page that nobody's data was exposed, before $it has seen the wording."), "harm",
            harms=x.harm("public-before-it"),
            why=x.t("Nothing goes public before $it has assessed, and the data was exposed: the finding is only that fraud is not reasonably likely.")),
        Opt("Send the Attorney General's office and the credit bureaus a notice anyway, to be safe.", "needless",
            notifies=x.needless("attorney-general", "consumer-reporting-agencies"),
            why="Those notices follow a resident notice of more than 1,000 residents; here no resident notice is owed."),
    ]
    return Draft(
        topic="no-fraud", title="\"Fraud is not reasonably likely\"", sender=x.t("{{staff:itlead}}, $it_full"), channel="email",
        subject=x.t("$ticket Final scope and determination"),
        body=x.t(
            """
            From: {{staff:itlead}}
            To: $me
            Cc: $director

            Final scope: {{records}} residents' records were exposed: $data. The investigation
            found that $finding. The determination is attached, in writing: after the
            investigation, identity theft or fraud is not reasonably likely.

            $director asks whether we need to notify anyone.
            """, finding=x.story.no_crime or "nobody outside the intended recipients kept a copy"),
        artifacts=[artifact("document", "Written determination (excerpt)", "\n".join(textwrap.wrap(x.t(
            "After an investigation of the exposure of {{records}} residents' records ($system), identity theft or fraud "
            "is not reasonably likely. Basis: $finding. To be kept with the incident record for five years.",
            finding=x.story.no_crime or "nobody outside the intended recipients kept a copy"), 88)))],
        question="Does the city notify the affected residents, and who else is told?", kind="single",
        options=[o for o in opts if o.role != "needless" or o.notifies], limit=180,
        notes="The documented exemption: no notice where, after an appropriate investigation or consultation with law enforcement, "
              "identity theft or fraud is not reasonably likely, determined in writing and kept for five years. Ask who would "
              "need the paper later.",
        lesson="RSMo 407.1500: no notice is needed where identity theft or fraud is not reasonably likely, determined in writing "
               "after an investigation and kept for five years.",
    )


def unresponsive(x: Ctx) -> Draft:
    """St. Louis: the city does not answer on the resident notice. The FAQ: "If the city fails to
    respond, you may contact the Missouri Attorney General's consumer protection division for
    guidance on consumer-notification obligations and next steps" -- allowed, never required."""
    opts = [
        Opt("Keep the report moving: follow up through the IT/security office's intake, have your department head raise it, "
            "record every unanswered request in the timeline, keep the notice materials drafted following Missouri Attorney "
            "General guidance, and, as the guide allows when the city does not respond, ask the Missouri Attorney General's "
            "consumer protection division for guidance on consumer-notification obligations and next steps.",
            "guide", steps=x.steps("follow-it-intake", "document-timeline", "prepare-resident-notices"),
            notifies=(*x.required("department-head"), *x.permitted("ag-consumer-protection")),
            why="The St. Louis guide's FAQ: if the city fails to respond, you may contact the Attorney General's consumer "
                "protection division. Allowed, not required, and it comes beside the city's channels, not instead of them."),
        Opt("Wait for the IT/security office to answer, however long it takes; nothing else can happen until it does.", "wrong",
            why=DELAY_WHY + " Silence from the city is no reason to stop the record or the drafting."),
        Opt("Post what the department knows on its own page so residents can check whether they are affected.", "harm",
            harms=x.harm("public-before-it"), why="Nothing goes public before the IT/security office has assessed; its silence does not change that."),
        Opt("Chase the IT/security office through intake again and note it in the timeline.", "partial",
            steps=x.steps("follow-it-intake", "document-timeline"),
            why="Right as far as it goes; the notice materials are still drafted meanwhile, and the guide allows asking the "
                "Attorney General's consumer protection division for guidance when the city does not respond."),
    ]
    return Draft(
        topic="no-answer", title="The city does not answer", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", subject=x.t("$ticket Still no answer on the notice"),
        body=x.t(
            """
            From: $director
            To: $me

            We asked $it_full what we owe the affected residents: who must be told, and
            how. Nobody has answered, and the intake queue shows our request unassigned. What do
            we do while we wait?
            """),
        question="The city has not responded on the resident notice. What does your team do?", kind="single",
        options=opts, limit=180,
        notes="The St. Louis guide's FAQ: \"If the city fails to respond, you may contact the Missouri Attorney General's consumer "
              "protection division for guidance on consumer-notification obligations and next steps.\" Credit it; never "
              "require it.",
        lesson="When the city does not respond, the St. Louis guide allows (without requiring) asking the Attorney General's "
               "consumer protection division for guidance, beside the city's own channels.",
    )


def notice_plan(x: Ctx) -> Draft:
    """The same decision as a checklist: which notices go out (only when notice is required)."""
    opts = [Opt("Mail the notice to the affected residents without unreasonable delay, "
                + ("as City IT instructs." if x.ei else "prepared following Missouri Attorney General guidance."),
                "right", steps=x.steps("notify-residents", "public-notice-on-instruction" if x.ei else "prepare-resident-notices"),
                why=DELAY_WHY)]
    if x.steps("coordinate-notice-with-police"):
        opts.append(Opt("Ask the police whether the notice's timing would impede their investigation." if x.ei
                        else "Ask law enforcement, on the referral, whether the notice's timing would impede the investigation."
                        if x.c.referral else x.t("Ask $it whether any law-enforcement investigation needs the notice's timing held."),
                        "right", steps=x.steps("coordinate-notice-with-police"),
                        why="Notice goes out consistent with the needs of law enforcement: it may be delayed when law enforcement "
                            "says it would impede a criminal investigation (RSMo 407.1500)."))
    for cid, name in (("attorney-general", "the Missouri Attorney General's office"), ("consumer-reporting-agencies", "every nationwide consumer reporting agency")):
        role = "right" if x.c.over_threshold else "needless"
        opts.append(Opt(f"Tell {name} the timing, distribution and content of the notice.", role, notifies=(cid,),
                        why="RSMo 407.1500: the threshold is more than 1,000 residents notified at one time."))
    opts += [
        Opt("Hold the notice until after next month's budget hearings, when it will draw less attention.", "harm",
            harms=x.harm("delay-notice-without-cause"),
            why=DELAY_WHY + " The scope is confirmed, and drawing less attention is none of those."),
    ]
    if x.ei:
        opts.append(Opt("Ask Code Enforcement to review the notice first.", "needless", notifies=x.needless("code-enforcement"),
                        why="No such review is documented: Code Enforcement enforces city ordinances."))
    return Draft(
        topic="notice-plan", title="The notice plan for {{records}} residents", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", body=x.t(
            """
            From: $director
            To: $me

            $It has confirmed the scope: {{records}} residents. I need the notice plan today.
            Which of these go in it?
            """),
        question="Which of these go into the notice plan? Choose all that apply.", kind="multi",
        options=[o for o in opts if o.role != "needless" or o.notifies], limit=210,
        notes="Count the residents: the Attorney General and agency notices turn on more than 1,000.",
        lesson="RSMo 407.1500: residents without unreasonable delay; the Attorney General and the agencies when more than 1,000 are notified at one time.",
    )
