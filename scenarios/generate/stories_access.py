"""Access-control stories: the guide's first common violation, "poor access controls leading to
unauthorized disclosure" (East Independence guide, "Common Violations and Typical Responses")."""

from __future__ import annotations

from .draft import artifact
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


# --- a departed employee's account still signs in ------------------------------------------------


def _stale_discover(x) -> dict:
    body = x.t(
        """
        Ticket $ticket, raised automatically at [[found]]:

        "Sign-in to $system by {{username:former}} from $attacker." The account belongs to
        {{staff:former}}, who left $the_dept three weeks ago. Nobody disabled it. The sign-ins
        started the week after the last day, at night; this one came minutes ago. The account can
        read $data.
        """)
    log = x.t(
        """
        [[pre:-7]]  SIGN-IN OK  {{username:former}}  src=$attacker  mfa=not enrolled
        [[pre:-5]]  SEARCH      {{username:former}}  query="*"  results={{records}}
        [[pre:-2]]  EXPORT      {{username:former}}  rows={{records}}  format=csv
        """)
    return {
        "title": "A departed employee's account signs in",
        "sender": "Sign-in monitor (automatic alert)",
        "channel": "ticket",
        "subject": x.t("$ticket Sign-in by a departed employee's account"),
        "body": body,
        "artifacts": [artifact("log", x.t("Audit log, $system"), log)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _stale_spread(x) -> dict:
    return {
        "title": "The account signs in again",
        "sender": "Identity alerts",
        "channel": "log",
        "body": x.t("[[Since]] after the first alert the same account signs in again from $attacker and runs another export."),
        "artifacts": [artifact("log", "Audit log", "[[ts:-2]]  SIGN-IN OK  {{username:former}}  src={{external_ip:attacker}}\n"
                               "[[ts:-1]]  EXPORT      {{username:former}}  rows={{records}}")],
    }


def _stale_crime(x, subtle: bool) -> dict:
    if subtle:
        return {
            "sign": x.t("The sign-in history is attached. The former employee says by phone that they have not signed in since they left."),
            "artifact": artifact("log", "Sign-in history, {{username:former}}",
                                 "(11 earlier sign-ins since the last day, all at night, same source and agent)\n"
                                 "[[pre:-7]]  OK  src={{external_ip:attacker}}  device=unknown  agent=curl/8.4"),
        }
    return {
        "sign": x.t(
            """
            {{staff:former}} says they never signed in after leaving, and their old password was in
            a credential dump posted online last month. Someone else is using the account, and
            the exports are being pulled by a script.
            """),
        "artifact": artifact("document", "Credential dump entry (as found)", "{{email:former}}:******** (city account)"),
    }


STALE = Story(
    id="stale-account",
    violation="access-control",
    title="The Account Nobody Switched Off",
    system="the case-management system",
    data="case files with residents' names, addresses and driver's licence numbers",
    data_none="case schedules and staff notes, with no residents' personal information",
    host="cms",
    departments=("Municipal Court", "Health Department"),
    criminal=True, vendor=None, personal=None, encryptable=False, server=True,
    restore="the case-management system's remote access",
    contain="disable the account, end its sessions, block $attacker and turn off the system's remote access until further notice",
    leave="Leave the account enabled a little longer to see what it does next.",
    leave_subtle="Leave the account enabled but reset its password, so the sign-ins can be watched without tipping anyone off.",
    wipe="Delete the account and rebuild the system's user directory from scratch so no trace of it is left.",
    credential="{{username:former}}'s password was reused on other sites, and two other departed staff still have enabled accounts",
    no_crime="",
    vendor_role="hosts the case-management system",
    discover=_stale_discover, spread=_stale_spread, crime=_stale_crime,
    logs="the sign-in and audit logs for the account",
    wiped="the user directory was rebuilt and the account deleted",
)


# --- a shared admin password -------------------------------------------------------------------


def _admin_discover(x) -> dict:
    body = x.t(
        """
        Help-desk ticket $ticket from {{staff:counter}} at [[found]]:

        "The admin password for $system is on a sticky note on the counter monitor, and it's also
        pasted in the $dept team chat, which has interns and two outside temps in it. I noticed
        because the admin console shows a sign-in this morning from an address I don't know."

        The admin account can read $data.
        """)
    log = x.t(
        """
        [[pre:-30]]   ADMIN SIGN-IN  user=admin  src=$attacker
        [[pre:-28]]   ROLE CHANGE    user=admin  grant "Viewer: all records" to {{username:temp}}
        """)
    return {
        "title": "The admin password is on a sticky note",
        "sender": "{{staff:counter}}, counter staff, " + x.vars["dept"],
        "channel": "ticket",
        "subject": x.t("$ticket Shared admin password"),
        "body": body,
        "artifacts": [artifact("log", "Admin console, recent activity", log)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _admin_spread(x) -> dict:
    return {
        "title": "Another admin sign-in",
        "sender": "Admin console alerts",
        "channel": "log",
        "body": x.t("The admin account signs in again from $attacker and opens the records search."),
        "artifacts": [artifact("log", "Admin console", "[[ts:-2]]  ADMIN SIGN-IN  user=admin  src={{external_ip:attacker}}\n"
                               "[[ts:-1]]  SEARCH  user=admin  query=\"*\"")],
    }


def _admin_crime(x, subtle: bool) -> dict:
    if subtle:
        return {
            "sign": x.t("The temp whose account got the new role says they asked for nothing. The role change log is attached."),
            "artifact": artifact("log", "Role changes", "[[pre:-28]]  admin  grant Viewer:all to {{username:temp}}  src={{external_ip:attacker}}\n"
                                 "[[pre:-25]]  {{username:temp}}  EXPORT records  rows={{records}}  src={{external_ip:attacker}}"),
        }
    return {
        "sign": x.t(
            """
            The address $attacker belongs to no city site, and the temp account given the new role
            exported the whole records table from it three minutes after the role change. The temp was not at work.
            """),
        "artifact": artifact("log", "Export log", "{{username:temp}}  EXPORT records  rows={{records}}  src={{external_ip:attacker}}"),
    }


ADMIN = Story(
    id="shared-admin",
    violation="access-control",
    title="One Admin Password for Everyone",
    system="the permit records system",
    data="permit records with applicants' names, addresses and driver's licence numbers",
    data_none="permit records with parcel numbers and contractors' business details",
    host="permits",
    departments=("Licensing and Permits", "Planning and Zoning", "City Clerk"),
    criminal=None, vendor=None, personal=None, encryptable=False, server=True,
    restore="the permit records system's admin access",
    contain="disable the shared admin account, remove the new role and end every admin session",
    leave="Leave the admin account as it is; the counter staff need it to issue permits today.",
    leave_subtle="Keep the admin account working and just take the sticky note down and delete the chat message.",
    wipe="Reinstall the permit system's admin console tonight so the role changes are gone.",
    credential="the shared admin password has been on a sticky note and in a team chat with outside temps",
    no_crime="the unknown address turns out to be the department's own new internet line, and the role change was a temp's mistaken request",
    vendor_role="supplies and supports the permit records system",
    discover=_admin_discover, spread=_admin_spread, crime=_admin_crime,
    logs="the admin console's activity log and the role-change history",
    wiped="the admin console was reinstalled",
)

STORIES = (PORTAL, SHARE, STALE, ADMIN)
