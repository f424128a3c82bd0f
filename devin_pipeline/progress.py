"""Backfill progress in the terminal: the asset's own log lines, with a rate, and failures.

The snapshots asset logs one line per committed day to the Dagster run log ("... 3/14 days
done, 41200 versions so far"). In-process runs started by the CLI attach this logger instead
of Dagster's console logger, so the terminal shows those lines (plus versions per second)
rather than every engine event. The run log in the UI keeps everything either way.
"""

from __future__ import annotations

import logging
import re
import time

from dagster import InitLoggerContext, LoggerDefinition
from rich.console import Console
from rich.markup import escape

PROGRESS_LOGGER = "progress"
DAYS_DONE = re.compile(r"(?P<done>\d+)/(?P<total>\d+) days done, (?P<rows>\d+) versions so far")


class ProgressHandler(logging.Handler):
    """Prints user log lines from the run; of Dagster's own events, only errors."""

    def __init__(self, console: Console) -> None:
        super().__init__(level=logging.INFO)
        self._console = console
        self._started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is not None and record.levelno < logging.ERROR:
            return  # engine events (step start, outputs, ...): the UI has them
        message = meta.get("orig_message") or record.getMessage()
        if record.levelno >= logging.ERROR:
            line = f"  [red]{escape(message.rstrip('.'))}[/]{escape(_error_of(event))}"
        else:
            line = f"  {escape(message)}{self._rate(message)}"
        self._console.print(line, soft_wrap=True)

    def _rate(self, message: str) -> str:
        match = DAYS_DONE.search(message)
        elapsed = time.monotonic() - self._started
        if match is None or elapsed <= 0:
            return ""
        return f" ({int(match['rows']) / elapsed:,.0f} versions/s, {elapsed:.1f}s)"


def _error_of(event: object) -> str:
    """The first line of the root cause: Dagster wraps the asset's own exception."""
    error = getattr(getattr(event, "event_specific_data", None), "error", None)
    while getattr(error, "cause", None) is not None:
        error = error.cause  # type: ignore[union-attr]
    text = getattr(error, "message", "") or ""
    return f": {text.strip().splitlines()[0]}" if text.strip() else ""


def progress_logger(console: Console) -> LoggerDefinition:
    """A Dagster logger printing run progress to `console`; enable it with `progress_run_config`."""

    def init(_: InitLoggerContext) -> logging.Logger:
        logger = logging.Logger("devin_pipeline.progress", level=logging.INFO)
        logger.addHandler(ProgressHandler(console))
        return logger

    return LoggerDefinition(init, description="Run progress for the terminal.")


def progress_run_config() -> dict[str, object]:
    """Run config selecting only the progress logger (so Dagster's console logger stays off)."""
    return {"loggers": {PROGRESS_LOGGER: {}}}
