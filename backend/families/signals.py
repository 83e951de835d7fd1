"""Signals other apps listen to. They are sent after the transaction commits."""

from django.dispatch import Signal

# sender=ConsentRecord, consent=<ConsentRecord>
consent_withdrawn = Signal()
# sender=Absence, absence=<Absence>
absence_reported = Signal()
# sender=Absence, absence=<Absence> (already deleted; its ids are still set)
absence_withdrawn = Signal()
