"""HLD002 self-reported metrics: rerun mode, where the pipeline ran on a fresh sample and printed its own scores.

The log is read as a sequence of blocks (a heading such as `=== RandomForest ===` or `Test set:` starts one);
every value is taken from ONE block: the final model's, else the last test/hold-out evaluation, else the last
block that printed a metric. Cross-validation, search, fold, epoch and training-set scores never count, and
validation scores only when no test score was printed. An implausible score (near perfect, or far above the
pack's reference pipeline) is still reported, but flagged: leakage or evaluation on the training data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from checks.base import NOT_APPLICABLE, OK, Check, Evidence, Location
from checks.context import CheckContext
from checks.runs import run_outcome
from checks.scoring import DEFAULT_PRIMARY, fmt, ratio_to_reference

# ---------------------------------------------------------------- what a line says about its scores
EXCLUDED, TEST, VALIDATION = "excluded", "test", "validation"
STRONG_EXCLUDED = re.compile(
    r"(?i)(?<![a-z])(?:cv|k-?folds?|folds?|cross[-_ ]?val\w*|oof|out[-_ ]of[-_ ]folds?|best[-_ ](?:cv[-_ ])?"
    r"(?:score|param\w*)|best_score_?|best_params_?|(?:grid|random(?:ized)?)[-_ ]?search\w*|epochs?"
    r"|mean[-_ ]test[-_ ]score|in[-_ ]sample)(?![a-z])")
TEST_WORDS = re.compile(r"(?i)(?<![a-z])(?:test(?:ing)?|hold[-_ ]?out|held[-_ ]?out|unseen|final)(?![a-z])")
TRAIN_WORDS = re.compile(r"(?i)(?<![a-z])train(?:ing)?(?![a-z])")
TRAIN_HEADING = re.compile(r"(?i)(?<![a-z])(?:train(?:ing)?[-_ ]*(?:set|data|split|sample|scores?|accuracy|metrics?|"
                           r"performance|results?|errors?)|on (?:the )?train(?:ing)?)(?![a-z])")
VALIDATION_WORDS = re.compile(r"(?i)(?<![a-z])(?:val|valid|validation|dev)(?![a-z])")
LINE_EXCLUDED = re.compile(r"(?i)(?<![a-z])(?:epochs?|folds?|trial|\[cv)(?![a-z])")  # the whole line is training
SKIPPED_LINE = re.compile(r"(?i)warning:|warnings\.warn|param(?:eter)?s?\b\s*[:=]|best[-_ ]?params")

MODEL_NAMES = re.compile(
    r"(?i)(?<![a-z])(logistic[-_ ]?regression|random[-_ ]?forest|(?:hist)?[-_ ]?gradient[-_ ]?boosting|xgb(?:oost)?"
    r"|lightgbm|lgbm|catboost|decision[-_ ]?tree|linear[-_ ]?svc|svc|svm|svr|k[-_ ]?nearest[-_ ]?neighbou?rs?|knn"
    r"|kneighbors|naive[-_ ]?bayes|gaussiannb|mlp|neural[-_ ]?net(?:work)?|adaboost|extra[-_ ]?trees"
    r"|ridge|lasso|elastic[-_ ]?net|linear[-_ ]?regression|dummy|baseline|voting|stacking)"
    r"(?:classifier|regressor|regression)?(?![a-z])")
FINAL_HEADING = re.compile(r"(?i)(?<![a-z])(?:best|final|selected|chosen|winning)(?![a-z])[^\n]{0,20}?(?<![a-z])"
                           r"(?:model|classifier|regressor|estimator|pipeline|evaluation|results?)(?![a-z])")
DECORATED = re.compile(r"^\s*(?:[=\-#*~]{2,}|#)\s*(?P<text>[^=\-#*~\s].*?)\s*[=\-#*~:]*\s*$")


def kind_of(text: str) -> str:
    """What a score's wording says it is: excluded (CV, search, fold, training), test, validation, or ''."""
    if STRONG_EXCLUDED.search(text):
        return EXCLUDED
    if TEST_WORDS.search(text):
        return TEST
    if TRAIN_WORDS.search(text):
        return EXCLUDED
    return VALIDATION if VALIDATION_WORDS.search(text) else ""


