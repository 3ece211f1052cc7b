"""FEA001, Annex A1 section 3, feature engineering: the columns the pipeline derives and the transformations
it applies."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from checks.astutil import call_name, short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile
from checks.prose import notebook_sentences, readme_sentences

ENCODERS = {"OneHotEncoder", "get_dummies", "OrdinalEncoder", "LabelEncoder", "TargetEncoder", "cut", "qcut",
            "KBinsDiscretizer", "PolynomialFeatures", "log1p", "log", "sqrt", "StandardScaler", "MinMaxScaler"}
# the features' effect measured: an ablation, or the model scored with and without the engineered features
MEASURED_GAIN = re.compile(r"\bablat\w*|\bwith(?:out)? (?:the |our )?(?:engineered|derived|new|extra) features?\b"
                           r"|\bfeature (?:gain|ablation)\b", re.I)


class DerivedFeatures(Check):
    code = "FEA001"
    name = "derived-features"
    lines = ("prep.feature_engineering",)
    summary = ("Counts new columns the pipeline derives (assigned columns that are not in the dataset) and the "
               "transformations applied: encoding, binning, scaling, date parts, string extraction.")
    rationale = ("Feature engineering asks for basic transformations and features that improve the model; "
                 "a pipeline that feeds the raw columns builds none.")
    example = "df['is_peak'] = df['hour'].isin([7, 8, 17, 18]) and OneHotEncoder(...): 1 derived feature, encoding."

    metrics = {"derived_features": "new columns derived that are not in the dataset (count)",
               "transform_kinds": "distinct transformations applied: encoding, binning, scaling, date parts (count)",
               "measured_gain": "the engineered features' effect is measured: an ablation or a score with and "
                                "without them, in the code, the README or the notebook"}

    def run(self, ctx: CheckContext) -> Evidence:
        empty = self.without_code(ctx)
        if empty:
            return empty
        found = _Derivations(set(ctx.dataset_columns))
        returns_mapping = _mapping_functions(ctx)
        for src in ctx.sources:
            if src.tree is None:
                continue
            not_frames = _not_frames_by_node(src.tree, returns_mapping)
            for node in ast.walk(src.tree):
                found.add_node(src, node, not_frames.get(id(node), frozenset()))
        derived, transforms, locations = found.derived, found.transforms, found.locations
        gain = _measured_gain(ctx)
        return self.evidence(
            OK,
            f"{len(derived)} derived feature(s) ({', '.join(sorted(derived)[:8]) or 'none'}); "
            f"{len(transforms)} kind(s) of transformation"
            + ("; their gain is measured (ablation)" if gain else ""),
            metrics={"derived_features": len(derived), "transform_kinds": len(transforms), "measured_gain": bool(gain)},
            data={"derived": sorted(derived), "transforms": sorted(transforms)},
            locations=list(derived.values())[:8] + locations + gain[:2],
            confidence=0.6,
        )


@dataclass
class _Derivations:
    """New columns (not in the dataset) and kinds of transformation found in the pipeline's code."""

    known: set[str]
    derived: dict[str, Location] = field(default_factory=dict)
    transforms: set[str] = field(default_factory=set)
    locations: list[Location] = field(default_factory=list)

    def add_node(self, src: SourceFile, node: ast.AST, not_frames: frozenset[str]) -> None:
        """What one node derives: columns it assigns, an encoder or scaler it calls, a date part it reads."""
        for name in _assigned_columns(node, not_frames):
            if name not in self.known and name not in self.derived and not re.search(r"pred|proba|score", name):
                self.derived[name] = Location(src.path, node.lineno, f"derived: {snippet(src, node.lineno)}")
        if isinstance(node, ast.Call) and short_name(node) in ENCODERS:
            if short_name(node) not in self.transforms and len(self.locations) < 6:
                self.locations.append(Location(src.path, node.lineno, f"transform: {snippet(src, node.lineno)}"))
            self.transforms.add(short_name(node))
        if _is_date_part(node):
            self.transforms.add("date parts")


def _is_date_part(node: ast.AST) -> bool:
    """`x.dt.hour`, `.dt.dayofweek`, `.dt.weekday`, `.dt.month`."""
    return isinstance(node, ast.Attribute) and node.attr in ("hour", "dayofweek", "weekday", "month") \
        and isinstance(node.value, ast.Attribute) and node.value.attr == "dt"


# What a column assignment `x["col"] = ...` writes to when `x` is not a data frame: a dict (metrics, a report, a
# config), a Series (an index label), os.environ. Such keys are not derived features (issue 17).
MAPPING_TYPES = {"dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "OrderedDict", "Counter", "TypedDict",
                 "Series", "list", "List"}
MAPPING_CALLS = {"dict", "defaultdict", "OrderedDict", "Counter", "to_dict", "asdict", "vars"}
MAPPING_LOADERS = {"json.load", "json.loads", "yaml.safe_load", "yaml.load", "yaml.full_load", "tomllib.load",
                   "tomllib.loads", "toml.load"}
MAPPING_ATTRIBUTES = {"environ", "rcParams"}  # os.environ["X"] = ..., plt.rcParams["figure.dpi"] = ...
MAPPING = "<mapping>"  # the container of such a key
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _assigned_columns(node: ast.AST, not_frames: frozenset[str]) -> list[str]:
    """The column names `node` assigns on a data frame: `df["col"] = ...` or `df.assign(col=...)`.

    A subscript target whose container the scope binds only to a dict / mapping (`not_frames`) writes a key, not a
    column: `metrics["f1"] = ...` after `metrics = {}`."""
    if isinstance(node, ast.Call) and short_name(node) == "assign":
        return [k.arg for k in node.keywords if k.arg]
    if not isinstance(node, ast.Assign):
        return []
    names = []
    for target in node.targets:
        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                and isinstance(target.slice.value, str) and _container(target.value) not in (*not_frames, MAPPING):
            names.append(target.slice.value)
    return names


