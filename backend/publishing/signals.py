"""What publishing tells the apps built on it (reports listens; publishing knows no listener).

- `days_changed(organisation, days)`: the published plan of these days changed: a run
  was published for them, or riders were taken out of it from today on (a family
  deleted, consent withdrawn; past days stay the record of the rides that took place). Sent inside the transaction that changed them, which is still open, so
  that what receivers write (the reports' day figures) commits or rolls back with it.
"""

from django.dispatch import Signal

days_changed = Signal()
