"""How well a score ranks and a probability is calibrated: AUC with a project-clustered
bootstrap interval (all of a project's rows are drawn together, since a project's yearly
reports are not independent), paired differences of AUC, the Brier score and a reliability table."""

from __future__ import annotations

import numpy as np
import pandas as pd


def auc(y, score) -> float:
    """Area under the ROC curve (NaN when `y` has one class or a score is missing everywhere)."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype="float64")
    score = np.asarray(score, dtype="float64")
    keep = ~np.isnan(y) & ~np.isnan(score)
    if keep.sum() < 2 or len(np.unique(y[keep])) < 2:
        return float("nan")
    return float(roc_auc_score(y[keep].astype(int), score[keep]))


def cluster_draws(clusters, n: int, seed: int) -> list[np.ndarray]:
    """`n` bootstrap resamples of row positions, drawing whole clusters with replacement."""
    codes, _ = pd.factorize(pd.Series(clusters).astype("str"))
    members = [np.flatnonzero(codes == k) for k in range(codes.max() + 1)] if len(codes) else []
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n):
        picked = rng.integers(0, len(members), len(members))
        draws.append(np.concatenate([members[k] for k in picked]) if len(members) else np.array([], int))
    return draws


def auc_interval(y, scores: dict, clusters, draws: list[np.ndarray]) -> dict:
    """AUC of each score with a 95 % interval from the cluster bootstrap `draws`:
    {name: (auc, low, high, n)} with n the rows where the score is known."""
    y = np.asarray(y, dtype="float64")
    out = {}
    for name, score in scores.items():
        score = np.asarray(score, dtype="float64")
        values = [auc(y[d], score[d]) for d in draws]
        low, high = np.nanpercentile(values, [2.5, 97.5]) if np.isfinite(values).any() else (np.nan, np.nan)
        out[name] = (auc(y, score), float(low), float(high), int((~np.isnan(score) & ~np.isnan(y)).sum()))
    return out


def paired_difference(y, first, second, draws: list[np.ndarray]) -> tuple[float, float, float]:
    """AUC(first) − AUC(second) on the same rows, with its 95 % cluster-bootstrap interval."""
    y = np.asarray(y, dtype="float64")
    first, second = np.asarray(first, dtype="float64"), np.asarray(second, dtype="float64")
    keep = ~np.isnan(first) & ~np.isnan(second) & ~np.isnan(y)
    diffs = [auc(y[d][keep[d]], first[d][keep[d]]) - auc(y[d][keep[d]], second[d][keep[d]]) for d in draws]
    point = auc(y[keep], first[keep]) - auc(y[keep], second[keep])
    if not np.isfinite(diffs).any():
        return point, float("nan"), float("nan")
    low, high = np.nanpercentile(diffs, [2.5, 97.5])
    return float(point), float(low), float(high)


def brier(y, probability) -> float:
    """Mean squared difference between the probability and the outcome (lower is better)."""
    y, p = np.asarray(y, dtype="float64"), np.asarray(probability, dtype="float64")
    return float(np.mean((p - y) ** 2)) if len(y) else float("nan")


def reliability(y, probability, bins: int = 5) -> pd.DataFrame:
    """Rows binned by predicted probability (equal counts): n, mean predicted, observed rate."""
    frame = pd.DataFrame({"y": np.asarray(y, dtype="float64"), "p": np.asarray(probability, dtype="float64")})
    if not len(frame):
        return pd.DataFrame(columns=["bin", "n", "predicted", "observed"])
    frame["bin"] = pd.qcut(frame["p"].rank(method="first"), min(bins, len(frame)), labels=False)
    table = frame.groupby("bin").agg(n=("y", "size"), predicted=("p", "mean"), observed=("y", "mean"))
    return table.reset_index()
