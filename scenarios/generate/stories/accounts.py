"""Access-control stories where a sign-in should not have worked: a departed employee's account
nobody switched off, and one admin password shared by everyone. The guide's first common
violation, as in access.py, which has the ones where a permission exposed the data."""

from __future__ import annotations

from ..draft import artifact
from .story import Story

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

STORIES = (STALE, ADMIN)
