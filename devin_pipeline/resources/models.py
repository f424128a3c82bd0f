"""Typed models at the API boundary: what a session item and a page must look like.

Unknown fields and unknown enum values are kept (the docs already lag the API, docs/api.md);
only missing required fields and wrong types are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)

from devin_pipeline.resources.errors import SchemaError

T = TypeVar("T")


class PullRequest(BaseModel):
    """One pull request of a session; `pr_state` is free text (open, merged, closed, ...)."""

    model_config = ConfigDict(extra="allow")
    pr_url: StrictStr
    pr_state: StrictStr | None = None


class SessionItem(BaseModel):
    """A session as `GET /v3/enterprise/sessions` returns it; required fields first."""

    model_config = ConfigDict(extra="allow")
    session_id: StrictStr
    created_at: StrictInt
    updated_at: StrictInt
    acus_consumed: StrictInt | StrictFloat
    org_id: StrictStr
    origin: StrictStr
    status: StrictStr
    url: StrictStr
    tags: list[StrictStr]
    pull_requests: list[PullRequest]
    category: StrictStr | None = None
    child_session_ids: list[StrictStr] | None = None
    is_archived: StrictBool | None = None
    parent_session_id: StrictStr | None = None
    playbook_id: StrictStr | None = None
    service_user_id: StrictStr | None = None
    status_detail: StrictStr | None = None
    structured_output: dict[str, Any] | list[Any] | None = None
    subcategory: StrictStr | None = None
    title: StrictStr | None = None
    user_id: StrictStr | None = None


_ITEMS = TypeAdapter(list[SessionItem])

# The fast path below, field by field; keep it in step with SessionItem.
_REQUIRED_STRS = ("session_id", "org_id", "origin", "status", "url")
_OPTIONAL_STRS = (
    "category",
    "parent_session_id",
    "playbook_id",
    "service_user_id",
    "status_detail",
    "subcategory",
    "title",
    "user_id",
)
_STR = frozenset({str})
_STR_OR_NONE = frozenset({str, type(None)})
_NUMBER = frozenset({int, float})


def _surely_valid(item: Any) -> bool:
    """True only for an item `SessionItem` accepts, ~4x faster than pydantic (which builds models).

    It may say False for a valid item (then pydantic decides), never True for an invalid one,
    so errors and their messages are always pydantic's. `map` keeps the loops in C.
    """
    if type(item) is not dict:
        return False
    get = item.get
    return (
        set(map(type, map(get, _REQUIRED_STRS))) == _STR
        and set(map(type, map(get, _OPTIONAL_STRS))) <= _STR_OR_NONE
        and type(get("created_at")) is int
        and type(get("updated_at")) is int
        and type(get("acus_consumed")) in _NUMBER
        and _str_list(get("tags"))
        and (get("child_session_ids") is None or _str_list(get("child_session_ids")))
        and (get("is_archived") is None or type(get("is_archived")) is bool)
        and _plain_output(get("structured_output"))
        and _pull_requests(get("pull_requests"))
    )


def _str_list(value: Any) -> bool:
    return type(value) is list and set(map(type, value)) <= _STR


def _plain_output(value: Any) -> bool:
    kind = type(value)
    return value is None or kind is list or (kind is dict and set(map(type, value)) <= _STR)


def _pull_requests(value: Any) -> bool:
    if type(value) is not list:
        return False
    for pr in value:
        if type(pr) is not dict or type(pr.get("pr_url")) is not str:
            return False
        if type(pr.get("pr_state")) not in _STR_OR_NONE:
            return False
    return True


@dataclass(frozen=True)
class ItemSchema:
    """How one list endpoint's items are validated: a pydantic model and the field naming an item.

    `fast_check` may say False for a valid item (pydantic then decides), never True for an
    invalid one, so error messages are always pydantic's.
    """

    kind: str
    adapter: TypeAdapter[Any]
    id_field: str
    fast_check: Callable[[Any], bool] | None = None

    def check(self, items: list[Any], number: int) -> None:
        """Raises SchemaError naming the first item and field that break the schema."""
        if self.fast_check is not None and all(map(self.fast_check, items)):
            return
        try:
            self.adapter.validate_python(items)
        except ValidationError as exc:
            raise SchemaError(self._describe(exc, items, number)) from None

    def _describe(self, exc: ValidationError, items: list[Any], number: int) -> str:
        error = exc.errors(include_url=False, include_input=False)[0]
        index, *path = error["loc"]
        item = items[int(index)]
        ident = item.get(self.id_field) if isinstance(item, dict) else None
        who = f"{self.id_field}={ident!r}" if isinstance(ident, str) else f"no {self.id_field}"
        field = ".".join(str(p) for p in path) or "(item)"
        return (
            f"Item {index} of {self.kind} page {number} ({who}) breaks the API schema at field "
            f"'{field}': {error['msg']}. Nothing from this run was written."
        )


SESSION_ITEMS = ItemSchema("sessions", _ITEMS, "session_id", _surely_valid)


@dataclass(frozen=True)
class Page:
    """One validated page of a list endpoint. Items stay the dicts the API sent, so nothing it
    says is lost."""

    items: list[dict[str, Any]]
    end_cursor: str | None
    has_next_page: bool
    total: int | None
    number: int


SessionPage = Page  # the sessions endpoint's pages, by the name the ingest code knows


def parse_page(body: Any, number: int, schema: ItemSchema = SESSION_ITEMS) -> Page:
    """Checks the page envelope and every item, naming the first item and field that break it."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise SchemaError(f"Page {number} is not a {schema.kind} page: no 'items' list.")
    items: list[dict[str, Any]] = body["items"]
    schema.check(items, number)
    cursor = body.get("end_cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise SchemaError(f"Page {number}: end_cursor is {type(cursor).__name__}, not a string.")
    total = body.get("total")
    return Page(items, cursor, body.get("has_next_page") is True, total, number)


def validate_body(adapter: TypeAdapter[T], body: Any, path: str) -> T:
    """A body that is not paged (consumption, metrics) as its typed model, or a SchemaError
    naming the first field that breaks it."""
    try:
        return adapter.validate_python(body)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(p) for p in error["loc"]) or "(body)"
        raise SchemaError(
            f"GET {path} breaks the API schema at field '{field}': "
            f"{error['msg']}. Nothing from this run was written."
        ) from None
