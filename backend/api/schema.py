"""Post-processing of the generated OpenAPI schema (drf-spectacular POSTPROCESSING_HOOKS)."""

TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"
WRITE_METHODS = {"post", "put", "patch"}

ERROR_SCHEMAS = {
    "Detail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "description": "Eine Meldung, z. B. fehlende Rechte oder nicht gefunden.",
    },
    "FieldErrors": {
        "type": "object",
        "additionalProperties": {},
        "description": (
            "Ungültige Eingabe: je Feld eine Liste von Meldungen "
            "(Meldungen ohne Feld unter non_field_errors oder detail)."
        ),
    },
}


def _error(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _plain_times(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            # JSON Schema's "time" is RFC 3339 full-time with a UTC offset; our times are
            # local wall-clock times ("15:00:00", Europe/Berlin), so describe them as such.
            del node["format"]
            node["pattern"] = TIME_PATTERN
            node.setdefault("example", "15:00:00")
        for value in node.values():
            _plain_times(value)
    elif isinstance(node, list):
        for value in node:
            _plain_times(value)


def _is_protected(operation: dict) -> bool:
    return any(requirement for requirement in operation.get("security", [{}]))


# Answers of transport operations whose views do not describe them yet (that code is
# being moved; its own extend_schema can replace these lines then).
EXTRA_RESPONSES = {
    ("/api/planning-runs/", "post"): {
        "409": _error("Detail", "Für diese Tage läuft schon eine Planung"),
    },
}
# The route sheet's `time` is the stop's local HH:MM, not a date-time.
HH_MM = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "14:35"}


def _add_error_responses(path: str, method: str, operation: dict) -> None:
    """The answers every API view can give besides success (see backend/api/errors.py).

    Every operation can answer 400: the request limits (backend/lib/limits.py) refuse
    an oversized body or query string before any view runs.
    """
    responses = operation.setdefault("responses", {})
    responses.setdefault("400", _error("FieldErrors", "Ungültige Eingabe oder zu große Anfrage"))
    for status, answer in EXTRA_RESPONSES.get((path, method), {}).items():
        responses.setdefault(status, answer)
    if _is_protected(operation):
        responses.setdefault("403", _error("Detail", "Nicht angemeldet oder keine Berechtigung"))
    if "{" in path:
        responses.setdefault("404", _error("Detail", "Nicht gefunden (auch: andere Organisation)"))


def plain_local_times(result, generator, request, public):
    """Local times as patterns, not RFC 3339 "time" (see `_plain_times`)."""
    _plain_times(result)
    return result


def error_responses(result, generator, request, public):
    """Document 400, 403 and 404 answers on the /api/ operations."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in ERROR_SCHEMAS.items():
        schemas.setdefault(name, schema)
    sheet_stop = schemas.get("SheetStop", {}).get("properties", {})
    if "time" in sheet_stop:
        sheet_stop["time"] = dict(HH_MM)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                _add_error_responses(path, method, operation)
    return result
