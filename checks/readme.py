"""DOC001 and DOC002: what the README says: the contents the paper asks for, and the problem's scoping."""

from __future__ import annotations

import re

from checks.base import OK, Check, Location
from checks.context import CheckContext

README_SECTIONS = {
    "name_and_email": r"[\w.+-]+@[\w-]+\.[\w.]+",
    "folder_structure": r"(structure|folder|director(y|ies)|├──|\|-- )",
    "how_to_run": r"(bash run\.sh|\./run\.sh|how to run|usage|execut)",
    "parameters": r"(config\.(ya?ml|json|toml)|parameter|--\w+|environment variable)",
    "pipeline_flow": r"(flow|step\s*\d|steps|stage|-->|→)",
    "eda_findings": r"(\beda\b|finding|insight)",
    "feature_processing": r"(feature)",
    "model_choice": (r"(model\w* (choice|chosen|selection)|why\b.*model|chose|choice of model|\bselected\b|"
                     r"^#+\s*models?\b)"),
    "evaluation": r"(metric|f1|precision|recall|evaluat)",
    "other_considerations": r"(deploy\w*|consideration|future work|monitor\w*|limitation)",
}


EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
NAME_FIELD = re.compile(r"^[\W_]*(?:full\s+)?name\W{0,3}\s*[:\-\u2013\u2014|]\s*[*_]*\s*([^\n|*_<(\[]{2,80})",
                        re.IGNORECASE | re.MULTILINE)
NAME_WORDS = re.compile(r"[^\W\d_][^\W\d_'.-]*(?:[ '.-]+[^\W\d_][^\W\d_'.-]*){0,5}")


def candidate_identity(text: str) -> dict[str, str]:
    """The candidate's name and email as the README gives them (paper item a); empty strings when absent."""
    email = EMAIL.search(text)
    name = NAME_FIELD.search(text)
    if name:
        guess = name.group(1)
    elif email:
        line = text[text.rfind("\n", 0, email.start()) + 1:email.start()]
        guess = re.sub(r"(?i)\b(e-?mail|author|by|contact|name)\b", " ", line)
    else:
        guess = ""
    words = NAME_WORDS.search(guess)
    return {"name": words.group(0).strip()[:80] if words else "", "email": email.group(0)[:120] if email else ""}


class ReadmeSections(Check):
    code = "DOC001"
    name = "readme-sections"
    lines = ("pipeline.design",)
    summary = "Finds which of the README contents the paper asks for (SPEC §2, paper a–i) are present."
    rationale = ("Pipeline design asks for a README that describes how to run the pipeline; the paper lists "
                 "what else it must explain (flow, EDA findings, feature processing, models, metrics).")
    example = "A README with a title and 'run bash run.sh' only: 1-2 of 10 sections."

    metrics = {"sections": "README sections the paper asks for that are present, 0-10",
               "readme_words": "words in the README (count)",
               "has_run_instructions": "the README says how to run the pipeline"}

    def run(self, ctx: CheckContext):
        text = ctx.read_text(ctx.readme) if ctx.readme else None
        if not text or not text.strip():
            return self.evidence(OK, "README missing or empty" if not ctx.readme else f"{ctx.readme} is empty",
                                 metrics={"sections": 0, "readme_words": 0, "has_run_instructions": False},
                                 findings=["README missing or empty"])
        found = {k: re.search(p, text, re.IGNORECASE | re.MULTILINE) for k, p in README_SECTIONS.items()}
        present = [k for k, m in found.items() if m]
        missing = [k for k, m in found.items() if not m]
        locations = [Location(ctx.readme, text.count("\n", 0, m.start()) + 1, k) for k, m in found.items() if m]
        return self.evidence(
            OK,
            f"{len(present)}/{len(README_SECTIONS)} README sections found"
            + (f"; missing: {', '.join(missing)}" if missing else ""),
            metrics={"sections": len(present), "readme_words": len(text.split()),
                     "has_run_instructions": bool(found["how_to_run"])},
            findings=[f"README section missing: {m}" for m in missing],
            locations=locations,
            confidence=0.7,
            data={"candidate": candidate_identity(text)},
        )


SCOPING_PATTERNS = {
    "objective": r"\b(predict\w*|classif\w*|objective|goal|problem statement)\b",
    "assumptions": r"\b(assum\w*|consideration\w*|limitation\w*|caveat\w*)\b",
    "imbalance": (r"\b(imbalanc\w*|minority|class weight\w*|class balance|skew\w*|\d{1,2}(?:\.\d+)?\s?%\s+"
                  r"(?:of\s+(?:the\s+)?)?(?:rows|samples|records|observations|cases|positives?|negatives?|class\w*))"),
    "metric_choice": (r"\b(f1|recall|precision|roc|auc|macro|balanced accuracy|rmse|mae|r2|r²"
                      r"|mean (?:absolute|squared))"),
}


SCOPING_HEADING = re.compile(r"^\s*(#{1,4}|\*\*)[^\n]{0,40}\b(objective|scop(e|ing)|problem( statement| framing| "
                             r"definition)|assumptions?|business (goal|problem|context))\b", re.I | re.M)


class ReadmeScoping(Check):
    code = "DOC002"
    name = "readme-scoping"
    lines = ("model.scoping",)
    summary = ("Reads the README for the modelling objective, the assumptions and considerations, the class "
               "imbalance and why the metric fits the problem.")
    rationale = ("Problem scoping asks for the modelling objective defined from the problem statement and the "
                 "assumptions listed. Its quality needs a person: the check finds what is there to read.")
    example = ("'We predict `target` = 1 for each new row; the positive class is rare, so F1 over accuracy; we "
               "assume only data known at prediction time.'")

    metrics = {"scoping_points": "README scoping points found, 0-4 (objective, assumptions, imbalance, metric choice)",
               "scoping_section": "the README has a section headed for the problem: objective, scope, problem "
                                  "statement, assumptions or considerations"}

    def run(self, ctx: CheckContext):
        text = ctx.read_text(ctx.readme) if ctx.readme else None
        if not text or not text.strip():
            return self.evidence(OK, "no README text to scope the problem",
                                 metrics={"scoping_points": 0, "scoping_section": False})
        hits = {k: re.search(p, text, re.IGNORECASE) for k, p in SCOPING_PATTERNS.items()}
        found = [k for k, m in hits.items() if m]
        locations = []
        for key, match in hits.items():
            if match:
                line = text.count("\n", 0, match.start()) + 1
                locations.append(Location(ctx.readme, line, f"{key}: {text.splitlines()[line - 1].strip()[:120]}"))
        return self.evidence(
            OK,
            f"README scoping points found: {', '.join(found) or 'none'} (looked for {', '.join(SCOPING_PATTERNS)})",
            metrics={"scoping_points": len(found), "scoping_section": bool(SCOPING_HEADING.search(text))},
            locations=locations,
            confidence=0.4,
        )
