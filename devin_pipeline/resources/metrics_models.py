"""Typed models of the metrics endpoints (Devin's own dashboard figures, not paged).

As everywhere, unknown fields are kept (`extra="allow"`), and the by-origin and by-size maps
keep every key sent, documented or not; a count not sent is None, never 0.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, TypeAdapter

Number = StrictInt | StrictFloat


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class ActiveUsersBucket(_Body):
    """One UTC day / week / month of GET .../metrics/dau, /wau, /mau (an array of these)."""

    active_users: StrictInt
    start_time: StrictInt
    end_time: StrictInt


class SessionMetrics(_Body):
    """GET .../metrics/sessions: sessions created in the range."""

    sessions_created_count: StrictInt | None = None
    sessions_created_with_playbook_count: StrictInt | None = None
    sessions_created_with_search_count: StrictInt | None = None
    sessions_with_merged_prs_count: StrictInt | None = None
    avg_acus_per_session: Number | None = None
    sessions_created_by_size: dict[str, Number | None] = {}
    sessions_with_merged_prs_by_size: dict[str, Number | None] = {}
    sessions_created_by_origin: dict[str, Number | None] = {}


class PrMetrics(_Body):
    """GET .../metrics/prs."""

    prs_created_count: StrictInt | None = None
    prs_opened_count: StrictInt | None = None
    prs_merged_count: StrictInt | None = None
    prs_closed_count: StrictInt | None = None


class SearchMetrics(_Body):
    """GET .../metrics/searches."""

    searches_created_count: StrictInt | None = None


ACTIVE_USER_BUCKETS: TypeAdapter[list[ActiveUsersBucket]] = TypeAdapter(list[ActiveUsersBucket])
SESSION_METRICS: TypeAdapter[SessionMetrics] = TypeAdapter(SessionMetrics)
PR_METRICS: TypeAdapter[PrMetrics] = TypeAdapter(PrMetrics)
SEARCH_METRICS: TypeAdapter[SearchMetrics] = TypeAdapter(SearchMetrics)
