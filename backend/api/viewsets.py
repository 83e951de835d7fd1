"""ViewSet bases for tenant endpoints that offer fewer operations than a full ModelViewSet.

They share `TenantViewSet`'s access logic (one way in to tenant data) and only leave
out operations: a session is never deleted, a consent record never edited.
"""

from typing import Any

from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

# The base lives with the access logic, the one way in to tenant data.
from backend.organisations.access import TenantGenericViewSet

__all__ = ["PatchOnlyMixin", "TenantGenericViewSet"]


class PatchOnlyMixin:
    """PATCH without PUT (the router offers no PUT route without an `update` method)."""

    perform_update = mixins.UpdateModelMixin.perform_update

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        update: Any = mixins.UpdateModelMixin.update
        return update(self, request, *args, partial=True, **kwargs)
