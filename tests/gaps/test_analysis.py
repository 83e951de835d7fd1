"""The gap analysis on a small hand-made district with known answers (no database)."""

import pytest

from backend.gaps.analysis import AUDIENCES, Band, OfferPoint, Place, analyse, analyse_all

SIX_TO_NINE = Band("6-9", 6, 9)
FOURTEEN_TO_17 = Band("14-17", 14, 17)

# Three villages on a line, 0.1° of latitude (about 11 km) apart.
NORTH = Place(1, "Nordheim", 50.2, 6.5)
MIDDLE = Place(2, "Mitteldorf", 50.1, 6.5)
SOUTH = Place(3, "Südweiler", 50.0, 6.5)
PLACES = [NORTH, MIDDLE, SOUTH]

OFFERS = [
    # 0: children 6–12 in Nordheim
    OfferPoint(50.2, 6.5, 6, 12, "children", "Kindergruppe Nord"),
    # 1: children 10–17 in Südweiler, with a shuttle that picks up in Mitteldorf
    OfferPoint(
        50.0, 6.5, 10, 17, "children", "Jugendgruppe Süd", shuttle_towns=frozenset({"mitteldorf"})
    ),
    # 2: parents, open ages, in Mitteldorf
    OfferPoint(50.1, 6.5, None, None, "parents", "Elterncafé"),
]
# Driving seconds place × offer, made up for the test: 0 in the own village, 15 min to the
# neighbour, 35 min across.
SECONDS = [
    [0, 2100, 900],
    [900, 900, 0],
    [2100, 0, 900],
]


def test_the_nearest_fitting_offer_and_its_time_per_place():
    """Children 6–9 only fit the northern group: the south is 35 minutes away."""
    result = analyse(PLACES, OFFERS, SECONDS, SIX_TO_NINE, "children")
    assert [(r.place.name, r.minutes, r.nearest) for r in result.reaches] == [
        ("Nordheim", 0, "Kindergruppe Nord"),
        ("Mitteldorf", 15, "Kindergruppe Nord"),
        ("Südweiler", 35, "Kindergruppe Nord"),
    ]
    assert [r.place.name for r in result.beyond(30)] == ["Südweiler"]
    assert [r.place.name for r in result.beyond(10)] == ["Mitteldorf", "Südweiler"]


def test_a_shuttle_serves_the_places_where_children_are_picked_up():
    result = analyse(PLACES, OFFERS, SECONDS, FOURTEEN_TO_17, "children")
    assert [(r.minutes, r.shuttle) for r in result.reaches] == [(35, False), (15, True), (0, False)]


def test_the_shuttle_radius_counts_pickup_points_near_the_centre():
    near_north = OfferPoint(50.0, 6.5, 14, 17, "children", "S", shuttle_points=((50.21, 6.5),))
    result = analyse(PLACES, [near_north], [[1], [1], [1]], FOURTEEN_TO_17, "children", 2.0)
    assert [r.shuttle for r in result.reaches] == [True, False, False]  # 1.1 km from Nordheim
    result = analyse(PLACES, [near_north], [[1], [1], [1]], FOURTEEN_TO_17, "children", 1.0)
    assert [r.shuttle for r in result.reaches] == [False, False, False]


def test_a_place_without_any_fitting_offer_is_beyond_every_threshold():
    result = analyse(PLACES, OFFERS, SECONDS, SIX_TO_NINE, "families")
    assert all(r.seconds is None and r.nearest == "" for r in result.reaches)
    assert len(result.beyond(180)) == 3


def test_open_ages_fit_every_band_and_audiences_stay_apart():
    parents = analyse(PLACES, OFFERS, SECONDS, FOURTEEN_TO_17, "parents")
    assert [r.minutes for r in parents.reaches] == [15, 0, 15]


def test_every_band_and_audience_from_one_table():
    results = analyse_all(PLACES, OFFERS, SECONDS, [SIX_TO_NINE, FOURTEEN_TO_17])
    assert set(results) == {(b, a) for b in ("6-9", "14-17") for a in AUDIENCES}
    assert results[("6-9", "children")] == analyse(PLACES, OFFERS, SECONDS, SIX_TO_NINE, "children")


@pytest.mark.parametrize(
    "seconds", [[[0, 1, 2]], [[0, 1], [0, 1], [0, 1]], [[0, 1, 2], [0, 1, 2], [0, 1]]]
)
def test_a_table_of_the_wrong_shape_is_refused(seconds):
    with pytest.raises(ValueError, match="one row per place"):
        analyse(PLACES, OFFERS, seconds, SIX_TO_NINE, "children")


@pytest.mark.parametrize("first,last", [(-1, 5), (9, 6)])
def test_an_age_band_must_make_sense(first, last):
    with pytest.raises(ValueError, match="invalid age band"):
        Band("x", first, last)


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="unknown audience"):
        OfferPoint(50.0, 6.5, None, None, "grandparents")


def test_the_travel_table_agrees_with_the_geodesic_matrix():
    """One call for places × venues; the sphere stays within 0.5 % of the ellipsoid."""
    from backend.geo.matrix import GeodesicProvider

    provider = GeodesicProvider(1.3, 50.0)
    places = [(p.lat, p.lon) for p in PLACES]
    venues = [(49.97, 6.52), (50.082, 6.167)]
    table = provider.table(places, venues).durations
    square = provider.matrix(places + venues).durations
    for i in range(len(places)):
        for j in range(len(venues)):
            assert table[i][j] == pytest.approx(square[i][len(places) + j], rel=0.005, abs=1)
    assert provider.table([], venues).durations == []
    assert provider.table(places, []).durations == [[], [], []]
