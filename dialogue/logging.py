"""A log formatter that writes one JSON object per line (the audit log's format).

A record logged with `extra={"audit": {...}}` (dialogue.audit.audit_event) becomes
that object plus "timestamp" (ISO 8601, UTC), "level" and "logger"; any other
record gets its message as "message". Non-ASCII text stays readable (UTF-8), and
newlines in values are escaped, so one line is always one event.
"""

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        audit = getattr(record, "audit", None)
        if isinstance(audit, dict):
            entry.update(audit)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
