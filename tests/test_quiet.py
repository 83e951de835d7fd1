"""The suite's own guards: no network beyond this machine, no stray console output."""

import socket
from pathlib import Path

import pytest
import pytest_socket


@pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")
def test_the_network_beyond_this_machine_is_blocked():
    with pytest.raises(pytest_socket.SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1


def test_a_test_that_prints_fails(pytester, monkeypatch, capsys):
    pytester.makepyfile(
        """
        import sys

        def test_prints():
            print("debugging")

        def test_writes_stderr():
            sys.stderr.write("noise")

        def test_uses_capsys(capsys):
            print("checked")
            assert capsys.readouterr().out == "checked\\n"

        def test_quiet():
            pass
        """
    )
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    result = pytester.runpytest_subprocess("-p", "tests.quiet", "-p", "no:django")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*stray console output*", "debugging"])
    capsys.readouterr()  # pytester echoes the inner run; that is this test's own output
