"""JSON logs, one object per line, from structlog and the standard library through one handler.

:func:`json_logs` sends every record of the ``shop`` loggers, whether written with structlog
(``structlog.get_logger("shop.orders").info("paid", order=7)``) or with the standard library
(``logging.getLogger("shop.db").warning("slow query")``), through the same processors and into
one file as JSON lines: a time stamp in UTC, the level, the logger, the request's context
(``request_id``, ``service``, bound with :mod:`structlog.contextvars`) and secrets replaced by
``[REDACTED]``. :func:`read_json_lines`, :func:`search` and :func:`count_by` then do, on that
file, the searching and counting a log store (Elasticsearch with Kibana) does on many.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import structlog

#: The loggers the lesson's services write to ("shop", "shop.orders", ...).
ROOT_LOGGER = "shop"
#: What a secret's value becomes in a log line.
REDACTED = "[REDACTED]"
#: Field names whose values never reach a log line (compared in lower case, "-" as "_";
#: a name that ends with "_" + one of these counts too: "db_password", "refresh_token").
SECRET_NAMES = ("password", "token", "authorization", "api_key", "secret", "cookie")


def is_secret(name: str) -> bool:
    """True for a field name that holds a secret: ``Authorization``, ``db_password``."""
    key = name.lower().replace("-", "_")
    return any(key == s or key.endswith("_" + s) for s in SECRET_NAMES)


def _redacted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: REDACTED if is_secret(str(k)) else _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value


def redact_secrets(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: secrets, at any depth of dicts and lists, become ``[REDACTED]``."""
    return {k: REDACTED if is_secret(k) else _redacted(v) for k, v in event_dict.items()}


def shared_processors() -> list[Any]:
    """What every record goes through, from structlog or from the standard library."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
        redact_secrets,
    ]


@contextmanager
def json_logs(path: Path, *, level: int = logging.INFO) -> Iterator[logging.Handler]:
    """Within the block, the ``shop`` loggers (structlog's and the standard library's) write
    JSON lines to ``path``; afterwards the handler is closed and removed."""
    structlog.configure(
        processors=[
            *shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            # records from logging.getLogger(...), with the fields given in `extra=`
            foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared_processors()],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(sort_keys=False),
            ],
        )
    )
    root = logging.getLogger(ROOT_LOGGER)
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        handler.close()
        structlog.reset_defaults()


def read_json_lines(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSON-lines log file, parsed."""
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def search(records: list[dict[str, Any]], **fields: Any) -> list[dict[str, Any]]:
    """The records whose fields equal all of ``fields`` (``level="error", service="orders"``):
    the filter a log store's query bar applies."""
    return [r for r in records if all(r.get(k) == v for k, v in fields.items())]


def count_by(records: list[dict[str, Any]], field: str) -> dict[Any, int]:
    """How many records have each value of ``field``, most frequent first (a terms count)."""
    return dict(Counter(r.get(field) for r in records).most_common())
