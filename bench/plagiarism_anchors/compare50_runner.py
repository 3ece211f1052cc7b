"""compare50 anchor for bench/plagiarism.py; run with the anchors' compare50 venv.

usage: compare50-venv/bin/python compare50_runner.py COHORT.json OUT.json
The `structure` pass (compare50's ranking pass: whitespace and comments stripped, identifiers, builtin types,
strings and numbers normalised; winnowing k=25, t=35) scores every submission pair as compare50.rank does: the
sum over shared fingerprints of 1 + log(N / (1 + files holding it)). That sum has no upper bound, so it is
normalised like a Dice coefficient: 2 * shared / (own(a) + own(b)), where own(x) is the same weighted sum over all
of x's fingerprints, the score x would get against an exact copy of itself. compare50's ProcessPoolExecutor is
kept, as its command line uses it.
"""

import math
import sys
from collections import Counter, defaultdict
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare50  # noqa: E402
from common import read_cohort, write  # noqa: E402
from compare50 import _api, _data  # noqa: E402
from compare50.comparators._winnowing import ScoreIndex  # noqa: E402


def main(cohort_path: str, out_path: str) -> int:
    cohort = read_cohort(cohort_path)
    pass_ = compare50.passes.structure
    preprocessor = _data.Preprocessor(pass_.preprocessors)
    subs = []
    for name, files in cohort.items():
        root = Path(files[0]).resolve().parents[0]
        while root.name != name:
            root = root.parent
        rel = sorted(str(Path(f).resolve().relative_to(root)) for f in files)
        subs.append(_data.Submission(root, rel, preprocessor=preprocessor))
    name_of = {sub.id: sub.path.name for sub in subs}

    comparator = pass_.comparator
    files = [f for sub in subs for f in sub]
    index = ScoreIndex(comparator.k, comparator.t)
    frequency = Counter()
    with _api.Executor() as executor:
        for idx in executor.map(comparator._index_file(ScoreIndex, (comparator.k, comparator.t)), files):
            for hash_ in idx.keys():
                frequency[hash_] += 1
            index.include_all(idx)
    n = len(subs)

    def weight(h):
        return 1 + math.log(n / (1 + frequency[h]))

    own = defaultdict(float)
    for h, ids in index._index.items():
        for sub_id in ids:
            own[sub_id] += weight(h)
    raw = index.compare(index, score=weight)
    scores = []
    for s in raw:
        a, b = name_of[s.sub_a.id], name_of[s.sub_b.id]
        denom = own[s.sub_a.id] + own[s.sub_b.id]
        scores.append((min(a, b), max(a, b), 2 * s.score / denom if denom else 0.0))
    write(out_path, f"compare50 {version('compare50')}", {"dice": scores})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