def heading_kind(text: str) -> str:
    """A heading's kind; `Training RandomForest...` is progress, not a training-set score heading, and
    `Best model on CV: random_forest` announces the chosen model (how it was chosen is not what follows)."""
    kind = kind_of(text)
    if kind == EXCLUDED and FINAL_HEADING.search(text) and not TRAIN_HEADING.search(text) \
            and not re.search(r"\d\.\d", text):
        return ""
    if kind == EXCLUDED and not STRONG_EXCLUDED.search(text) and not TRAIN_HEADING.search(text):
        return ""
    return kind


def model_key(text: str) -> str | None:
    """The normalised name of the model a line names (`RandomForestClassifier` and `Random Forest` alike)."""
    match = MODEL_NAMES.search(text)
    return re.sub(r"[^a-z]", "", match.group(1).lower()) if match else None


# ---------------------------------------------------------------- inline metrics: `RMSE: 1.23`, `F1 = 85.3%`
AVG = r"(?:macro|weighted|micro)"
AVERAGED = rf"(?:{AVG}[-_ ](?:avg[-_ ]|averaged?[-_ ])?)?{{name}}(?:[-_ ]?score)?(?:[-_ ]?\(?{AVG}(?:[-_ ]avg)?\)?)?"
METRIC_PATTERNS = {  # order matters: the longer spelling first
    "rmse": r"rmse|root[-_ ]mean[-_ ]squared[-_ ]error",
    "mse": r"mse|mean[-_ ]squared[-_ ]error",
    "mae": r"mae|mean[-_ ]absolute[-_ ]error",
    "r2": r"r2(?:[-_ ]?score)?|r²(?:[-_ ]?score)?|r\^2|r[-_ ]squared|coefficient[-_ ]of[-_ ]determination",
    "pr_auc": r"pr[-_ ]?auc(?:[-_ ]?score)?|auc[-_ ]?pr|auprc|average[-_ ]precision(?:[-_ ]?score)?",
    "roc_auc": r"roc[-_ ]?auc(?:[-_ ]?score)?|auc[-_ ]?roc|auroc|auc",
    "balanced_accuracy": r"balanced[-_ ]acc(?:uracy)?",
    "accuracy": r"accuracy(?:[-_ ]?score)?|acc",
    "f1": AVERAGED.format(name=r"f1"),
    "precision": AVERAGED.format(name=r"precision"),
    "recall": AVERAGED.format(name=r"recall"),
}
METRIC_NAME = re.compile("(?i)(?<![a-z0-9])(?:" + "|".join(f"(?P<{k}>{p})" for k, p in METRIC_PATTERNS.items())
                         + r")(?![a-z0-9])")
VALUE = re.compile(r"(?<![\w.])(?<!class )(?<!label )(-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?)(\s*%)?(?![\w])", re.I)
MAX_GAP = 24  # characters between a metric's name and its value, a bracketed aside not counted
BRACKETED = re.compile(r"\([^()]*\)")
MAX_LINE = 1000
ERROR_METRICS = ("rmse", "mse", "mae")
AVG_WORD = re.compile(rf"(?i){AVG}")


def _value(metric: str, number: str, percent: bool) -> float | None:
    """The number as the metric's value, or None when it cannot be one (an F1 of 3, a negative RMSE)."""
    value = float(number) / (100 if percent else 1)
    if metric in ERROR_METRICS:
        return value if value >= 0 else None
    if metric == "r2":
        return value if -100 <= value <= 1 else None
    return value if 0.0 <= value <= 1.0 else None


def _metric_key(match: re.Match[str]) -> str:
    """`f1`, or `macro_f1` / `weighted_precision` when the name carries its averaging (the grader's names)."""
    metric = match.lastgroup or ""
    avg = AVG_WORD.search(match.group(0)) if metric in ("f1", "precision", "recall") else None
    return f"{avg.group(0).lower()}_{metric}" if avg else metric


