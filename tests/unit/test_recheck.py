"""devtools.recheck: static evidence measured again on the files, the stored dynamic evidence kept."""

from __future__ import annotations

from devtools.recheck import recheck_report
from tests.conftest import SAMPLES


def _stored(code: str, metrics: dict) -> dict:
    return {"code": code, "name": "", "lines": [], "status": "ok", "summary": "stored", "metrics": metrics,
            "findings": [], "locations": [], "confidence": 1.0, "data": {}}


def test_a_static_check_is_measured_again_and_the_runs_evidence_is_kept(mock_pack):
    report = {"schema_version": 1, "evidence": [_stored("EDA003", {"markdown_words": -1}),
                                                _stored("RUN001", {"succeeded": True, "exit_code": 0})]}
    rechecked = recheck_report(report, SAMPLES / "strong", mock_pack, {"EDA003"})
    found = {e["code"]: e for e in rechecked["evidence"]}
    assert found["EDA003"]["metrics"]["markdown_words"] > 100  # measured on strong's notebook, not the stored -1
    assert found["EDA003"]["summary"] != "stored"
    assert found["RUN001"] == _stored("RUN001", {"succeeded": True, "exit_code": 0})
    assert rechecked["rechecked"] == ["EDA003"] and report["evidence"][0]["metrics"] == {"markdown_words": -1}
