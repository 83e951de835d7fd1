"""Turn database and model validation errors into 400 answers with field messages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def _bad_request(detail) -> Response:
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return _bad_request(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        return _bad_request({"detail": _("Wird noch verwendet und kann nicht gelöscht werden.")})
    if isinstance(exc, IntegrityError):
        return _bad_request(
            {"detail": _("Widerspricht vorhandenen Daten (z. B. doppelter Eintrag).")}
        )
    # A number too large for the database column, e.g. ?offer=99999999999999999999 in a
    # filter: SQLite raises OverflowError, PostgreSQL DataError.
    if isinstance(exc, OverflowError | DataError):
        return _bad_request({"detail": _("Ein Wert liegt außerhalb des gültigen Bereichs.")})
    return drf_exception_handler(exc, context)