def inline_metrics(line: str) -> list[tuple[str, float, str]]:
    """(metric, value, kind of its own wording) for each metric the line prints; the line's lead-in is shared."""
    names = list(METRIC_NAME.finditer(line))
    found: list[tuple[str, float, str]] = []
    lead_kind = ""
    previous_end = 0
    whole_line = EXCLUDED if LINE_EXCLUDED.search(line) else ""
    spans = [m.span() for m in BRACKETED.finditer(line)]
    masked = BRACKETED.sub(lambda m: " " * len(m.group()), line)  # `F1 (target=1): 0.66` reads 0.66, not the 1
    for i, name in enumerate(names):
        window_end = names[i + 1].start() if i + 1 < len(names) else len(line)
        inside = any(start < name.start() < end for start, end in spans)
        number = VALUE.search(line if inside else masked, name.end(), window_end)
        if number is None or len(BRACKETED.sub("", line[name.end():number.start()])) > MAX_GAP:
            continue
        metric = _metric_key(name)
        value = _value(name.lastgroup or "", number.group(1), bool(number.group(2)))
        own_kind = kind_of(line[previous_end:number.start()])
        previous_end = number.end()
        if not found:
            lead_kind = own_kind
        if value is not None:
            found.append((metric, round(value, 4), whole_line or own_kind or lead_kind))
    return found


# ---------------------------------------------------------------- sklearn classification_report
REPORT_HEADER = re.compile(r"(?i)^\s*precision\s+recall\s+f1-score\s+support\s*$")
NUM = r"(\d+(?:\.\d+)?|\.\d+)"
REPORT_ROW = re.compile(rf"^\s*(?P<label>\S(?:.*?\S)?)\s+{NUM}\s+{NUM}\s+{NUM}\s+(\d+(?:\.\d+)?)\s*$")
ACCURACY_ROW = re.compile(rf"(?i)^\s*accuracy\s+{NUM}\s+(\d+(?:\.\d+)?)\s*$")
AVG_ROWS = {"macro avg": "macro", "weighted avg": "weighted", "micro avg": "micro"}
POSITIVE_WORDS = ("1", "true", "yes", "positive", "pos")


@dataclass
class ClassReport:
    """One classification_report: its class rows, averages and accuracy, and where it sits in the log."""

    first_line: int
    last_line: int
    classes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # p, r, f1, support
    averages: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    accuracy: float | None = None


def parse_report(lines: list[str], header: int) -> ClassReport:
    """The report whose header line is lines[header]; it ends at the first line that is not one of its rows."""
    report = ClassReport(header + 1, header + 1)
    for index in range(header + 1, len(lines)):
        text = lines[index]
        if len(text) > MAX_LINE:
            break
        if not text.strip():
            continue
        accuracy, row = ACCURACY_ROW.match(text), REPORT_ROW.match(text)
        if accuracy:
            report.accuracy = float(accuracy.group(1))
        elif row and row.group("label").lower() in AVG_ROWS:
            report.averages[AVG_ROWS[row.group("label").lower()]] = (float(row[2]), float(row[3]), float(row[4]))
        elif row:
            report.classes[row.group("label")] = (float(row[2]), float(row[3]), float(row[4]), float(row[5]))
        else:
            break
        report.last_line = index + 1
    return report


def _normal_label(label: str) -> str:
    word = label.strip().lower()
    return "1" if word in POSITIVE_WORDS or word in ("1.0",) else word


