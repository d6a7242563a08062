"""Unsecured-PII stories: the guide's third common violation, "failure to secure personally
identifiable information" (East Independence guide, "Common Violations and Typical Responses")."""

from __future__ import annotations

from ..draft import artifact
from .story import Story


def _encryption(x, device: str, unlocked: str, locked: str) -> str:
    if not x.c.encrypted:
        return f"The {device} was not encrypted."
    return f"The {device} was encrypted. " + (unlocked if x.c.key_taken else locked)


# --- a laptop that did not come back ------------------------------------------------------------


def _laptop_discover(x) -> dict:
    what = ("I went back to my car after the community meeting and the back window was smashed. The laptop bag is gone."
            if x.c.criminal else "I think I left the laptop bag on the bus home after the community meeting. It isn't in my car or at home.")
    enc = _encryption(x, "laptop's disk", "But the unlock PIN was on a sticky note in the same bag.",
                      "The unlock PIN was never written down, the device console says.")
    body = x.t(
        """
        {{staff:courier}} calls you at [[found]]:

        "I'm so sorry. $what The program applicant spreadsheet was on it, all {{records}} people,
        with their Social Security numbers. I know it shouldn't have been on the laptop."

        $enc
        """, what=what, enc=enc)
    record = x.t(
        """
        Asset:        {{hostname:laptop}} (laptop), checked out to {{staff:courier}} ({{username:courier}})
        Department:   $dept
        Data:         applicant export ({{records}} rows): name, address, SSN
        First row:    {{resident:applicant}}, {{address:applicant}}, {{ssn:applicant}}
        """)
    return {
        "title": "A laptop bag is gone" if x.c.criminal else "A laptop is missing",
        "sender": "{{staff:courier}}, program coordinator, " + x.vars["dept"],
        "channel": "phone",
        "body": body,
        "artifacts": [artifact("record", "Asset record and the spreadsheet's first row (synthetic)", record)],
        "question": x.t("You are $role. What do you do first?"),
    }


def _laptop_spread(x) -> dict:
    return {
        "title": "The laptop checks in",
        "sender": "Device management console",
        "channel": "log",
        "body": "The missing laptop has just checked in over the city VPN from an unknown network, using its still-valid certificate.",
        "artifacts": [artifact("log", "VPN gateway", "[[ts:-1]]  CERT OK  device={{hostname:laptop}}  src={{external_ip:attacker}}")],
    }


def _laptop_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": "The VPN gateway log for the laptop is attached.",
                "artifact": artifact("log", "VPN gateway", "[[ts:-6]]  CERT REJECTED  device={{hostname:laptop}}  src={{external_ip:attacker}}\n"
                                     "[[ts:-5]]  CERT REJECTED  device={{hostname:laptop}}  src={{external_ip:attacker}}  (x14)")}
    return {"sign": x.t("A police report of the car break-in lists four other cars on the same street, and someone has tried the laptop against the city VPN from $attacker."),
            "artifact": artifact("log", "VPN gateway", "[[ts:-6]]  CERT REJECTED  device={{hostname:laptop}}  src={{external_ip:attacker}}  (x14)")}


LAPTOP = Story(
    id="lost-laptop",
    violation="unsecured-pii",
    title="The Laptop That Didn't Come Back",
    system="the missing laptop",
    data="a spreadsheet of program applicants with names, addresses and Social Security numbers",
    data_none="",
    host="laptop",
    departments=("Health Department", "Parks and Recreation", "Utilities Billing"),
    criminal=None, vendor=False, personal=True, encryptable=True, server=False,
    restore=None,
    contain="have the laptop's VPN certificate and device sign-in revoked and {{staff:courier}}'s password reset",
    leave="Keep the laptop's VPN certificate valid so it can check in and show where it is.",
    leave_subtle="Leave the laptop's certificate valid for a day: if it checks in, the device console will show where it is.",
    wipe="Send a remote wipe to the laptop right away, so nothing on it can be read.",
    credential="the laptop held {{staff:courier}}'s saved email and VPN passwords",
    no_crime="the bus company's lost-property office has a laptop bag matching the description",
    vendor_role="",
    discover=_laptop_discover, spread=_laptop_spread, crime=_laptop_crime,
    logs="the device console and VPN gateway records for the laptop",
    tamper="If the laptop turns up, switch it on and look through it to see what was opened.",
    wiped="a remote wipe was sent to the laptop",
    crime_at_discovery=True,
)


# --- a sharing link sent to the wrong list --------------------------------------------------------


