"""The population CSV import: figures per municipality; every error names line and column,
and one error stores nothing."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from backend.gaps.models import Municipality
from backend.gaps.population import PopulationImportError, import_population

GOOD = (
    "gemeinde;kinder_6_9;kinder_0_17;quelle;stand\n"
    "Bitburg;412;2.310;Statistisches Landesamt;31.12.2025\n"
    "wolsfeld;17;;Statistisches Landesamt;31.12.2025\n"
)


def figures(name: str) -> tuple:
    m = Municipality.objects.get(name=name)
    return m.children_6_9, m.children_0_17, m.figures_source, m.figures_date


def test_the_figures_are_stored_per_municipality(office, municipalities):
    summary = import_population(office["org"], GOOD.encode())
    assert (summary.rows, summary.updated) == (2, 2)
    assert figures("Bitburg") == (412, 2310, "Statistisches Landesamt", dt.date(2025, 12, 31))
    assert figures("Wolsfeld") == (17, None, "Statistisches Landesamt", dt.date(2025, 12, 31))
    assert figures("Daleiden") == (None, None, "", None)


def test_the_official_key_finds_a_municipality_and_a_comma_separates_too(office, municipalities):
    import_population(office["org"], "\ufeffags,kinder_3_5\n07232011,99\n".encode())
    assert Municipality.objects.get(name="Bitburg").children_3_5 == 99


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "gemeinde;kinder_6_9\nBitburg;12\nWolsfeld;zwölf\n",
            "Zeile 3, Spalte „kinder_6_9“: „zwölf“ ist keine ganze Zahl ab 0.",
        ),
        (
            "gemeinde;kinder_6_9\nBitburg;-3\n",
            "Zeile 2, Spalte „kinder_6_9“: „-3“ ist keine ganze Zahl ab 0.",
        ),
        (
            "gemeinde;kinder_6_9\nBitburg;12\nXdorf;4\n",
            "Zeile 3, Spalte „gemeinde“: Die Gemeinde „Xdorf“ ist nicht bekannt.",
        ),
        (
            "ags;kinder_6_9\n07232999;4\n",
            "Zeile 2, Spalte „ags“: Die Gemeinde „07232999“ ist nicht bekannt.",
        ),
        ("ort;kinder_6_9\nBitburg;12\n", "Zeile 1: Die Spalte „gemeinde“ oder „ags“ fehlt"),
        ("gemeinde;einwohner\nBitburg;12\n", "Zeile 1: Es fehlt eine Spalte mit Zahlen"),
        (
            "gemeinde;kinder_6_9;stand\nBitburg;12;morgen\n",
            "Zeile 2, Spalte „stand“: „morgen“ ist kein Datum",
        ),
        ("gemeinde;kinder_6_9\n", "keine Zeilen"),
    ],
)
def test_bad_input_names_line_and_column_and_stores_nothing(office, municipalities, text, message):
    with pytest.raises(PopulationImportError) as caught:
        import_population(office["org"], text.encode())
    assert any(message in error for error in caught.value.errors), caught.value.errors
    assert figures("Bitburg") == (None, None, "", None)  # the good first line was not stored


def test_a_file_that_is_not_utf8_is_refused(office, municipalities):
    with pytest.raises(PopulationImportError, match="UTF-8"):
        import_population(office["org"], "gemeinde;kinder_6_9\nWölsfeld;3\n".encode("latin-1"))


def test_another_office_s_municipalities_are_not_found(office, municipalities, world):
    with pytest.raises(PopulationImportError, match="nicht bekannt"):
        import_population(world["a"]["org"], GOOD.encode())


def test_the_command_imports_and_summarises(office, municipalities, tmp_path):
    path = tmp_path / "einwohner.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_population", str(path), "--office", "koordinierung", stdout=out)
    assert "2 Zeilen gelesen, 2 Gemeinden aktualisiert" in out.getvalue()
    assert figures("Bitburg")[0] == 412


def test_the_command_says_what_is_wrong(office, municipalities, tmp_path):
    path = tmp_path / "einwohner.csv"
    path.write_text("gemeinde;kinder_6_9\nXdorf;4\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Zeile 2, Spalte „gemeinde“"):
        call_command("import_population", str(path), "--office", "koordinierung")
    with pytest.raises(CommandError, match="nicht lesen"):
        call_command("import_population", str(tmp_path / "fehlt.csv"), "--office", "koordinierung")
    with pytest.raises(CommandError, match="keine Koordinierungsstelle"):
        call_command("import_population", str(path), "--office", "traeger-a")


def test_municipalities_are_read_in_and_found_again_by_name(office, municipalities, tmp_path):
    path = tmp_path / "gemeinden.csv"
    path.write_text("gemeinde;ags;lat;lon\nBitburg;07232011;49.97;6.52\nPrüm;;50,2075;6.4236\n")
    out = io.StringIO()
    call_command("import_municipalities", str(path), stdout=out)
    assert "2 Gemeinden eingelesen." in out.getvalue()
    assert Municipality.objects.count() == 4  # Bitburg was known, Prüm is new
    assert Municipality.objects.get(name="Prüm").latitude == 50.2075


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "gemeinde;lat;lon\nPrüm;nord;6.4\n",
            "Zeile 2, Spalte „lat“: „nord“ ist keine Koordinate.",
        ),
        ("gemeinde;lat;lon\nPrüm;50.2;6.4\nWeit;95;6.4\n", "Zeile 3, Spalte „lat“"),
        ("gemeinde;ags;lat;lon\nPrüm;0723;50.2;6.4\n", "Zeile 2, Spalte „ags“"),
        ("gemeinde;breite\nPrüm;50.2\n", "Zeile 1: Es fehlen die Spalten lat, lon."),
    ],
)
def test_bad_municipality_rows_store_nothing(office, municipalities, tmp_path, text, message):
    path = tmp_path / "gemeinden.csv"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_municipalities", str(path))
    assert not Municipality.objects.filter(name="Prüm").exists()
