"""Structured logs: one JSON object per line.

Request lines carry the route's template (``/scan/{wsp}/{token}/resultaat``), never the
raw path or query, so tokens in URLs, bodies, passwords and session ids never reach a log.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import msgspec

_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
# Whatever a caller passes in ``extra`` under these names is dropped, not logged.
_SECRET_KEYS = {"password", "token", "secret", "session", "cookie", "authorization", "body"}
# uvicorn adds a copy of its message with terminal colour codes.
_NOISE = {"color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in _NOISE or key.startswith("_"):
                continue
            if any(secret in key.lower() for secret in _SECRET_KEYS):
                continue
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return msgspec.json.encode(entry, enc_hook=str).decode()


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Piccolo announces the database version at every engine start; only problems matter.
    logging.getLogger("piccolo").setLevel(max(logging.WARNING, root.level))
    # uvicorn's access log prints raw paths (with scan tokens); ours replaces it.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