def _link_discover(x) -> dict:
    enc = _encryption(x, "spreadsheet", "But the password to open it was in the same email, two lines below the link.",
                      "Its password was sent separately, to the intended recipients only.")
    body = x.t(
        """
        From: {{resident:outsider}} (a board member of a community nonprofit)
        Sent: [[found]]

        I think I got this by mistake. Your department's newsletter list received a link to a
        spreadsheet of {{records}} residents with their names, dates of birth and driver's
        licence numbers. The link opens for anyone who has it. Several of us on the list have
        already clicked it.

        ---

        The link was meant for the three-person review committee. $sent $enc
        """, enc=enc, sent=x.t("It went out through $vendor, which sends the department's newsletters and picked the list."
                               if x.c.vendor else "A staff member picked the wrong list in the mail program."))
    return {
        "title": "A spreadsheet link went to the wrong list",
        "sender": "{{resident:outsider}}, newsletter subscriber",
        "channel": "email",
        "body": body,
        "artifacts": [artifact("record", "Sharing settings, as they are now",
                               "File: review_list.xlsx   Owner: {{username:owner}}\n"
                               "Access: Anyone with the link can view   Views: 46 (12 distinct)\n"
                               "Sample row: {{resident:r1}}, {{address:r1}}, licence on file")],
        "question": x.t("You are $role. What do you do first?"),
    }


def _link_spread(x) -> dict:
    return {
        "title": "The link is forwarded",
        "sender": "File-sharing activity report",
        "channel": "log",
        "body": "The link has been forwarded: the view count is rising, and views now come from accounts outside the newsletter list.",
        "artifacts": [artifact("log", "Sharing activity", "views: 46 -> 131   distinct viewers: 12 -> 58   downloads: 9")],
    }


def _link_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": "The sharing activity report is attached.",
                "artifact": artifact("log", "Sharing activity", "[[ts:-8]]  DOWNLOAD  review_list.xlsx  src={{external_ip:attacker}}  (x37 in 2 min)")}
    return {"sign": x.t("A resident on the list reports a loan opened in her name using the licence number from the spreadsheet, and the file has been downloaded dozens of times from $attacker."),
            "artifact": artifact("log", "Sharing activity", "DOWNLOAD x37  src={{external_ip:attacker}}")}


LINK = Story(
    id="shared-link",
    violation="unsecured-pii",
    title="The Link That Went to Everyone",
    system="the shared spreadsheet link",
    data="a spreadsheet of residents with names, dates of birth and driver's licence numbers",
    data_none="",
    host="share",
    departments=("Licensing and Permits", "City Clerk", "Health Department"),
    criminal=None, vendor=None, personal=True, encryptable=True, server=False,
    restore=None,
    contain="switch the link off (revoke anyone-with-the-link access) and keep the file where it is",
    leave="Leave the link working: the review committee needs it for tomorrow's meeting.",
    leave_subtle="Ask everyone on the newsletter list to delete the email, and leave the link working for the committee.",
    wipe="Delete the spreadsheet and empty the folder's recycle bin, so the file is gone for good.",
    credential="the spreadsheet's owner account {{username:owner}} shares one password with the review committee",
    no_crime="the views come from the newsletter list's own subscribers, and the nonprofit has confirmed it deleted its copy",
    vendor_role="sends the department's newsletters",
    discover=_link_discover, spread=_link_spread, crime=_link_crime,
    logs="the file-sharing service's access and sharing history for the spreadsheet",
    tamper="Open the original spreadsheet and its sharing settings and tidy up the entries before anyone reviews them.",
    wiped="the spreadsheet and its version history were deleted",
)


# --- an export left on the public website ------------------------------------------------------


def _folder_discover(x) -> dict:
    body = x.t(
        """
        {{resident:caller}} calls the front desk at [[found]]:

        "I searched my own name online and the third result is a file on the city's website with
        my name, my address and my driver's licence number in it, and a lot of other people's."

        You find it: $host/exports/payments.csv, an hourly export of {{records}} residents'
        records, placed in the public web folder by a script instead of the staff folder. The
        search engine's cache shows it has been there for weeks. $run
        """, run=x.t("$vendor hosts the website and runs the export script." if x.c.vendor
                     else "The city's web team runs the site and the script."))
    return {
        "title": "A resident finds their own record online",
        "sender": "{{staff:frontdesk}}, front desk, " + x.vars["dept"],
        "channel": "phone",
        "body": body,
        "artifacts": [artifact("record", "payments.csv, first rows (synthetic)",
                               "name,address,licence,amount\n{{resident:caller}},{{address:caller}},on file,45.00\n"
                               "{{resident:r2}},{{address:r2}},on file,120.00")],
        "question": x.t("You are $role. What do you do first?"),
    }


def _folder_spread(x) -> dict:
    return {
        "title": "The next export lands in the same place",
        "sender": "Web server log",
        "channel": "log",
        "body": "The hourly script ran again and replaced the file with a fresh export, and a crawler downloaded it within a minute.",
        "artifacts": [artifact("log", "Web server log", "[[ts:-2]]  PUT /exports/payments.csv  (script)\n[[ts:-1]]  GET /exports/payments.csv  200  agent=crawler")],
    }


def _folder_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": "The web server's log of downloads of the file is attached.",
                "artifact": artifact("log", "Downloads of /exports/payments.csv",
                                     "search-engine crawler   3\nresidents (referred by search)   5\n"
                                     "{{external_ip:attacker}}   212  (every night at 01:00, since the first export)")}
    return {"sign": x.t("One address, $attacker, has downloaded the file every night since it first appeared, and the file is now offered on a data-broker forum."),
            "artifact": artifact("document", "Forum listing", "City payment records, updated nightly. Ask.")}


