"""The JSON of Socket.IO packets, as python-socketio reads them, made to refuse what it cannot
read instead of failing before any handler runs (which leaves a message unanswered and a
traceback in the log).

- An integer of more than 100 digits (python-engineio refuses to parse it, against CPU-costly
  conversions) becomes ``inf``, which no command field accepts: the action refuses it by name.
- A message nested deeper than the parser goes becomes the message ``MALFORMED``, which every
  namespace answers with ``invalid_body``.
"""

from __future__ import annotations

import json
from typing import Any

MALFORMED = "__malformed__"
MAX_INT_DIGITS = 100


def _bounded_int(text: str) -> int | float:
    return int(text) if len(text) <= MAX_INT_DIGITS else float("inf")


def loads(*args: Any, **kwargs: Any) -> Any:
    """``json.loads`` for incoming packets."""
    kwargs.setdefault("parse_int", _bounded_int)
    try:
        return json.loads(*args, **kwargs)
    except RecursionError:
        return [MALFORMED]


def dumps(*args: Any, **kwargs: Any) -> str:
    """``json.dumps`` for outgoing packets."""
    return json.dumps(*args, **kwargs)
