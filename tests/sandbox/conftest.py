"""Fixtures for the sandbox's own tests: small datasets and servers over real loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
import pytest
import requests

from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData

PATH = "/v3/enterprise/sessions"
START = date(2024, 6, 1)


@pytest.fixture(scope="session")
def small_data() -> SandboxData:
    """600 sessions over a week: every shape of item, generated in milliseconds."""
    return SandboxData.generate(sessions=600, seed=11, start=START, days=7)


@dataclass
class Served:
    """A running sandbox and a client for it that authenticates and walks pages."""

    sb: Sandbox
    base_url: str
    http: requests.Session = field(default_factory=requests.Session)

    def get(
        self, key: str | None = SANDBOX_API_KEY, *, path: str = PATH, **params: Any
    ) -> requests.Response:
        headers = {} if key is None else {"Authorization": f"Bearer {key}"}
        return self.http.get(self.base_url + path, params=params, headers=headers, timeout=10)

    def walk(self, *, path: str = PATH, **params: Any) -> list[dict[str, Any]]:
        """All items of a query, following end_cursor until has_next_page is false."""
        items: list[dict[str, Any]] = []
        after = None
        for _ in range(10_000):
            page = self.get(path=path, **params, **({"after": after} if after else {}))
            assert page.status_code == 200, page.text
            body = orjson.loads(page.content)
            items += body["items"]
            if not body["has_next_page"]:
                assert body["end_cursor"] is None
                return items
            after = body["end_cursor"]
        raise AssertionError("pagination did not end")


@pytest.fixture
def serve(small_data: SandboxData) -> Iterator[Callable[..., Served]]:
    """Factory: serve(data=None, **Sandbox kwargs) -> Served; all stopped after the test."""
    with ExitStack() as stack:

        def start(data: SandboxData | None = None, **kwargs: Any) -> Served:
            sb = Sandbox(data or small_data, **kwargs)
            served = Served(sb, stack.enter_context(sb.serve()))
            stack.callback(served.http.close)
            return served

        yield start


@pytest.fixture(params=["exclusive", "inclusive"])
def served(request: pytest.FixtureRequest, serve: Callable[..., Served]) -> Served:
    """The small dataset served under each bounds convention."""
    return serve(bounds=request.param)
