"""Escalations the facts call for: the police when there are signs of a crime (or the temptation
to call them when there are none), and the vendor that holds the city's data."""

from __future__ import annotations

from ..context import Ctx
from ..draft import Draft, Opt
from .evidence import evidence_gone
from .notice import DELAY_WHY
from .opening import police_first, vendor_first


def criminal(x: Ctx) -> Draft:
    subtle = x.subtle("crime")
    sign = x.story.crime(x, subtle)
    if x.ei:
        return _police_ei(x, sign, subtle)
    if x.c.referral:
        return _referral_stl(x, sign)
    return _signs_stl(x, sign, subtle)


def _police_ei(x: Ctx, sign: dict, subtle: bool) -> Draft:
    follow_up = police_first(x)
    notice = x.steps("coordinate-notice-with-police")
    guide = Opt(
        x.t(("Give the detective what you have, on the report already filed" if follow_up
             else "Call the Independence Police Department and file a report with what you have")
            + "; keep the originals of everything that shows it and add it to the timeline." + (" Ask the police whether the timing of the resident notice would impede their investigation." if notice else "")),
        "guide", steps=x.steps("keep-originals", "document-timeline", *notice), notifies=x.required("police"),
        why="Signs that someone did this on purpose are the guide's trigger for a police report.")
    opts = [
        guide,
        Opt("Keep the evidence, but hold it back from the police until City IT is certain it was deliberate.", "partial",
            steps=x.steps("keep-originals", "document-timeline"),
            why="The guide's trigger is a suspicion of criminal activity, not certainty."),
        Opt("Report it to Code Enforcement so it can take action against whoever did it.", "needless",
            notifies=x.needless("code-enforcement"), why="Code Enforcement is not a criminal investigator."),
        Opt("Delete the messages and screenshots that show it, so the details stop circulating among staff.", "harm",
            harms=x.harm("discard-communications"), why="These are exactly what the police will ask for."),
        Opt(x.t(x.story.wipe), "harm", harms=x.harm("wipe-before-imaging"), why="It destroys evidence the police will need."),
    ]
    body = x.t(
        """
        From: {{staff:itlead}}
        To: $me

        $lead

        $sign
        """, sign=sign["sign"],
        lead=("The detective on the report wants to know what we can hand over." if follow_up
              else "Something new in what we collected."))
    return Draft(
        topic="police" if not follow_up else "police-follow-up",
        title="Signs that someone did this on purpose" if not subtle else "Something in the logs",
        sender=x.t("{{staff:itlead}}, $it_full"), channel="email", body=body, artifacts=[sign["artifact"]],
        question="What do you make of this, and what do you do?", kind="single",
        options=[o for o in opts if o.role != "needless" or o.notifies], limit=180,
        notes=("At harder levels the sign is only in the artifact: look for teams that read the log. " if subtle else "")
        + "Expected response: a police report, with the originals kept for it.",
        lesson="When criminal activity is suspected, the East Independence guide adds the Police Department to City IT.",
    )


def _referral_stl(x: Ctx, sign: dict) -> Draft:
    notice = x.steps("coordinate-notice-with-police")
    opts = [
        Opt("Cooperate: provide what the investigator asks for through the IT/security office, with chain-of-custody records"
            + (", and ask whether the timing of the resident notice would impede the investigation." if notice else "."),
            "guide", steps=x.steps("cooperate-with-referrals", "chain-of-custody", *notice), notifies=x.required("police"),
            why="Once the IT/security office advises a referral, the guide's step is to cooperate."),
        Opt("Decline: the city's insurer can handle it privately.", "wrong",
            why="An insurer is not law enforcement, and the referral has been advised."),
        Opt("Hand the original media and log exports straight to the detective, with no paperwork, to save time.", "harm",
            harms=x.harm("break-chain-of-custody"), why="Evidence goes through the IT/security office with a custody record."),
    ]
    if x.c.notice_required:
        opts.append(Opt("Hold every resident notice indefinitely \"for the police\", though they have not asked for that.", "harm",
                        harms=x.harm("delay-notice-without-cause"),
                        why=DELAY_WHY + " A hold nobody asked for serves none of those."))
    body = x.t(
        """
        From: {{staff:itlead}}
        To: $me
        Cc: $director

        Early findings: $sign

        This office is advising a referral to law enforcement. Contact: {{staff:detective}},
        {{phone:detective}}.
        """, sign=sign["sign"])
    return Draft(
        topic="referral", title="The IT/security office advises a referral", sender=x.t("{{staff:itlead}}, $it_full"),
        channel="email", subject=x.t("$ticket Early findings, referral"), body=body, artifacts=[sign["artifact"]],
        question="How does your team respond to the referral?", kind="single", options=opts, limit=180,
        notes="Law enforcement is reached on referral, after the IT/security office; a team that called the police first is out of order.",
        lesson="In St. Louis, law enforcement comes in by referral from the IT/security office, and staff cooperate when advised.",
    )


