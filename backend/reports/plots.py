"""The report's plots (matplotlib, Agg): SVG for the page and the same SVG in the PDF.

Built from the series of a `Report` (engine.py), never from the database. Municipalities
are placed at the centre of their postal-code area (the offline gazetteer), so no home
address shows on the map; without a known postal code a provider's own report falls
back to the average of its families' coordinates, the district's leaves the town out.
"""

from __future__ import annotations

import base64
import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from backend.geo.geocoding import Gazetteer, GeocodingError, Query  # noqa: E402
from backend.lib.counts import anonymous  # noqa: E402
from backend.reports.engine import Report, month_label  # noqa: E402

matplotlib.rcParams.update(
    {
        "svg.hashsalt": "lotse",  # the same figures give the same SVG
        "svg.fonttype": "none",  # text stays text (readable in the PDF)
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
SIZE = (6.4, 3.0)
COLOURS = ["#1f5f8b", "#d9822b", "#3a7d44", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085"]


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _months_axis(ax, months: list[dt.date]) -> None:
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels([month_label(m) for m in months], rotation=45, ha="right")


def _empty(fig: Figure, text: str) -> str:
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center")
    return _svg(fig)


def attendance(report: Report) -> str:
    fig = Figure(figsize=SIZE)
    series = report.attendance_by_group
    months = sorted({m for values in series.values() for m in values})
    if not months:
        return _empty(fig, "Keine Anwesenheit gezählt")
    ax = fig.add_subplot()
    for n, (name, values) in enumerate(sorted(series.items())):
        xs = [months.index(m) for m in sorted(values)]
        ax.plot(
            xs,
            [values[m] for m in sorted(values)],
            marker="o",
            label=name,
            color=COLOURS[n % len(COLOURS)],
        )
    _months_axis(ax, months)
    ax.set_ylabel("Personen je Termin")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(fig)


def _centre(report: Report, postcode: str, lat: float | None, lon: float | None):
    try:
        located = Gazetteer().locate(Query(postcode=postcode))
    except GeocodingError:
        if report.scope.district or lat is None or lon is None:
            return None
        return lat, lon
    return located.latitude, located.longitude


def towns(report: Report) -> str:
    fig = Figure(figsize=(6.4, 4.2))
    # Towns in one postal code area share its centre: one bubble for them together.
    merged: dict[tuple[float, float], tuple[list[str], int]] = {}
    for town, postcode, lat, lon, n in report.towns:
        centre = _centre(report, postcode, lat, lon)
        if centre is not None:
            names, total = merged.get(centre, ([], 0))
            merged[centre] = ([*names, town], total + n)
    if not merged:
        return _empty(fig, "Keine Wohnorte bekannt")
    ax = fig.add_subplot()
    ax.set_aspect(1.5)  # about right for 50° north
    biggest = max(n for _names, n in merged.values())
    for (lat, lon), (names, n) in merged.items():
        shown = str(anonymous(n)) if report.scope.district else str(n)
        size = 40 + 600 * (max(n, 5 if report.scope.district else n) / max(biggest, 1))
        label = ", ".join(names[:2]) + (" …" if len(names) > 2 else "")
        ax.scatter([lon], [lat], s=size, color=COLOURS[0], alpha=0.5, edgecolors="none")
        ax.annotate(
            f"{label} ({shown})",
            (lon, lat),
            fontsize=7,
            ha="center",
            va="bottom",
            xytext=(0, 6),
            textcoords="offset points",
        )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.margins(0.15)
    ax.set_title("Kinder nach Wohnort (Mitte des Postleitzahlgebiets)", fontsize=9)
    return _svg(fig)


def _bars(values: dict[dt.date, float], label: str, empty: str, percent: bool = False) -> str:
    fig = Figure(figsize=SIZE)
    if not values:
        return _empty(fig, empty)
    months = sorted(values)
    ax = fig.add_subplot()
    heights = [values[m] * (100 if percent else 1) for m in months]
    ax.bar(range(len(months)), heights, color=COLOURS[0])
    _months_axis(ax, months)
    ax.set_ylabel(label)
    if percent:
        ax.set_ylim(0, 100)
    return _svg(fig)


def cost_per_child(report: Report) -> str:
    return _bars(report.cost_per_child, "€ je gefahrenem Kind", "Keine Fahrten im Zeitraum")


def held_share(report: Report) -> str:
    return _bars(
        report.held_share, "% der Termine stattgefunden", "Keine Termine im Zeitraum", True
    )


PLOTS = [
    ("teilnahme", "Personen je Termin im Verlauf", attendance),
    ("wohnorte", "Reichweite nach Wohnort", towns),
    ("kosten", "Kosten je gefahrenem Kind und Monat", cost_per_child),
    ("termine", "Anteil stattgefundener Termine", held_share),
]


def all_plots(report: Report) -> list[tuple[str, str, str]]:
    """(key, title, data URI of the SVG) of every plot of the report."""
    result = []
    for key, title, draw in PLOTS:
        if key == "teilnahme":
            title = f"Personen je Termin im Verlauf, je {report.scope.by}"
        svg = draw(report).encode()
        result.append((key, title, "data:image/svg+xml;base64," + base64.b64encode(svg).decode()))
    return result
