"""The sandbox's billing cycles, cycle caps and session insights, over real loopback HTTP."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import numpy as np

from devin_pipeline.sandbox.cycles import contract_day
from devin_pipeline.sandbox.insights import SIZES
from devin_pipeline.sandbox.vocab import CYCLES_PATH, INSIGHTS_PATH

DAY = 86_400


def test_cycles_are_monthly_from_the_contract_day_running_one_optional(serve, small_data):
    listed = serve().walk(path=CYCLES_PATH, first=2)
    starts = [datetime.fromtimestamp(c["after"], UTC) for c in reversed(listed)]
    day = contract_day(small_data.end)
    assert all((s.day, s.hour, s.minute) == (day, 8, 0) for s in starts)
    assert all(a["after"] == b["before"] for a, b in itertools.pairwise(listed))
    assert listed[0]["after"] <= small_data.end < listed[0]["before"]  # the running cycle
    assert listed[-1]["after"] < small_data.start - 60 * DAY  # a few past ones
    without = serve(running_cycle=False).walk(path=CYCLES_PATH)
    assert without == listed[1:]


def test_caps_put_one_org_over_80_percent_and_one_forecast_over(serve, small_data):
    enterprise = small_data.enterprise
    plan = enterprise.budget_plan
    orgs = {o["org_id"]: o for o in serve().walk(path="/v3/enterprise/organizations")}
    capped = {o for o, item in orgs.items() if item["max_cycle_acu_limit"] is not None}
    assert capped == {plan.crossing, plan.forecast_over, plan.within}
    none = serve(cycle_limits=False).walk(path="/v3/enterprise/organizations")
    assert all(o["max_cycle_acu_limit"] is None for o in none)


def test_insights_follow_their_sessions(serve, small_data):
    served = serve()
    clock = served.sb.clock
    insights = {i["session_id"]: i for i in served.walk(path=INSIGHTS_PATH, first=50,
                                                       include_deleted_orgs="true")}  # fmt: skip
    sessions = {s["session_id"]: s for s in small_data.visible(clock)}
    assert set(insights) == set(sessions)
    for sid, item in insights.items():
        assert {k: item[k] for k in sessions[sid]} == sessions[sid]  # the session's fields
    score = [i["acus_consumed"] + (i["num_user_messages"] + i["num_devin_messages"]) / 4
             for i in insights.values()]  # fmt: skip
    rank = [SIZES.index(i["session_size"]) for i in insights.values()]
    order = np.argsort(score, kind="stable")
    assert np.all(np.diff(np.asarray(rank)[order]) >= 0), "size grows with ACUs and messages"
    text = str([i["analysis"] for i in insights.values()])
    assert "Zoë" in text and "機能開発" in text and "security_review" in text


def test_analyses_appear_one_to_two_days_after_the_last_update(serve, small_data):
    served = serve()
    last = {s["session_id"]: s["updated_at"] for s in small_data.visible(10**10)}
    served.sb.clock = small_data.end + 10 * DAY
    late = {
        i["session_id"]: i for i in served.walk(path=INSIGHTS_PATH, include_deleted_orgs="true")
    }
    analysed = [s for s, i in late.items() if i["analysis"] is not None]
    assert 0.8 < len(analysed) / len(late) < 0.95  # some never
    for sid in analysed[:50]:
        served.sb.clock = last[sid] + DAY - 1
        [early] = served.walk(path=INSIGHTS_PATH, session_ids=sid, include_deleted_orgs="true")
        served.sb.clock = last[sid] + 2 * DAY
        [later] = served.walk(path=INSIGHTS_PATH, session_ids=sid, include_deleted_orgs="true")
        assert early["analysis"] is None and later["analysis"] == late[sid]["analysis"]


def test_refused_paths_answer_403_problem_details(serve):
    served = serve(refused_paths=(INSIGHTS_PATH,))
    refused = served.get(path=INSIGHTS_PATH)
    assert refused.status_code == 403 and "ViewAccountSessions" in refused.json()["detail"]
    assert served.get(path=CYCLES_PATH).status_code == 200
    assert served.get().status_code == 200  # the sessions list itself is not refused