def _signs_stl(x: Ctx, sign: dict, subtle: bool) -> Draft:
    """St. Louis, signs of a crime but no referral (yet): the IT/security office decides on any
    referral, and the team's part is to keep the evidence fit for one."""
    opts = [
        Opt("Send what was found into the IT/security office's intake, keep a chain-of-custody record for every export, "
            "and add it to the timeline; any referral to law enforcement is the office's to advise.",
            "guide", steps=x.steps("follow-it-intake", "chain-of-custody", "document-timeline"),
            why="In St. Louis the IT/security office directs the review, and law enforcement comes in on its referral; "
                "the evidence must be fit for one if it is advised."),
        Opt("Keep the findings in the timeline, but hold them back from the IT/security office until someone is sure it was deliberate.",
            "partial", steps=x.steps("document-timeline"),
            why="The office's intake is where findings go; certainty is not the team's to wait for."),
        Opt("Hand the original media and log exports to whoever asks for them first, with no paperwork, to save time.", "harm",
            harms=x.harm("break-chain-of-custody"), why="Evidence that may reach investigators needs a record of every transfer."),
        Opt(x.t("Clear $logs of the entries that show it, so the details stop circulating among staff."), "harm",
            harms=x.harm("delete-logs"), why="Those entries are the evidence any referral would rest on."),
        Opt(x.t(x.story.wipe), "harm", harms=x.harm("wipe-before-imaging"), why="It destroys evidence before anyone has kept it."),
    ]
    body = x.t(
        """
        From: {{staff:itlead}}
        To: $me

        Something new in what we collected. $sign

        This office has not advised a referral to law enforcement at this point. Send me what
        you have through intake, and keep it as evidence.
        """, sign=sign["sign"])
    return Draft(
        topic="signs", title="Signs that someone did this on purpose" if not subtle else "Something in the logs",
        sender=x.t("{{staff:itlead}}, $it_full"), channel="email", body=body, artifacts=[sign["artifact"]],
        question="What do you make of this, and what do you do?", kind="single", options=opts, limit=180,
        notes=("At harder levels the sign is only in the artifact: look for teams that read the log. " if subtle else "")
        + "No referral has been advised: the St. Louis guide brings law enforcement in by referral, so the expected response is "
          "intake and chain-of-custody, not a call of the team's own.",
        lesson="In St. Louis the IT/security office directs the review; evidence is kept with chain-of-custody so that a "
               "referral, if one is advised, has something to rest on.",
    )


