"""The fast validation path never accepts an item the pydantic model would refuse."""

from __future__ import annotations

import copy
import random

import pytest
from pydantic import ValidationError

from devin_pipeline.resources.models import SessionItem, _surely_valid

BAD_VALUES = [None, "", "x", 0, 1, -1, 1.5, True, False, [], ["a"], [1], {}, {"a": 1}, [{}]]


def mutations(item: dict, rng: random.Random):
    """The item with one field removed or replaced by a value of another type."""
    for field in list(item):
        removed = copy.deepcopy(item)
        del removed[field]
        yield removed
        for value in rng.sample(BAD_VALUES, 6):
            changed = copy.deepcopy(item)
            changed[field] = value
            yield changed
    for value in BAD_VALUES:
        bad_pr = copy.deepcopy(item)
        bad_pr["pull_requests"] = [{"pr_url": value, "pr_state": "open"}]
        yield bad_pr


def pydantic_accepts(item: dict) -> bool:
    try:
        SessionItem.model_validate(item)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_accepts_only_what_the_model_accepts(sandbox_data, seed):
    rng = random.Random(seed)
    items = rng.sample(sandbox_data.all_versions(), 20)
    checked = 0
    for item in items:
        assert _surely_valid(item) and pydantic_accepts(item)
        for mutated in mutations(item, rng):
            if _surely_valid(mutated):
                assert pydantic_accepts(mutated), mutated
            checked += 1
    assert checked > 1000


def test_metrics_bodies_keep_unknown_fields_and_keys_and_name_a_bad_field():
    from devin_pipeline.resources.errors import SchemaError
    from devin_pipeline.resources.metrics_models import ACTIVE_USER_BUCKETS, SESSION_METRICS
    from devin_pipeline.resources.models import validate_body

    body = {
        "sessions_created_count": 7,
        "sessions_created_by_origin": {"webapp": 3, "vscode_extension": 2, "devin_spaces": 1},
        "sessions_created_by_size": {"xs": 5, "xxl": 2},
        "sessions_created_by_team": {"a": 1},  # a field the docs do not know
    }
    parsed = validate_body(SESSION_METRICS, body, "/v3/enterprise/metrics/sessions")
    assert parsed.sessions_created_by_origin == body["sessions_created_by_origin"]
    assert parsed.sessions_created_by_size == {"xs": 5, "xxl": 2}
    assert parsed.model_extra == {"sessions_created_by_team": {"a": 1}}
    assert parsed.sessions_with_merged_prs_count is None, "a figure not sent is not 0"
    bad = [{"active_users": "3", "start_time": 0, "end_time": 86400}]
    with pytest.raises(SchemaError, match=r"metrics/dau .* field '0.active_users'"):
        validate_body(ACTIVE_USER_BUCKETS, bad, "/v3/enterprise/metrics/dau")
