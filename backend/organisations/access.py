"""The one way in to tenant data.

Every API view resolves the requesting user's organisation here, then starts its
queries from `request.org`. Objects of other organisations are simply not in the
queryset, so they answer 404 and nothing reveals that they exist.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from backend.organisations.models import Membership, Organisation, Role

ORG_HEADER = "X-Organisation"
ALL_ROLES = frozenset(Role.values)
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.STAFF})
COORDINATOR_ONLY = frozenset({Role.COORDINATOR})


class TenantHttpRequest(HttpRequest):
    """A page request after `attach_tenant(request)` returned True (for type checking).

    `org` and `role` are what the request acts for; they are None when
    `attach_tenant` returned False, which is why views check it first.
    """

    user: User
    org: Organisation
    role: str


class TenantRequest(Request):
    """An API request that passed `TenantPermission` (for type checking)."""

    user: User
    org: Organisation
    role: str


def resolve_membership(request: HttpRequest) -> Membership | None:
    """The membership this request acts under, or None.

    A user in several organisations chooses one with the X-Organisation header (slug).
    """
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = list(user.memberships.select_related("organisation"))
    wanted = request.headers.get(ORG_HEADER)
    if wanted:
        return next((m for m in memberships if m.organisation.slug == wanted), None)
    if len(memberships) == 1:
        return memberships[0]
    return None


def attach_tenant(request: HttpRequest) -> bool:
    """Set request.org and request.role. False if the user acts for no organisation."""
    if hasattr(request, "org"):
        return request.org is not None
    membership = resolve_membership(request)
    tenant = cast(Any, request)
    tenant.org = membership.organisation if membership else None
    tenant.role = membership.role if membership else None
    return membership is not None


NO_ORGANISATION = _(
    "Sie handeln für keine Organisation (bei mehreren: Header X-Organisation setzen)."
)


def require_office(request: TenantHttpRequest, roles: frozenset[str] = STAFF_ROLES) -> Organisation:
    """The coordination office the user acts for in one of `roles`; PermissionDenied
    (403) for anyone else, a provider's login included."""
    if not attach_tenant(request):
        raise PermissionDenied
    if not request.org.is_office:
        raise PermissionDenied(_("Diese Seite ist für die Koordinierungsstelle."))
    if request.role not in roles:
        raise PermissionDenied
    return request.org


def role_needed(roles: frozenset[str]) -> str:
    """ "Dafür ist die Rolle Koordination nötig." – the message when a role is missing."""
    labels = [str(Role(role).label) for role in Role.values if role in roles]
    if len(labels) == 1:
        return _("Dafür ist die Rolle %(role)s nötig.") % {"role": labels[0]}
    return _("Dafür ist eine dieser Rollen nötig: %(roles)s.") % {"roles": ", ".join(labels)}


class TenantPermission(BasePermission):
    """Resolves the tenant and checks the role the view names for the method.

    The answer says which is missing: an organisation, or the role the action needs.
    """

    message: Any = NO_ORGANISATION  # a lazy string, replaced by the role that is needed

    def has_permission(self, request: Request, view: Any) -> bool:
        if not attach_tenant(request._request):
            return False
        tenant = cast(Any, request)
        tenant.org = tenant._request.org
        tenant.role = tenant._request.role
        roles = view.roles_for(request.method)
        if tenant.role not in roles:
            self.message = role_needed(roles)
            return False
        return True


class TenantGenericViewSet(viewsets.GenericViewSet):
    """Base for every tenant API: subclasses implement `scope(org)` and add the
    operations they offer (mixins, or `TenantViewSet` for all of them).

    `queryset = X.objects.none()` is the sentinel (for the schema); the real queryset
    always comes from the tenant. Put it first among the bases, so its `perform_create`
    (which injects the organisation) wins over CreateModelMixin's.
    """

    request: TenantRequest
    queryset: QuerySet[Any]
    permission_classes = [TenantPermission]
    read_roles: frozenset[str] = STAFF_ROLES
    write_roles: frozenset[str] = STAFF_ROLES
    delete_roles: frozenset[str] | None = None  # defaults to write_roles

    def roles_for(self, method: str) -> frozenset[str]:
        if method in SAFE_METHODS:
            return self.read_roles
        if method == "DELETE" and self.delete_roles is not None:
            return self.delete_roles
        return self.write_roles

    def scope(self, org: Organisation) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.scope(self.request.org)

    def perform_create(self, serializer: Any) -> None:
        serializer.save(**self.create_kwargs())

    def create_kwargs(self) -> dict[str, Any]:
        """Fields injected on create, e.g. the organisation. Never taken from the payload."""
        model: type[Model] = self.queryset.model
        if any(f.name == "organisation" for f in model._meta.get_fields()):
            return {"organisation": self.request.org}
        return {}


class TenantViewSet(TenantGenericViewSet, viewsets.ModelViewSet):
    """A tenant API with every operation (list, retrieve, create, update, delete)."""


class TenantRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose choices are limited to the requesting organisation.

    A foreign organisation's id gets the same 400 as an id that does not exist.
    """

    def __init__(self, scope: Any, **kwargs: Any):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        org = getattr(request, "org", None)
        if org is None:
            declared = super().get_queryset()
            assert declared is not None, "declare the field with a queryset (for the schema)"
            return declared.none()
        return self.scope(org)
