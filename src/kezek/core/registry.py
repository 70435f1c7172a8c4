"""The registry of state services: what a service is and how it may be delivered."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from kezek.core.errors import ValidationFailed

LANGS = ("kk", "ru", "en")


class Sector(StrEnum):
    """Service sectors (spheres of the registry)."""

    VEHICLE = "vehicle"
    IDENTITY = "identity"
    REAL_ESTATE = "real_estate"
    FAMILY_SOCIAL = "family_social"
    LAND = "land"
    BUSINESS = "business"
    EDUCATION = "education"
    HEALTH = "health"
    EMPLOYMENT = "employment"
    PENSIONS = "pensions"
    MIGRATION = "migration"
    OTHER = "other"


class Delivery(StrEnum):
    """How a service is obtained.

    ONLINE: only on the e-government portal (a centre serves it only at a privilege window);
    PAPER: needs documents handed over in person; BOTH: on the portal or at a centre.
    """

    ONLINE = "online"
    PAPER = "paper"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class Names:
    """A name in the three languages of the network."""

    kk: str
    ru: str
    en: str

    def get(self, lang: str) -> str:
        value: str = getattr(self, lang, "") if lang in LANGS else ""
        return value or self.ru or self.kk or self.en

    def all(self) -> tuple[str, str, str]:
        return (self.kk, self.ru, self.en)


@dataclass(frozen=True, slots=True)
class Phrases:
    """Short texts in each language: a service's everyday names, or what to bring."""

    kk: tuple[str, ...] = ()
    ru: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        """The list in `lang`, else in Russian, else in Kazakh: never another's gap."""
        value: tuple[str, ...] = getattr(self, lang, ()) if lang in LANGS else ()
        return value or self.ru or self.kk or self.en

    def all(self) -> tuple[str, ...]:
        return (*self.kk, *self.ru, *self.en)

    def as_dict(self) -> dict[str, list[str]]:
        return {"kk": list(self.kk), "ru": list(self.ru), "en": list(self.en)}

    @classmethod
    def from_dict(cls, data: object) -> Phrases:
        """Accepts {"kk": [...], ...}; refuses anything else rather than guessing."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise TypeError("aliases and documents must be objects of lists")
        out: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            items = data.get(lang) or []
            if isinstance(items, str) or not isinstance(items, list):
                raise TypeError(f"{lang}: must be a list of texts")
            out[lang] = tuple(t for t in (str(i).strip() for i in items) if t)
        return cls(**out)


@dataclass(frozen=True, slots=True)
class Standard:
    """The service standard: what a citizen may expect at the counter."""

    slot_minutes: int = 15
    max_wait_minutes: int = 30
    max_service_minutes: int = 20
    fee_mci: float = 0.0
    term_days: int = 1


@dataclass(frozen=True, slots=True)
class Service:
    code: str
    names: Names
    sector: Sector
    delivery: Delivery
    specialised_only: bool = False
    standard: Standard = field(default_factory=Standard)
    active: bool = True
    aliases: Phrases = field(default_factory=Phrases)
    documents: Phrases = field(default_factory=Phrases)

    @property
    def situation(self) -> str:
        """The registry subsection (life situation): the code's first four digits."""
        return self.code[:4]

    @property
    def online(self) -> bool:
        """Obtainable on the portal, so a booking-only centre keeps it for privileged people."""
        return self.delivery is not Delivery.PAPER


_CODE = re.compile(r"[0-9]{8}")


def validate_service(service: Service) -> Service:
    """Refuses a service the registry cannot hold; returns it unchanged otherwise."""
    problems: list[str] = []
    if not _CODE.fullmatch(service.code):
        problems.append("code must be 8 digits")
    if not service.names.ru.strip() and not service.names.kk.strip():
        problems.append("a name in Kazakh or Russian is required")
    st = service.standard
    if not 5 <= st.slot_minutes <= 240:
        problems.append("slot_minutes must be 5..240")
    if st.max_wait_minutes < 0 or st.max_service_minutes <= 0:
        problems.append("maximum wait and service time must be positive")
    if not math.isfinite(st.fee_mci) or st.fee_mci < 0 or st.term_days < 0:
        problems.append("fee and term cannot be negative")
    for kind, phrases in (("aliases", service.aliases), ("documents", service.documents)):
        if len(phrases.all()) > 120 or any(len(p) > 200 for p in phrases.all()):
            problems.append(f"{kind}: at most 120 texts of at most 200 characters")
        if any(";" in p for p in phrases.all()):
            problems.append(f"{kind}: a text cannot hold ';' (it separates texts in CSV)")
    if service.specialised_only and service.delivery is Delivery.ONLINE:
        problems.append("a specialised-only service needs a visit")
    if problems:
        raise ValidationFailed(detail="; ".join(problems))
    return service
