"""Access-control stories: the guide's first common violation, "poor access controls leading to
unauthorized disclosure" (East Independence guide, "Common Violations and Typical Responses").

Here the stories where a permission exposed the data (a portal, a shared folder); accounts.py has
the ones where a sign-in should not have worked."""

from __future__ import annotations

from ..draft import artifact
from .story import Story


def _host_line(x, city: str, vendor: str) -> str:
    return x.t(vendor if x.c.vendor else city)


# --- a customer portal shows other households' files -------------------------------------------


def _portal_discover(x) -> dict:
    seen = (
        "a service application for {{resident:neighbor}} at {{address:neighbor}}, with a Social Security number on it"
        if x.c.residents else "a scanned meter-inspection form for another address"
    )
    hosting = _host_line(x, "The portal is the city's own; it was upgraded last weekend.",
                         "The portal is hosted and run for the city by $vendor, which upgraded it last weekend.")
    body = x.t(
        """
        Call transferred to your desk at [[found]].

        {{staff:csr}}, $dept customer service: "I have a customer on hold. They signed in to the
        customer portal to pay a bill, opened the Documents tab, and it listed files that are not
        theirs. They opened one: $seen. They've emailed us a screenshot."

        You sign in with the department's test customer account. The Documents tab lists dozens of
        files that belong to other accounts. $hosting
        """, seen=seen, hosting=hosting)
    content = x.t(
        """
        From: {{resident:caller}}
        To: $dept customer service
        Subject: Why can I see someone else's papers??

        This is what your portal showed me under Documents. It is not mine.
        $lines
        There were about forty more files in the list.
        """,
        lines=("Name on it: {{resident:neighbor}}, {{address:neighbor}}\nSSN on page 1: {{ssn:neighbor}}"
               if x.c.residents else "Address on it: {{address:neighbor}} (meter inspection, no names)"),
    )
    return {
        "title": "A customer sees another household's files",
        "sender": "{{staff:csr}}, " + x.vars["dept"] + " customer service",
        "channel": "phone",
        "body": body,
        "artifacts": [artifact("email", "The customer's email", content)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _portal_spread(x) -> dict:
    return {
        "title": "More customers, and a neighbourhood post",
        "sender": "{{staff:csr}}, " + x.vars["dept"] + " customer service",
        "channel": "email",
        "body": x.t(
            """
            A second complaint, [[since]] after the first: {{resident:second}} sent a photo of
            three other households' files. A neighbour has posted in a local group: "check the
            city portal, you can see everyone's paperwork". Documents-tab views are climbing since
            the post. $System is still online.
            """),
        "artifacts": [artifact("log", "Customer portal dashboard, Documents tab",
                               "documents.view            since [[found]]: 187   usual: about 9 in 10 min\n"
                               "documents.view, accounts  since [[found]]: 61\n"
                               "alerting                  none configured for cross-account access")],
    }


def _portal_crime(x, subtle: bool) -> dict:
    if subtle:
        return {
            "sign": x.t(
                """
                The access-log export is attached. Most cross-account views are one or two
                documents per account, opened by customers who clicked around.
                """),
            "artifact": artifact("log", "Portal access log, cross-account views (excerpt)", x.t(
                """
                [[pre:-44]]  user={{username:cust_a}}  GET /documents/APP-20931.pdf  owner_match=NO  200
                [[pre:-40]]  user={{username:scraper}}  src=$attacker  GET /documents/APP-00001.pdf  owner_match=NO  200
                +00:00:02          user={{username:scraper}}  src=$attacker  GET /documents/APP-00002.pdf  owner_match=NO  200
                +00:00:04          user={{username:scraper}}  src=$attacker  GET /documents/APP-00003.pdf  owner_match=NO  200
                ... 612 more lines for {{username:scraper}}, every 2 seconds, agent=python-requests
                [[pre:-12]]  user={{username:cust_b}}  GET /documents/APP-18804.pdf  owner_match=NO  200
                """)),
        }
    return {
        "sign": x.t(
            """
            One customer account, {{username:scraper}}, downloaded every file in the library with a
            script from $attacker, one every two seconds. This morning a forum post offers "city
            utility applications, full set" for sale, with a sample that matches our files.
            """),
        "artifact": artifact("document", "Forum listing (screenshot, as captured)",
                             "FOR SALE: city utility applications, full set, {{records}} records, "
                             "sample attached. Contact for price."),
    }


PORTAL = Story(
    id="portal-documents",
    violation="access-control",
    title="Other Households' Papers in the Customer Portal",
    system="the customer portal's Documents library",
    data="scanned service applications with names, addresses and Social Security numbers",
    data_none="scanned meter-inspection forms with addresses and no names",
    host="portal",
    departments=("Utilities Billing", "Water Department"),
    criminal=None, vendor=None, personal=None, encryptable=False, server=True,
    restore="the Documents library",
    contain="disconnect the Documents library from the portal while bill-pay keeps running",
    leave="Leave the portal as it is for now: most customers never open the Documents tab, and bill-pay week is coming.",
    leave_subtle="Keep the Documents tab up but hide it from the menu, so customers stop finding it while the permission is looked at.",
    wipe="Rebuild the portal's file server tonight from the installer, so the bad permission is simply gone.",
    credential="the upgrade ran under the shared service account svc-{{username:svc}}, whose password is written in the upgrade runbook that was emailed to thirty staff",
    no_crime="the cross-account views are scattered, one or two documents per account, opened by customers who clicked the tab",
    vendor_role="hosts and runs the customer portal",
    discover=_portal_discover, spread=_portal_spread, crime=_portal_crime,
    logs="the portal's access logs and the share's permission history",
)


# --- a department share open to every account ---------------------------------------------------


def _share_discover(x) -> dict:
    found = (x.t("an export named $file with {{records}} rows: $data")
             if x.c.residents else "staff rota spreadsheets and draft contract bids")
    locked = ""
    if x.c.encrypted:
        locked = x.t(
            """
            The export is a password-protected archive$key
            """,
            key=(", and a file called password.txt sits next to it." if x.c.key_taken
                 else "; nobody in the folder seems to have the password."))
    body = x.t(
        """
        From: {{staff:finder}} (Parks and Recreation)
        To: $dept shared mailbox
        Subject: Is this folder meant to be open to everyone?

        I was looking for a form on the shared drive and ended up in \\\\$host\\$folder. I could
        open everything in it from my normal account, including $found. I didn't copy anything,
        but I thought you should know. Sent at [[found]].
        $locked
        """, folder=x.vars["dept"].replace(" ", ""), found=found, locked=locked)
    perms = x.t(
        """
        \\\\$host\\$folder
          Everyone                 Read, List      (added three weeks ago by {{username:admin}})
          $dept staff      Modify
        """, folder=x.vars["dept"].replace(" ", ""))
    return {
        "title": "A folder open to every account",
        "sender": "{{staff:finder}}, Parks and Recreation",
        "channel": "email",
        "subject": "Is this folder meant to be open to everyone?",
        "body": body,
        "artifacts": [artifact("log", "Share permissions, as they are now", perms)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _share_spread(x) -> dict:
    return {
        "title": "More accounts in the open folder",
        "sender": "{{staff:finder}}, Parks and Recreation",
        "channel": "email",
        "body": x.t(
            """
            Someone has shared the folder's link in an all-staff chat ("useful templates here!").
            The file server's audit shows opens from accounts in six departments in the [[since]]
            since the report, and one account that belongs to an outside contractor.
            """),
        "artifacts": [artifact("log", "File server audit (since [[found]])",
                               "opens by distinct accounts: 37   departments: 6\n"
                               "largest: {{username:contractor}} (contractor)  files: 112")],
    }


def _share_crime(x, subtle: bool) -> dict:
    if subtle:
        return {
            "sign": x.t("The file server's audit for the folder is attached; most entries are single opens by staff."),
            "artifact": artifact("log", "File server audit, \\\\" + x.vars["host"] + " (excerpt)", x.t(
                """
                [[pre:-41]]  LOGON {{username:contractor}}  from $attacker (VPN)
                [[pre:-39]]  COPY  {{username:contractor}}  * (212 files) -> \\\\{{hostname:laptop}}\\usb_e
                [[pre:-9]]  OPEN  {{username:clerk}}       rota_march.xlsx
                [[pre:-6]]  OPEN  {{username:finder}}      $file
                """)),
        }
    return {
        "sign": x.t(
            """
            The audit shows the contractor account {{username:contractor}} copied the whole folder
            to a USB drive over the VPN from $attacker, after its contract had ended, and the
            contractor has stopped answering calls.
            """),
        "artifact": artifact("log", "File server audit (excerpt)",
                             "COPY {{username:contractor}}  * (212 files) -> usb_e   via VPN from {{external_ip:attacker}}"),
    }


SHARE = Story(
    id="open-share",
    violation="access-control",
    title="The Folder Everyone Could Open",
    system="the department's shared folder",
    data="an applicant export with names, dates of birth and driver's licence numbers",
    data_none="staff rotas and draft contract bids, with no residents' personal information",
    host="fs",
    departments=("Licensing and Permits", "Municipal Court", "Finance", "Human Resources"),
    by_department={
        "Licensing and Permits": {"data": "a permit-applicant export with names, dates of birth and driver's licence numbers",
                                  "file": "permit_applicants.xlsx"},
        "Municipal Court": {"data": "a defendant contact export with names, dates of birth and driver's licence numbers",
                            "file": "defendant_contacts.xlsx"},
        "Finance": {"data": "a business-tax account export with owners' names, dates of birth and driver's licence numbers",
                    "file": "tax_account_owners.xlsx"},
        "Human Resources": {"data": "a job-applicant export with names, dates of birth and driver's licence numbers",
                            "file": "job_applicants.xlsx"},
    },
    file="applicants.xlsx", file_none="contract_bids_draft.xlsx",
    criminal=None, vendor=False, personal=None, encryptable=True, server=True,
    restore="the shared folder",
    contain="unshare the folder so only its own team can reach it, keeping the file server running",
    leave="Leave the folder shared for now; staff use the templates in it every day.",
    leave_subtle="Leave the share as it is and send an all-staff email asking people not to open the folder.",
    wipe="Wipe the folder and restore the department's files from a clean copy, so nothing is left to see.",
    credential="the contractor account {{username:contractor}} and the share's admin account {{username:admin}} still have their old passwords, and the admin password is in a shared notes file",
    no_crime="every open was by a staff account, one file at a time, following the link someone had posted",
    vendor_role="",
    discover=_share_discover, spread=_share_spread, crime=_share_crime,
    logs="the file server's audit log for the folder and its permission history",
    wiped="the folder was wiped and refilled from a copy",
)

STORIES = (PORTAL, SHARE)
