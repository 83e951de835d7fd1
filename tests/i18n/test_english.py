"""German is the default; English comes from the browser's Accept-Language or the switch.

The English catalogue (backend/locale/en) must be complete, free of fuzzy entries, and
its compiled .mo must match the .po, so a machine without gettext serves the same text.
"""

import ast
import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.routesheets import sheet_fixtures

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

sheet_world = sheet_fixtures.sheet_world


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- Pages -------------------------------------------------------------------------


def test_the_login_page_is_german_by_default(client):
    page = html(client.get("/accounts/login/"))
    assert '<html lang="de" dir="ltr">' in page
    assert "Benutzername" in page and "Passwort" in page
    assert "Username" not in page


def test_the_login_page_is_english_for_an_english_browser(client):
    page = html(client.get("/accounts/login/", **EN))
    assert '<html lang="en" dir="ltr">' in page
    assert "Username" in page and "Password" in page and "Log in" in page
    assert "Benutzername" not in page and "Anmelden" not in page


def test_a_failed_login_explains_itself_in_the_chosen_language(client, world):
    wrong = {"username": "alice", "password": "falsch"}
    german = html(client.post("/accounts/login/", wrong))
    english = html(client.post("/accounts/login/", wrong, **EN))
    assert "Groß-/Kleinschreibung" in german
    assert "Please enter a correct username and password" in english


def test_the_language_switch_sets_english_for_later_pages(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = html(client.get("/accounts/login/"))
    assert "Username" in page and "Benutzername" not in page


def test_the_language_cookie_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = html(client.get("/accounts/login/", **EN))
    assert "Benutzername" in page


def test_the_family_page_speaks_english(client, world, family_link):
    url = f"/familie/{family_link.token}/"
    german = html(client.get(url))
    english = html(client.get(url, **EN))
    assert "Kalender abonnieren" in german and "Nächste Termine – abmelden" in german
    assert "Subscribe to calendar" in english
    assert "Next sessions – cancel attendance" in english
    assert "Your child cannot come" in english
    for text in ("Kalender abonnieren", "Abholzeiten", "Ihr Kind", "Termine"):
        assert text not in english


def test_the_driver_route_list_speaks_english(client, world):
    client.force_login(world["users"]["dave"])
    german = html(client.get("/fahrer/"))
    english = html(client.get("/fahrer/", **EN))
    assert "Meine Touren" in german and "Abmelden" in german
    assert "My routes" in english and "Log out" in english
    assert "Published routes from 23.11.2026" in english
    assert "No published routes in this period." in english
    assert "Meine Touren" not in english and "Touren" not in english


def test_the_route_sheet_speaks_english(client, sheet_world):
    client.force_login(sheet_world["users"]["dave"])
    url = f"/fahrer/touren/{sheet_world['dave_route'].pk}/"
    german = html(client.get(url))
    english = html(client.get(url, **EN))
    for text in ("Geplantes Ende", "Fahrgäste", "Kindersitz", "Rollstuhl", "23,5 km"):
        assert text in german, text
    for text in ("Planned end", "Passengers", "Child seat", "Wheelchair", "Escort", "23.5 km"):
        assert text in english, text
    for text in ("Geplantes Ende", "Fahrgäste", "Kindersitz", "Begleitung", "Halt"):
        assert text not in english, text


# --- API ---------------------------------------------------------------------------

OFFER = {
    "title": "Gruppe",
    "rrule": "FREQ=WEEKLY;BYDAY=WE",
    "start_time": "15:00",
    "first_date": "2026-12-02",
    "last_date": "2026-12-01",
}


def test_a_model_validation_error_is_english_for_an_english_client(world, clients):
    payload = {**OFFER, "venue": world["a"]["venue"].pk}
    german = clients["alice"].post("/api/group-offers/", payload)
    english = clients["alice"].post("/api/group-offers/", payload, **EN)
    assert german.status_code == english.status_code == 400
    assert german.json()["last_date"] == ["Der letzte Termin liegt vor dem ersten."]
    assert english.json()["last_date"] == ["The last session is before the first one."]


def test_an_api_error_message_is_english_for_an_english_client(world, clients):
    venue = world["a"]["venue"]
    url = f"/api/venues/{venue.pk}/"
    german = clients["alice"].delete(url)
    english = clients["alice"].delete(url, **EN)
    assert german.status_code == english.status_code == 400
    assert german.json() == {"detail": "Wird noch verwendet und kann nicht gelöscht werden."}
    assert english.json() == {"detail": "Still in use and cannot be deleted."}


def test_api_field_labels_and_choices_are_english(world, clients):
    german = clients["alice"].options("/api/participants/").json()
    english = clients["alice"].options("/api/participants/", **EN).json()
    fields_de = german["actions"]["POST"]
    fields_en = english["actions"]["POST"]
    assert fields_de["needs_child_seat"]["label"] == "Kindersitz"
    assert fields_en["needs_child_seat"]["label"] == "Child seat"
    assert fields_en["birth_year"]["label"] == "Year of birth"
    kinds = {c["value"]: c["display_name"] for c in fields_en["kind"]["choices"]}
    assert kinds == {"child": "Child", "adult": "Adult"}


# --- The catalogue -----------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """A minimal .po reader: entries with flags, msgid, msgid_plural and msgstr(s)."""
    entries: list[dict] = []
    entry: dict = {}
    key = None

    def flush() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            if key.startswith("msgid") and "msgstr" in str(entry.keys()):
                flush()
            entry[key] = ast.literal_eval(value)
    flush()
    return entries


def translations(entries: list[dict]) -> dict:
    """msgid (or (msgid, n) for plurals) → translation, as gettext stores them."""
    result = {}
    for e in entries:
        if e["msgid"] == "" or e.get("obsolete"):
            continue
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for name, value in e.items():
                if name.startswith("msgstr["):
                    result[(key, int(name[7:-1]))] = value
        else:
            result[key] = e["msgstr"]
    return result


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in parse_po(PO) if e["msgid"] != ""]
    assert len(entries) > 250
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    empty = [k for k, v in translations(entries).items() if not v]
    assert fuzzy == []
    assert empty == []
    assert not any(e.get("obsolete") for e in entries)


def test_placeholders_survive_translation():
    for key, msgstr in translations(parse_po(PO)).items():
        msgid = key[0] if isinstance(key, tuple) else key  # plurals: (msgid, n)
        for placeholder in ("%(", "{"):
            names = sorted(part.split(")")[0] for part in msgid.split(placeholder)[1:])
            got = sorted(part.split(")")[0] for part in msgstr.split(placeholder)[1:])
            assert names == got, msgid


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = {k: v for k, v in compiled._catalog.items() if k != ""}
    assert catalog == translations(parse_po(PO)), "run: lotse compilemessages --ignore=.venv"
    assert compiled.info()["language"] == "en"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
def test_every_wrapped_string_in_the_code_has_an_english_entry(tmp_path, settings):
    """Re-extract the strings into a copy of the catalogue: nothing may come out empty."""
    copy = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(PO, copy)
    settings.LOCALE_PATHS = [tmp_path]
    root = Path(settings.BASE_DIR)
    # "locale" too: makemessages would otherwise write into the real catalogue it finds.
    ignore = [".venv", "var", "tests", "planner", "fixtures", "benchmarks", "docs", "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        call_command("makemessages", locale=["en"], ignore_patterns=ignore, verbosity=0)
    entries = parse_po(copy)
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ()) and e["msgid"]]
    empty = [k for k, v in translations(entries).items() if not v]
    assert (empty, fuzzy) == ([], []), "run makemessages -l en and translate the new strings"
