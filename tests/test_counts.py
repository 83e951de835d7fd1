import pytest

from backend.lib.counts import SUPPRESSED_TEXT, anonymous


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (1, SUPPRESSED_TEXT), (4, "< 5"), (5, "5"), (123, "123")]
)
def test_a_count_below_five_is_shown_as_less_than_five(value, shown):
    assert str(anonymous(value)) == shown


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        anonymous(-1)
