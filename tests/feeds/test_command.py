"""`lotse feedlink`: issue a link on the command line (used for demos and support)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("feedlink", *args, stdout=out)
    return out.getvalue()


def test_a_family_link_prints_its_urls_once(client, world, calendar_consent):
    output = run("traeger-a", "--family", "F-A-1")
    lines = dict(line.split(": ", 1) for line in output.splitlines())
    assert set(lines) == {"feed_url", "webcal_url", "subscribe_url"}
    assert client.get(lines["feed_url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    rotated = dict(
        line.split(": ", 1)
        for line in run("traeger-a", "--family", "F-A-1", "--rotate").splitlines()
    )
    assert rotated["feed_url"] != lines["feed_url"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "--organisation"), "no organisation"),
        (("traeger-a", "--family", "F-B-1"), "no family"),
        (("traeger-a", "--family", "F-A-1"), "Einwilligung"),
        (("traeger-a", "--driver", str(2**70)), "no driver"),
        (("traeger-a", "--organisation", "--rotate"), "no active link"),
    ],
)
def test_errors_are_one_clear_line(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
