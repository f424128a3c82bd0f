"""Session insights items -> rows of `session_insights`: counts and classification labels
taken out of `analysis`, which is kept as sent, or, without personal data, reduced to what
holds no free text (people's words can be quoted in issues, action items, timeline, prompts
and note usages)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import orjson

_LABELS = ("category", "confidence", "programming_languages", "tools_and_frameworks")


def insight_row(item: dict[str, Any], store_personal_data: bool) -> dict[str, Any]:
    """One row of session_insights from one item of the insights list."""
    analysis = item.get("analysis")
    found = isinstance(analysis, dict)
    body = _mapping(analysis)
    classification = _mapping(body.get("classification"))
    issues = _list(body.get("issues"))
    kept = body if store_personal_data or not found else without_free_text(body)
    return {
        "session_id": item["session_id"],
        "created_at": datetime.fromtimestamp(item["created_at"], UTC),
        "session_size": item.get("session_size"),
        "num_user_messages": item.get("num_user_messages"),
        "num_devin_messages": item.get("num_devin_messages"),
        "has_analysis": found,
        "analysis_category": _text(classification.get("category")),
        "analysis_confidence": _number(classification.get("confidence")),
        "programming_languages": _texts(classification.get("programming_languages")),
        "tools_and_frameworks": _texts(classification.get("tools_and_frameworks")),
        "issues": len(issues) if found else None,
        "action_items_by_type": _action_counts(body) if found else None,
        "analysis": orjson.dumps(kept).decode() if found else None,
    }


def without_free_text(analysis: dict[str, Any]) -> dict[str, Any]:
    """The analysis with counts and labels only: the classification, each issue's id, label
    and impact, each action item's issue and type, and how many timeline entries, note
    usages and prompt feedback items there were. Unknown keys may hold text: dropped."""
    classification = _mapping(analysis.get("classification"))
    notes = _mapping(analysis.get("note_usage"))
    prompt = _mapping(analysis.get("suggested_prompt"))
    return {
        "classification": {k: classification[k] for k in _LABELS if k in classification},
        "issues": [
            {k: i.get(k) for k in ("id", "label", "impact")} for i in _list(analysis.get("issues"))
        ],
        "action_items": [
            {k: a.get(k) for k in ("issue_id", "type")} for a in _list(analysis.get("action_items"))
        ],
        "timeline_entries": len(_list(analysis.get("timeline"))),
        "note_usages": {k: len(_list(notes.get(k))) for k in ("good_usages", "bad_usages")},
        "prompt_feedback_items": len(_list(prompt.get("feedback_items"))),
    }


def _action_counts(analysis: dict[str, Any]) -> dict[str, int]:
    types = (a.get("type") for a in _list(analysis.get("action_items")))
    return dict(Counter(t if isinstance(t, str) else "unknown" for t in types))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None


def _texts(value: Any) -> list[str] | None:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else None