def positive_class(labels: dict[str, tuple[float, float, float, float]], positive: tuple[str, ...]) -> str:
    """The positive row of a binary report: the pack's label, else 1/True/yes, else the minority (last) class."""
    by_normal: dict[str, str] = {}
    for label in labels:  # `legitimate (1)` answers to its own name and to the `1` in its brackets
        inner = re.search(r"\(\s*([^()]+?)\s*\)\s*$", label)
        for key in (label, inner.group(1) if inner else None):
            if key is not None:
                by_normal.setdefault(_normal_label(key), label)
    for wanted in (*positive, "1"):
        if _normal_label(wanted) in by_normal:
            return by_normal[_normal_label(wanted)]
    smallest = min(support for *_, support in labels.values())
    return [label for label, row in labels.items() if row[3] == smallest][-1]


def report_values(report: ClassReport, positive: tuple[str, ...]) -> dict[str, float]:
    """Accuracy, the macro/weighted averages, and for a binary report the positive class's f1/precision/recall."""
    values: dict[str, float] = {}
    if len(report.classes) == 2:
        precision, recall, f1, _ = report.classes[positive_class(report.classes, positive)]
        values.update(f1=f1, precision=precision, recall=recall)
    for avg, (precision, recall, f1) in report.averages.items():
        values.update({f"{avg}_f1": f1, f"{avg}_precision": precision, f"{avg}_recall": recall})
    accuracy = report.accuracy if report.accuracy is not None else report.averages.get("micro", (None,) * 3)[2]
    if accuracy is not None:
        values["accuracy"] = accuracy
    return values


# ---------------------------------------------------------------- comparison tables: `model  accuracy  f1`
TABLE_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d+)?|\.\d+)$")


def table_columns(text: str) -> list[tuple[str, str]] | None:
    """The trailing metric columns of a table header (`model  test_accuracy  test_f1`): (metric, kind) each."""
    columns: list[tuple[str, str]] = []
    for token in reversed(text.split()):
        name = METRIC_NAME.search(token)
        if name is None or any(c.isdigit() for c in token.replace("f1", "").replace("r2", "")):
            break
        columns.insert(0, (_metric_key(name), kind_of(token)))
    return columns if len(columns) >= 2 and not inline_metrics(text) else None


def table_row(text: str, width: int) -> tuple[str, list[str]] | None:
    """(label, the last `width` numbers) of a table row, or None when the line is not one."""
    tokens = text.split()
    if len(tokens) <= width or not all(TABLE_NUMBER.match(t) for t in tokens[-width:]):
        return None
    label = " ".join(t for t in tokens[:-width] if not t.isdigit()) or " ".join(tokens[:-width])
    return label, tokens[-width:]


# ---------------------------------------------------------------- blocks of the log and the one that counts
@dataclass
class Candidate:
    metric: str
    value: float
    line: int  # 1-based line of the log
    kind: str


@dataclass
class Block:
    """A stretch of the log under one heading: one model's, or one evaluation's, printed scores."""

    heading: str
    line: int  # the heading's line (0: the top of the log, before any heading)
    kind: str = ""
    model: str | None = None
    final: bool = False
    inline: list[Candidate] = field(default_factory=list)
    report: ClassReport | None = None
    report_kind: str = ""

    def candidates(self, positive: tuple[str, ...]) -> list[Candidate]:
        """Every score of the block: the inline ones, then the classification report's."""
        out = list(self.inline)
        if self.report is not None:
            values = report_values(self.report, positive)
            out += [Candidate(k, v, self.report.first_line, self.report_kind or self.kind) for k, v in values.items()]
        return out


@dataclass
class ReportedMetrics:
    """What the pipeline printed for its final evaluation, and the log lines it was read from."""

    values: dict[str, float] = field(default_factory=dict)
    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based log line, its text)
    block: str = ""  # the heading of the block the values come from ('' when none)
    per_class_recall: dict[str, float] = field(default_factory=dict)
    ignored: list[tuple[int, str]] = field(default_factory=list)  # CV / search / training-set score lines
    derived: dict[str, str] = field(default_factory=dict)  # metric -> how it was derived (rmse from mse)

    def __bool__(self) -> bool:
        return bool(self.values)


