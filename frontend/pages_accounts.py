"""Account pages: accepting an invitation at /einladung/<token>/.

The token is the only key. Every unknown, used, revoked or expired invitation answers
the same 404. Accepting always creates a *new* account (an invitation can never hand
an organisation someone else's existing account).
"""

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import BaseUserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from backend.accounts.services import InvitationGone, accept_invitation, find_open_invitation

TOKEN_PATTERN = r"[A-Za-z0-9_-]{32,64}"


class NewAccountForm(BaseUserCreationForm):
    """Username and password twice, with the configured password rules."""

    # Checked against the database without saying more than "not available".
    error_messages = {
        **BaseUserCreationForm.error_messages,
        "unavailable": gettext_lazy("Dieser Benutzername ist nicht verfügbar."),
    }

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        model = self._meta.model
        if model.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(self.error_messages["unavailable"], code="unavailable")
        return username


def _private(response: HttpResponse) -> HttpResponse:
    # The URL is a secret: no referrer to other sites (same-origin keeps the Origin
    # header that Django's CSRF check needs on the form post), no indexing.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _gone(request: HttpRequest) -> HttpResponse:
    page = render(request, "frontend/accounts/invitation_gone.html", status=404)
    return _private(page)


@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_open_invitation(token)
    if invitation is None:
        return _gone(request)
    form = NewAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                invitation, form.cleaned_data["username"], form.cleaned_data["password1"]
            )
        except InvitationGone:
            return _gone(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("start")
    context = {
        "invitation": invitation,
        "form": form,
        "title": _("Konto anlegen"),
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "frontend/accounts/invitation.html", context, status=status))


urlpatterns = [
    re_path(rf"^(?P<token>{TOKEN_PATTERN})/$", accept, name="invitation-accept"),
]
