"""The API's JSON parser: bounded in size, depth and number of values (backend/lib/limits.py)."""

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from backend.lib.limits import JSONLimitError, body_too_large, load_bounded_json, max_body_bytes


class BoundedJSONParser(JSONParser):
    """Like DRF's JSONParser, but a body beyond the limits is a 400 with a clear message.

    The middleware already refuses a too-large Content-Length; reading at most one byte
    more than allowed also covers a body whose length was not announced.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        limit = max_body_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(body_too_large())
        try:
            return load_bounded_json(raw.decode(encoding))
        except JSONLimitError as exc:
            raise ParseError(str(exc)) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