def _heading(text: str) -> str | None:
    """The heading a metric-free line makes, if it makes one: decorated, naming a model, final or test/CV/train."""
    stripped = text.strip()
    decorated = DECORATED.match(text)
    if decorated:
        return decorated.group("text")
    if not stripped or len(stripped) > 80:
        return None
    if model_key(stripped) or FINAL_HEADING.search(stripped):
        return stripped
    return stripped if stripped.endswith(":") and heading_kind(stripped) else None


class LogReader:
    """Walks the log once, cutting it into blocks."""

    def __init__(self, log: str) -> None:
        self.lines = log.splitlines()
        self.blocks = [Block("", 0)]

    def start(self, heading: str, line: int, kind: str | None = None) -> Block:
        block = Block(heading, line, heading_kind(heading) if kind is None else kind, model_key(heading),
                      bool(FINAL_HEADING.search(heading)))
        self.blocks.append(block)
        return block

    def read(self) -> list[Block]:
        index = 0
        while index < len(self.lines):
            text = self.lines[index]
            if len(text) > MAX_LINE:  # a dump, not a score line: never fed to the regexes
                index += 1
                continue
            if REPORT_HEADER.match(text):
                index = self.add_report(index)
                continue
            columns = table_columns(text)
            if columns:
                index = self.add_table(index, columns)
                continue
            if not SKIPPED_LINE.search(text):
                self.add_line(text, index + 1)
            index += 1
        return self.blocks

    def add_report(self, header: int) -> int:
        report = parse_report(self.lines, header)
        block = self.blocks[-1]
        if block.report is not None:
            block = self.start("(another classification report)", header + 1, block.kind)
        block.report = report
        before = next((t for t in reversed(self.lines[max(0, header - 2):header]) if t.strip()), "")
        block.report_kind = kind_of(before) if not METRIC_NAME.search(before) else ""
        return report.last_line

    def add_table(self, header: int, columns: list[tuple[str, str]]) -> int:
        """A printed comparison table (a DataFrame of models by metrics): each row is its own block."""
        index = header + 1
        while index < len(self.lines):
            row = table_row(self.lines[index], len(columns))
            if row is None:
                break
            label, numbers = row
            block = self.start(label, index + 1, "")
            for (metric, kind), number in zip(columns, numbers, strict=True):
                value = _value(metric, number, False)
                if value is not None:
                    block.inline.append(Candidate(metric, round(value, 4), index + 1, kind))
            index += 1
        return index

    def add_line(self, text: str, number: int) -> None:
        found = inline_metrics(text)
        if not found:
            heading = _heading(text)
            if heading is not None:
                self.start(heading, number)
            return
        block = self.blocks[-1]
        if self.starts_block(block, text, found):
            block = self.start(text.strip(), number, "")
        block.inline += [Candidate(m, v, number, kind or block.kind) for m, v, kind in found]

    @staticmethod
    def starts_block(block: Block, text: str, found: list[tuple[str, float, str]]) -> bool:
        """A scoring line opens its own block when it names another model or the final one, when it is a test
        score after CV/validation ones, or when it prints again a metric the block already holds."""
        kinds = {kind or block.kind for *_, kind in found}
        if kinds == {EXCLUDED}:
            return False
        model = model_key(text)
        if FINAL_HEADING.search(text) or (model is not None and model != block.model):
            return True
        if TEST in kinds and block.kind in (EXCLUDED, VALIDATION):
            return True
        held = {c.metric for c in block.inline if c.kind != EXCLUDED}
        return any(m in held and (kind or block.kind) != EXCLUDED for m, _, kind in found)


def choose_block(blocks: list[Block], scores: dict[int, list[Candidate]]) -> Block | None:
    """The final model's block, else the last test/hold-out evaluation, else the last block that scored."""
    scored = [b for b in blocks if scores[id(b)]]
    if not scored:
        return None
    scored = _final_blocks(blocks, scores, scored) or scored
    tested = [b for b in scored if b.kind == TEST or any(c.kind == TEST for c in scores[id(b)])]
    return (tested or scored)[-1]


