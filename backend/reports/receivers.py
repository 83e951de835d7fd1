"""Reports listen to publishing: a day's published plan changed → its figures are rewritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.organisations.models import Organisation
from backend.reports.recording import record_days


def on_days_changed(sender: Any, organisation: Organisation, days: list[dt.date], **_: Any) -> None:
    record_days(organisation, days)
