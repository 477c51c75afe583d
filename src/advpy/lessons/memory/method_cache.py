"""``functools.lru_cache`` on a method keeps every instance it has seen alive.

The cache belongs to the function, which lives on the class, and its keys include ``self``: as
long as the class exists, so does every instance that ever called the method (and everything
the instance holds). ``PriceList`` shows the leak; ``PriceListOwnCache`` keeps one cache per
instance, which goes away with the instance.
"""

from __future__ import annotations

import functools

__all__ = ["PriceList", "PriceListOwnCache"]


class PriceList:
    """Prices with a cached lookup: the cache is shared by all instances and holds them."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.catalogue = bytes(100_000)  # something worth freeing

    @functools.lru_cache(maxsize=256)  # noqa: B019 - the leak this module demonstrates
    def price(self, item: str) -> float:
        """The price of ``item`` (expensive, hence the cache)."""
        return round(len(item) * 1.25, 2)


class PriceListOwnCache:
    """The same lookup, with a plain dict per instance as its cache: no reference to
    ``self`` outlives the instance, so dropping the instance frees it and its cache."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.catalogue = bytes(100_000)
        self._prices: dict[str, float] = {}

    def price(self, item: str) -> float:
        """The price of ``item``, computed once per instance."""
        if item not in self._prices:
            self._prices[item] = round(len(item) * 1.25, 2)
        return self._prices[item]
