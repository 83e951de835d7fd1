"""Where every app's ViewSets are registered on the one /api/ router."""


def register(router) -> None:
    pass
