"""The static checks as one phase that runs inside a sandbox, and the JSON that carries its evidence out.

pylint/astroid can be made to load a submission's native files, so the static checks never run in the
grader's process: `sandbox/tools/aie_static.py` runs them in a sandbox run over a copy of the files
they read, and the host rebuilds the evidence from a size-capped JSON file that it validates here
(`evidence_from_json`): whatever came out of the sandbox is hostile input.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from checks import CATALOGUE
from checks.base import ERROR, NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext

STATIC_CHECKS: tuple[type[Check], ...] = tuple(c for c in CATALOGUE if c.kind == "static")
CONTEXT_FIELDS = ("python_files", "notebooks", "readme", "run_script", "requirement_files", "all_files",
                  "dataset_file", "dataset_columns", "target", "settings")
MAX_RESULT_BYTES = 16 * 1024 * 1024
MAX_FINDINGS = 400
MAX_LOCATIONS = 400
MAX_TEXT = 4000
MAX_DATA_BYTES = 2 * 1024 * 1024


class InvalidResult(ValueError):
    """The sandbox's static result is not what the grader asked for."""


def run_static_checks(ctx: CheckContext) -> list[Evidence]:
    """Every static check of the catalogue on one context, in catalogue order (a failing check is an ERROR)."""
    return [check_class()(ctx) for check_class in STATIC_CHECKS]


def context_to_json(ctx: CheckContext) -> str:
    """What the sandbox needs to rebuild the context: the layout intake found and the pack's settings."""
    fields = {name: getattr(ctx, name) for name in CONTEXT_FIELDS}
    fields["dataset_columns"] = list(ctx.dataset_columns)
    fields["settings"] = {k: v for k, v in ctx.settings.items() if _plain(v)}
    return json.dumps(fields)


def context_from_json(root: Path, text: str) -> CheckContext:
    fields = json.loads(text)
    fields["dataset_columns"] = tuple(fields.get("dataset_columns") or ())
    return CheckContext(root=root, **{k: fields[k] for k in CONTEXT_FIELDS if k in fields})


def evidence_to_json(evidence: list[Evidence]) -> str:
    """The evidence as the host will accept it: lists and texts cut to the caps evidence_from_json enforces."""
    return json.dumps([{
        "code": e.code, "status": e.status, "summary": e.summary[:MAX_TEXT],
        "metrics": {k: v[:200] if isinstance(v, str) else v for k, v in e.metrics.items()},
        "findings": [f[:MAX_TEXT] for f in e.findings[:MAX_FINDINGS]],
        "locations": [[loc.path, loc.line, loc.snippet[:300]] for loc in e.locations[:MAX_LOCATIONS]],
        "confidence": e.confidence, "data": e.data,
    } for e in evidence], default=str)


def evidence_from_json(raw: bytes) -> list[Evidence]:
    """Rebuild and validate the static evidence: every static check exactly once, plain values within caps.

    Names and rubric lines come from the host's own catalogue, never from the sandbox. Raises InvalidResult.
    """
    if len(raw) > MAX_RESULT_BYTES:
        raise InvalidResult(f"{len(raw)} bytes, over the {MAX_RESULT_BYTES}-byte cap")
    try:
        items = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InvalidResult(f"not JSON ({type(exc).__name__})") from exc
    if not isinstance(items, list):
        raise InvalidResult("not a list of evidence")
    by_code = {c.code: c for c in STATIC_CHECKS}
    found: dict[str, Evidence] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("code") not in by_code or item["code"] in found:
            raise InvalidResult("an unknown, duplicate or malformed evidence item")
        found[item["code"]] = _one(by_code[item["code"]], item)
    missing = sorted(set(by_code) - set(found))
    if missing:
        raise InvalidResult(f"no evidence for {', '.join(missing)}")
    return [found[c.code] for c in STATIC_CHECKS]


def _one(check: type[Check], item: dict) -> Evidence:
    status = item.get("status")
    if status not in (OK, NOT_APPLICABLE, ERROR):
        raise InvalidResult(f"{check.code}: bad status")
    metrics = item.get("metrics")
    if not isinstance(metrics, dict) or not all(isinstance(k, str) and _scalar(v) for k, v in metrics.items()):
        raise InvalidResult(f"{check.code}: metrics must map names to numbers, booleans or short strings")
    confidence = item.get("confidence")
    if not isinstance(confidence, (int, float)) or not 0.0 <= confidence <= 1.0:
        raise InvalidResult(f"{check.code}: bad confidence")
    data = item.get("data")
    if not isinstance(data, dict) or len(json.dumps(data)) > MAX_DATA_BYTES:
        raise InvalidResult(f"{check.code}: data must be a JSON object under {MAX_DATA_BYTES} bytes")
    return Evidence(code=check.code, name=check.name, lines=check.lines, status=status,
                    summary=_text(item.get("summary"), check.code), metrics=metrics,
                    findings=[_text(f, check.code) for f in _list(item.get("findings"), MAX_FINDINGS, check.code)],
                    locations=[_location(loc, check.code) for loc in _list(item.get("locations"), MAX_LOCATIONS,
                                                                           check.code)],
                    confidence=float(confidence), data=data)


def _scalar(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (bool, int)) or (isinstance(value, str) and len(value) <= 200)


def _plain(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _text(value: object, code: str) -> str:
    if not isinstance(value, str):
        raise InvalidResult(f"{code}: a text field is not a string")
    return value[:MAX_TEXT]


def _list(value: object, cap: int, code: str) -> list:
    if not isinstance(value, list) or len(value) > cap:
        raise InvalidResult(f"{code}: a list is missing or longer than {cap}")
    return value


def _location(value: object, code: str) -> Location:
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and (value[1] is None or (isinstance(value[1], int) and not isinstance(value[1], bool)))
            and isinstance(value[2], str)):
        raise InvalidResult(f"{code}: a malformed location")
    path = value[0]
    if path.startswith("/") or ".." in Path(path).parts or len(path) > 500:
        raise InvalidResult(f"{code}: a location outside the submission")
    return Location(path, value[1], value[2][:300])
