"""Plagiarism / similarity engine (SPEC §11): winnowed token fingerprints of .py files and notebook code cells,
dead code blanked first, an inverted index over the cohort, template and common code excluded, matching fragments.

Per submission (fingerprints.py): extract (a notebook becomes its code cells joined, magics dropped, with a map back to
cell and line) → blank strings, comments and dead code in place, keeping every line/column (normalise.py: `pass`,
call-free expression statements, assignments/imports/functions/classes whose names are never read, `if False:` /
`while 0:` blocks, compounds left empty; names are counted over the whole submission, locals per function) → lex into
normalised tokens (identifiers V, numbers N, strings S, keywords and operators kept; tokens.py) → 64-bit hashes of
every k-gram → winnowing (rightmost minimum of each window), each fingerprint keeping its unit and line span.

Across the cohort (index.py): rows (fingerprint, submission) sorted by fingerprint; a fingerprint in more than
max(common_min, common_fraction · n) cohort members (corpus entries are judged apart) or in the template is dropped;
pairs are counted from within-fingerprint groups only (Σ C(df, 2) work, never n² / 2).

score(A, B) = max(|FA ∩ FB| / |FA|, |FA ∩ FB| / |FB|) over distinct fingerprints after the exclusions, i.e. the share
of the smaller side found in the other one; a pair is reported when score ≥ threshold and |FA ∩ FB| ≥ min_shared.

Calibration on sample_submissions (k=15, window=6): strong ↔ plagiarised 0.81; the highest pair of independently
written samples 0.14 (average ↔ broken and cd_src ↔ leaky: same notebook plotting idioms), 0.21 without the common
exclusion; so the default threshold is 0.35. Dead code inserted at 2 statements per statement keeps a copy at ≥ 0.97
(plain winnowing: 0.27–0.58).
"""

from grader.similarity.extract import CodeUnit, SubmissionCode, extract_code, load_submission, notebook_code
from grader.similarity.index import find_similar
from grader.similarity.model import Fragment, Pair, SimilarityConfig, SimilarityReport

__all__ = [
    "CodeUnit",
    "Fragment",
    "Pair",
    "SimilarityConfig",
    "SimilarityReport",
    "SubmissionCode",
    "extract_code",
    "find_similar",
    "load_submission",
    "notebook_code",
]