def not_a_crime(x: Ctx) -> Draft:
    """No crime (St. Louis): the temptation to call the police anyway, a lesson in needless
    escalation. Not for East Independence, whose FAQ names the police without a condition."""
    keep = x.steps("keep-originals") if x.ei else x.steps("follow-it-intake")
    opts = [
        Opt(x.t("Record what was found in the timeline" + (" and keep the originals" if x.ei else " and follow $it's intake")
                + "; there is no sign of a crime, so no police report."),
            "guide", steps=x.steps("document-timeline", *keep), why=x.t(f"Here {x.story.no_crime}.")),
        Opt("Call the police anyway, to be safe.", "needless", notifies=x.needless("police"),
            why="The St. Louis guide brings law enforcement in on a referral the IT/security office advises, and nothing "
                "here suggests a crime."),
        Opt("Post on the city's pages that it was only a mistake, so nobody worries.", "harm", harms=x.harm("public-before-it"),
            why=x.t("Nothing goes public before $it has assessed.")),
        Opt("Delete the alarming messages now that it is clear nobody meant harm.", "harm",
            harms=x.harm("discard-communications" if x.ei else "delete-logs"), why="They are still part of the record."),
    ]
    return Draft(
        topic="no-crime", title="\"Shouldn't we call the police?\"", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", body=x.t(
            """
            From: $director
            To: $me

            $It says $finding. I still think we should call the police, just in case. What do
            you want to do?
            """, finding=x.story.no_crime),
        question="What do you tell the director?", kind="single", options=opts, limit=150,
        notes="No crime is suspected in this drill. The lesson is that an escalation the guide gives no cause for is noted against the team.",
        lesson="Contacts are reached when the guide's conditions hold; a needless escalation costs the people who have real cases.",
    )


def vendor(x: Ctx) -> Draft:
    """The vendor that holds or runs the system wants to fix it its own way."""
    told = vendor_first(x)
    if x.ei:
        guide_steps = ("vendor-notifies-owner", "preserve-logs", "image-before-rebuild" if x.story.server else "document-timeline")
        guide = Opt(x.t("$vendor confirms to the city in writing what it found and when, exports its logs for City IT, "
                        + ("and images the host before any patch or rebuild." if x.story.server else "and adds its own records to the timeline.")),
                    "guide", steps=x.steps(*guide_steps), why="The vendor holds data it does not own: it tells the owner and keeps the evidence.")
    else:
        guide = Opt(x.t("$vendor notifies the city contact named in its contract in writing, leaves the original media as it is, "
                        "and follows the IT/security office's intake instructions for its logs."),
                    "guide", steps=x.steps("vendor-notifies-owner", "leave-original-media", "follow-it-intake"),
                    notifies=x.required("contract-contact"), why="The guide's instruction to vendors: notify the contract contact and preserve logs.")
    opts = [
        guide,
        Opt(x.t("Let $vendor investigate on its own and send the city a summary at next month's service review."), "wrong",
            why="The city owns the data, and its IT office directs the review."),
        Opt(x.t("Let $vendor go ahead with its own fix: " + x.story.wipe[:1].lower() + x.story.wipe[1:]), "harm",
            harms=x.harm("wipe-before-imaging"), branch="evidence-gone", why="It destroys the evidence before it is kept."),
    ]
    if not x.ei:
        opts.append(Opt(x.t("$vendor patches the original system in place today and reports afterwards."), "harm",
                        harms=x.harm("alter-original-media"), why="The original stays untouched until investigators release it."))
    else:
        opts.append(Opt(x.t("Keep $vendor's shared support password as it is; everyone there knows it and changing it would slow the fix."),
                        "harm", harms=x.harm("keep-compromised-credentials"), why="An exposed shared password is a way back in."))
    body = x.t(
        """
        From: {{staff:vendorlead}}, {{vendor:main}}
        To: $me

        $intro We would like to run our own investigation, fix our side today and send the city
        a summary. It's our infrastructure.
        """, intro=("As we reported, we found this on our side." if told
                    else x.t("We have seen your ticket; $vendor $role_v.", role_v=x.story.vendor_role or "supports the affected system")))
    return Draft(
        topic="vendor", title="The vendor wants to handle it itself", sender="{{staff:vendorlead}}, {{vendor:main}}",
        channel="email", subject=x.t("Re: $ticket our proposal"), body=body,
        question="What does the table agree with the vendor?", kind="single", options=opts, limit=180,
        notes="A vendor's \"it's our infrastructure\" is a common line; the data is the city's, and so is the review.",
        lesson="A party that keeps data it does not own notifies the owner immediately after discovery (RSMo 407.1500).",
        consequences={"evidence-gone": evidence_gone(x)},
    )
