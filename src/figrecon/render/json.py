"""The figures as JSON (indented, for diffs in git) and NDJSON (a figure per line)."""

from __future__ import annotations

import json
from typing import Any

from ..model import Result


def to_json(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"


def to_ndjson(result: Result) -> str:
    return "".join(f.model_dump_json() + "\n" for f in result.figures)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
