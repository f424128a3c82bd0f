"""Session insights: each session's current item plus message counts, a size that grows with
ACUs and messages, and Devin's analysis, which appears one to two days after the session's
last update (for ~12% of sessions, never). Analyses carry keys and action-item types the docs
do not list, and free text (non-ASCII, quoting people) a warehouse may not keep."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from devin_pipeline.sandbox.consumption import DAY
from devin_pipeline.sandbox.query import Filters, select

if TYPE_CHECKING:
    from devin_pipeline.sandbox.data import SandboxData

SIZES = ("xs", "s", "m", "l", "xl")
# A session's size score is ACUs + messages / 4; these are the (unpublished) thresholds.
SIZE_THRESHOLDS = (2.0, 6.0, 15.0, 30.0)
NEVER_ANALYSED = 0.12
ACTION_TYPES = ("machine_setup", "repo_config", "knowledge", "prompt_improvement", "other")
UNKNOWN_ACTION_TYPE = "security_review"  # not documented: every 7th analysed session has one
CLASSIFICATIONS = ("Bug fix", "Feature development", "Refactoring", "Correção de bug",
                   "Fehlerbehebung", "機能開発", "Tests unitaires")  # fmt: skip
LANGUAGES = ("Python", "TypeScript", "Go", "Rust", "Java", "SQL")
TOOLS = ("pytest", "React", "Django", "Terraform", "dbt", "Kubernetes")
ISSUE_LABELS = ("Environment", "Permissions", "Ambiguous request", "Flaky tests")
# Free text: what people typed or what Devin wrote about them. Never stored without personal data.
ISSUE_TEXT = ("Zoë a dû relancer le déploiement trois fois",
              "José asked for the staging password in chat",
              "王芳 said the repo setup guide is out of date",
              "Łukasz had to approve every shell command by hand")  # fmt: skip
PROMPTS = ("Bitte die Tests für den Zahlungsdienst reparieren, Grüße Jürgen",
           "Fix the flaky login test that Anaïs reported")  # fmt: skip


class Insights:
    """The insights list over a history, at a clock; deterministic per (seed, session)."""

    def __init__(self, data: SandboxData) -> None:
        self.data = data
        t = data.tables
        rng = np.random.default_rng([data.seed, 4])
        n = t.s["created"].size
        self.user_rate = rng.uniform(0.5, 2.5, n)  # user messages per version
        self.devin_rate = rng.uniform(2.0, 6.0, n)  # Devin messages per user message
        never = rng.random(n) < NEVER_ANALYSED
        delay = rng.integers(DAY, 2 * DAY + 1, n)
        last_update = np.zeros(n, dtype=np.int64)
        last_update[t.v["sess"][t.v["is_last"]]] = t.v["upd"][t.v["is_last"]]
        self.analysed_at = np.where(never, np.iinfo(np.int64).max, last_update + delay)

    def items(self, filters: Filters, clock: int) -> list[dict[str, Any]]:
        """Each session's insights at `clock` (its current version's fields), newest first."""
        idx = select(self.data.index, filters, clock)
        raw = self.data.item_bytes(idx)
        return [
            self._item(orjson.loads(body), int(self.data.tables.v["sess"][k]), int(vno), clock)
            for body, k, vno in zip(raw, idx.tolist(), self.data.tables.v["vno"][idx], strict=True)
        ]

    def _item(self, session: dict[str, Any], s: int, vno: int, clock: int) -> dict[str, Any]:
        users = 1 + int(vno * self.user_rate[s])
        devins = users + int(users * self.devin_rate[s])
        score = session["acus_consumed"] + (users + devins) / 4
        size = SIZES[int(np.searchsorted(SIZE_THRESHOLDS, score, side="right"))]
        analysed = clock >= self.analysed_at[s]
        return {
            **session,
            "num_user_messages": users,
            "num_devin_messages": devins,
            "session_size": size,
            "analysis": analysis(self.data.seed, s) if analysed else None,
        }


def analysis(seed: int, s: int) -> dict[str, Any]:
    """Devin's analysis of session `s`: every sub-key present or not by draw, some unknown."""
    rng = np.random.default_rng([seed, 5, s])
    n_issues = int(rng.integers(0, 4))
    issues = [
        {
            "id": f"issue_{k + 1}",
            "label": ISSUE_LABELS[int(rng.integers(len(ISSUE_LABELS)))],
            "impact": ("High", "Medium", "Low")[int(rng.integers(3))],
            "issue": ISSUE_TEXT[(s + k) % len(ISSUE_TEXT)],
        }
        for k in range(n_issues)
    ]
    types = [ACTION_TYPES[int(rng.integers(len(ACTION_TYPES)))] for _ in range(n_issues)]
    if s % 7 == 0:
        types.append(UNKNOWN_ACTION_TYPE)
    actions = [
        {"issue_id": f"issue_{k + 1}", "type": kind, "action_item": f"Zoë: {kind} ({s})"}
        for k, kind in enumerate(types)
    ]
    body: dict[str, Any] = {
        "classification": {
            "category": CLASSIFICATIONS[s % len(CLASSIFICATIONS)],
            "confidence": round(float(rng.uniform(0.4, 0.99)), 2),
            "programming_languages": sorted({LANGUAGES[int(i)] for i in rng.integers(0, 6, 2)}),
            "tools_and_frameworks": sorted({TOOLS[int(i)] for i in rng.integers(0, 6, 2)}),
        },
        "issues": issues,
        "action_items": actions,
        "timeline": [
            {
                "title": "Début",
                "description": f"Session {s} démarrée par Zoë",
                "color": "green",
                "issue_id": None,
            }
        ],
        "note_usage": {
            "good_usages": [
                {
                    "note_id": f"note-{s % 13}",
                    "message": "Used Jürgen's deploy note",
                    "reason": "it named the right cluster",
                }
            ],
            "bad_usages": [],
        },
        "suggested_prompt": {
            "original_prompt": PROMPTS[s % 2],
            "suggested_prompt": PROMPTS[s % 2] + " — with the failing test name",
            "feedback_items": [],
        },
    }
    if s % 5 == 0:
        body["sentiment"] = {"score": 0.7, "scale": "0..1"}  # a key the docs do not list
    if s % 11 == 0:
        del body["timeline"]  # every sub-key may be missing
    return body
