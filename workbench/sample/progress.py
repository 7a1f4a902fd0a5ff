"""Monthly planned and completed investment: S-shaped progress curves over the ledger year.

Plans spread each annual plan over the months from (planned) start to (planned) completion;
completions follow the actual dates, run ahead or behind the plan by a drawn ratio that
improves with planning quality, with monthly noise and the seasons of building work.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.sample.draws import MONTHS, ledger_month, ymd_dates


def _spread(weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Row totals spread over months by weights, in cents, the remainder on the last active month."""
    sums = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)
    out = np.round(share * totals[:, None], 2)
    active = weights > 0
    last = np.where(active.any(axis=1), MONTHS - 1 - np.argmax(active[:, ::-1], axis=1), MONTHS - 1)
    rows = np.arange(len(totals))
    residual = totals - out.sum(axis=1) + out[rows, last]
    out[rows, last] = np.round(np.maximum(residual, 0), 2)
    return out


def _curve(
    first: np.ndarray, last: np.ndarray, shape, blend: float, season: np.ndarray
) -> np.ndarray:
    """Monthly weights of an S-curve (beta density blended with an even spread) between months first..last."""
    month = np.arange(1, MONTHS + 1)[None, :]
    first, last = first[:, None], last[:, None]
    active = (month >= first) & (month <= last)
    length = np.maximum(last - first + 1, 1)
    x = np.clip((month - first + 0.5) / length, 1e-6, 1 - 1e-6)
    density = x ** (shape[0] - 1) * (1 - x) ** (shape[1] - 1)
    density = density / np.maximum((density * active).sum(axis=1, keepdims=True), 1e-12) * length
    w = (blend * density + (1 - blend)) * season[None, :]
    return np.where(active, w, 0.0)


def progress_table(rng, cfg, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    n = len(frame)
    season = np.asarray(cfg["season"], dtype=float)
    shape, blend = cfg["s_curve_shape"], cfg["s_curve_blend"]
    nature = frame["nature"].to_numpy()
    is_new, is_done = nature == "新开工", nature == "竣工"
    plan_first = np.where(
        is_new, np.clip(ledger_month(frame["planned_start"].to_numpy(), year), 1, 12), 1
    )
    plan_last = np.where(
        is_done, np.clip(ledger_month(frame["planned_completion"].to_numpy(), year), 1, 12), 12
    )
    curved = np.where(is_new, blend, 0.0)
    planned_w = _curve_rows(plan_first, plan_last, shape, curved, season)
    annual = frame["annual_plan"].to_numpy(dtype=float)
    planned = _spread(planned_w, annual)

    actual_start = ledger_month(frame["actual_start"].to_numpy(), year)
    started = frame["started"].to_numpy(dtype=bool)
    done_m = ledger_month(frame["actual_completion"].to_numpy(), year)
    act_first = np.where(is_new, np.clip(actual_start, 1, 13), 1)
    act_last = np.where(is_done & (done_m <= 12), np.clip(done_m, 1, 12), 12)
    dc = cfg["delivery"]
    q = frame["quality"].to_numpy()
    ratio = np.exp(
        rng.normal(dc["log_ratio_mean"] + dc["quality_effect"] * (q - 0.5), dc["log_ratio_sd"], n)
    )
    month = np.arange(1, MONTHS + 1)[None, :]
    reachable = (planned * (month >= act_first[:, None])).sum(axis=1)
    missed = annual - reachable
    target = ratio * (reachable + 0.3 * missed)
    target = np.where(is_new & ~started, 0.0, target)
    noise = np.exp(rng.normal(0, dc["monthly_noise_sd"], (n, MONTHS)))
    completed_w = _curve_rows(act_first, act_last, shape, curved, season) * noise
    completed = _spread(completed_w, np.round(target, 2))

    ids = np.repeat(frame["project_id"].to_numpy(), MONTHS)
    months = np.tile(ymd_dates(year, np.arange(1, MONTHS + 1), 1), n)
    return pd.DataFrame(
        {
            "project_id": ids,
            "month": months,
            "planned": planned.ravel(),
            "completed": completed.ravel(),
            "physical_progress": np.nan,
        }
    )


def _curve_rows(first, last, shape, blend: np.ndarray, season) -> np.ndarray:
    """`_curve` with a per-row blend."""
    curved = _curve(first, last, shape, 1.0, season)
    even = _curve(first, last, shape, 0.0, season)
    return blend[:, None] * curved + (1 - blend[:, None]) * even
