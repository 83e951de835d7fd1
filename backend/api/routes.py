"""Where every app's ViewSets are registered on the one /api/ router."""

from backend.accounts import api as accounts
from backend.families import api as families
from backend.feeds import api as feeds
from backend.fleet import api as fleet
from backend.offers import api as offers
from backend.organisations import api as organisations
from backend.privacy import api as privacy
from backend.transport import api as transport
from backend.transport import api_routes as transport_routes


def register(router) -> None:
    for module in (
        accounts,
        organisations,
        offers,
        families,
        fleet,
        transport,
        transport_routes,
        feeds,
        privacy,
    ):
        module.register(router)
