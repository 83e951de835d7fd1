"""What the accounts app tells the apps above it."""

from django.dispatch import Signal

# Sent inside the transaction that creates the account: invitation=, user=.
invitation_accepted = Signal()
