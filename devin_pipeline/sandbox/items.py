"""Serialize versions straight to JSON text; item dicts are parsed back from the same bytes,
so what tests compare against is byte-for-byte what the endpoint serves."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import orjson

from devin_pipeline.sandbox import vocab
from devin_pipeline.sandbox.generate import Names, Tables

_VERSION_COLUMNS = (
    "sess", "vno", "is_last", "upd", "org", "category", "tags", "status", "detail", "acus_cents",
)  # fmt: skip
_SESSION_COLUMNS = (
    "created", "id_hi", "id_lo", "origin", "user", "service_user", "playbook", "repo",
    "title", "title_from", "subcategory", "advanced", "archived", "output_kind",
    "output_from", "parent", "pr_count", "pr_appear", "pr_final_at", "pr_final_state",
    "pr_number",
)  # fmt: skip


def _tokens(values: Sequence[str]) -> tuple[str, ...]:
    """JSON tokens for a code table; code -1 (Python's last item) is `null`."""
    return (*(orjson.dumps(v).decode() for v in values), "null")


_ORIGINS = _tokens(vocab.ORIGINS)
_STATUSES = _tokens(vocab.STATUSES)
_DETAILS = _tokens(vocab.DETAILS)
_CATEGORIES = _tokens(vocab.CATEGORIES)
_SUBCATEGORIES = _tokens(vocab.SUBCATEGORIES)
_TITLE_TEXT = tuple(f"{verb} {obj}" for verb in vocab.TITLE_VERBS for obj in vocab.TITLE_OBJECTS)
_TITLES = _tokens(_TITLE_TEXT)
_TAG_LISTS = tuple(
    orjson.dumps([tag for bit, tag in enumerate(vocab.TAGS) if mask >> bit & 1]).decode()
    for mask in range(1 << len(vocab.TAGS))
)
_BOOL = ("false", "true")
_ADVANCED = ("", ',"is_advanced":false', ',"is_advanced":true')  # indexed by code + 1


class NameTokens:
    """JSON tokens of one dataset's names, computed once per dataset."""

    def __init__(self, names: Names) -> None:
        self.orgs = _tokens(names.orgs)
        self.users = _tokens(names.users)
        self.service_users = _tokens(names.service_users)
        self.playbooks = _tokens(names.playbooks)


def session_id(hi: int, lo: int) -> str:
    """The public id: `devin-` and 32 hex digits (two 64-bit halves, so ids sort as ints)."""
    return f"devin-{hi:016x}{lo:016x}"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building thousands of small containers triggers needless collections: pause them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def item_json(
    t: Tables, tokens: NameTokens, idx: np.ndarray, *, acus_cents: np.ndarray | None = None
) -> list[bytes]:
    """The API JSON of the versions `idx`, in that order; `acus_cents` (per version, all of
    them) replaces the truth's cumulative ACUs in acus_consumed."""
    sess = t.v["sess"][idx]
    per_version = t.v if acus_cents is None else {**t.v, "acus_cents": acus_cents}
    columns = [per_version[k][idx].tolist() for k in _VERSION_COLUMNS]
    columns += [t.s[k][sess].tolist() for k in _SESSION_COLUMNS]
    with _gc_paused():
        return [_json(t, tokens, row).encode() for row in zip(*columns, strict=True)]


def _json(t: Tables, tok: NameTokens, row: tuple) -> str:
    """One item's JSON, keys in the documented order, unknown extra fields last."""
    (si, vno, is_last, upd, org, category, tags, status, detail, cents,
     created, hi, lo, origin, user, service, playbook, repo, title, title_from, sub,
     advanced, archived, output_kind, output_from, parent,
     pr_count, pr_appear, pr_final_at, pr_state, pr_number) = row  # fmt: skip
    hex_id = f"{hi:016x}{lo:016x}"
    prs = _pull_requests(repo, vno, pr_count, pr_appear, pr_final_at, pr_state, pr_number)
    kids = "null" if vno == 0 else _children(t, si, upd) if si in t.children else "[]"
    output = _output(output_kind, title, si) if output_kind and vno >= output_from else "null"
    return (
        f'{{"acus_consumed":{cents / 100!r},"created_at":{created},'
        f'"org_id":{tok.orgs[org]},"origin":{_ORIGINS[origin]},"pull_requests":{prs},'
        f'"session_id":"devin-{hex_id}","status":{_STATUSES[status]},'
        f'"tags":{_TAG_LISTS[tags]},"updated_at":{upd},'
        f'"url":"https://app.devin.ai/sessions/{hex_id}","category":{_CATEGORIES[category]},'
        f'"child_session_ids":{kids},"is_archived":{_BOOL[archived and is_last]},'
        f'"parent_session_id":{"null" if parent < 0 else _sid_token(t, parent)},'
        f'"playbook_id":{tok.playbooks[playbook]},'
        f'"service_user_id":{tok.service_users[service]},"status_detail":{_DETAILS[detail]},'
        f'"structured_output":{output},'
        f'"subcategory":{_SUBCATEGORIES[sub if category >= 0 else -1]},'
        f'"title":{_TITLES[title if vno >= title_from else -1]},"user_id":{tok.users[user]}'
        f"{_ADVANCED[advanced + 1]}}}"
    )


def _sid_token(t: Tables, s: int) -> str:
    return f'"{session_id(int(t.s["id_hi"][s]), int(t.s["id_lo"][s]))}"'


def _children(t: Tables, s: int, upd: int) -> str:
    """Children created by the time of this version."""
    return "[" + ",".join(_sid_token(t, c) for created, c in t.children[s] if created <= upd) + "]"


def _pull_requests(
    repo: int, vno: int, count: int, appear: list, final_at: list, state: list, number: list
) -> str:
    """PRs opened by this version; each is `open` until it settles as merged or closed."""
    if not count:
        return "[]"
    prs = [
        f'{{"pr_state":"{vocab.PR_STATES[state[j]] if vno >= final_at[j] else "open"}",'
        f'"pr_url":"https://github.com/acme/repo-{repo}/pull/{number[j]}"}}'
        for j in range(count)
        if vno >= appear[j]
    ]
    return "[" + ",".join(prs) + "]"


def _output(kind: int, title: int, s: int) -> str:
    """Sessions differ in what they report: `{}` or an object (or null, decided by the caller)."""
    if kind == 1:
        return "{}"
    return (
        f'{{"summary":"{_TITLE_TEXT[title]}: done","confidence":{round(0.5 + (s % 50) / 100, 2)!r},'
        f'"files_changed":{1 + s % 17},"tests_passed":{_BOOL[s % 5 != 0]}}}'
    )
