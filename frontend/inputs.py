"""The inputs page forms share: the browser's date and time pickers, and German dates typed."""

from django import forms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# What a date picker sends, and what people type where there is none.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
