"""Post-processing of the generated OpenAPI schema."""

TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"


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


def plain_local_times(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: see `_plain_times`."""
    _plain_times(result)
    return result
