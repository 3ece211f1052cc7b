"""copydetect anchor for bench/plagiarism.py; run with the anchors' copydetect venv.

usage: copydetect-venv/bin/python copydetect_runner.py COHORT.json OUT.json
Files are registered as test+reference files of one CopyDetector (its defaults: noise 25, guarantee 25), which
compares every file pair; pairs inside one submission are dropped afterwards. A file pair's similarity is the
token-weighted mean of copydetect's two per-file similarities; its default rule (display threshold 0.33 on either
file's similarity) is kept as default_scores.
"""

import sys
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import coverage_scores, max_pair_scores, read_cohort, write  # noqa: E402
from copydetect import CopyDetector  # noqa: E402


def main(cohort_path: str, out_path: str) -> int:
    cohort = read_cohort(cohort_path)
    owner = {str(Path(f).resolve()): name for name, files in cohort.items() for f in files}
    detector = CopyDetector(test_dirs=[], ref_dirs=[], extensions=["py", "ipynb"], silent=True, autoopen=False,
                            display_t=0.33)
    for f in owner:
        detector.add_file(f)
    detector.run()
    weight = {f: float(detector.file_data[f].token_coverage) for f in owner if f in detector.file_data}
    covers, file_pairs = [], []
    default = defaultdict(float)
    tests, refs = detector.test_files, detector.ref_files
    sim, overlap = detector.similarity_matrix, detector.token_overlap_matrix
    for i, f in enumerate(tests):
        for j, g in enumerate(refs):
            if overlap[i, j] <= 0 or owner[f] == owner[g]:
                continue
            s_f, s_g = sim[i, j]
            covers.append((f, g, s_f * weight[f]))
            both = weight[f] + weight[g]
            file_pairs.append((f, g, (s_f * weight[f] + s_g * weight[g]) / both if both else 0.0))
            key = tuple(sorted((owner[f], owner[g])))
            default[key] = max(default[key], s_f, s_g)
    variants = {"token_weighted": coverage_scores({f: owner[f] for f in weight}, weight, covers),
                "max_file_pair": max_pair_scores(owner, file_pairs)}
    write(out_path, f"copydetect {version('copydetect')}", variants, [(a, b, s) for (a, b), s in default.items()])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
