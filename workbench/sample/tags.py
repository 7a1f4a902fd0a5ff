"""What a ledger records about each project besides who it is: tags, progress notes, codes.

三个一批 batch and kind, the 982 programme and the 531 tier; the physical-progress note of its
stage; a national project code (YYMM-RRRRRR-MM-TT-NNNNNN) for most projects, a derived id for
the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.model.ledger import derived_project_id


def add_tags(rng, cfg, frame: pd.DataFrame, year: int, u: dict) -> pd.DataFrame:
    """三个一批 batch and kind, 982 programme and 531 tier."""
    n = len(frame)
    tb = cfg["three_batches"]
    nature, stage = frame["nature"].to_numpy(), frame["stage"].to_numpy()
    industrial = frame["category"].to_numpy() == next(iter(cfg["categories"]))
    start_q = (frame["planned_start"].dt.month.fillna(1).to_numpy(dtype=int) - 1) // 3 + 1
    done_q = (frame["planned_completion"].dt.month.fillna(1).to_numpy(dtype=int) - 1) // 3 + 1
    sw = np.asarray(cfg["starts"]["month_weights"], dtype=float).reshape(4, 3).sum(axis=1)
    signed_q = rng.choice([1, 2, 3, 4], n, p=sw / sw.sum())
    draw = rng.random(n)
    on_list = frame["on_list"].to_numpy()
    started_batch = on_list & (nature == "新开工") & (draw < tb["started_share"])
    operating_batch = on_list & (nature == "竣工") & industrial & (draw < tb["operating_share"])
    signed_batch = (
        ((nature == "前期") | ~on_list)
        & (frame["total_investment"].to_numpy() >= tb["signed_min"])
        & (draw < tb["signed_share"])
    )
    kind = np.select([started_batch, operating_batch, signed_batch], ["开工", "投产", "签约"], "")
    quarter = np.select([started_batch, operating_batch], [start_q, done_q], signed_q).astype(int)
    frame["batch_kind"] = pd.Series(kind, dtype="str").where(kind != "", None)
    frame["batch_quarter"] = pd.Series([f"{year}Q{q}" for q in quarter], dtype="str").where(
        kind != "", None
    )
    public_share = cfg["gaps"]["programme_982_share"]
    frame["programme_982"] = u["p982"] < np.where(industrial, public_share / 3, public_share)
    tier = np.select([stage == "谋划", stage == "储备", nature == "前期"], ["5", "3", "3"], "1")
    frame["tier_531"] = pd.Series(tier, dtype="str").where(
        u["tier"] >= cfg["gaps"]["tier_blank"], None
    )
    return frame


_NOTES = {
    "前期": [
        "正在办理前期手续",
        "正在编制可行性研究报告",
        "已完成立项，正在办理用地手续",
        "正在进行方案设计",
    ],
    "在建_new": ["已开工，正在进行场地平整", "基础工程施工中", "主体工程施工中"],
    "在建_old": [
        "主体结构施工中",
        "二次结构及装饰装修施工",
        "设备安装调试中",
        "室外配套工程施工",
        "主体已封顶",
    ],
    "在建_done": ["收尾工程施工中", "正在准备竣工验收"],
    "建成": ["已竣工验收"],
    "投产": ["已竣工投产"],
    "谋划": ["谋划阶段"],
    "储备": ["项目储备，正在开展前期研究"],
}


def progress_notes(rng, frame: pd.DataFrame) -> list:
    notes = []
    for stage, nature, blank in zip(
        frame["stage"].tolist(),
        frame["nature"].tolist(),
        rng.random(len(frame)) < 0.04,
        strict=True,
    ):
        key = stage
        if stage == "在建":
            key = {"新开工": "在建_new", "竣工": "在建_done"}.get(nature, "在建_old")
        options = _NOTES[key]
        notes.append(None if blank else options[rng.integers(len(options))])
    return notes


def project_ids(rng, cfg, frame: pd.DataFrame, year: int, draw: np.ndarray) -> list[str]:
    """National codes (YYMM-RRRRRR-MM-TT-NNNNNN) for most projects; derived ids for the rest."""
    n = len(frame)
    cc = cfg["codes"]
    gap = np.where(
        frame["on_list"],
        frame["nature"].map(cfg["gaps"]["no_code"]),
        frame["stage"].map(cfg["gaps"]["no_code"]),
    )
    has_code = draw >= gap.astype(float)
    anchor = frame["actual_start"].fillna(frame["planned_start"])
    months_before = rng.integers(cc["months_before_start"][0], cc["months_before_start"][1] + 1, n)
    anchor_m = (
        anchor.dt.year.to_numpy(dtype=float, na_value=year) * 12
        + anchor.dt.month.to_numpy(dtype=float, na_value=1)
        - 1
    )
    issued = np.minimum(anchor_m - months_before, year * 12 + 11).astype(int)
    yymm = [f"{(m // 12) % 100:02d}{m % 12 + 1:02d}" for m in issued]
    pick = rng.random(n)
    ministry = [
        cc["ministry"][c][int(d * len(cc["ministry"][c]))]
        for c, d in zip(frame["category"], pick, strict=True)
    ]
    kind = np.where(frame["public"], cc["type_public"], cc["type_private"])
    serial = rng.choice(100_000, n, replace=False)  # distinct serial numbers, so distinct codes
    region = cfg["county"]["region_code"]
    digits = (serial[:, None] // 10 ** np.arange(4, -1, -1)) % 10
    check = (digits * np.arange(1, 6)).sum(axis=1) % 10
    names, owners = frame["name"].tolist(), frame["owner"].tolist()
    return [
        f"{yymm[i]}-{region}-{ministry[i]}-{kind[i]}-{serial[i]:05d}{check[i]}"
        if has_code[i]
        else derived_project_id(names[i], owners[i])
        for i in range(n)
    ]