def _final_blocks(blocks: list[Block], scores: dict[int, list[Candidate]], scored: list[Block]) -> list[Block]:
    """The scored blocks from the last "final model" heading on (or that model's own earlier block)."""
    finals = [i for i, b in enumerate(blocks) if b.final]
    if not finals:
        return []
    after = [b for b in blocks[finals[-1]:] if scores[id(b)]]
    model = blocks[finals[-1]].model
    if not after and model:
        after = [b for b in scored if b.model == model]
    return after


def _scores_by_block(blocks: list[Block], positive: tuple[str, ...]) -> tuple[dict, list[int]]:
    """Each block's usable scores (CV/search/training dropped; validation too when a test score exists)."""
    every = {id(b): b.candidates(positive) for b in blocks}
    has_test = any(c.kind == TEST for cands in every.values() for c in cands)
    dropped = {EXCLUDED, VALIDATION} if has_test else {EXCLUDED}
    scores = {key: [c for c in cands if c.kind not in dropped] for key, cands in every.items()}
    ignored = sorted({c.line for cands in every.values() for c in cands if c.kind == EXCLUDED})
    return scores, ignored


def parse_reported_metrics(log: str, positive: tuple[str, ...] = ()) -> ReportedMetrics:
    """The metrics of the final evaluation the log prints, all from one block, with the lines they came from.

    `positive` names the positive class of a binary classification report (the pack's label), when known.
    """
    reader = LogReader(log)
    blocks = reader.read()
    scores, ignored_lines = _scores_by_block(blocks, positive)
    result = ReportedMetrics(ignored=[(n, reader.lines[n - 1].strip()) for n in ignored_lines])
    chosen = choose_block(blocks, scores)
    if chosen is not None:
        _take_block(result, chosen, scores[id(chosen)], reader)
    if "mse" in result.values and "rmse" not in result.values:
        result.values["rmse"] = round(math.sqrt(result.values["mse"]), 4)
        result.derived["rmse"] = "the square root of the printed MSE"
    return result


def _take_block(result: ReportedMetrics, chosen: Block, scores: list[Candidate], reader: LogReader) -> None:
    for candidate in scores:  # inline values first: more digits than the report's
        result.values.setdefault(candidate.metric, candidate.value)
    used = sorted({c.line for c in scores})
    if chosen.report is not None and chosen.report.first_line in used:
        used = sorted(set(used) | set(range(chosen.report.first_line, chosen.report.last_line + 1)))
        result.per_class_recall = {label: row[1] for label, row in chosen.report.classes.items()}
    result.lines = [(n, reader.lines[n - 1].rstrip()) for n in used if reader.lines[n - 1].strip()]
    result.block = chosen.heading


# ---------------------------------------------------------------- plausibility against the pack's reference
HIGHER_IS_BETTER = ("f1", "macro_f1", "weighted_f1", "micro_f1", "accuracy", "balanced_accuracy", "roc_auc",
                    "pr_auc", "r2")
PERFECT = 0.99
MARGIN = 0.25
PRIMARY_FALLBACK = {"f1": ("macro_f1", "weighted_f1"), "macro_f1": ("weighted_f1", "f1")}


def primary_value(values: dict[str, float], primary: str) -> tuple[str, float] | None:
    """The primary metric as printed; else a stand-in (macro or weighted F1 for `f1`, weighted or plain F1 for
    `macro_f1`)."""
    for key in (primary, *PRIMARY_FALLBACK.get(primary, ())):
        if key in values:
            return key, values[key]
    return None


def implausible(values: dict[str, float], reference: dict[str, float], primary: str) -> list[str]:
    """Why the printed scores cannot be taken at face value: near perfect (an error near zero, an R2 near 1), or
    far better than the reference (higher, or for an error far lower)."""
    reasons: list[str] = []
    chosen = primary_value(values, primary)
    for key, value in values.items():
        ref = reference.get(key)
        if chosen is not None and key == chosen[0] and ref is None:
            ref = reference.get(primary)
        if key == "mse" and ref is None and "rmse" in values:
            continue  # judged through the RMSE
        reason = _too_good(key, value, ref)
        if reason:
            reasons.append(reason)
    return reasons


