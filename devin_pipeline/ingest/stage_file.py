"""One day's fetched versions on disk until the day commits, one tab-separated line each.

A line is `<fetched_at us>\\t<updated_at>\\t<session_id as JSON>\\t<item JSON>`. A file, not
memory: a day can hold tens of thousands of versions and several days are fetched at once, so
staging in RAM (Python, Arrow or a DuckDB temp table) made memory grow with the data. Python
only re-serializes each item with orjson, which `raw` needs anyway; DuckDB reads the file
itself at commit and types the fields in C++ (`create_stage_reader.sql`). The key is
repeated in front so that finding the rows to replace needs no JSON parsing. JSON escapes
every tab and newline inside strings, so the tabs between fields are the only raw ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from devin_pipeline.warehouse.file_modes import open_private

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class StageFile:
    """Append-only stage of one day, written by the thread that walks the day."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._file = open_private(path)  # items hold names and prompts

    def append(self, items: list[dict[str, Any]], fetched_at: datetime) -> None:
        """Adds one page's fresh items, all stamped with the time the page was read."""
        stamp = b"%d\t" % ((fetched_at - _EPOCH) // _MICROSECOND)
        newline, dumps = orjson.OPT_APPEND_NEWLINE, orjson.dumps
        lines = [
            b"%s%d\t%s\t%s"
            % (stamp, item["updated_at"], dumps(item["session_id"]), dumps(item, option=newline))
            for item in items
        ]
        self._file.write(b"".join(lines))
        self.rows += len(items)

    def close(self) -> None:
        """Flushes the file so DuckDB reads every line."""
        self._file.close()

    def remove(self) -> None:
        """Deletes the file (the day committed, or failed)."""
        self._file.close()
        self.path.unlink(missing_ok=True)
