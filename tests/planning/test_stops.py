"""How a route's visits become stops: one arrival at one place at one time."""

from backend.planning.store import stops_of
from planner import Visit, VisitType

PICKUP, DROPOFF = VisitType.PICKUP, VisitType.DROPOFF


def visit(request: str, kind: VisitType, location: str, arrival: int, start: int) -> Visit:
    return Visit(request=request, type=kind, location=location, arrival=arrival, start=start)


def shape(groups: list[list[Visit]]) -> list[tuple[str, int, list[str]]]:
    return [(g[0].location, g[0].start, [v.request for v in g]) for g in groups]


def test_siblings_picked_up_one_after_the_other_are_one_stop():
    visits = [
        visit("p1-there", PICKUP, "home-1", 50_000, 50_000),
        visit("p2-there", PICKUP, "home-1", 50_060, 50_060),
        visit("p1-there", DROPOFF, "venue-1", 51_000, 51_000),
        visit("p2-there", DROPOFF, "venue-1", 51_060, 51_060),
    ]
    assert shape(stops_of(visits)) == [
        ("home-1", 50_000, ["p1-there", "p2-there"]),
        ("venue-1", 51_000, ["p1-there", "p2-there"]),
    ]


def test_the_drop_off_before_a_session_and_the_pickup_after_it_are_two_stops():
    """Drop-off at 14:23, the vehicle waits at the venue, pickup at 16:00."""
    visits = [
        visit("p1-there", DROPOFF, "venue-1", 51_780, 51_780),
        visit("p2-there", DROPOFF, "venue-1", 51_840, 51_840),
        visit("p1-back", PICKUP, "venue-1", 51_900, 57_600),
        visit("p2-back", PICKUP, "venue-1", 57_660, 57_660),
    ]
    groups = stops_of(visits)
    assert shape(groups) == [
        ("venue-1", 51_780, ["p1-there", "p2-there"]),
        ("venue-1", 57_600, ["p1-back", "p2-back"]),
    ]
    # The pickup stop's arrival is the end of the drop-off: the wait shows.
    assert groups[1][0].arrival == 51_900


def test_a_drop_off_and_a_pickup_without_a_wait_are_one_stop():
    visits = [
        visit("p1-there", DROPOFF, "venue-1", 60_000, 60_000),
        visit("p3-back", PICKUP, "venue-1", 60_060, 60_060),
    ]
    assert len(stops_of(visits)) == 1


def test_a_wait_before_the_first_visit_at_a_place_keeps_one_stop():
    visits = [
        visit("p1-there", PICKUP, "home-1", 49_000, 50_000),
        visit("p2-there", PICKUP, "home-1", 50_060, 50_060),
    ]
    assert shape(stops_of(visits)) == [("home-1", 50_000, ["p1-there", "p2-there"])]


def test_the_same_place_visited_twice_is_two_stops():
    visits = [
        visit("p1-there", PICKUP, "home-1", 50_000, 50_000),
        visit("p2-there", PICKUP, "home-2", 50_600, 50_600),
        visit("p1-back", PICKUP, "home-1", 51_200, 51_200),
    ]
    assert [g[0].location for g in stops_of(visits)] == ["home-1", "home-2", "home-1"]
