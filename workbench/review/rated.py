"""Counts and lists from the scores: RAG mix, RAG by office, planning bands, weakest and laggards."""

from __future__ import annotations

import pandas as pd

from workbench.core.vocabulary import BANDS, OFFICES, RAG_NONE, RAG_STATES
from workbench.review.support import open_problems

#: How many projects the "weakest" and "laggards" tables show (the rest are counted in a note).
LIST_LENGTH = 10

#: The planning bands the "weakest" list holds (橙、红).
WEAK_BANDS = ("amber_red", "red")


def rag_counts(delivery: pd.DataFrame) -> pd.DataFrame:
    """Projects per delivery RAG ("none" when nothing was due)."""
    rag = delivery["rag"].astype("object").where(delivery["rag"].notna(), RAG_NONE)
    counts = rag.value_counts().reindex(list(RAG_STATES), fill_value=0)
    return pd.DataFrame({"rag": list(RAG_STATES), "projects": counts.astype(int).to_numpy()})


def rag_matrix(delivery: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per office and delivery RAG (long form, every pair present)."""
    frame = delivery.merge(projects[["project_id", "office"]], on="project_id")
    rag = frame["rag"].astype("object").where(frame["rag"].notna(), RAG_NONE)
    counts = frame.assign(rag=rag).groupby(["office", "rag"]).size()
    offices = [o for o in OFFICES if o in set(projects["office"])]
    index = pd.MultiIndex.from_product([offices, list(RAG_STATES)], names=["office", "rag"])
    return counts.reindex(index, fill_value=0).rename("projects").reset_index()


def band_counts(planning: pd.DataFrame) -> pd.DataFrame:
    """Projects per planning-quality band, green to red."""
    counts = planning["band"].value_counts().reindex(list(BANDS), fill_value=0)
    return pd.DataFrame({"band": list(BANDS), "projects": counts.astype(int).to_numpy()})


def weakest_projects(planning, reasons, projects, lang_messages=("message_zh", "message_en")
                     ) -> pd.DataFrame:
    """Every project rated 橙 or 红, lowest score first, each with its three largest reasons
    (zh and en); the table shows the first `LIST_LENGTH` and says how many there are."""
    low = planning[planning["band"].isin(WEAK_BANDS)][["project_id", "score", "band"]]
    top = reasons[reasons["points_lost"] > 0].sort_values("points_lost", ascending=False)
    top = top.groupby("project_id").head(3)
    joined = top.groupby("project_id").agg(
        reasons_zh=(lang_messages[0], "；".join), reasons_en=(lang_messages[1], "; ".join)
    )
    out = low.merge(projects[["project_id", "name", "office", "responsible_unit"]], on="project_id")
    out = out.merge(joined, on="project_id", how="left")
    return out.sort_values(["score", "name"]).reset_index(drop=True)


def laggard_projects(delivery, projects, problems, as_of) -> pd.DataFrame:
    """落后项目: every red-delivery project, the most investment behind plan first (`behind`,
    万元: year-to-date planned − completed), with their open problems (存在问题)."""
    red = delivery[delivery["rag"].eq("red")]
    cols = ["project_id", "ytd_planned", "ytd_completed", "spi", "points_vs_elapsed"]
    frame = red[[c for c in cols if c in red.columns]].merge(
        projects[["project_id", "name", "office", "responsible_unit", "leader"]], on="project_id"
    )
    issues = open_problems(problems, as_of).groupby("project_id")["problem"].agg("；".join)
    frame = frame.merge(issues.rename("problems"), on="project_id", how="left")
    frame["problems"] = frame["problems"].fillna("")
    frame["behind"] = frame["ytd_planned"] - frame["ytd_completed"]
    return frame.sort_values(["behind", "name"], ascending=[False, True]).reset_index(drop=True)


