"""The canonical Ledger: tidy tables every module speaks, checked against `schemas`."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from workbench.core.vocabulary import DATE, TABLE_NAMES
from workbench.core.words import error_message
from workbench.exceptions import ParameterError, SchemaError

# pandera (in `schemas`) is imported only when a Ledger is made or a table checked: a report's
# kernel receives a Ledger checked before the kernel started and never pays for the import.

#: The national online-approval project code: YYMM-RRRRRR-MM-TT-NNNNNN (24 characters).
PROJECT_CODE = re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$")

#: Columns of a validation finding (ingestion and checks write these).
FINDING_COLUMNS = [
    "severity",  # "error" (row rejected) or "warning" (row kept)
    "rule",
    "file",
    "sheet",
    "row",  # Excel row number as the user sees it (1-based), or <NA>
    "column",  # header as written in the file
    "value",
    "message_zh",
    "message_en",
]


#: Columns of the mapping: what was read as what (``Ledger.mapping``, one row a column read).
MAPPING_COLUMNS = [
    "sheet",
    "table",  # the sheet's kind: projects / progress / approvals …
    "field",  # canonical field ("annual_plan"), "completed:1-3" for a monthly column, "" unmatched
    "column",  # column letter as Excel shows it ("F")
    "header",  # header path as written ("2022年计划投资/全年")
    "hidden",  # the column is hidden in the workbook
    "unit",  # unit applied to the column's amounts ("万元", "亿元" …; "" for non-amounts)
    "factor",  # multiplier applied to reach 万元 (1.0 unless a unit says otherwise)
    "samples",  # three sample values as written, joined by " | "
]


def empty_mapping() -> pd.DataFrame:
    """An empty mapping table (see MAPPING_COLUMNS)."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in MAPPING_COLUMNS})
    frame["hidden"] = frame["hidden"].astype(bool)
    frame["factor"] = frame["factor"].astype("float64")
    return frame


def is_project_code(value: str) -> bool:
    """True when `value` has the shape of a national 项目代码."""
    return bool(PROJECT_CODE.match(str(value)))


def derived_project_id(name: str, owner: str | None) -> str:
    """A stable id for a project without a national code, from its name and owner."""
    key = f"{str(name).strip()}|{'' if owner is None or pd.isna(owner) else str(owner).strip()}"
    return "WB-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10].upper()


