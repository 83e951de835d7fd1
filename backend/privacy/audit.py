"""The audit log of personal data: who read or changed which family's data, and when.

Three ways in, so that no view has to remember it:

- **Reads** of pages and API answers that show a family's data or addresses are named
  once, in `AUDITED_READS` (URL name → action and how to find the families). The
  middleware writes one entry per family after a successful GET.
- **Writes** of families, participants, enrolments and consents are recorded by
  `post_save`/`post_delete` receivers, attributed to the user of the current request
  (the middleware keeps it in a context variable). Writes outside a request (demo
  loader, commands) are not attributed to anyone and are not logged here; the
  retention command logs its own anonymisations.
- **Exports and anonymisations** call `record()` themselves.
"""

import contextvars
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from backend.families.models import ConsentRecord, Enrolment, Family, Participant
from backend.planning.models import Stop
from backend.privacy.models import AuditEntry

Channel = AuditEntry.Channel
Action = AuditEntry.Action
FamilyRef = tuple[int | None, int, str]  # family id, organisation id, reference

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "audit_request", default=None
)


def channel_of(request: HttpRequest) -> str:
    if request.path.startswith("/api/"):
        return Channel.API
    if request.path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.PAGE


def record(
    action: str,
    families: Iterable[FamilyRef],
    *,
    request: HttpRequest | None = None,
    organisation_id: int | None = None,
    detail: str = "",
) -> list[AuditEntry]:
    """One entry per family (or one without a family for `organisation_id`)."""
    user = getattr(request, "user", None) if request is not None else None
    user = user if user is not None and user.is_authenticated else None
    common = {
        "action": action,
        "channel": channel_of(request) if request is not None else Channel.SYSTEM,
        "user": user,
        "username": user.get_username() if user else "",
        "detail": detail[:200],
    }
    rows = [
        AuditEntry(organisation_id=org_id, family_id=pk, family_reference=ref, **common)
        for pk, org_id, ref in families
    ]
    if not rows and organisation_id is not None:
        rows = [AuditEntry(organisation_id=organisation_id, **common)]
    return AuditEntry.objects.bulk_create(rows)


def family_ref(family: Family) -> FamilyRef:
    return (family.pk, family.organisation_id, family.reference)


# --- reads ---------------------------------------------------------------------------


def _families(ids: Iterable[int]) -> list[FamilyRef]:
    rows = Family.objects.filter(pk__in=list(ids)).values_list("pk", "organisation_id", "reference")
    return list(rows)


def _family_by_kwarg(name: str) -> Callable[[dict], list[FamilyRef]]:
    def find(kwargs: dict) -> list[FamilyRef]:
        value = str(kwargs.get(name, ""))
        return _families([int(value)]) if value.isdigit() else []

    return find


def _families_on_route(kwargs: dict) -> list[FamilyRef]:
    route = str(kwargs.get("pk", ""))
    if not route.isdigit():
        return []
    stops = Stop.objects.filter(route_id=int(route), family__isnull=False)
    return _families(stops.values_list("family_id", flat=True).distinct())


def _no_family(kwargs: dict) -> list[FamilyRef]:
    return []


@dataclass(frozen=True)
class AuditedRead:
    action: str
    families: Callable[[dict], list[FamilyRef]]
    detail: str = ""


# URL name → what a successful GET of it shows. Drivers' and staff's route sheets
# (page, PDF, API) show the families' addresses.
AUDITED_READS: dict[str, AuditedRead] = {
    "family-list": AuditedRead(Action.LIST_FAMILIES, _no_family),
    "privacy": AuditedRead(Action.LIST_FAMILIES, _no_family, "Datenschutz: Familiensuche"),
    "family-detail": AuditedRead(Action.VIEW_FAMILY, _family_by_kwarg("pk")),
    "families_family_change": AuditedRead(Action.VIEW_FAMILY, _family_by_kwarg("object_id")),
    "route-sheet": AuditedRead(Action.VIEW_SHEET, _families_on_route, "Tourenblatt"),
    "route-pdf": AuditedRead(Action.VIEW_SHEET, _families_on_route, "Tourenblatt (PDF)"),
    "driver-route": AuditedRead(Action.VIEW_SHEET, _families_on_route, "Tourenblatt"),
    "driver-route-pdf": AuditedRead(Action.VIEW_SHEET, _families_on_route, "Tourenblatt (PDF)"),
}


def _audit_read(request: HttpRequest, response: HttpResponse) -> None:
    match = request.resolver_match
    if request.method != "GET" or response.status_code != 200 or match is None:
        return
    read = AUDITED_READS.get(match.url_name or "")
    if read is None or not request.user.is_authenticated:
        return
    org = getattr(request, "org", None)
    families = read.families(match.kwargs)
    record(
        read.action,
        families,
        request=request,
        organisation_id=getattr(org, "pk", None),
        detail=read.detail,
    )


class AuditMiddleware:
    """Keeps the request for the write receivers and logs audited reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        _audit_read(request, response)
        return response


# --- writes --------------------------------------------------------------------------


def _family_of(instance) -> Family | None:
    if isinstance(instance, Family):
        return instance
    if isinstance(instance, Participant | ConsentRecord):
        return instance.family
    if isinstance(instance, Enrolment):
        return instance.participant.family
    return None


def _on_write(sender, instance, **kwargs) -> None:
    request = _request.get()
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return
    family = _family_of(instance)
    if family is None:
        return
    family_id, org_id, reference = family_ref(family)
    if "created" not in kwargs:  # post_delete
        # No link to the row: it may be going away in this very transaction.
        family_id = None
        whole = sender is Family
        action = Action.DELETE_FAMILY if whole else Action.CHANGE_FAMILY
        verb = "gelöscht"
    else:
        action, verb = Action.CHANGE_FAMILY, "angelegt" if kwargs["created"] else "geändert"
    detail = f"{sender._meta.verbose_name}: {verb}"
    record(action, [(family_id, org_id, reference)], request=request, detail=detail)


WRITES = (Family, Participant, Enrolment, ConsentRecord)


def connect() -> None:
    for model in WRITES:
        uid = f"privacy-audit-{model.__name__}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
