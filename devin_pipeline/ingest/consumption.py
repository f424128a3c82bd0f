"""Reads what Devin billed for a range of billing days, for every scope, concurrently.

One request per scope covers the whole range (the endpoints are not paged), aligned to 08:00
UTC so that every day is whole. Requests share the resource, so its retry budget and any
Retry-After pause apply to all of them at once, as in the day walks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from devin_pipeline.partitions import billing_day_bounds, billing_day_of_entry
from devin_pipeline.resources.devin_api import DevinAPIResource
from devin_pipeline.resources.endpoints import (
    ENTERPRISE_CONSUMPTION,
    ORG_CONSUMPTION,
    USER_CONSUMPTION,
    Endpoint,
)
from devin_pipeline.resources.enterprise_models import Consumption
from devin_pipeline.resources.errors import DevinAPIError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumptionScope:
    """Whose consumption a request reads: the enterprise (scope_id ''), an org or a user."""

    scope: str
    scope_id: str
    endpoint: Endpoint

    @property
    def item_id(self) -> str | None:
        return self.scope_id or None


def consumption_scopes(org_ids: Sequence[str], user_ids: Sequence[str]) -> list[ConsumptionScope]:
    """The enterprise, then each org, then each user."""
    return [
        ConsumptionScope("enterprise", "", ENTERPRISE_CONSUMPTION),
        *(ConsumptionScope("org", org_id, ORG_CONSUMPTION) for org_id in org_ids),
        *(ConsumptionScope("user", user_id, USER_CONSUMPTION) for user_id in user_ids),
    ]


def fetch_consumption(
    api: DevinAPIResource,
    scopes: Sequence[ConsumptionScope],
    first: date,
    last: date,
    concurrency: int,
) -> list[dict[str, Any]]:
    """Rows (billing_date, scope, scope_id, product, acus) of billing days first..last."""
    time_after, time_before = billing_day_bounds(first, last)

    def read(scope: ConsumptionScope) -> list[dict[str, Any]]:
        answer = _read_scope(api, scope, time_after, time_before)
        return [] if answer is None else list(consumption_rows(scope, answer, first, last))

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="consumption") as pool:
        return [row for rows in pool.map(read, scopes) for row in rows]


def _read_scope(
    api: DevinAPIResource, scope: ConsumptionScope, time_after: int, time_before: int
) -> Consumption | None:
    try:
        return api.get_consumption(
            scope.endpoint, scope.item_id, time_after=time_after, time_before=time_before
        )
    except DevinAPIError as exc:
        # An org or person the sessions still name may be gone from the API: no figures.
        if exc.status == 404 and scope.item_id is not None:
            log.warning("No consumption for %s %s (404): skipped", scope.scope, scope.scope_id)
            return None
        raise


def consumption_rows(
    scope: ConsumptionScope, answer: Consumption, first: date, last: date
) -> Iterator[dict[str, Any]]:
    """One row per product (as sent, plus 'all') of each entry whose billing day is in range."""
    for entry in answer.consumption_by_date:
        day = billing_day_of_entry(entry.date)
        if not first <= day <= last:
            continue
        products = {"all": entry.acus, **entry.acus_by_product}
        for product, acus in products.items():
            yield {
                "billing_date": day,
                "scope": scope.scope,
                "scope_id": scope.scope_id,
                "product": product,
                "acus": float(acus),
            }
