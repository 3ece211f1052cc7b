"""Reports: every output of a grading (report.json, the terminal summary, report.html, the interview brief,
the assessors' overrides) and of a cohort (summary.csv, cohort.html)."""
