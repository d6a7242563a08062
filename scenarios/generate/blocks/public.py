"""What goes public: a reporter or a records request, the story that runs when someone talks too
soon, and the director's fines question. What residents are told is in notice.py."""

from __future__ import annotations

from ..context import Ctx
from ..draft import Draft, Opt


def _handover(x: Ctx, what: str) -> Opt:
    if x.ei:
        return Opt(x.t(f"{what} Say the city will respond through its official statement, pass it to City IT so anything said "
                       "publicly follows its instructions, and log the contact."),
                   "guide", steps=x.steps("public-notice-on-instruction", "document-communications"), notifies=x.required("city-it"),
                   why="Public notifications follow the city's instructions, and every communication is documented.")
    return Opt(x.t(f"{what} Confirm nothing, pass it to your department head and into the IT/security office's intake, and note it in the timeline."),
               "guide", steps=x.steps("follow-it-intake", "document-timeline"), notifies=x.required("department-head", "city-it"),
               why="Nothing goes public before the IT/security office has assessed; the department head answers for the department.")


def inquiry(x: Ctx) -> Draft:
    news = x.c.inquiry == "news"
    opts = [
        _handover(x, "Take the reporter's name, questions and deadline." if news else "Acknowledge the request and log its date."),
        Opt(("Give the reporter the facts you have, on the record: how many residents, what data, and the cause."
             if news else "Send the requester the log exports and the list of affected records today, to show the city has nothing to hide."),
            "harm", harms=x.harm("public-before-it"), branch="went-public",
            subtle=("Confirm the basics off the record so the story is at least accurate."
                    if news else "Send the requester a short summary with the count and the cause, to be helpful."),
            why=x.t("That puts unverified details in public before $it has assessed, and residents would learn of it before any notice.")),
        Opt("Say \"no comment\", and tell nobody about the call." if news else "File the request in a drawer until the incident is over.",
            "wrong", why="Saying nothing in public is fine; keeping it from the people who must answer it is not."),
    ]
    if x.ei:
        opts.append(Opt("Delete the reporter's voicemail and emails so nothing gets forwarded around." if news
                        else "Clear out the incident emails before they fall under the request.",
                        "harm", harms=x.harm("discard-communications"), why="Media and records contacts are part of the record."))
    else:
        opts.append(Opt("Clear the incident logs before they fall under the request.", "harm", harms=x.harm("delete-logs"),
                        why="Deleting records because someone asked for them destroys evidence, and the request too."))
    needless = x.needless("code-enforcement", "attorney-general")
    if needless:
        name = {"code-enforcement": "Code Enforcement", "attorney-general": "the Attorney General's office"}[needless[0]]
        opts.append(Opt(f"Refer the {'reporter' if news else 'requester'} to {name}.", "needless", notifies=needless[:1],
                        why="That office does not speak for the city about this incident."))
    if news:
        body = x.t(
            """
            Call to your desk line.

            $reporter: "Hi, $reporter with the $outlet. I'm told the city had a data problem with
            $system. How many people are affected? Was it a hack? Is the city going to be fined?
            We're publishing this afternoon."
            """)
    else:
        body = x.t(
            """
            From: {{resident:requester}}
            To: $dept records contact

            This is a public-records request for all records about the recent incident involving
            $system: emails, logs, and the list of records affected.
            """)
    return Draft(
        topic="reporter" if news else "records-request", title="A reporter calls" if news else "A public-records request arrives",
        sender=x.t("$reporter, $outlet") if news else "{{resident:requester}}, by email",
        channel="phone" if news else "email", body=body,
        question="What do you do?", kind="single", options=opts, limit=150,
        notes="Play the caller as friendly and in a hurry. If a team asks what it may say, the answer is: only what the city instructs.",
        lesson="A reporter's call or a records request is a public notification waiting to happen.",
        consequences={"went-public": story_runs(x)},
    )


