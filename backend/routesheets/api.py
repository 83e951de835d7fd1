"""REST API for published routes and route sheets (registered by register()).

`/api/routes/` is read-only. Staff and coordinators see the organisation's published
routes; a driver sees only their own. Everything else answers 404. The `sheet` and
`pdf` actions give the same route sheet as the driver's web page.
"""

from django.http import HttpResponse
from django.utils import translation
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, renderers, serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from backend.api.filters import IdFilter, TenantFilterSet
from backend.api.renderers import PDFRenderer
from backend.api.viewsets import TenantGenericViewSet
from backend.lib import clock
from backend.organisations.access import ALL_ROLES, TenantRequest
from backend.organisations.models import Organisation
from backend.planning.models import Route, RouteQuerySet
from backend.routesheets import sheets
from backend.routesheets.pdf import sheet_pdf_response


class RouteSerializer(serializers.ModelSerializer):
    driver_name = serializers.CharField(source="driver.name", read_only=True)
    vehicle_label = serializers.CharField(source="vehicle.label", read_only=True)
    distance_km = serializers.FloatField(read_only=True)

    class Meta:
        model = Route
        fields = [
            "id",
            "date",
            "driver",
            "driver_name",
            "vehicle",
            "vehicle_label",
            "starts_at",
            "ends_at",
            "distance_m",
            "distance_km",
            "duration_s",
        ]
        read_only_fields = fields


class NeedSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["child_seat", "booster", "wheelchair", "escort"])
    # A field named like Field.label, as the API has always called it.
    label = serializers.CharField()  # type: ignore[assignment]


class PassengerSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    is_adult = serializers.BooleanField()
    action = serializers.ChoiceField(choices=["board", "alight"])
    direction = serializers.ChoiceField(choices=["there", "back"])
    needs = NeedSerializer(many=True)
    note = serializers.CharField(help_text="Hinweis für Fahrer*in")


class SessionTimeSerializer(serializers.Serializer):
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class SheetStopSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    planned_at = serializers.DateTimeField()
    arrival_at = serializers.DateTimeField()
    time = serializers.DateTimeField(source="planned_at", format="%H:%M")
    address = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    geo_uri = serializers.CharField()
    osm_url = serializers.CharField()
    google_maps_url = serializers.CharField()
    apple_maps_url = serializers.CharField()
    wait_minutes = serializers.IntegerField(help_text="Wartezeit vor dem Halt (0: keine)")
    venue_name = serializers.CharField()
    sessions = SessionTimeSerializer(many=True)
    phone = serializers.CharField(help_text="Leer, wenn nicht (mehr) sichtbar.")
    boarding = PassengerSerializer(many=True)
    alighting = PassengerSerializer(many=True)
    approximate = serializers.BooleanField(
        help_text="Nur die Mitte des Postleitzahlgebiets bekannt: Adresse bitte prüfen."
    )


class VenuePlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()


class NeedCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class SheetSerializer(serializers.Serializer):
    """The route sheet. Times are Europe/Berlin; `time` is the stop's local HH:MM."""

    route_id = serializers.IntegerField()
    date = serializers.DateField()
    driver_name = serializers.CharField()
    vehicle_label = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    distance_km = serializers.FloatField()
    duration_minutes = serializers.IntegerField()
    rider_count = serializers.IntegerField()
    phones_shown = serializers.BooleanField()
    dispatch_phone = serializers.CharField(help_text="Telefon der Fahrdienst-Leitstelle")
    venues = VenuePlaceSerializer(many=True)
    sessions = SessionTimeSerializer(many=True)
    need_counts = NeedCountSerializer(many=True)
    stops = SheetStopSerializer(many=True)


class RouteFilter(TenantFilterSet):
    date = filters.DateFilter()
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    # A plain number, not a choice over all drivers: an id of another organisation's
    # driver must look exactly like one that does not exist (an empty list).
    driver = IdFilter(field_name="driver_id")

    class Meta:
        model = Route
        fields = ["date", "date_from", "date_to", "driver"]


class RouteViewSet(TenantGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Published routes. Filter with `?date=`, `?date_from=`, `?date_to=`, `?driver=`."""

    queryset = Route.objects.none()
    serializer_class = RouteSerializer
    read_roles = ALL_ROLES
    filterset_class = RouteFilter
    ordering_fields = ["date", "starts_at"]
    ordering = ["date", "starts_at"]

    def scope(self, org: Organisation) -> RouteQuerySet:
        routes = sheets.visible_routes(org, self.request.role, self.request.user)
        return routes.select_related("driver", "vehicle")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return sheets.mark_private(response)

    def _sheet(self, request: TenantRequest) -> sheets.Sheet:
        routes = sheets.sheet_routes(self.scope(request.org))
        route = get_object_or_404(routes, pk=self.kwargs["pk"])
        return sheets.sheet_for(route, role=request.role, today=clock.today())

    @extend_schema(responses=SheetSerializer)
    @action(detail=True)
    def sheet(self, request: TenantRequest, pk: str | None = None) -> Response:
        """The route sheet: stops in order with local times, riders and their needs."""
        return Response(SheetSerializer(self._sheet(request)).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request: TenantRequest, pk: str | None = None) -> HttpResponse:
        """The route sheet as an A4 PDF (German)."""
        with translation.override("de"):
            return sheet_pdf_response(self._sheet(request))


def register(router) -> None:
    """Register the route ViewSets on the /api/ router."""
    router.register("routes", RouteViewSet, basename="route")
