"""`DevinAPIResource`: the v3 enterprise API behind typed methods, one paginator for all lists."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import orjson
import requests
from dagster import ConfigurableResource, InitResourceContext
from pydantic import (
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from requests.models import PreparedRequest
from requests.utils import get_environ_proxies

from devin_pipeline.resources.endpoints import (
    CYCLES,
    IDP_USERS,
    INSIGHTS,
    ORGANIZATIONS,
    SERVICE_USERS,
    SESSIONS,
    USERS,
    Endpoint,
)
from devin_pipeline.resources.enterprise_models import (
    CYCLE_ITEMS,
    IDP_USER_ITEMS,
    INSIGHT_ITEMS,
    ORGANIZATION_ITEMS,
    SERVICE_USER_ITEMS,
    USER_ITEMS,
    Consumption,
)
from devin_pipeline.resources.errors import (
    DevinAPIError,
    PaginationError,
    TransientAPIError,
    guidance_for,
)
from devin_pipeline.resources.models import (
    SESSION_ITEMS,
    ItemSchema,
    Page,
    SessionPage,
    parse_page,
    validate_body,
)
from devin_pipeline.resources.retry_policy import RetryBudget, build_retrying, parse_retry_after
from devin_pipeline.settings import DECLARED

SESSIONS_PATH = SESSIONS.path
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Connect fails fast on a dead host; a read may wait on a slow 200-item page.
DEFAULT_TIMEOUTS = (10.0, 60.0)
T = TypeVar("T")


class DevinAPIResource(ConfigurableResource):
    """Devin's enterprise API: auth, retries with backoff, cursor paging, validation."""

    api_key: str = Field(description="Service-user key (cog_...); set DEVIN_API_KEY.", repr=False)
    base_url: str = Field(default=DECLARED["base_url"].default, description="API origin.")
    page_size: int = Field(default=DECLARED["page_size"].default, description="`first`, 1..200.")
    connect_timeout: float = Field(default=DEFAULT_TIMEOUTS[0], gt=0)
    read_timeout: float = Field(default=DEFAULT_TIMEOUTS[1], gt=0)
    max_attempts: int = Field(default=8, ge=1, description="Attempts per request.")
    max_retry_wait: float = Field(
        default=DECLARED["max_retry_wait"].default, ge=0, description="Seconds of waiting per run."
    )
    initial_backoff: float = Field(default=0.5, gt=0)
    max_backoff: float = Field(default=30.0, gt=0)
    max_pages: int = Field(
        default=DECLARED["max_pages"].default, ge=1, description="Pages per walk before giving up."
    )

    _session: requests.Session | None = PrivateAttr(default=None)
    _budget: RetryBudget | None = PrivateAttr(default=None)

    @field_validator("page_size", "base_url")
    @classmethod
    def _check_setting(cls, value: Any, info: ValidationInfo) -> Any:
        """The setting's own declared check (settings.py), refused before any request."""
        name = str(info.field_name)
        return DECLARED[name].check(value, DECLARED[name].label())

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Each run gets its own HTTP session and retry budget."""
        self._session = None
        self._budget = RetryBudget(self.max_attempts, self.max_retry_wait)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    @property
    def budget(self) -> RetryBudget:
        """The retry budget shared by every request of this resource instance (one run)."""
        if self._budget is None:
            self._budget = RetryBudget(self.max_attempts, self.max_retry_wait)
        return self._budget

    def iter_session_pages(
        self,
        *,
        first: int | None = None,
        after: str | None = None,
        session_ids: Sequence[str] | None = None,
        created_after: int | None = None,
        created_before: int | None = None,
        updated_after: int | None = None,
        updated_before: int | None = None,
        tags: Sequence[str] | None = None,
        playbook_id: str | None = None,
        origins: Sequence[str] | None = None,
        schedule_id: str | None = None,
        user_ids: Sequence[str] | None = None,
        service_user_ids: Sequence[str] | None = None,
        category: str | None = None,
        org_ids: Sequence[str] | None = None,
        include_deleted_orgs: bool = False,
    ) -> Iterator[SessionPage]:
        """Yields validated pages until `has_next_page` is false; never trusts `total`."""
        filters = {k: v for k, v in locals().items() if k not in ("self", "first", "after")}
        return self.iter_pages(SESSIONS, SESSION_ITEMS, filters, first=first, after=after)

    def iter_organization_pages(self, *, first: int | None = None) -> Iterator[Page]:
        """Every organization the key may see (deleted ones are not listed)."""
        return self.iter_pages(ORGANIZATIONS, ORGANIZATION_ITEMS, {}, first=first)

    def iter_user_pages(
        self, *, first: int | None = None, email: str | None = None
    ) -> Iterator[Page]:
        """People with direct role assignments."""
        return self.iter_pages(USERS, USER_ITEMS, {"email": email}, first=first)

    def iter_idp_user_pages(
        self, *, first: int | None = None, email: str | None = None
    ) -> Iterator[Page]:
        """People whose roles come from identity-provider groups."""
        return self.iter_pages(IDP_USERS, IDP_USER_ITEMS, {"email": email}, first=first)

    def iter_service_user_pages(
        self, *, first: int | None = None, include_inactive: bool = False
    ) -> Iterator[Page]:
        """Service users; expired or deleted ones only with `include_inactive`."""
        filters = {"include_inactive": include_inactive}
        return self.iter_pages(SERVICE_USERS, SERVICE_USER_ITEMS, filters, first=first)

    def iter_cycle_pages(self, *, first: int | None = None) -> Iterator[Page]:
        """Billing cycles (order undocumented; the running one may be missing)."""
        return self.iter_pages(CYCLES, CYCLE_ITEMS, {}, first=first)

    def iter_insight_pages(
        self,
        *,
        first: int | None = None,
        created_after: int | None = None,
        created_before: int | None = None,
        session_ids: Sequence[str] | None = None,
        include_deleted_orgs: bool = False,
    ) -> Iterator[Page]:
        """Session insights: sizes, message counts and Devin's analysis of each session."""
        filters = {k: v for k, v in locals().items() if k not in ("self", "first")}
        return self.iter_pages(INSIGHTS, INSIGHT_ITEMS, filters, first=first)

    def iter_pages(
        self,
        endpoint: Endpoint,
        schema: ItemSchema,
        filters: dict[str, Any],
        *,
        first: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page]:
        """The one paginator of every list endpoint: `first`/`after` cursors until
        `has_next_page` is false, refusing cursors that would loop or truncate."""
        size = DECLARED["page_size"].check(first if first is not None else self.page_size, "first")
        seen: set[str] = set()
        cursor = after
        for number in range(1, self.max_pages + 1):
            body = self._get(endpoint, query_params(filters, size, cursor))
            page = parse_page(body, number, schema)
            yield page
            if not page.has_next_page:
                return
            cursor = _next_cursor(page, seen)
        raise PaginationError(
            f"GET {endpoint.path} still has_next_page after {self.max_pages} pages "
            "(DEVIN_API_MAX_PAGES): the API's pagination does not end; stopping instead of looping."
        )

    def get_consumption(
        self,
        endpoint: Endpoint,
        item_id: str | None = None,
        *,
        time_after: int | None = None,
        time_before: int | None = None,
    ) -> Consumption:
        """One consumption answer (not paged) for the enterprise, an org or a user."""
        params = [
            (name, str(value))
            for name, value in (("time_after", time_after), ("time_before", time_before))
            if value is not None
        ]
        body = self._get(endpoint, params, item_id)
        return validate_body(TypeAdapter(Consumption), body, endpoint.url_path(item_id))

    def get_metrics(
        self, endpoint: Endpoint, adapter: TypeAdapter[T], *, time_after: int, time_before: int
    ) -> T:
        """One answer of a metrics endpoint (not paged) for [time_after, time_before)."""
        params = [("time_after", str(time_after)), ("time_before", str(time_before))]
        return validate_body(adapter, self._get(endpoint, params), endpoint.path)

    def get_json(
        self, endpoint: Endpoint, params: Sequence[tuple[str, str]], item_id: str | None = None
    ) -> Any:
        """One GET's JSON body, unparsed and unpaged: for `doctor`, which looks at the raw
        answer (is `total` there at all?) and at how long it took."""
        return self._get(endpoint, list(params), item_id)

    def _get(
        self, endpoint: Endpoint, params: list[tuple[str, str]], item_id: str | None = None
    ) -> Any:
        for attempt in build_retrying(self.budget, self.initial_backoff, self.max_backoff):
            with attempt:
                self.budget.wait_for_turn()
                return self._get_once(endpoint, params, item_id)
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _get_once(
        self, endpoint: Endpoint, params: list[tuple[str, str]], item_id: str | None
    ) -> Any:
        path = endpoint.url_path(None if item_id is None else quote(item_id, safe=""))
        response = self._http().get(
            self.base_url.rstrip("/") + path,
            params=params,
            timeout=(self.connect_timeout, self.read_timeout),
        )
        _raise_for_status(response, endpoint)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise TransientAPIError(f"Unreadable 200 body ({len(response.content)} bytes)") from exc

    def _http(self) -> requests.Session:
        if self._session is None:
            if not self.api_key.strip():
                # Refused here, not by a validator: pydantic errors would echo the value.
                raise DevinAPIError(
                    "DEVIN_API_KEY is empty: set it to a service-user key (prefix cog_)."
                )
            session = requests.Session()
            # Concurrent day windows share this session; the pool must hold all of them.
            session.mount("https://", HTTPAdapter(pool_maxsize=32))
            session.mount("http://", HTTPAdapter(pool_maxsize=32))
            session.headers["Accept"] = "application/json"
            session.auth = _BearerAuth(self.api_key)
            _read_environment_once(session, self.base_url)
            self._session = session
        return self._session