def _container(node: ast.expr) -> str:
    """`report` for `report[name]`, `self.table` for `self.table`: the variable a subscript writes into."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        if node.attr in MAPPING_ATTRIBUTES:
            return MAPPING
        owner = _container(node.value)
        return f"{owner}.{node.attr}" if owner else ""
    return ""


def _type_name(annotation: ast.expr | None) -> str:
    """`dict` for `dict[str, Any]`, `DataFrame` for `pd.DataFrame`, `Optional[X]` -> X's; '' if none."""
    while isinstance(annotation, (ast.Subscript, ast.BinOp)):
        if isinstance(annotation, ast.BinOp):  # `dict | None`
            annotation = annotation.left
            continue
        if isinstance(annotation.value, (ast.Name, ast.Attribute)) and \
                _type_name(annotation.value) in ("Optional", "Annotated", "Final"):
            inner = annotation.slice
            annotation = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            continue
        annotation = annotation.value
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):  # "dict[str, Any]"
        return re.split(r"[\[.|\s]", annotation.value.strip().rsplit(".", 1)[-1], maxsplit=1)[0]
    return ""


def _is_mapping_value(value: ast.expr | None, returns_mapping: set[str]) -> bool:
    """A dict display, a dict comprehension, or a call that makes a mapping (dict(), json.load, to_dict, ...)."""
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return True
    if not isinstance(value, ast.Call):
        return False
    name = short_name(value)
    return name in MAPPING_CALLS or name in returns_mapping or call_name(value) in MAPPING_LOADERS


def _mapping_functions(ctx: CheckContext) -> set[str]:
    """Names of the submission's functions that return a mapping (annotated so, or every return a dict display).

    A name defined twice counts only if every definition returns a mapping."""
    verdicts: dict[str, bool] = {}
    for src in ctx.sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                verdicts[node.name] = verdicts.get(node.name, True) and _returns_mapping(node)
    return {name for name, yes in verdicts.items() if yes}


def _returns_mapping(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if function.returns is not None:
        return _type_name(function.returns) in MAPPING_TYPES
    values = [n.value for n in _scope_nodes(function) if isinstance(n, ast.Return)]
    return bool(values) and all(isinstance(v, (ast.Dict, ast.DictComp)) for v in values)


def _scope_nodes(scope: ast.AST):
    """The nodes of one scope (a module, function or class), not those of the scopes defined inside it."""
    pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop(0)
        yield node
        if not isinstance(node, _SCOPES):
            pending.extend(ast.iter_child_nodes(node))


def _bindings(scope: ast.AST, returns_mapping: set[str]) -> dict[str, list[bool]]:
    """name -> for each binding in the scope, whether it binds a mapping (a dict) rather than anything else."""
    found: dict[str, list[bool]] = {}
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = scope.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            found.setdefault(arg.arg, []).append(_type_name(arg.annotation) in MAPPING_TYPES)
    for node in _scope_nodes(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                _bind(found, target, _is_mapping_value(node.value, returns_mapping))
        elif isinstance(node, ast.AnnAssign):
            _bind(found, node.target, _type_name(node.annotation) in MAPPING_TYPES
                  or _is_mapping_value(node.value, returns_mapping))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension, ast.NamedExpr)):
            _bind(found, node.target, False)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            _bind(found, node.optional_vars, False)
    return found


def _bind(found: dict[str, list[bool]], target: ast.expr, mapping: bool) -> None:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:  # unpacking: the element's kind is unknown
            _bind(found, element, False)
    elif isinstance(target, (ast.Name, ast.Attribute)):
        key = _container(target)
        if key:
            found.setdefault(key, []).append(mapping)


def _not_frames_by_node(tree: ast.Module, returns_mapping: set[str]) -> dict[int, frozenset[str]]:
    """id(node) -> the variables its scope binds only to mappings (module-level ones seen from every function).

    `self.x` attributes are judged over the whole module: a method assigns what another one subscripts."""
    scopes = [tree] + [n for n in ast.walk(tree) if isinstance(n, _SCOPES)]
    bindings = {id(scope): _bindings(scope, returns_mapping) for scope in scopes}
    attributes = _attribute_bindings(bindings)
    module = {k: v for k, v in bindings[id(tree)].items() if "." not in k}
    out: dict[int, frozenset[str]] = {}
    for scope in scopes:
        local = {k: v for k, v in bindings[id(scope)].items() if "." not in k}
        seen = {**module, **local, **attributes}
        mappings = frozenset(k for k, kinds in seen.items() if kinds and all(kinds))
        for node in _scope_nodes(scope):
            out[id(node)] = mappings
    return out


def _attribute_bindings(bindings: dict[int, dict[str, list[bool]]]) -> dict[str, list[bool]]:
    """The bindings of dotted names (`self.x`) pooled over every scope of the module."""
    attributes: dict[str, list[bool]] = {}
    for found in bindings.values():
        for key, kinds in found.items():
            if "." in key:
                attributes.setdefault(key, []).extend(kinds)
    return attributes


def _measured_gain(ctx: CheckContext) -> list[Location]:
    """Where an ablation (or a with/without-features comparison) is run or reported."""
    found = [Location(src.path, n + 1, f"measured gain: {line.strip()[:120]}") for src in ctx.sources if src.text
             for n, line in enumerate(src.text.splitlines()) if MEASURED_GAIN.search(line)]
    found += [Location(s.path, s.line, f"measured gain: {s.text[:120]}")
              for s in readme_sentences(ctx) + notebook_sentences(ctx) if MEASURED_GAIN.search(s.text)]
    return found
