"""Base vs scenario: the deltas leaders ask about (forecast, start rates, RAG, bands, ranks).

`compare` applies a scenario to a ledger, scores both sides and returns a `Comparison`; amounts
are 万元, shares 0–1, and a positive rank change means moved up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.vocabulary import BANDS, RAG_NONE, RAG_STATES
from workbench.model.ledger import Ledger
from workbench.whatif._arrays import by_project
from workbench.whatif._dates import as_of_for
from workbench.whatif.applied import applied_ledger, as_planned, tables_with
from workbench.whatif.check import check_scenario
from workbench.whatif.outcome import Outcome, evaluate
from workbench.whatif.project_effects import effect_arrays
from workbench.whatif.scenario import Scenario, load_scenario
from workbench.whatif.starts import quarter_starts


@dataclass(frozen=True)
class Comparison:
    """Base vs scenario: the deltas leaders ask about (amounts in 万元, shares 0–1)."""

    scenario: Scenario
    as_of: pd.Timestamp
    headline: pd.DataFrame  # measure, base, scenario, change
    quarters: pd.DataFrame  # quarter_starts
    rag: pd.DataFrame  # rag, base, scenario, change
    bands: pd.DataFrame  # band, base, scenario, change
    units: pd.DataFrame  # responsible_unit, assessment and forecast ranks, base vs scenario
    projects: pd.DataFrame  # per project: score, rank, forecast, effects
    curve: pd.DataFrame  # month, plan, base, scenario (cumulative 万元)
    base: Outcome
    result: Outcome


def compare(base: Ledger | Outcome, scenario: Scenario, as_of=None, rubric=None) -> Comparison:
    """Apply `scenario` to `base`, score both and return the deltas (pass an Outcome to reuse it)."""
    if isinstance(base, Outcome):
        before = base
        as_of = before.as_of if as_of is None else as_of_for(before.ledger, as_of)
    else:
        as_of = as_of_for(base, as_of)
        before = evaluate(base, as_of, rubric)
    after, arrays = scenario_outcome(before, scenario, as_of, rubric)
    return comparison_of(before, scenario, after, arrays)


def compare_files(scenario: str | Path, ledger_path: str | Path, as_of=None, rubric=None) -> Comparison:
    """Load a ledger workbook and a scenario YAML and compare them (the `workbench whatif` command)."""
    from workbench.core.paths import resolved_path
    from workbench.ingest import load_ledger

    return compare(load_ledger(resolved_path(ledger_path)), load_scenario(scenario), as_of, rubric)


def scenario_outcome(before: Outcome, scenario: Scenario, as_of, rubric) -> tuple[Outcome, dict]:
    """The scenario's Outcome (applied, scored, forecast) and its per-project effect arrays.

    The scenario is forecast with its new planned dates but scored against the plan as given
    (`applied.as_planned`): delaying starts or cutting funds never raises a score.
    """
    ledger = before.ledger
    check_scenario(scenario, ledger, as_of)
    arrays = effect_arrays(ledger, scenario, as_of)
    tables = tables_with(ledger, scenario, as_of, arrays)
    planned = as_planned(ledger, tables, scenario)
    scored = applied_ledger(ledger, {**tables, "projects": planned})
    after = scored if planned is tables["projects"] else scored.replace(projects=tables["projects"])
    return evaluate(after, as_of, rubric, scenario.weights, scored=scored), arrays


def comparison_of(before: Outcome, scenario: Scenario, after: Outcome, arrays: dict) -> Comparison:
    """The Comparison of two Outcomes, `arrays` being the scenario's `effect_arrays`."""
    as_of = before.as_of
    ledger = before.ledger
    eff = pd.DataFrame({
        "project_id": ledger.projects["project_id"].to_numpy(),
        "slip_months": arrays["slip"].astype("int64"),
        "stopped": arrays["stopped"],
        "brought_forward_to": ledger.projects["project_id"].map(scenario.bring_forward).to_numpy()
        if scenario.bring_forward else None,
    })
    return Comparison(
        scenario=scenario,
        as_of=as_of,
        headline=_headline(before, after, eff),
        quarters=quarter_starts(before.ledger, after.ledger, as_of),
        rag=_counts(before.scores.delivery["rag"], after.scores.delivery["rag"], "rag", RAG_STATES),
        bands=_counts(before.planning["band"], after.planning["band"], "band", BANDS),
        units=_unit_ranks(before, after),
        projects=_project_ranks(before, after, eff),
        curve=pd.DataFrame(
            {
                "month": before.curve["month"],
                "plan": before.curve["plan"],
                "base": before.curve["forecast"],
                "scenario": after.curve["forecast"].to_numpy(),
                "actual": before.curve["actual"],
            }
        ),
        base=before,
        result=after,
    )


