"""ViewSet bases for tenant endpoints that offer fewer operations than a full ModelViewSet.

They reuse `TenantViewSet`'s access logic (one way in to tenant data) and only leave
out operations: a session is never deleted, a consent record never edited.
"""

from rest_framework import mixins, viewsets
from rest_framework.response import Response

from backend.organisations.access import TenantPermission, TenantViewSet


class TenantGenericViewSet(viewsets.GenericViewSet):
    """Put it first among the bases, so its `perform_create` (which injects the
    organisation) wins over CreateModelMixin's."""

    permission_classes = [TenantPermission]
    read_roles = TenantViewSet.read_roles
    write_roles = TenantViewSet.write_roles
    delete_roles = TenantViewSet.delete_roles

    roles_for = TenantViewSet.roles_for
    scope = TenantViewSet.scope
    get_queryset = TenantViewSet.get_queryset
    perform_create = TenantViewSet.perform_create
    create_kwargs = TenantViewSet.create_kwargs


class PatchOnlyMixin:
    """PATCH without PUT (the router offers no PUT route without an `update` method)."""

    perform_update = mixins.UpdateModelMixin.perform_update

    def partial_update(self, request, *args, **kwargs) -> Response:
        return mixins.UpdateModelMixin.update(self, request, *args, partial=True, **kwargs)
