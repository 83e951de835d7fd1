"""What counts as personal in the shared `world`: none of it may reach anything public."""


def personal_values(world: dict) -> list[str]:
    """Family, child and driver details and the usernames of both organisations."""
    values: list[str] = []
    for side in ("a", "b"):
        w = world[side]
        values += [
            w["family"].reference,
            w["family"].contact_name,
            w["family"].phone,
            w["family"].street,
            w["family"].town,
            w["child"].first_name,
            w["driver"].name,
            w["driver"].phone,
        ]
    return values + list(world["users"])


def venue_streets(world: dict) -> list[str]:
    """The venues' streets: public only where the provider allows (neither does in `world`)."""
    return [world[side]["venue"].street for side in ("a", "b")]
