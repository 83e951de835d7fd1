"""Account pages: the coordinators' team page at /team/ and accepting an invitation at
/einladung/<token>/.

On the team page a coordinator sees the organisation's members and invites someone by
e-mail or with a one-time link (shown once, right after creating it). The invitation's
token is its only key: every unknown, used, revoked or expired invitation answers the
same 404. Accepting always creates a *new* account (an invitation can never hand an
organisation someone else's existing account).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from backend.accounts.services import (
    InvitationGone,
    accept_invitation,
    find_open_invitation,
    invite,
    revoke_invitation,
)
from backend.organisations.access import COORDINATOR_ONLY, TenantHttpRequest
from backend.organisations.models import Membership, Role
from backend.organisations.services import change_role, remove_member
from frontend.pages_provider import _require_role
from frontend.responses import no_store

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
        "token": token,  # the form posts back to this address
        "form": form,
        "title": _("Konto anlegen"),
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "frontend/accounts/invitation.html", context, status=status))


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Rolle"), choices=Role.choices, initial=Role.STAFF)
    email = forms.EmailField(
        label=gettext_lazy("E-Mail (freiwillig)"),
        required=False,
        help_text=gettext_lazy("Leer lassen, um den Link selbst weiterzugeben."),
    )


def _team(
    request: TenantHttpRequest, form: InviteForm, issued=None, status: int = 200
) -> HttpResponse:
    org = request.org
    now = timezone.now()
    open_invitations = [i for i in org.invitations.all()[:50] if i.is_open(now)]
    context = {
        "form": form,
        "issued": issued,
        "members": org.memberships.select_related("user").order_by("role", "user__username"),
        "roles": Role.choices,
        "invitations": open_invitations,
    }
    response = render(request, "frontend/accounts/team.html", context, status=status)
    return no_store(response)  # may show a one-time link


@login_required
def team(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY, office=True)
    if request.method != "POST":
        return _team(request, InviteForm())
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _team(request, form, status=400)
    data = form.cleaned_data
    issued = invite(request.org, data["role"], data["email"], request.user)
    if data["email"]:
        messages.success(request, _("Die Einladung wurde an %(email)s geschickt.") % data)
    return _team(request, InviteForm(), issued=issued)


@login_required
@require_POST
def revoke(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY, office=True)
    revoke_invitation(get_object_or_404(request.org.invitations.all(), pk=pk))
    messages.success(request, _("Die Einladung wurde widerrufen."))
    return redirect("team")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Rolle"), choices=Role.choices)


def _membership(request: TenantHttpRequest, pk: int) -> Membership:
    """A member of the coordinator's own organisation, not the coordinator themselves
    (nobody locks themselves out from this page)."""
    _require_role(request, COORDINATOR_ONLY, office=True)
    members = request.org.memberships.exclude(user=request.user).select_related("user")
    return get_object_or_404(members, pk=pk)


@login_required
@require_POST
def member_role(request: TenantHttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte eine Rolle wählen."))
        return redirect("team")
    try:
        changed = change_role(membership, form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("team")
    messages.success(
        request,
        _("%(user)s ist jetzt %(role)s.")
        % {"user": membership.user.username, "role": changed.get_role_display()},
    )
    return redirect("team")


@login_required
@require_POST
def member_remove(request: TenantHttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    try:
        remove_member(membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("team")
    messages.success(
        request,
        _("%(user)s gehört nicht mehr zur Organisation.") % {"user": membership.user.username},
    )
    return redirect("team")


urlpatterns = [
    re_path(rf"^(?P<token>{TOKEN_PATTERN})/$", accept, name="invitation-accept"),
]
team_urlpatterns = [
    path("", team, name="team"),
    path("einladungen/<int:pk>/widerrufen/", revoke, name="team-revoke"),
    path("mitglieder/<int:pk>/rolle/", member_role, name="team-member-role"),
    path("mitglieder/<int:pk>/entfernen/", member_remove, name="team-member-remove"),
]
