"""A pytest plugin: tests that write to the console fail, and logs stay off the console.

Loaded by tests/conftest.py. Zulip's rule: tests fail on stray console output, so that
debugging prints and noisy code paths are caught in review, not in CI logs.
"""

import io
import logging
import logging.config

import pytest


class _Sink(io.StringIO):
    """Where the configured console handlers write during tests (kept, never shown)."""


_SINK = _Sink()


def _console_off(sink: _Sink) -> None:
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if type(handler) is logging.StreamHandler and not isinstance(handler.stream, _Sink):
                handler.setStream(sink)


@pytest.fixture(autouse=True, scope="session")
def _logs_off_the_console():
    """The console handlers from settings write into a sink during tests.

    pytest still records every log record (caplog, and the report of a failing test), and
    tests that check what the console would show swap in their own stream
    (tests/test_logging.py). What then reaches stdout or stderr is stray output.
    Logging configured again during the run (e.g. `django.setup()` in an embedded Celery
    worker) goes to the sink as well.
    """
    sink = _SINK
    _console_off(sink)
    configure = logging.config.dictConfig

    def configure_quietly(config: dict) -> None:
        configure(config)
        _console_off(sink)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(logging.config, "dictConfig", configure_quietly)
        yield


@pytest.fixture(autouse=True)
def _console_stays_off():
    """Again before each test: a worker's own logging setup may have added a console handler."""
    _console_off(_SINK)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that writes to stdout or stderr fails: print nothing, log or use capsys."""
    report = yield
    stray = [
        content
        for title, content in report.sections
        if title in (f"Captured stdout {report.when}", f"Captured stderr {report.when}")
        and content.strip()
    ]
    if stray and report.passed:
        report.outcome = "failed"
        report.longrepr = (
            "stray console output (use logging, or capsys to test output):\n"
            + ("".join(stray)[:2000])
        )
    return report
