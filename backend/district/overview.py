"""The district's offers and partners, one view-model for the overview page and its exports.

Offers are the office's own register entries and the listed offers of the providers
that share (`sharing.shared_offers`, exactly what the public guide shows of them).
Partners are the office's register of network partners. The page groups them by sector
or by municipality; the CSV and XLSX files carry the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from backend.district.models import Partner, RegisterOffer
from backend.district.sharing import shared_offers
from backend.guide.cards import age_range, card
from backend.guide.search import Hit
from backend.offers.models import GroupOffer, Sector
from backend.organisations.models import Organisation

NO_SECTOR = ""


@dataclass(frozen=True)
class OfferRow:
    name: str
    from_register: bool  # entered by the office; else a provider's listed offer on Lotse
    sectors: tuple[str, ...]  # Sector values
    audience: str
    ages: str
    target_group: str
    provider: str
    town: str
    address: str
    phone: str
    email: str
    website: str
    latitude: float | None
    longitude: float | None
    pk: int  # the register entry's or the group offer's id

    @property
    def source(self) -> str:
        return _("Register") if self.from_register else _("Lotse")

    @property
    def sector_labels(self) -> str:
        return ", ".join(sector_label(s) for s in self.sectors) or "–"


@dataclass(frozen=True)
class PartnerRow:
    name: str
    kind: str  # the kind's label
    sector: str  # a Sector value
    contact: str
    town: str
    address: str
    phone: str
    email: str
    works_with: tuple[str, ...]  # names of the offers the partner works with
    latitude: float | None
    longitude: float | None
    pk: int

    @property
    def sector_labels(self) -> str:
        return sector_label(self.sector)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    offers: list[OfferRow]
    partners: list[PartnerRow]


@dataclass(frozen=True)
class Overview:
    offers: list[OfferRow]
    partners: list[PartnerRow]

    def by_sector(self) -> list[Group]:
        """One group per sector (in the sectors' order); an offer of several sectors
        appears in each of them."""
        keys = [*Sector.values, NO_SECTOR]
        groups = [
            Group(
                key,
                sector_label(key),
                [o for o in self.offers if key in (o.sectors or (NO_SECTOR,))],
                [p for p in self.partners if p.sector == key],
            )
            for key in keys
        ]
        return [g for g in groups if g.offers or g.partners]

    def by_town(self) -> list[Group]:
        towns = sorted({o.town for o in self.offers} | {p.town for p in self.partners}, key=_sort)
        return [
            Group(
                town,
                town or _("ohne Ort"),
                [o for o in self.offers if o.town == town],
                [p for p in self.partners if p.town == town],
            )
            for town in towns
        ]

    def narrowed(self, *, sector: str = "", town: str = "") -> Overview:
        """Only one sector and/or one municipality ("" keeps all)."""
        offers, partners = self.offers, self.partners
        if sector:
            offers = [o for o in offers if sector in o.sectors]
            partners = [p for p in partners if p.sector == sector]
        if town:
            offers = [o for o in offers if o.town == town]
            partners = [p for p in partners if p.town == town]
        return Overview(offers, partners)

    @property
    def towns(self) -> list[str]:
        return sorted(
            {o.town for o in self.offers} | {p.town for p in self.partners} - {""}, key=_sort
        )


def sector_label(value: str) -> str:
    if value in Sector.values:
        return str(Sector(value).label)
    return _("ohne Bereich")


def _sort(text: str) -> str:
    # Umlauts sort with their vowel (Büdesheim before Burbach), as people expect.
    return text.casefold().translate(str.maketrans("äöüß", "aous"))


def overview(office: Organisation) -> Overview:
    """The district as the office sees it: offers (by name) and partners."""
    offers = [*register_rows(office), *lotse_rows()]
    offers.sort(key=lambda o: (_sort(o.name), o.from_register, o.pk))
    return Overview(offers, partner_rows(office))


def register_rows(office: Organisation) -> list[OfferRow]:
    return [
        OfferRow(
            name=o.name,
            from_register=True,
            sectors=(o.sector,),
            audience=o.get_audience_display(),
            ages=age_range(o.min_age, o.max_age),
            target_group=o.target_group,
            provider=o.provider_name,
            town=o.town,
            address=o.address_line,
            phone=o.contact_phone,
            email=o.contact_email,
            website=o.website,
            latitude=o.latitude,
            longitude=o.longitude,
            pk=o.pk,
        )
        for o in RegisterOffer.objects.for_org(office)
    ]


def lotse_rows() -> list[OfferRow]:
    """The providers' listed offers: only what the public guide shows (`guide.cards`)."""
    rows = []
    for offer in shared_offers():
        c = card(Hit(offer, None))
        address = ", ".join(p for p in (c.street, f"{c.postcode} {c.town}".strip()) if p)
        rows.append(
            OfferRow(
                name=c.title,
                from_register=False,
                sectors=tuple(s for s in offer.sectors if s in Sector.values),
                audience=c.audience,
                ages=c.ages,
                target_group="",
                provider=c.provider,
                town=c.town,
                address=address,
                phone=c.phone,
                email=c.email,
                website=c.website,
                latitude=c.latitude,
                longitude=c.longitude,
                pk=offer.pk,
            )
        )
    return rows


def partner_rows(office: Organisation) -> list[PartnerRow]:
    listed = shared_offers()
    partners = Partner.objects.for_org(office).prefetch_related(
        "register_offers", Prefetch("lotse_offers", queryset=listed, to_attr="listed_offers")
    )
    return [
        PartnerRow(
            name=p.name,
            kind=p.get_kind_display(),
            sector=p.sector,
            contact=p.contact_name,
            town=p.town,
            address=p.address_line,
            phone=p.contact_phone,
            email=p.contact_email,
            works_with=_names(p.register_offers.all(), p.listed_offers),
            latitude=p.latitude,
            longitude=p.longitude,
            pk=p.pk,
        )
        for p in partners
    ]


def _names(register: Iterable[RegisterOffer], listed: Iterable[GroupOffer]) -> tuple[str, ...]:
    # A provider's offer that is no longer listed is not named: the office sees listed ones.
    names = [o.name for o in register] + [o.display_calendar_title for o in listed]
    return tuple(sorted(names, key=_sort))
