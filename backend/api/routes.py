"""Where every app's ViewSets are registered on the one /api/ router."""

from backend.accounts import api as accounts
from backend.families import api as families
from backend.feeds import api as feeds
from backend.fleet import api as fleet
from backend.guide import api as guide
from backend.offers import api as offers
from backend.organisations import api as organisations
from backend.privacy import api as privacy
from backend.publishing import api as publishing
from backend.reports import api as reports
from backend.routesheets import api as routesheets


def register(router) -> None:
    # Planning runs are registered by publishing, which adds their `publish` action.
    for module in (
        accounts,
        organisations,
        offers,
        families,
        fleet,
        publishing,
        routesheets,
        feeds,
        guide,
        reports,
        privacy,
    ):
        module.register(router)
