"""The one way in to tenant data.

Every API view resolves the requesting user's organisation here, then starts its
queries from `request.org`. Objects of other organisations are simply not in the
queryset, so they answer 404 and nothing reveals that they exist.
"""

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission

from backend.organisations.models import Membership, Organisation, Role

ORG_HEADER = "X-Organisation"
ALL_ROLES = frozenset(Role.values)
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.STAFF})
COORDINATOR_ONLY = frozenset({Role.COORDINATOR})


def resolve_membership(request) -> Membership | None:
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


def attach_tenant(request) -> bool:
    """Set request.org and request.role. False if the user acts for no organisation."""
    if hasattr(request, "org"):
        return request.org is not None
    membership = resolve_membership(request)
    request.org = membership.organisation if membership else None
    request.role = membership.role if membership else None
    return membership is not None


NO_ORGANISATION = _(
    "Sie handeln für keine Organisation (bei mehreren: Header X-Organisation setzen)."
)


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

    message = NO_ORGANISATION

    def has_permission(self, request, view) -> bool:
        if not attach_tenant(request._request):
            return False
        request.org = request._request.org
        request.role = request._request.role
        roles = view.roles_for(request.method)
        if request.role not in roles:
            self.message = role_needed(roles)
            return False
        return True


class TenantViewSet(viewsets.ModelViewSet):
    """Base for every tenant API: subclasses implement `scope(org)`.

    `queryset = X.objects.none()` is the sentinel (for the schema); the real queryset
    always comes from the tenant.
    """

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

    def scope(self, org: Organisation) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.scope(self.request.org)

    def perform_create(self, serializer) -> None:
        serializer.save(**self.create_kwargs())

    def create_kwargs(self) -> dict:
        """Fields injected on create, e.g. the organisation. Never taken from the payload."""
        model: type[Model] = self.queryset.model
        if any(f.name == "organisation" for f in model._meta.get_fields()):
            return {"organisation": self.request.org}
        return {}


class TenantRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose choices are limited to the requesting organisation.

    A foreign organisation's id gets the same 400 as an id that does not exist.
    """

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        org = getattr(request, "org", None)
        if org is None:
            return super().get_queryset().none()
        return self.scope(org)