def empty_table(table: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of a canonical table."""
    return conform(table, pd.DataFrame(columns=list(declared_dtypes(table))))


def empty_findings() -> pd.DataFrame:
    """An empty findings table."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in FINDING_COLUMNS})
    frame["row"] = frame["row"].astype("Int64")
    return frame


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Cast `frame` to the declared dtypes of `table` (columns reordered; none added or dropped).

    Casts are exact: integers and numeric text to float64, ISO dates ("2022-03-01") and other
    datetime units to ``datetime64[us]``, any value to text. Anything else where numbers, dates
    or booleans belong ("约5000", "2022.3", "是") raises SchemaError naming the table, column,
    row and value: messy values are the loader's job, not the Ledger's.
    """
    declared = declared_dtypes(table)
    optional = _optional_columns(table)
    out = {}
    for name, dtype in declared.items():
        if name in frame.columns:
            out[name] = _cast(table, name, frame[name], dtype)
        elif name in optional:
            out[name] = pd.Series(None, index=frame.index, dtype=dtype)
    result = pd.DataFrame(out, index=frame.index)
    for c in frame.columns:
        if c not in declared:
            result[c] = frame[c]
    return result.reset_index(drop=True)


@cache
def _optional_columns(table: str) -> tuple[str, ...]:
    from workbench.model.schemas import OPTIONAL_COLUMNS

    return OPTIONAL_COLUMNS.get(table, ())


#: Which level of a bundled project (打捆) totals count; validation.yaml's ``bundles.count``.
BUNDLE_UNITS = ("parent", "children")


@cache
def bundle_unit() -> str:
    """The default unit of count of a bundled project: "parent" or "children" (validation.yaml)."""
    from workbench.core.words import config_error
    from workbench.core.yamlfile import packaged_yaml

    section = packaged_yaml("validation.yaml").get("bundles")
    unit = section.get("count") if isinstance(section, dict) else None
    if unit not in BUNDLE_UNITS:
        raise config_error("validation.yaml", "bundles.count", "expect_one_of", unit,
                           choices=", ".join(BUNDLE_UNITS))
    return unit


def counted_mask(projects: pd.DataFrame, unit: str | None = None) -> pd.Series:
    """True for the projects totals count: a bundled project (打捆) once.

    ``unit="parent"`` (the default of validation.yaml's ``bundles.count``) counts a bundle as
    one project and leaves its parts out; ``"children"`` counts the parts and leaves the bundle
    row out. A part whose bundle is not in the table counts as a project of its own.
    """
    unit = bundle_unit() if unit is None else unit
    if unit not in BUNDLE_UNITS:
        raise ParameterError(error_message("bundle_unit", value=unit, valid=", ".join(BUNDLE_UNITS)),
                             field="unit", value=str(unit))
    if "parent_id" not in projects.columns:
        return pd.Series(True, index=projects.index)
    parent = projects["parent_id"]
    ids = projects["project_id"]
    if unit == "parent":
        return parent.isna() | ~parent.isin(set(ids))
    has_parts = set(parent.dropna()) & set(ids)
    return ~ids.isin(has_parts)


def _cast(table: str, name: str, series: pd.Series, dtype: str) -> pd.Series:
    if str(series.dtype) == dtype:
        return series  # already right: nothing to cast (the common case, and the fast one)
    if dtype == "str":
        return series.astype("str").where(series.notna(), None).astype("str")
    kind, cast = {
        "float64": ("kind_numbers", lambda s: pd.to_numeric(s, errors="raise").astype("float64")),
        "bool": ("kind_booleans", _as_bool),
    }.get(dtype, ("kind_dates", _as_dates))
    try:
        return cast(series)
    except (ValueError, TypeError):
        raise _first_bad_value(table, name, series, kind, cast) from None


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?$")


def _as_dates(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype(DATE)
    text = series.dropna()
    text = text[text.map(lambda v: isinstance(v, str))]
    if not text.map(lambda v: bool(_ISO_DATE.match(v))).all():
        raise ValueError("not ISO dates")
    return pd.to_datetime(series, format="ISO8601").astype(DATE)


def _as_bool(series: pd.Series) -> pd.Series:
    if not (pd.api.types.is_bool_dtype(series) or series.dropna().map(type).eq(bool).all()):
        raise TypeError("not booleans")
    return series.astype("boolean").fillna(False).astype(bool)


def _first_bad_value(table: str, name: str, series: pd.Series, kind: str, cast) -> SchemaError:
    """The SchemaError naming the first value of `series` that is not of `kind` (its row)."""
    expected = error_message(kind)
    for row, value in series.items():
        try:
            cast(pd.Series([value]))
        except (ValueError, TypeError):
            return SchemaError(error_message("schema_value", table=table, column=name,
                                             value=value, row=row, expected=expected),
                               column=name, value=repr(value), row=row)
    return SchemaError(error_message("schema_column_dtype", table=table, column=name,
                                     dtype=series.dtype, expected=expected), column=name)


def check_table(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate `frame` against its schema; raise SchemaError naming table, column and value."""
    import pandera.errors

    wrong = _dtype_mismatches(table, frame)
    if wrong:
        raise SchemaError("\n".join([error_message("schema_table", table=table), *wrong]))
    try:
        return _value_schema(table).validate(frame, lazy=True, inplace=True)  # no copy: nothing coerces
    except pandera.errors.SchemaErrors as exc:
        raise SchemaError(_schema_message(table, exc.failure_cases)) from None


@cache
def declared_dtypes(table: str) -> dict[str, str]:
    """Each column of a canonical table and the pandas dtype `schemas` declares for it, in order."""
    from workbench.model.schemas import TABLES as SCHEMAS

    out = {}
    for name, column in SCHEMAS[table].columns.items():
        declared = str(column.dtype)  # pandera spells every datetime64 unit as [ns], str as string
        if declared.startswith("datetime64"):
            declared = DATE
        out[name] = "str" if declared.startswith("string") else declared
    return out


def _dtype_mismatches(table: str, frame: pd.DataFrame) -> list[str]:
    """Lines naming each column whose dtype is not the declared one (a plain comparison)."""
    return [
        error_message("schema_dtype", column=name, dtype=frame[name].dtype, expected=dtype)
        for name, dtype in declared_dtypes(table).items()
        if name in frame.columns and str(frame[name].dtype) != dtype
    ]


@cache
def _value_schema(table: str):
    """The table's schema without its dtype checks: `check_table` compares dtypes itself, which
    costs microseconds where pandera's per-column dtype machinery costs milliseconds (what-if
    re-checks tables on every slider move)."""
    from workbench.model.schemas import TABLES as SCHEMAS

    schema = SCHEMAS[table]
    return schema.update_columns({c: {"dtype": None} for c in schema.columns})


def _schema_message(table: str, cases: pd.DataFrame) -> str:
    lines = [error_message("schema_table", table=table)]
    for case in cases.head(20).to_dict("records"):
        column, check, value = case["column"], case["check"], case["failure_case"]
        if check == "column_in_dataframe":
            lines.append(error_message("schema_missing_column", column=value))
        elif check == "column_in_schema":
            lines.append(error_message("schema_unexpected_column", column=value))
        elif str(check).startswith("dtype("):
            lines.append(error_message("schema_dtype", column=column, dtype=value,
                                       expected=check[6:-1]))
        else:
            row = case.get("index")
            where = error_message("schema_row", row=row) if row is not None and \
                not pd.isna(row) else ""
            lines.append(error_message("schema_check", column=column, where=where, value=value,
                                       check=check))
    if len(cases) > 20:
        lines.append(error_message("schema_more", n=len(cases) - 20))
    return "\n".join(lines)


@dataclass(frozen=True)
class Ledger:
    """A county's key-project ledger as tidy tables (amounts in 万元).

    ``projects`` one row a project; ``progress`` one row a project-month; ``approvals``,
    ``funding``, ``problems`` and ``milestones`` one row an item. ``findings`` holds the
    validation findings of the load, ``rejected`` the input rows that could not be used,
    ``extras`` the input columns that matched no canonical column, ``reconciliation`` the row
    counts of each input sheet, ``mapping`` what column was read as what field
    (MAPPING_COLUMNS), ``reported_on`` the report date written in the file (填报时间) if any,
    ``provenance`` where each row of a table was read: per table name, a frame of ``sheet`` and
    ``excel_row`` aligned with the table's rows (absent for a table made or replaced in code).
    ``currency``: a profile's foreign currency (amounts in 万 units of it, never shown as 亿元).
    """

    projects: pd.DataFrame
    progress: pd.DataFrame = field(default_factory=lambda: empty_table("progress"))
    approvals: pd.DataFrame = field(default_factory=lambda: empty_table("approvals"))
    funding: pd.DataFrame = field(default_factory=lambda: empty_table("funding"))
    problems: pd.DataFrame = field(default_factory=lambda: empty_table("problems"))
    milestones: pd.DataFrame = field(default_factory=lambda: empty_table("milestones"))
    year: int | None = None
    source: str | None = None
    findings: pd.DataFrame = field(default_factory=empty_findings)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    extras: pd.DataFrame = field(default_factory=pd.DataFrame)
    reconciliation: pd.DataFrame = field(default_factory=pd.DataFrame)
    mapping: pd.DataFrame = field(default_factory=empty_mapping)
    reported_on: pd.Timestamp | None = None
    provenance: dict = field(default_factory=dict)
    currency: str | None = None  # a foreign portfolio's currency symbol ("£", "$"); None: 元

    def __post_init__(self) -> None:
        for table in TABLE_NAMES:
            object.__setattr__(self, table, check_table(table, conform(table, getattr(self, table))))
        if self.year is None:
            object.__setattr__(self, "year", _year_of(self.progress, self.projects))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The canonical tables by name."""
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def replace(self, **changes) -> Ledger:
        """A new Ledger with some tables or attributes replaced (the original is unchanged).

        Only the replaced tables are checked again: the others were checked when this Ledger
        was made and are shared, not copied (pandas copy-on-write keeps them safe).
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"Ledger has no field(s) {sorted(unknown)}")
        new = copy.copy(self)
        for name, value in changes.items():
            if name in TABLE_NAMES:
                value = check_table(name, conform(name, value))
            object.__setattr__(new, name, value)
        if "provenance" not in changes and set(changes) & set(self.provenance):
            # a replaced table's rows no longer line up with where they were read: drop, never misalign
            object.__setattr__(new, "provenance", {
                name: frame for name, frame in self.provenance.items() if name not in changes})
        return new

    def filter(self, office=None, unit=None, level=None, stage=None, band=None, rag=None,
                name_contains=None, scores=None) -> Ledger:
        """The projects passing every given filter, all tables consistent (model.filters).

        ``band`` and ``rag`` read `scores` (``workbench.score(ledger)``).

        >>> ledger.filter(office="工业发展", rag=["red", "amber"], scores=scores)   # doctest: +SKIP
        """
        from workbench.model.filters import filter_ledger

        return filter_ledger(self, office=office, unit=unit, level=level, stage=stage, band=band,
                             rag=rag, name_contains=name_contains, scores=scores)

    def counted_projects(self, unit: str | None = None) -> pd.Series:
        """Mask over ``projects``: the projects totals, scores and reviews count (a bundled
        project once; see `counted_mask`)."""
        return counted_mask(self.projects, unit)

    def counted(self, unit: str | None = None) -> Ledger:
        """This Ledger with only its counted projects (a bundle once) and their rows; itself
        when every project counts (no bundles)."""
        keep = self.counted_projects(unit)
        if bool(keep.all()):
            return self
        ids = set(self.projects.loc[keep.to_numpy(), "project_id"])
        tables = {name: frame[frame["project_id"].isin(ids).to_numpy()]
                  for name, frame in self.tables().items()}
        return self.replace(**tables)

    def _repr_html_(self) -> str:
        """Jupyter's view: counts, totals in 亿元, months, validation findings (escaped, Chinese)."""
        from workbench.present.display import ledger_summary_html

        return ledger_summary_html(self)

    def summary(self) -> dict:
        """Counts per table and headline totals (亿元) of what loaded, a bundled project once
        (``bundled`` projects are parts of a bundle or bundles, kept but not counted)."""
        counted = self.counted()
        p = counted.projects
        return {
            "year": self.year,
            "source": self.source,
            "counts": {name: len(frame) for name, frame in self.tables().items()},
            "total_investment_yi": round(float(p["total_investment"].sum()) / 1e4, 2),
            "annual_plan_yi": round(float(p["annual_plan"].sum()) / 1e4, 2),
            "completed_yi": round(float(counted.progress["completed"].sum()) / 1e4, 2),
            "bundled": len(self.projects) - len(p),
            "months": _month_span(self.progress),
            "errors": int((self.findings["severity"] == "error").sum()) if len(self.findings) else 0,
            "warnings": int((self.findings["severity"] == "warning").sum())
            if len(self.findings)
            else 0,
            "rejected_rows": len(self.rejected),
            "currency": self.currency,
        }


def _year_of(progress: pd.DataFrame, projects: pd.DataFrame) -> int | None:
    if len(progress):
        return int(progress["month"].dt.year.mode().iloc[0])
    starts = projects["planned_start"].dropna()
    return int(starts.dt.year.max()) if len(starts) else None


def _month_span(progress: pd.DataFrame) -> str | None:
    if not len(progress):
        return None
    lo, hi = progress["month"].min(), progress["month"].max()
    return f"{lo:%Y-%m}…{hi:%Y-%m}"
