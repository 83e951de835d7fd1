"""The layout keeps its promises: no import cycle, and each layer imports only those below.

The import graph comes from grimp, which reads every import statement, including the
ones inside functions, so a cycle cannot hide behind a function-level import.
"""

from __future__ import annotations

import graphlib
from functools import cache

import grimp
import pytest

# Lower layers first; a domain app may import the ones before it, never those after it.
LAYERS = [
    "backend.lib",
    "backend.organisations",
    "backend.accounts",
    "backend.offers",
    "backend.families",
    "backend.fleet",
    "backend.geo",
    "backend.planning",
    "backend.publishing",
    "backend.routesheets",
    "backend.feeds",
    "backend.guide",
    "backend.selfservice",
    "backend.reports",
    "backend.district",
    "backend.gaps",
    "backend.privacy",
    "backend.demo",
]
# Infrastructure every app may use (the REST bases), and the project that wires it all.
SHARED = {"backend.api", "backend.lotse"}


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("backend", include_external_packages=True, cache_dir=None)


def test_no_import_cycle_between_modules() -> None:
    """Every module of backend/ can be ordered so that it comes after all it imports."""
    g = graph()
    edges = {module: g.find_modules_directly_imported_by(module) for module in g.modules}
    try:
        tuple(graphlib.TopologicalSorter(edges).static_order())
    except graphlib.CycleError as exc:
        # The sorter lists the cycle against the import direction.
        cycle = " imports ".join(reversed(exc.args[1]))
        pytest.fail(f"import cycle: {cycle}")


@pytest.mark.parametrize(
    "lower,higher",
    [(low, high) for n, low in enumerate(LAYERS) for high in LAYERS[n + 1 :]],
)
def test_a_layer_never_imports_a_higher_one(lower: str, higher: str) -> None:
    chain = graph().find_shortest_chain(importer=lower, imported=higher, as_packages=True)
    assert chain is None, f"{lower} reaches {higher}: {' → '.join(chain or ())}"


def test_lib_imports_no_app() -> None:
    """backend/lib is Django-level plumbing: it imports nothing else from backend/."""
    g = graph()
    lib = {m for m in g.modules if m.startswith("backend.lib")}
    imported = {i for m in lib for i in g.find_modules_directly_imported_by(m)}
    assert {i for i in imported if i.startswith("backend.")} <= lib


def test_every_app_is_placed_in_a_layer() -> None:
    """A new app must be given its place above, so that the rules cover it."""
    g = graph()
    top = {".".join(m.split(".")[:2]) for m in g.modules if m.startswith("backend.")}
    assert top - set(LAYERS) - SHARED == set()


def test_requests_is_imported_only_by_the_geo_adapters() -> None:
    g = graph()
    users = {m for m in g.modules if "requests" in g.find_modules_directly_imported_by(m)}
    assert {u for u in users if not u.startswith("backend.geo")} == set()
