"""REST API of this app: serializers and ViewSets (registered on /api/ by register())."""


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
