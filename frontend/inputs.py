"""The inputs page forms share: the browser's date and time pickers, German dates typed,
a web address."""

from django import forms
from django.utils.translation import gettext_lazy

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# What a date picker sends, and what people type where there is none.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def website_field() -> forms.URLField:
    """An optional web address; one typed without a scheme ("verein.de") is taken as https."""
    return forms.URLField(label=gettext_lazy("Webseite"), required=False, assume_scheme="https")
