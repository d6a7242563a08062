"""An incident story: the system, the data, how it is found, and the story's own words for the
choices every block offers (contain it, leave it running, wipe it, what a crime looks like).

The modules beside this one hold a handful per violation; the facts drawn for a story must fit
it (a stolen laptop is a crime, a misaddressed link is not), which its fields say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# A story's texts are functions of the context, so they can follow the facts drawn.
Texts = Callable[..., dict]


@dataclass(frozen=True)
class Story:
    id: str
    violation: str
    title: str  # the scenario's title
    system: str  # "the customer portal's Documents library"
    data: str  # what the exposed files hold when residents' personal information is involved
    data_none: str  # ... when it is not
    host: str  # the hostname placeholder's key
    departments: tuple[str, ...]
    criminal: bool | None  # None: the facts may go either way
    vendor: bool | None
    personal: bool | None
    encryptable: bool
    server: bool  # a system that can be imaged, rebuilt and restored from backups
    restore: str | None  # what goes back into service at the end; None: nothing (no pressure to restore)
    contain: str  # how this system is isolated, as an imperative
    leave: str  # the harmful choice to keep it running
    leave_subtle: str
    wipe: str  # the tempting wipe or rebuild
    credential: str  # an exposed password or token (East Independence's credentials step)
    no_crime: str  # why this looks like a mistake, not a crime
    vendor_role: str  # what the vendor does for the city here
    discover: Texts  # (ctx) -> title, sender, channel, subject, body, artifacts, question
    spread: Texts  # (ctx) -> the consequence of leaving it connected
    crime: Texts  # (ctx, subtle) -> the sign that someone did it on purpose
    logs: str = "the logs of $host"  # the records that show what happened
    tamper: str = "Sign in to $host with the admin password and look around to see what was taken."  # working on the original
    wiped: str = "$host has been wiped and rebuilt"  # what the wipe did, as investigators hear it
    crime_at_discovery: bool = False  # when there is a crime, the first inject shows it (theft, ransom note)
    vendor_finds: bool = False  # when a vendor is involved, the vendor is the one who finds it
    # Where the data depends on the department (a permit-applicant export belongs to Licensing and
    # Permits, not to Human Resources): department -> {"data": ..., "file": ...}.
    by_department: dict = field(default_factory=dict)
    file: str = ""  # the exposed file's name, when the story names one
    file_none: str = ""  # ... when no residents' personal information is involved
