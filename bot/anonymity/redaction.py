"""Keeps anonymous askers out of every log line, at every level, from every logger.

Two guards, installed once around ``logging.Logger.makeRecord`` (so they apply to every logger and every
handler, including pytest's caplog, and see ``extra=`` fields too):

* the user id and name of each anonymous asker seen by this process are scrubbed from the message, its
  arguments, ``extra=`` fields and exception text;
* DEBUG records of the platform SDKs (``slack_bolt``, ``slack_sdk``, ``discord``), which dump raw request
  and gateway bodies before anyone knows a request is anonymous, are withheld.
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any

REDACTED = "[redacted]"
WIRE_LOGGERS = ("slack_bolt", "slack_sdk", "discord", "aiohttp.access")
WITHHELD = "(platform SDK debug output withheld: it may carry request bodies of anonymous questions)"
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def protect(*values: str | None) -> None:
    """From now on, scrub these strings (an anonymous asker's user id and name) from every log record."""
    with _lock:
        _secrets.update(v for v in values if v and len(v) >= 2)


def forget_all() -> None:
    """Tests only: drop every protected value."""
    with _lock:
        _secrets.clear()


def scrub(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _is_wire(name: str) -> bool:
    return any(name == w or name.startswith(w + ".") for w in WIRE_LOGGERS)


def _clean(record: logging.LogRecord) -> logging.LogRecord:
    if record.levelno < logging.INFO and _is_wire(record.name):
        record.msg, record.args, record.exc_info, record.exc_text = WITHHELD, None, None, None
        return record
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep the template only
        message = str(record.msg)
    record.msg, record.args = scrub(message), None
    for key, value in list(record.__dict__.items()):
        if key in _STANDARD or isinstance(value, bool):
            continue
        if isinstance(value, str):
            record.__dict__[key] = scrub(value)
        elif isinstance(value, int) and str(value) in _secrets:
            record.__dict__[key] = REDACTED
        elif value is not None and not isinstance(value, int | float):
            cleaned = scrub(repr(value))
            if cleaned != repr(value):
                record.__dict__[key] = cleaned
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


def install() -> None:
    """Idempotent: every record any logger makes passes through the scrubber (after ``extra`` is set)."""
    global _installed
    with _lock:
        if _installed:
            return
        original = logging.Logger.makeRecord

        def make_record(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
            return _clean(original(self, *args, **kwargs))

        logging.Logger.makeRecord = make_record  # type: ignore[method-assign]
        _installed = True
