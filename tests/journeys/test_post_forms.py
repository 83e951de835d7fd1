"""Every POST form on Lotse's pages is submitted by at least one journey.

Runs after the last journey (conftest.py moves it there) and compares the POST forms
in the project's templates (`forms.post_forms`) with the POSTs the journeys' browsers
sent and the server accepted (`forms.PostLog`). A new form without a journey fails
here, naming its template and line. See README.md in this folder.
"""

import pytest

from tests.journeys.forms import post_forms, url_name

# Forms the pages must have today: a scan that finds fewer is broken, not done.
KNOWN = {"login", "logout", "set_language", "planning", "planning-run-publish", "family-absence"}


def test_every_post_form_is_submitted_by_a_journey(post_log, journey_selection):
    # With `pytest -n` (`make test`) the journeys share one process (tests/conftest.py).
    if journey_selection:
        pytest.skip(f"only part of the journeys ran: {'; '.join(journey_selection)}")
    forms = post_forms()
    assert {form.url_name for form in forms} >= KNOWN, "the template scan misses forms"

    unnamed = [form.where() for form in forms if form.url_name is None]
    assert not unnamed, (
        f"These POST forms have no action=\"{{% url 'name' … %}}\"; give them one: {unnamed}"
    )
    accepted = post_log.accepted()
    missing = sorted({form.url_name for form in forms} - accepted)
    details = [
        f"{name} ({', '.join(f.where() for f in forms if f.url_name == name)})"
        + "".join(f"; refused {p.status} in {p.test}" for p in post_log.refused(name)[:2])
        for name in missing
    ]
    assert not missing, "No journey submitted these POST forms: " + "; ".join(details)


# --- the scanner itself ----------------------------------------------------------------

TEMPLATE = """{% load i18n %}
<form method="get" action="{% url 'search' %}"></form>
<form class="x" METHOD='POST'
      action='{% url "family-absence" token %}'>{% csrf_token %}</form>
<form method=post action="{{ some_url }}"></form>
<form action="{% url 'logout' %}" method="post"></form>
<form method="post" action="{% url "planning" %}"></form>
<form method="post"></form>
"""


def test_the_scan_finds_post_forms_with_their_url_names(tmp_path):
    (tmp_path / "page.html").write_text(TEMPLATE)
    found = post_forms([tmp_path])
    assert [(f.url_name, f.line) for f in found] == [
        ("family-absence", 3),
        (None, 5),
        ("logout", 6),
        ("planning", 7),
        (None, 8),
    ]


def test_a_post_is_keyed_by_its_url_name():
    assert url_name("/planung/laeufe/3/veroeffentlichen/") == "planning-run-publish"
    assert url_name("/i18n/setlang/") == "set_language"
    assert url_name("/nirgends/") == "?/nirgends/"


SHARED = """<section><form method="post" action="{{ action }}">{% csrf_token %}</form></section>
"""
INCLUDING = """{% load i18n %}
{% if thing %}{% url 'thing' thing.pk as action %}{% else %}{% url "thing-new" as action %}{% endif %}
{% url 'things' as cancel %}
{% include "shared/_form.html" %}
"""


def test_a_shared_form_counts_once_per_url_its_includers_name(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "_form.html").write_text(SHARED)
    (tmp_path / "page.html").write_text(INCLUDING)
    found = post_forms([tmp_path])
    # `cancel` is no action: only the names set "as action" count, where they are set.
    assert [(f.url_name, f.template.rsplit("/", 1)[-1], f.line) for f in found] == [
        ("thing", "page.html", 2),
        ("thing-new", "page.html", 2),
    ]