def _too_good(key: str, value: float, ref: float | None) -> str | None:
    if key in HIGHER_IS_BETTER:
        why = ["near perfect"] if value >= PERFECT and (ref is None or ref < 0.95) else []
        if ref is not None and value - ref > MARGIN:
            why.append(f"{value - ref:.2f} above the reference pipeline's {ref:.3f}")
        return f"{key} {value:.3f} is {' and '.join(why)}" if why else None
    if key not in ERROR_METRICS:
        return None
    if value <= 0:
        return f"{key} {value:.3f} is a perfect fit (zero error)"
    if ref and value < ref / 2:
        return f"{key} {value:.3f} is under half the reference pipeline's {ref:.3f}"
    return None


def _primary_and_reference(ctx: CheckContext) -> tuple[str, dict[str, float]]:
    """The pack's primary metric (else the task type's) and its reference scores."""
    primary = ctx.settings.get("primary_metric") or DEFAULT_PRIMARY.get(str(ctx.settings.get("task")), "f1")
    return str(primary), {k: float(v) for k, v in dict(ctx.settings.get("reference", {}) or {}).items()}


def _ratio(chosen: tuple[str, float] | None, reference: dict[str, float], primary: str) -> float | None:
    """The printed primary metric against the reference's, above 1 when better (an error: reference / value)."""
    if chosen is None:
        return None
    ref = reference.get(chosen[0], reference.get(primary))
    return ratio_to_reference(chosen[1], ref, chosen[0]) if ref else None


def _labels_map(ctx: CheckContext) -> dict[str, str]:
    """The pack's raw label spellings (normalised) -> class."""
    return {str(raw).strip().casefold(): str(cls) for raw, cls in dict(ctx.settings.get("labels_map") or {}).items()}


def _positive_labels(ctx: CheckContext) -> tuple[str, ...]:
    """The positive class's possible names: the pack's label and its raw spellings when the settings carry them,
    and the target's name."""
    positive = ctx.settings.get("positive_label")
    labels = [str(positive)] if positive is not None else []
    labels += [raw for raw, cls in _labels_map(ctx).items() if positive is not None and cls == str(positive)]
    return tuple(labels + ([ctx.target] if ctx.target else []))


def per_class_recall(reported: ReportedMetrics, labels_map: dict[str, str]) -> dict[str, float]:
    """The recall of each class the report printed, its row names read through the pack's labels map."""
    return {labels_map.get(label.strip().casefold(), label): value
            for label, value in reported.per_class_recall.items()}