FOLDER = Story(
    id="public-folder",
    violation="unsecured-pii",
    title="A Payment Export on the Public Website",
    system="the public web folder",
    data="a payment export with residents' names, addresses and driver's licence numbers",
    data_none="",
    host="web",
    departments=("Municipal Court", "Finance", "Utilities Billing"),
    criminal=None, vendor=None, personal=True, encryptable=False, server=True,
    restore="the website's downloads page",
    contain="take the exports folder off the public site and stop the export script, leaving the web server running",
    leave="Leave the file up for now and just remove the link from the site's menu.",
    leave_subtle="Rename the file to something hard to guess and leave the folder as it is.",
    wipe="Delete the file and the web server's logs of who downloaded it, so the exposure ends cleanly.",
    credential="the export script holds the web server's upload password in plain text",
    no_crime="the downloads are the search engine's crawler and a handful of residents who searched their own names",
    vendor_role="hosts the website and runs the export script",
    discover=_folder_discover, spread=_folder_spread, crime=_folder_crime,
    logs="the web server's access logs for the exports folder",
    wiped="the file and the web server's download logs were deleted",
)


# --- backup drives lost in transit ------------------------------------------------------------


def _backup_discover(x) -> dict:
    enc = _encryption(x, "drive", "But its decryption key was printed on the label inside the case.",
                      "The key is held by City IT and was never shipped.")
    what = ("the courier's van was broken into overnight at a depot and the case was taken"
            if x.c.criminal else "the case never arrived at the storage site and nobody can say where it went")
    body = x.t(
        """
        {{staff:vendorlead}} from {{vendor:main}}, the city's records-storage vendor, calls at
        [[found]]:

        "One of the backup drives we collected from your data centre is missing: $what. It's
        the monthly full backup of the billing database: {{records}} residents' names,
        addresses and Social Security numbers." $enc
        """, what=what, enc=enc)
    return {
        "title": "A backup drive is missing in transit",
        "sender": "{{staff:vendorlead}}, {{vendor:main}}",
        "channel": "phone",
        "body": body,
        "artifacts": [artifact("record", "Transfer manifest", "Case 14 of 16   Drive: BK-{{ticket:drive}}   Contents: billing DB full backup\n"
                               "Collected: yesterday, 16:40   Received at storage: NOT RECEIVED")],
        "question": x.t("You are $role, with the vendor's account lead on the line. What happens first?"),
    }


def _backup_spread(x) -> dict:
    return {
        "title": "The vendor's link still backs up",
        "sender": "{{staff:vendorlead}}, {{vendor:main}}",
        "channel": "email",
        "body": "The vendor's connection to the city's backup server is still open with the same service account whose password is written on the case paperwork that went missing.",
        "artifacts": [artifact("log", "Backup server", "[[ts:-2]]  SESSION  svc-vendor  src={{external_ip:vendor}}")],
    }


def _backup_crime(x, subtle: bool) -> dict:
    if subtle:
        return {"sign": "The backup server's sign-in log is attached.",
                "artifact": artifact("log", "Backup server", "[[ts:-7]]  SIGN-IN FAILED  svc-vendor  src={{external_ip:attacker}}  (x22)")}
    return {"sign": x.t("The depot's police report lists other stolen equipment, and someone has tried the vendor's service account against the city's backup server from $attacker."),
            "artifact": artifact("log", "Backup server", "SIGN-IN FAILED  svc-vendor  src={{external_ip:attacker}}  (x22)")}


BACKUP = Story(
    id="backup-media",
    violation="unsecured-pii",
    title="The Backup Drive That Never Arrived",
    system="the vendor's backup connection",
    data="a full backup of the billing database with residents' names, addresses and Social Security numbers",
    data_none="",
    host="backup",
    departments=("Utilities Billing", "Finance"),
    criminal=None, vendor=True, personal=True, encryptable=True, server=False,
    restore=None,
    contain="suspend the vendor's connection and service account on the city's backup server until the chain of the drive is known",
    leave="Leave the vendor's connection running: tonight's backup must not be missed.",
    leave_subtle="Keep the vendor's connection for tonight's backup but ask the vendor to change its password next week.",
    wipe="Erase the other drives from the same batch and put them back into rotation.",
    credential="the vendor's service account password is written on the transfer paperwork that went missing with the case",
    no_crime="the courier's tracking shows the case was scanned onto the wrong route, and the depot has found an unlabelled case",
    vendor_role="collects and stores the city's backup drives",
    discover=_backup_discover, spread=_backup_spread, crime=_backup_crime,
    logs="the backup server's session logs and the vendor's transfer records",
    tamper="Have the vendor open the other drives from the same batch to check what was on the lost one.",
    wiped="the other drives from the batch were erased and reused",
    crime_at_discovery=True, vendor_finds=True,
)

STORIES = (LAPTOP, LINK, FOLDER, BACKUP)
