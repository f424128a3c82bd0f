"""How this enterprise's API behaves on a recent busy day: what the walk and billing adapt to.

Each finding is what the pages showed, and what the pipeline will do about it: the list's
order (keyset paging or the order-free fallback, see ingest/day_walk.py), whether `total` is
sent, whether `updated_before` is inclusive, page latency, and which instant a consumption
`date` marks. BEHAVIOUR_REQUESTS bounds the requests made here.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from typing import Any

from devin_pipeline.doctor.prober import Answer, Prober
from devin_pipeline.doctor.report import Check
from devin_pipeline.ingest.regions import MIN_STEPS, Region, WalkHints, shown_order
from devin_pipeline.partitions import day_bounds
from devin_pipeline.resources.devin_api import query_params
from devin_pipeline.resources.endpoints import SESSIONS
from devin_pipeline.settings import Settings

# Recent pages (updated in the last RECENT_DAYS, else any), the day's first and second
# pages, a narrowed page, the bounds probe.
BEHAVIOUR_REQUESTS = 6
RECENT_DAYS = 3
SLOW_PAGE_SECONDS = 2.0
# Which instant of its billing day B a consumption `date` marks, by its second of the UTC day.
DATE_MARKS = {
    8 * 3600: ("billing_start", "08:00 UTC, the billing day's start"),
    0: ("utc_midnight", "00:00 UTC, the calendar day's midnight"),
    7 * 3600: ("pacific_dst", "07:00 UTC, midnight Pacific daylight time"),
}


def busy_day(items: list[dict[str, Any]], today: date) -> date | None:
    """The last whole UTC day the newest page shows activity on."""
    if not items:
        return None
    newest = datetime.fromtimestamp(max(i["updated_at"] for i in items), UTC).date()
    return min(newest, today - timedelta(days=1))


def behaviour_checks(
    settings: Settings, prober: Prober, day: date | None, consumption: Answer
) -> list[Check]:
    """The day's findings (order, total, bounds, latency) and the consumption date mark."""
    filters = {"include_deleted_orgs": settings.include_deleted_orgs}
    day = day or _recent_day(settings, prober, filters)
    checks = [] if day is None else _day_checks(settings, prober, day, filters)
    if day is None:
        checks.append(Check("api.busy_day", "skip", "no session listed: nothing to look at"))
    return [*checks, date_mark_check(consumption)]


def _recent_day(settings: Settings, prober: Prober, filters: dict[str, Any]) -> date | None:
    """The busy day of sessions updated lately, or of any listed (an API whose data ended)."""
    today = datetime.now(UTC).date()
    since = day_bounds(today - timedelta(days=RECENT_DAYS))[0]
    for query in ({**filters, "updated_after": since}, filters):
        answer = prober.get(SESSIONS, query_params(query, settings.page_size, None))
        if answer.ok and answer.body.get("items"):
            return busy_day(answer.body["items"], today)
    return None


def _day_checks(
    settings: Settings, prober: Prober, day: date, filters: dict[str, Any]
) -> list[Check]:
    query = {**Region(day_bounds(day)).query(WalkHints()), **filters}
    first = prober.get(SESSIONS, query_params(query, settings.page_size, None))
    if not first.ok:
        return [Check("api.busy_day", "skip", f"{day}: no page ({first.status or first.failure})")]
    pages = [first.body]
    cursor = first.body.get("end_cursor")
    if first.body.get("has_next_page") and cursor:
        second = prober.get(SESSIONS, query_params(query, settings.page_size, cursor))
        if second.ok:
            pages.append(second.body)
    items = first.body.get("items", [])
    return [
        Check("api.busy_day", "info", f"{day} (UTC): {len(items)} versions on its first page"),
        order_check(first.body),
        total_check([*pages, *_narrowed(settings, prober, query, items)]),
        bounds_check(settings, prober, items, filters),
        latency_check(prober, settings.page_size),
    ]