def story_runs(x: Ctx) -> Draft:
    news = x.c.inquiry == "news"
    opts = [
        _handover(x, "Stop commenting. Send what was said or sent, and when, to the people who must handle it."),
        Opt("Post a correction from your own social-media account with the exact count.", "harm", harms=x.harm("public-before-it"),
            why="Another public statement without the city's instructions."),
        Opt("Delete your messages with the reporter so nobody can see what you said." if news
            else "Delete the copies of what was sent, and the email that sent them, so there is no trail.", "harm",
            harms=x.harm("discard-communications" if x.ei else "delete-logs"),
            why="A mistake documented can be corrected; a deleted one becomes a second problem."),
        Opt(x.t("Ask $vendor to put out its own statement saying the fault was the city's.") if x.c.vendor
            else "Give a second interview to set the record straight, before the city has decided what to say.", "harm",
            harms=x.harm("public-before-it"), keep=True,
            why=x.t("It adds another public statement to the first, before $it has assessed; whoever makes it, it is still "
                    "the incident going public on nobody's instruction.")),
    ]
    if news:
        title, sender, channel = "It's in the news, with the wrong number", x.t("$outlet website"), "news"
        body = x.t(
            """
            $outlet, online edition:

            "CITY DATA LEAK HIT THOUSANDS, OFFICIAL SAYS. A city supervisor confirmed the problem
            with $system. The city is expected to face fines, the supervisor said."

            The phones are ringing, and $director forwards the link: "Why am I reading this?"
            """)
        question = "The story is out, with a wrong figure and a claim about fines. What now?"
    else:
        title, sender, channel = "The released files are online", "{{staff:director}}, director of " + x.vars["the_dept"], "email"
        body = x.t(
            """
            From: $director
            To: $me

            The requester has posted what we sent on a public blog: the log exports and the list
            of affected records, before anyone here had assessed them. Residents are calling to ask
            whether they are on it. Why did this go out?
            """)
        question = "What was sent is public. What now?"
    return Draft(
        topic="story-runs" if news else "release-posted", title=title, sender=sender, channel=channel, body=body,
        question=question, kind="single", options=opts, limit=120,
        notes="Consequence inject for going public early." + (" Note the invented fine in the story: the guides specify none." if news else ""),
        lesson="Once something is out, the fix is the same as the prevention: stop, hand it over, and keep a record.",
    )


def fines(x: Ctx) -> Draft:
    p = x.key.penalties
    # The playbook's own words for fines and appeals: never a figure the guides do not give.
    said = f'Fines: "{p.fines}" Appeals: "{p.appeals}"' if p else "The guide specifies no fines or appeal deadlines."
    if x.ei:
        guide = Opt(f"Tell the truth, from the guide's Penalties & Enforcement section. {said} "
                    "Keep every email and draft, and document all communications for appeals or regulatory review.",
                    "guide", steps=x.steps("keep-originals", "document-communications"),
                    why="When the guide says \"not specified\", the right answer says so.")
        harm = Opt("Clear out the emails and drafts about the incident before anyone asks for them.", "harm",
                   harms=x.harm("discard-communications"), why="They are the record any appeal or review relies on.")
        needless = x.needless("code-enforcement")
    else:
        guide = Opt(f"Tell the truth, from the guide's Penalties & Enforcement section. {said} For city systems the IT/security "
                    "office enforces through administrative orders and remedial security requirements; follow its written instructions.",
                    "guide", steps=x.steps("follow-it-intake", "document-timeline"),
                    why="The guide names the enforcer and the typical remedies, and no figure.")
        harm = Opt("Since no fine is set, delete the incident records and move on.", "harm", harms=x.harm("delete-logs"),
                   why="The records are what any review builds on.")
        needless = ()
    opts = [guide, harm,
            Opt("Give a figure anyway: estimate a per-record fine and a typical appeal window so the director has numbers.", "wrong",
                why="The sources give no municipal figure; an invented one becomes the city's position.")]
    if needless:
        opts.append(Opt("Ask Code Enforcement what fine it will issue.", "needless", notifies=needless,
                        why="No fine schedule exists to ask about."))
    return Draft(
        topic="fines", title="The director wants numbers", sender="{{staff:director}}, director of " + x.vars["the_dept"],
        channel="email", body=x.t(
            """
            From: $director
            To: $me

            I'll be asked tonight. What is the city going to be fined for this, and if anyone takes
            action, how long do we have to appeal? Give me numbers.
            """),
        question="How do you answer the director?", kind="single", options=opts, limit=180,
        notes="The guide's \"not specified\" is the answer. Do not let a team leave with a made-up number.",
        lesson="Where the guides specify no fine or appeal deadline, breachdrill does not invent one, and neither should the team.",
    )
