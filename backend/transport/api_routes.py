"""REST API for published routes and route sheets (registered by register())."""


def register(router) -> None:
    """Register the route ViewSets on the /api/ router."""