def order_check(page: dict[str, Any]) -> Check:
    """The order the day's first page shows, and whether the walk will page by it."""
    items = page.get("items", [])
    if len(items) <= MIN_STEPS:
        detail = f"{len(items)} versions on the day's page: too few to show an order"
        return Check("api.order", "skip", detail, value="unknown")
    key = shown_order(items)
    if key is not None:
        way = "newest first" if key.descending else "oldest first"
        name = f"{key.field}_{'desc' if key.descending else 'asc'}"
        detail = f"{key.field}, {way}: the day walk pages by key (keyset paging)"
        return Check("api.order", "info", detail, value=name)
    detail = (
        "no order by created_at or updated_at: the walk falls back to order-free sub-windows "
        "(~1.4 requests a page)"
    )
    remedy = ""
    if page.get("has_next_page"):
        remedy = (
            "Nothing to change for completeness; DEVIN_VERIFY_COMPLETENESS=false makes each "
            "day one cursor walk (fewest requests, no completeness guarantee)."
        )
    return Check("api.order", "info", detail, remedy, "DEVIN_VERIFY_COMPLETENESS", "none")


def _narrowed(
    settings: Settings, prober: Prober, query: dict[str, Any], items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The day's first page narrowed to one org: an API may send `total` only then."""
    org = next((i["org_id"] for i in items if i.get("org_id")), None)
    if org is None:
        return []
    answer = prober.get(
        SESSIONS, query_params({**query, "org_ids": [org]}, settings.page_size, None)
    )
    return [answer.body] if answer.ok else []


def total_check(pages: list[dict[str, Any]]) -> Check:
    """Whether `total` came on every page looked at, on none, or on some."""
    sent = [isinstance(page.get("total"), int) for page in pages]
    if all(sent):
        value, detail = (
            "always",
            "sent on every page: a cursor walk of a crowded second is run once",
        )
    elif not any(sent):
        value, detail = (
            "never",
            "never sent: crowded seconds are walked until a walk finds nothing new",
        )
    else:
        value = "sometimes"
        detail = (
            f"sent on {sum(sent)} of {len(sent)} pages (omitted or null on the others): "
            "walks without it are repeated until one finds nothing new"
        )
    return Check("api.total", "info", f"`total` {detail}", value=value)


def bounds_check(
    settings: Settings, prober: Prober, items: list[dict[str, Any]], filters: dict[str, Any]
) -> Check:
    """Asks for (t-1, t) where a version has updated_at t: listed only if the bound includes t."""
    if not items:
        return Check("api.bounds", "skip", "no version to test the bounds on")
    moment = items[0]["updated_at"]
    query = {**filters, "updated_after": moment - 1, "updated_before": moment}
    answer = prober.get(SESSIONS, query_params(query, settings.page_size, None))
    if not answer.ok:
        return Check("api.bounds", "skip", f"no answer ({answer.status or answer.failure})")
    inclusive = any(i["updated_at"] == moment for i in answer.body.get("items", []))
    kind = "inclusive" if inclusive else "exclusive"
    detail = (
        f"updated_before is {kind} (updated_before={moment} "
        f"{'listed' if inclusive else 'did not list'} a version updated at {moment}); "
        "the walk learns this per run and needs no setting"
    )
    return Check("api.bounds", "info", detail, value=kind)


def latency_check(prober: Prober, page_size: int) -> Check:
    """How long answered requests took; slow pages call for more concurrent day windows."""
    seconds = prober.latencies
    median, slowest = statistics.median(seconds), max(seconds)
    detail = (
        f"median {median * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms over {len(seconds)} "
        f"answers (pages of first={page_size})"
    )
    if median > SLOW_PAGE_SECONDS:
        return Check(
            "api.latency",
            "warn",
            detail,
            "Pages are slow: raise DEVIN_CONCURRENCY so more day windows are read at once.",
            "DEVIN_CONCURRENCY",
            round(median * 1000),
        )
    return Check("api.latency", "info", detail, value=round(median * 1000))


def date_mark_check(consumption: Answer) -> Check:
    """Which instant of its day a consumption `date` carries (the pipeline reads date + 12 h)."""
    if not consumption.ok:
        return Check("api.consumption_date", "skip", "consumption not readable: not checked")
    entries = consumption.body.get("consumption_by_date", [])
    marks = {int(e["date"]) % 86400 for e in entries}
    if not marks:
        return Check("api.consumption_date", "skip", "no consumption entries to look at")
    if len(marks) == 1 and (mark := marks.pop()) in DATE_MARKS:
        value, text = DATE_MARKS[mark]
    else:
        value = "other"
        text = ", ".join(f"{m // 3600:02d}:{m % 3600 // 60:02d} UTC" for m in sorted(marks))
    detail = (
        f"`date` marks {text} ({len(entries)} entries); billing days are read as the UTC "
        "date of date + 12 h, right under any of these: no setting"
    )
    return Check("api.consumption_date", "info", detail, value=value)