def _read_environment_once(session: requests.Session, base_url: str) -> None:
    """Takes the proxies and CA bundle requests would find in the environment, once.

    With `trust_env` on, requests reads them again on every request (proxy variables, no_proxy
    matching, the bundle variables): per-request CPU for settings that do not change during a
    run. Every request goes to `base_url`, so its proxies are the run's.
    """
    session.proxies.update(get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False


class _BearerAuth(AuthBase):
    """Sends the key as `Authorization: Bearer ...` on every request.

    As the session's `auth` rather than a default header it also stops requests from
    searching for a ~/.netrc on every request (~7% of a walk's CPU), and from letting a
    netrc login for the same host replace the key.
    """

    def __init__(self, key: str) -> None:
        self._key = key

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._key}"
        return request


def query_params(filters: dict[str, Any], first: int, after: str | None) -> list[tuple[str, str]]:
    """Encodes filters as the API wants: lists as repeated keys, booleans as true/false."""
    params: list[tuple[str, str]] = [("first", str(first))]
    if after is not None:
        params.append(("after", after))
    for name, value in filters.items():
        if value is None:
            continue
        if isinstance(value, bool):
            params.append((name, "true" if value else "false"))
        elif isinstance(value, (list, tuple)):
            params.extend((name, str(v)) for v in value)
        else:
            params.append((name, str(value)))
    return params


def _next_cursor(page: Page, seen: set[str]) -> str:
    """The cursor of the next page, refusing one that would loop or is missing."""
    cursor = page.end_cursor
    if not cursor:
        raise PaginationError(
            f"Page {page.number} says has_next_page but gives no end_cursor: "
            "the walk cannot go on and would silently truncate."
        )
    if cursor in seen:
        raise PaginationError(
            f"Page {page.number} repeats an earlier end_cursor: the walk would loop forever."
        )
    seen.add(cursor)
    return cursor


def _raise_for_status(response: requests.Response, endpoint: Endpoint) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in RETRYABLE_STATUSES:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        raise TransientAPIError(f"HTTP {status} from GET {endpoint.path}", retry_after)
    raise DevinAPIError(
        f"HTTP {status} from GET {endpoint.path}: {guidance_for(status, endpoint)} "
        f"API detail: {_detail(response)}",
        status,
    )


def _detail(response: requests.Response) -> str:
    """`detail` of FastAPI's shape and of RFC 9457 problem details alike (else `title`)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if not isinstance(body, dict):
        return str(body)[:300]
    return str(body.get("detail") or body.get("title") or body)[:500]