def _headline(before: Outcome, after: Outcome, eff: pd.DataFrame) -> pd.DataFrame:
    target = float(before.ledger.projects["annual_plan"].sum())
    f0, f1 = float(before.forecast["forecast"].sum()), float(after.forecast["forecast"].sum())
    rows = [
        ("annual_target", target, target),
        ("completed_to_date", float(before.forecast["completed_to_date"].sum()),
         float(after.forecast["completed_to_date"].sum())),
        ("year_end_forecast", f0, f1),
        ("forecast_share_of_target", f0 / target if target else np.nan, f1 / target if target else np.nan),
        ("gap_to_target", f0 - target, f1 - target),
        ("projects_slipped", 0, int((eff["slip_months"] > 0).sum())),
        ("projects_stopped", 0, int(eff["stopped"].sum())),
        ("projects_brought_forward", 0, int(eff["brought_forward_to"].notna().sum())),
        ("mean_planning_score", float(before.planning["score"].mean()), float(after.planning["score"].mean())),
    ]
    out = pd.DataFrame(rows, columns=["measure", "base", "scenario"])
    out["change"] = out["scenario"] - out["base"]
    return out


def _counts(before: pd.Series, after: pd.Series, name: str, order) -> pd.DataFrame:
    """How many of each value of `order` (a missing value counts as the RAG state "none")."""
    b = before.to_numpy(dtype=object, na_value=RAG_NONE)
    a = after.to_numpy(dtype=object, na_value=RAG_NONE)
    out = pd.DataFrame({
        name: list(order),
        "base": [int((b == v).sum()) for v in order],
        "scenario": [int((a == v).sum()) for v in order],
    })
    out["change"] = out["scenario"] - out["base"]
    return out


def _unit_ranks(before: Outcome, after: Outcome) -> pd.DataFrame:
    def side(o: Outcome) -> pd.DataFrame:
        u = o.scores.units
        p = o.ledger.projects
        ids = p["project_id"].to_numpy(dtype=object)
        forecast = by_project(o.forecast, ids, ["forecast"])["forecast"]
        codes, units = pd.factorize(p["responsible_unit"].to_numpy(dtype=object, na_value=""))
        f = np.bincount(codes, weights=forecast, minlength=len(units))
        plan = np.bincount(codes, weights=p["annual_plan"].to_numpy(), minlength=len(units))
        share = pd.Series(np.divide(f, plan, out=np.full(len(units), np.nan), where=plan > 0), index=units)
        frame = pd.DataFrame({"total": u["total"].to_numpy(), "rank": u["rank"].to_numpy()},
                             index=u["responsible_unit"].to_numpy(dtype=object))
        frame["forecast_share"] = share.reindex(frame.index).to_numpy()
        frame["forecast_rank"] = frame["forecast_share"].rank(ascending=False, method="min")
        return frame

    b, a = side(before), side(after)
    out = b.add_suffix("_base").join(a.add_suffix("_scenario"), how="outer")
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]  # positive = moved up
    out["forecast_rank_change"] = out["forecast_rank_base"] - out["forecast_rank_scenario"]
    return out.rename_axis("responsible_unit").reset_index().sort_values("rank_scenario", ignore_index=True)


def _project_ranks(before: Outcome, after: Outcome, eff: pd.DataFrame) -> pd.DataFrame:
    p = before.ledger.projects
    ids = p["project_id"].to_numpy(dtype=object)
    s0 = by_project(before.planning, ids, ["score", "band"])
    s1 = by_project(after.planning, ids, ["score", "band"])
    f0 = by_project(before.forecast, ids, ["forecast"])["forecast"]
    f1 = by_project(after.forecast, ids, ["forecast"])["forecast"]
    e = by_project(eff, ids, ["slip_months", "stopped", "brought_forward_to"])
    out = pd.DataFrame({
        "project_id": ids,
        "name": p["name"].to_numpy(),
        "office": p["office"].to_numpy(),
        "responsible_unit": p["responsible_unit"].to_numpy(),
        "score_base": s0["score"], "band_base": s0["band"],
        "score_scenario": s1["score"], "band_scenario": s1["band"],
        "rank_base": pd.Series(s0["score"]).rank(ascending=False, method="min").to_numpy(),
        "rank_scenario": pd.Series(s1["score"]).rank(ascending=False, method="min").to_numpy(),
        "forecast_base": f0, "forecast_scenario": f1, "forecast_change": f1 - f0,
        **e,
    })
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]  # positive = moved up
    return out.sort_values(["rank_scenario", "project_id"], ignore_index=True)