class SelfReportedMetrics(Check):
    code = "HLD002"
    name = "self-reported-metrics"
    lines = ("model.training",)
    kind = "dynamic"
    summary = ("Rerun mode: the pipeline ran on a fresh sample it never saw, mounted where its training data is "
               "expected; records whether it ran end to end and the metrics its final evaluation printed (one "
               "block: the final model's or the last test evaluation; CV, search and training scores ignored), "
               "marked self-reported, and flags a score too good to be true.")
    rationale = ("When a paper has no predictions contract, running on unseen data of the same distribution still "
                 "shows the pipeline works end to end; its own printed scores are evidence, but weaker, and a "
                 "perfect or far-above-reference score points at leakage or evaluation on the training data.")
    example = "ran end to end on the fresh sample; printed macro F1 0.55 (self-reported, reference 0.57)."

    metrics = {"ran_on_unseen": "the pipeline ran end to end on the fresh sample",
               "self_reported": "the log printed a metric the grader recognises",
               "implausible": "the printed score is too good to be true (near perfect, far above the reference)",
               "seen_data": "the sample is a resample of the round's own file (the candidate had these rows)",
               "reported_<metric>": "a metric the final evaluation printed (f1, macro_f1, rmse...; self-reported)",
               "ratio_to_reference": "printed primary metric / reference's (inverted for errors; > 1 better)"}

    def run(self, ctx: CheckContext) -> Evidence:
        if ctx.settings.get("heldout_mode") != "rerun":
            return self.evidence(NOT_APPLICABLE, "the pack scores predictions (held-out mode `predictions`)")
        run = ctx.run
        if run is None:
            return self.evidence(NOT_APPLICABLE, "the pipeline was not run", metrics={"ran_on_unseen": False})
        ran, outcome = run_outcome(run, ctx.dataset_file)
        reported = parse_reported_metrics(run.stdout + "\n" + run.stderr, _positive_labels(ctx))
        primary, reference = _primary_and_reference(ctx)
        reasons = implausible(reported.values, reference, primary)
        seen = bool(ctx.settings.get("seen_data"))
        metrics: dict[str, float | bool] = {"ran_on_unseen": ran, "self_reported": bool(reported),
                                            "implausible": bool(reasons), "seen_data": seen}
        metrics.update({f"reported_{k}": v for k, v in reported.values.items()})
        chosen = primary_value(reported.values, primary)
        ratio = _ratio(chosen, reference, primary)
        if ratio is not None:
            metrics["ratio_to_reference"] = ratio
        summary = self._summary(outcome, reported, reasons)
        if seen:
            summary = summary.replace("on a fresh sample it never saw", "on a resample of the round's own file "
                                      "(seen data: the candidate had these rows)", 1)
        return self.evidence(OK, summary, metrics=metrics,
                             findings=self._findings(reported, reasons, chosen, primary),
                             confidence=0.4 if reasons else 0.6,
                             locations=[Location(ctx.run_script or "run.sh", None, "run on the fresh sample")],
                             data={"reported": reported.values, "reference": reference, "block": reported.block,
                                   "lines": [{"line": n, "text": t} for n, t in reported.lines],
                                   "per_class_recall": per_class_recall(reported, _labels_map(ctx)),
                                   "derived": reported.derived,
                                   "primary_metric": primary,
                                   "ignored_lines": [{"line": n, "text": t} for n, t in reported.ignored],
                                   "implausible": reasons})

    @staticmethod
    def _summary(outcome: str, reported: ReportedMetrics, reasons: list[str]) -> str:
        printed = ", ".join(f"{k} {fmt(v)}" for k, v in reported.values.items()) or "no metric found in the log"
        summary = f"on a fresh sample it never saw, the pipeline {outcome}; it printed {printed} (self-reported)"
        if reported.lines:
            where = f"under `{reported.block}`, " if reported.block else ""
            summary += f", read from {where}log line(s) {reported.lines[0][0]}-{reported.lines[-1][0]}"
        if reasons:
            summary += "; implausible: possible leakage or evaluation on training data"
        return summary

    @staticmethod
    def _findings(reported: ReportedMetrics, reasons: list[str], chosen: tuple[str, float] | None,
                  primary: str) -> list[str]:
        if not reported:
            return ["the pipeline printed no metric the grader recognises"]
        findings = ["the metrics are self-reported: parsed from the pipeline's own output, not computed by the "
                    "grader"]
        if reasons:
            findings.append("implausible: possible leakage or evaluation on training data (" + "; ".join(reasons)
                            + "); reported, but not read as a strong result")
        if chosen and chosen[0] != primary:
            findings.append(f"the primary metric {primary} was not printed; {chosen[0]} stands in for it")
        findings += [f"{metric} is derived: {how}" for metric, how in reported.derived.items()]
        if reported.per_class_recall:
            findings.append("per-class recall: " + ", ".join(f"{k} {v:.2f}"
                                                             for k, v in reported.per_class_recall.items()))
        findings += [f"log line {n}: {text.strip()[:160]}" for n, text in reported.lines]
        if reported.ignored:
            findings.append(f"{len(reported.ignored)} cross-validation/search/training score line(s) ignored, e.g. "
                            f"line {reported.ignored[0][0]}: {reported.ignored[0][1][:120]}")
        return findings
