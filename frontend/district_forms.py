"""Forms of the coordination office's pages: register entries, partners, the overview's filter.

ModelForms, so the models' validators and `clean()` (ages, placing the address) run as
in the admin. Every message names its field: a required field says which one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.district.models import Partner, RegisterOffer
from backend.district.sharing import shared_offers
from backend.offers.models import GroupOffer, Sector
from backend.organisations.models import Organisation
from frontend.families_forms import PageForm
from frontend.inputs import website_field

GROUPINGS = [("bereich", _("Bereich")), ("ort", _("Ort"))]


def name_the_fields(form: forms.BaseForm) -> None:
    """Messages that say which field is meant, also in the summary above the form."""
    for field in form.fields.values():
        label = field.label
        field.error_messages["required"] = _("Bitte „%(label)s“ angeben.") % {"label": label}
        if isinstance(field, forms.ModelMultipleChoiceField | forms.ChoiceField):
            field.error_messages["invalid_choice"] = _(
                "„%(label)s“: Bitte nur aus der Liste wählen."
            ) % {"label": label}
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.error_messages["invalid_pk_value"] = field.error_messages["invalid_choice"]
        if isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = _("„%(label)s“: Bitte eine ganze Zahl angeben.") % {
                "label": label
            }


class RegisterOfferForm(PageForm, forms.ModelForm):
    website = website_field()

    class Meta:
        model = RegisterOffer
        fields = [
            "name",
            "sector",
            "audience",
            "target_group",
            "min_age",
            "max_age",
            "provider_name",
            "street",
            "postcode",
            "town",
            "contact_phone",
            "contact_email",
            "website",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, office: Organisation, **kwargs: Any) -> None:
        if kwargs.get("instance") is None:
            kwargs["instance"] = RegisterOffer(organisation=office)
        super().__init__(*args, **kwargs)
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["contact_phone"].widget.input_type = "tel"
        name_the_fields(self)


class OfferChoices(forms.ModelMultipleChoiceField):
    """A provider's listed offer, as the guide names it: title, town, provider."""

    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, GroupOffer)
        return f"{obj.display_calendar_title} ({obj.venue.town}, {obj.organisation.name})"


class PartnerForm(PageForm, forms.ModelForm):
    lotse_offers = OfferChoices(
        label=_("Arbeitet mit diesen Gruppen der Träger"),
        queryset=GroupOffer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "sector",
            "contact_name",
            "contact_phone",
            "contact_email",
            "street",
            "postcode",
            "town",
            "register_offers",
            "lotse_offers",
            "note",
        ]
        widgets = {
            "register_offers": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, office: Organisation, **kwargs: Any) -> None:
        if kwargs.get("instance") is None:
            kwargs["instance"] = Partner(organisation=office)
        super().__init__(*args, **kwargs)
        register = self.fields["register_offers"]
        lotse = self.fields["lotse_offers"]
        assert isinstance(register, forms.ModelMultipleChoiceField)
        assert isinstance(lotse, forms.ModelMultipleChoiceField)
        # Only the office's own entries and the offers that are listed now.
        register.queryset = RegisterOffer.objects.for_org(office).order_by("name")
        lotse.queryset = shared_offers()
        if self.instance.pk:
            linked = self.instance.lotse_offers.filter(pk__in=shared_offers().values("pk"))
            self.initial["lotse_offers"] = list(linked.values_list("pk", flat=True))
        self.fields["contact_phone"].widget.input_type = "tel"
        name_the_fields(self)

    def _save_m2m(self) -> None:
        # A linked offer that is no longer listed is not on the form: it stays linked
        # (and unnamed) until it is listed again or the link is removed in the admin.
        hidden = list(self.instance.lotse_offers.exclude(pk__in=shared_offers().values("pk")))
        super()._save_m2m()  # type: ignore[misc]
        if hidden:
            self.instance.lotse_offers.add(*hidden)


class OverviewFilter(forms.Form):
    """The overview's choice of sector, municipality and grouping (a GET form)."""

    bereich = forms.ChoiceField(
        label=_("Bereich"), required=False, choices=[("", _("alle Bereiche")), *Sector.choices]
    )
    ort = forms.ChoiceField(label=_("Ort"), required=False)
    nach = forms.ChoiceField(label=_("Gruppiert nach"), required=False, choices=GROUPINGS)

    def __init__(self, *args: Any, towns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = self.fields["ort"]
        assert isinstance(town, forms.ChoiceField)
        town.choices = [("", _("alle Orte")), *((t, t) for t in towns)]

    def value(self, name: str) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return str(self.cleaned_data.get(name) or "")
