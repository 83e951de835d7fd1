"""What the coordination office sees of the providers' plans of help: how many families
are supported across 1, 2, 3 or 4 and more sectors, as anonymous counts ("< 5").

Only providers that share with the office count. Nothing else of a plan leaves the
provider: no family, no entry, no provider name.
"""

from __future__ import annotations

from collections import defaultdict

from backend.families.models import Involvement
from backend.lib.counts import AnonymousCount, anonymous
from backend.organisations.models import Organisation

BUCKETS = ("1", "2", "3", "4+")


def families_by_sectors() -> list[tuple[str, AnonymousCount]]:
    rows = (
        Involvement.objects.filter(
            family__organisation__kind=Organisation.Kind.PROVIDER,
            family__organisation__shares_with_office=True,
            family__anonymised_at__isnull=True,
        )
        .values_list("family_id", "sector")
        .distinct()
    )
    sectors: dict[int, set[str]] = defaultdict(set)
    for family_id, sector in rows:
        sectors[family_id].add(sector)
    counts = dict.fromkeys(BUCKETS, 0)
    for found in sectors.values():
        counts[BUCKETS[min(len(found), 4) - 1]] += 1
    return [(bucket, anonymous(counts[bucket])) for bucket in BUCKETS]
