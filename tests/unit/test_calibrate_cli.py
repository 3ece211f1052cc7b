"""`grader calibrate` on small rated folders without grading: ratings, splits, agreement statistics."""

from __future__ import annotations

import pytest

from grader.calibrate.agreement import Pairs, quadratic_weighted_kappa, spearman
from grader.calibrate.corpus import CorpusError, load_corpus, read_rating
from grader.cli import main


def test_bad_rating_file_is_named(tmp_path):
    path = tmp_path / "EXPECTED.toml"
    path.write_text('[levels]\n"prog.readability" = 7\n')
    with pytest.raises(CorpusError, match="EXPECTED.toml: \\[levels\\] must map line ids to 0-3"):
        read_rating(path)


def test_folder_without_ratings_is_an_error(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    assert main(["calibrate", str(tmp_path), "--backend", "none"]) == 2
    assert "no submission" in capsys.readouterr().err


def test_a_submission_in_both_halves_is_refused(tmp_path):
    (tmp_path / "corpus.toml").write_text('[packs.mock]\nbuiltin = "mock"\n')
    (tmp_path / "split.toml").write_text('[tuning]\nids = ["a", "b"]\n[test]\nids = ["b"]\n')
    with pytest.raises(CorpusError, match="split.toml: in both halves: \\['b'\\]"):
        load_corpus(tmp_path)


def test_kappa_and_spearman_match_their_definitions():
    # perfect agreement; a constant offset keeps the ranks but not the kappa
    assert quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3]) == pytest.approx(1.0)
    assert quadratic_weighted_kappa([0, 1, 2, 3], [1, 2, 3, 3]) < 1.0
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # sklearn's quadratic kappa on the same pairs
    from sklearn.metrics import cohen_kappa_score

    ref, got = [0, 1, 1, 2, 2, 3, 3, 2], [0, 1, 2, 2, 3, 3, 2, 1]
    assert quadratic_weighted_kappa(ref, got) == pytest.approx(
        cohen_kappa_score(ref, got, weights="quadratic", labels=[0, 1, 2, 3]))


def test_pairs_measure_bias_and_confusion():
    pairs = Pairs()
    for key, ref, got in (("a", 2, 3), ("b", 2, 3), ("c", 1, 1), ("d", 3, 2)):
        pairs.add(key, ref, got)
    assert (pairs.exact, pairs.within_one) == (1, 4)
    assert pairs.bias == pytest.approx(0.25)
    assert pairs.confusion()[2][3] == 2 and pairs.confusion()[3][2] == 1
