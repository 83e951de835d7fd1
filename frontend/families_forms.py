"""Forms of the families and attendance pages.

They are ModelForms, so each field's validators and the model's `clean()` run as in the
API and the admin (the rules are written once, in the models); only what a model cannot
see (a reference unique within the organisation, which enrolled children came) is
checked here or in the services.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backend.families.models import (
    ConsentPurpose,
    ConsentRecord,
    Enrolment,
    Family,
    Involvement,
    Participant,
    ReferralKind,
)
from backend.lib import clock
from backend.lib.bounds import MAX_HEADCOUNT
from backend.offers.models import GroupOffer
from backend.organisations.models import Organisation
from frontend.inputs import DATE_FORMATS, DATE_INPUT

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REFERENCE_TAKEN = _("Diese Kennung ist schon vergeben.")
CONSENT_EFFECTS: dict[str, Any] = {
    ConsentPurpose.TRANSPORT: _(
        "Die Familie wird ab heute aus dem veröffentlichten Fahrplan genommen; "
        "betroffene Tage werden neu geplant. Neue Planungen fahren sie nicht mehr."
    ),
    ConsentPurpose.CALENDAR: _(
        "Kalender-Abo und Familienseite hören sofort auf zu funktionieren; "
        "der Brief mit dem QR-Code wird ungültig."
    ),
    ConsentPurpose.PHONE: _("Fahrer*innen sehen die Telefonnummer der Familie nicht mehr."),
    ConsentPurpose.BUNDLE: _("Der Hilfeplan der Familie wird gelöscht."),
}


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={
            "required": _("Bitte ein Datum angeben."),
            "invalid": _("Kein gültiges Datum."),
        },
    )


class AbsenceForm(forms.Form):
    """Which participant misses which session: ids, checked against the family's seats."""

    session = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    participant = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class PageForm(forms.BaseForm):
    """Labels without the trailing colon (they stand above their fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FamilyForm(PageForm, forms.ModelForm):
    """Contact person, phone, address and language of a family."""

    class Meta:
        model = Family
        fields = [
            "reference",
            "contact_name",
            "phone",
            "email",
            "preferred_language",
            "street",
            "postcode",
            "town",
            "show_first_names_in_calendar",
            "referral_kind",
            "referral_note",
        ]

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("instance", Family(organisation=org))
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["phone"].widget.input_type = "tel"
        # Left out of a post (a script, an older page): as it was, or unknown.
        self.fields["referral_kind"].required = False

    def clean_referral_kind(self) -> str:
        chosen = self.cleaned_data.get("referral_kind")
        return chosen or self.instance.referral_kind or ReferralKind.UNKNOWN

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data["reference"]
        others = self.org.families.filter(reference=reference)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(REFERENCE_TAKEN)
        return reference


class ChildForm(PageForm, forms.ModelForm):
    """A child with what the ride needs (seat, booster, wheelchair, escort)."""

    class Meta:
        model = Participant
        fields = [
            "first_name",
            "birth_year",
            "birth_month",
            "needs_child_seat",
            "needs_booster",
            "needs_wheelchair",
            "needs_escort",
            "max_ride_minutes",
            "driver_note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("instance", Participant(kind=Participant.Kind.CHILD))
        super().__init__(*args, **kwargs)
        for name in ("birth_year", "birth_month", "max_ride_minutes"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


class MemberForm(ChildForm):
    """A child or an adult of a family that exists already."""

    class Meta(ChildForm.Meta):
        fields = ["kind", *ChildForm.Meta.fields]


class EnrolmentForm(PageForm, forms.ModelForm):
    """Enrolment in a group from a join date, transport wanted, a pickup address override.

    Optional: without a group, nothing is enrolled and the other fields are ignored.
    """

    joined_on = _date_field(_("dabei seit"), required=False)

    class Meta:
        model = Enrolment
        fields = [
            "offer",
            "joined_on",
            "transport",
            "pickup_street",
            "pickup_postcode",
            "pickup_town",
        ]
        labels = {"offer": _("Gruppe")}

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("joined_on", clock.today())
        super().__init__(*args, **kwargs)
        offers = GroupOffer.objects.for_org(org).exclude(last_date__lt=clock.today())
        offer = self.fields["offer"]
        assert isinstance(offer, forms.ModelChoiceField)
        offer.queryset = offers.order_by("title")
        offer.required = False
        offer.empty_label = _("– keine Gruppe –")
        offer.error_messages["invalid_choice"] = _("Bitte eine Gruppe aus der Liste wählen.")

    @property
    def wanted(self) -> bool:
        return bool(self.cleaned_data.get("offer"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("offer") and not data.get("joined_on") and "joined_on" not in self.errors:
            self.add_error("joined_on", _("Bitte ein Datum angeben."))
        return data


class NewConsentsForm(PageForm, forms.Form):
    """The consents the family gave at first contact (who recorded them: the user)."""

    purposes = forms.MultipleChoiceField(
        label=_("Einwilligungen"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    given_on = _date_field(_("erteilt am"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("given_on", clock.today())
        super().__init__(*args, **kwargs)

    def records(self, user: Any) -> list[ConsentRecord]:
        """The records to store, validated like every consent (model validators)."""
        records = [
            ConsentRecord(purpose=p, given_on=self.cleaned_data["given_on"], recorded_by=user)
            for p in self.cleaned_data["purposes"]
        ]
        for record in records:
            record.full_clean(exclude=["family"])
        return records

    def clean_given_on(self) -> dt.date:
        given_on: dt.date = self.cleaned_data["given_on"]
        ConsentRecord._meta.get_field("given_on").run_validators(given_on)
        return given_on


class ConsentForm(PageForm, forms.ModelForm):
    """One more consent of an existing family."""

    given_on = _date_field(_("erteilt am"))

    class Meta:
        model = ConsentRecord
        fields = ["purpose", "given_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("given_on", clock.today())
        super().__init__(*args, **kwargs)


class InvolvementForm(PageForm, forms.ModelForm):
    """One entry of a family's plan of help: another offer or partner, or a Lotse group."""

    since = _date_field(_("dabei seit"), required=False)

    class Meta:
        model = Involvement
        fields = ["name", "offer", "sector", "contact", "since", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer = self.fields["offer"]
        assert isinstance(offer, forms.ModelChoiceField)  # noqa: S101
        # The provider's own groups and the district's public ones, nothing else.
        offer.queryset = (
            (GroupOffer.objects.filter(organisation=org) | GroupOffer.objects.public())
            .distinct()
            .order_by("title")
        )
        offer.empty_label = _("– keine Lotse-Gruppe –")


def _walk_in_field(label: StrOrPromise, *, less: StrOrPromise, more: StrOrPromise) -> forms.Field:
    """A head count with the one-tap −/+ buttons (counter.js); `less`/`more` name them."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_HEADCOUNT,
        initial=0,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "data-counter": "", "data-less": less, "data-more": more}
        ),
    )


class AttendanceForm(PageForm, forms.Form):
    """After a session: the enrolled participants who came, and the walk-ins."""

    present = forms.ModelMultipleChoiceField(
        label=_("Angemeldete, die da waren"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Ist an diesem Tag nicht für dieses Angebot angemeldet.")
        },
    )
    walk_in_children = _walk_in_field(
        _("Kinder ohne Anmeldung"), less=_("ein Kind weniger"), more=_("ein Kind mehr")
    )
    walk_in_adults = _walk_in_field(
        _("Erwachsene ohne Anmeldung"),
        less=_("eine*n Erwachsene*n weniger"),
        more=_("eine*n Erwachsene*n mehr"),
    )

    def __init__(self, *args: Any, enrolled: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = self.fields["present"]
        assert isinstance(present, forms.ModelMultipleChoiceField)
        present.queryset = Participant.objects.filter(pk__in=[p.pk for p in enrolled])
