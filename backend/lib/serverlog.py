"""gunicorn's logger with secret URL tokens redacted (used by gunicorn.conf.py).

gunicorn writes every request line to its access log, including the path and the
Referer. Feed URLs (`/feeds/<token>.ics`), family pages (`/familie/<token>/`) and
invitation links (`/einladung/<token>/`) carry their secret in the path, so every
value that goes into an access-log line is redacted here, the same way as Django's
own logs (backend/lib/logging.py). The error log gets the same filter.

This module imports no app.
"""

from typing import Any

from gunicorn.glogging import Logger

from backend.lib.logging import RedactTokensFilter, redact


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactTokensFilter) for f in log.filters):
                log.addFilter(RedactTokensFilter())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        values = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in values.items()}
