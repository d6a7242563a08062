"""The conditions a playbook attaches to contacts and steps, as predicates on a scenario's facts.

These are the guides' own triggers ("if criminal activity is suspected", "if personal data of
residents is involved", "if you are a vendor", "if the city fails to respond") plus the state
layer's (more than 1,000 residents notified; encrypted data exempt unless the key was taken).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Facts


def _notice_required(f: Facts) -> bool:
    # RSMo 407.1500: encrypted data is exempt provided the key was not also acquired; and no
    # notice is needed where identity theft or fraud is not reasonably likely, so determined
    # in writing after an investigation or consultation with law enforcement.
    encrypted = f.data_encrypted and not f.encryption_key_compromised
    return f.resident_personal_data and not encrypted and not f.fraud_unlikely_documented


CONDITIONS: dict[str, tuple[str, Callable[[Facts], bool]]] = {
    "criminal-activity-suspected": ("criminal activity is suspected", lambda f: f.criminal_activity_suspected),
    "resident-personal-data": ("residents' personal data is involved", lambda f: f.resident_personal_data),
    "vendor-involved": ("a vendor holds or runs the affected system", lambda f: f.vendor_involved),
    "notice-required": ("resident notice is required (personal data, not exempt by encryption)", _notice_required),
    "encrypted-exempt": (
        "the data was encrypted and the key was not taken",
        lambda f: f.resident_personal_data and f.data_encrypted and not f.encryption_key_compromised,
    ),
    "over-1000-residents": (
        "more than 1,000 residents are to be notified",
        lambda f: _notice_required(f) and f.residents_affected > 1000,
    ),
    "city-unresponsive": ("the city does not respond", lambda f: f.city_unresponsive),
    "law-enforcement-referral": (
        "state enforcement or law enforcement has referred the matter", lambda f: f.law_enforcement_referral),
    "fraud-unlikely-documented": (
        "identity theft or fraud is not reasonably likely, determined in writing",
        lambda f: f.resident_personal_data and f.fraud_unlikely_documented),
    "service-pressure": ("there is pressure to restore service fast", lambda f: f.service_pressure),
    "media-inquiry": ("the press or a records request asks about the incident", lambda f: f.media_inquiry),
}


def holds(conditions: Iterable[str], facts: Facts) -> bool:
    """True when every named condition holds; an empty list means "always"."""
    return all(CONDITIONS[name][1](facts) for name in conditions)


def describe(conditions: Iterable[str]) -> str:
    names = list(conditions)
    if not names:
        return "always"
    return " and ".join(CONDITIONS[name][0] for name in names)
