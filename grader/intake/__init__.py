"""Intake: a submission (folder, zip, tar, git checkout) becomes a clean workspace with its parts found."""
