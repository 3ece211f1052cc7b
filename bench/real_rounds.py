"""Real rounds end to end: build the five packs of packs/README.md, grade each round's samples in Docker in both modes.

    python -m bench.real_rounds [--rounds /work/rounds] [--only gas,bmarket] [--rebuild]

Needs ../shared/data/real/ (the real files are read there, never copied into the project) and a Docker engine.
Prints, per pack, the `pack new` wall time and summary, and per sample and mode the held-out metric beside
its baselines and the reference (predictions mode: scored on the held-out labels; rerun mode: what the
pipeline printed, self-reported). Results go to bench/results/real_rounds.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from grader.grade import grade  # noqa: E402
from grader.packs import load_pack  # noqa: E402
from grader.packs.new import NewPack, build_pack  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "real"
SAMPLES = ROOT / "round_samples"
ROUNDS = {  # folder -> the `grader pack new` request of packs/README.md
    "bmarket": dict(data_file=REAL / "bmarket.db", target="Subscription Status", positive="yes",
                    id_column="Client ID", round_date="2025-03-01", pack_id="aiap20-bmarket",
                    title="AIAP 20 (2025): bank term-deposit subscription"),
    "gas": dict(data_file=REAL / "gas_monitoring.db", target="Activity Level", group="Session ID",
                id_column="Record ID", round_date="2025-06-01", pack_id="aiap21-gas",
                title="AIAP 21 (2025): activity level from gas sensors"),
    "phishing": dict(data_file=REAL / "phishing.db", target="label", positive="1", id_column="Unnamed: 0",
                     round_date="2025-09-01", pack_id="aiap22-phishing", title="AIAP 22 (2025): phishing websites"),
    "shopping": dict(data_file=REAL / "online_shopping.db", target="PurchaseCompleted", positive="1",
                     round_date="2026-01-15", pack_id="aiap23-shopping",
                     title="AIAP 23 (2026): online shopping purchase"),
    "farm": dict(data_file=Path("farm_data.db"), target="Temperature Sensor (°C)", task="regression",
                 round_date="2024-06-01", pack_id="aiap19-farm", title="AIAP 19 (2024, look-alike): farm temperature"),
}
SAMPLE_FOLDER = {"gas": "gas_monitoring"}


def build(name: str, rounds: Path, rebuild: bool) -> tuple[Path, float | None]:
    """The round's pack (built by pack new unless it exists), and how long building took."""
    out = rounds / name
    if (out / "assessment.toml").is_file() and not rebuild:
        return out, None
    spec = dict(ROUNDS[name])
    if name == "farm":
        spec["data_file"] = rounds / "farm_data.db"
        subprocess.run([sys.executable, "-m", "packs.generators.farm", str(spec["data_file"])], cwd=ROOT, check=True)
    started = time.monotonic()
    build_pack(NewPack(out=out, modes=("predictions", "rerun"), force=True, **spec))
    return out, round(time.monotonic() - started, 1)


def _held(grading) -> dict:
    evidence = {e.code: e for e in grading.evidence}
    if grading.pack.heldout_mode == "predictions":
        ev = evidence.get("HLD001")
        return {"summary": ev.summary if ev else "", "metrics": (ev.data or {}).get("scores", {}) if ev else {},
                "baselines": (ev.data or {}).get("baselines", {}) if ev else {}}
    ev = evidence.get("HLD002")
    return {"summary": ev.summary if ev else "", "metrics": dict(ev.metrics) if ev else {},
            "reference": dict(grading.pack.reference)}


def grade_sample(pack_dir: Path, sample: Path, mode: str) -> dict:
    from sandbox.docker_backend import DockerSandbox

    pack = load_pack(pack_dir, mode)
    started = time.monotonic()
    grading = grade(sample, pack, DockerSandbox())
    run = grading.runs[0] if grading.runs else None
    return {"sample": sample.name, "mode": mode, "seconds": round(time.monotonic() - started, 1),
            "run": f"{run.status} exit {run.exit_code}" if run else "not run",
            "total_pct": round(grading.score.percent, 1) if grading.score else None,
            "levels": {line.id: line.level for line in grading.score.lines} if grading.score else {},
            **_held(grading)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", default=str(ROOT.parent / "rounds"), help="where the packs are (outside the repo)")
    parser.add_argument("--only", default=",".join(ROUNDS))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"SKIPPED: {REAL} is not here (the real rounds' data)")
        return 0
    rounds = Path(args.rounds)
    results = []
    for name in args.only.split(","):
        pack_dir, took = build(name, rounds, args.rebuild)
        pack = load_pack(pack_dir)
        print(f"\n== {pack.id}: {pack.task}, primary {pack.primary_metric}, reference "
              f"{pack.reference.get(pack.primary_metric)}" + (f", built in {took} s" if took else ""))
        for sample in sorted((SAMPLES / SAMPLE_FOLDER.get(name, name)).glob("*/")):
            for mode in pack.modes:
                row = {"round": name, **grade_sample(pack_dir, sample, mode)}
                results.append(row)
                print(f"  {sample.name} [{mode}] {row['run']}, total {row['total_pct']}%, {row['seconds']} s: "
                      f"{row['summary']}")
    out = ROOT / "bench" / "results" / "real_rounds.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
