"""What a big build leaves is frozen out of the cyclic collector; a small one's is not."""

import gc

from bot.matching.memory import BIG, freeze_long_lived


def test_only_a_big_catalog_is_frozen():
    before = gc.get_freeze_count()
    kept = [[i] for i in range(1000)]  # tracked objects alive now
    freeze_long_lived(BIG - 1)
    assert gc.get_freeze_count() == before
    freeze_long_lived(BIG)
    assert gc.get_freeze_count() >= before + len(kept)
