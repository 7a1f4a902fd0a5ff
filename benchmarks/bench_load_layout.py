"""Benchmark: load + validate a 50,000-row ledger in a county's layout, against read_excel(calamine).

    .venv/bin/python benchmarks/bench_load_layout.py [--rows 50000] [--repeat 5]

The workbook is laid out as counties keep theirs (issue 12): a title row, a unit row, a
three-level header (2022年计划投资 → 全年 / 其中 → 一季度 … 四季度; 2022年1-6月完成投资 →
1-6月累计 / 其中：6月份), a 合计 row, category rows (一、工业项目（N个）), bundled projects (序号 3
with 3-1 … 3-3 under it, the parent holding the children's sums), 责任单位 and 分包领导 merged
vertically over runs of projects, and a 填报说明 notes block below. It is built once from a seeded
generator and written with the workbench's streaming writer under benchmarks/_data/
(git-ignored). Each run reads the file with pandas.read_excel(engine="calamine", header=None)
and with `load_ledger` (load + validate), best of `--repeat` (the machine drifts: five pairs
give a steadier best than two), and prints the ratio.
Target: load + validate ≤ 1.5× read_excel (about 2.0× before issue 12).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).parent / "_data"
YEAR = 2022
HEADINGS = ["序号", "项目名称", "项目代码", "建设单位", "建设地点", "建设性质", "项目级别",
            "建设规模及主要建设内容", "开工时间", "竣工时间", "总投资"]  # fmt: skip
PLAN = f"{YEAR}年计划投资"
DONE = f"{YEAR}年1-6月完成投资"
AFTER = ["形象进度", "责任单位", "分包领导", "备注"]
CATEGORIES = ["工业项目", "基础设施项目", "社会民生项目", "农林水利项目"]
NUMERALS = "一二三四五六七八九十"
NOTES = ["填报说明：", "1. 金额单位为万元，保留两位小数。", "2. 打捆项目的子项目以“3-1”形式编号。",
         "3. 1-6月累计为当年1月至6月完成投资之和。", "4. 责任单位为项目推进的牵头单位。",
         "5. 形象进度填写至6月底。", "填报人：张三    审核人：李四    联系电话：0377-12345678"]


def layout(rows: int, seed: int = 12) -> tuple[pd.DataFrame, list[str]]:
    """The sheet as a grid of cells (row 1 = the title) and its merged ranges."""
    rng = np.random.default_rng(seed)
    width = len(HEADINGS) + 5 + 2 + len(AFTER)
    # projects: every 25th opens a bundle of three sub-projects (4 rows: parent + 3 children)
    kind, parents = [], 0
    while len(kind) < rows:
        if parents % 25 == 24 and len(kind) + 4 <= rows:
            kind += ["parent", "child", "child", "child"]
        else:
            kind.append("single")
        parents += 1
    kind = np.array(kind[:rows])
    n = rows
    total = np.round(rng.lognormal(np.log(8000), 1.1, n), 2)
    plan = np.round(total * rng.uniform(0.1, 0.6, n), 2)
    quarters = np.round(plan[:, None] * rng.dirichlet(np.ones(4), n), 2)
    ytd = np.round((quarters[:, 0] + quarters[:, 1]) * rng.uniform(0.6, 1.2, n), 2)
    june = np.round(ytd * rng.uniform(0.1, 0.3, n), 2)
    # a bundle's parent row holds the sums of its children
    for i in np.flatnonzero(kind == "parent"):
        total[i], plan[i] = total[i + 1:i + 4].sum(), plan[i + 1:i + 4].sum()
        quarters[i] = quarters[i + 1:i + 4].sum(axis=0)
        ytd[i], june[i] = ytd[i + 1:i + 4].sum(), june[i + 1:i + 4].sum()
    start_month = rng.integers(1, 13, n)
    start_year = rng.choice([YEAR - 1, YEAR], n, p=[0.4, 0.6])
    nature = np.where(start_year < YEAR, "续建", "新开工")
    units = [f"县直单位{i:03d}" for i in range(90)] + [f"第{i}乡镇人民政府" for i in range(20)]
    leaders = [f"副县长{c}" for c in "甲乙丙丁戊己庚辛壬癸"]
    # 责任单位 and 分包领导 come in runs of 1-6 projects (merged vertically in the sheet)
    run_lengths = rng.integers(1, 7, n)
    run_id = np.repeat(np.arange(n), run_lengths)[:n]
    unit = np.asarray(units, dtype=object)[rng.integers(0, len(units), n)][run_id]
    leader = np.asarray(leaders, dtype=object)[rng.integers(0, len(leaders), n)][run_id]
    category = np.sort(rng.integers(0, len(CATEGORIES), n))
    # bundles stay inside one category and one unit run
    for i in np.flatnonzero(kind == "parent"):
        category[i + 1:i + 4] = category[i]
        unit[i + 1:i + 4], leader[i + 1:i + 4] = unit[i], leader[i]

    ids = np.arange(n)
    data = pd.DataFrame({
        "seq": "",
        "name": [f"示例{CATEGORIES[c][:2]}项目{i:05d}" for i, c in zip(ids, category, strict=True)],
        "code": [f"{y % 100:02d}{m:02d}-411325-04-01-{i:06d}"
                 for y, m, i in zip(start_year, start_month, ids, strict=True)],
        "owner": np.asarray(["县城投公司", "某实业有限公司", "县交通运输局"], dtype=object)[ids % 3],
        "location": np.asarray(["城关镇", "赵店乡", "灌涨镇", "马山口镇"], dtype=object)[ids % 4],
        "nature": nature, "level": np.where(ids % 7 == 0, "市级", "县级"),
        "scope": "新建厂房及配套设施",
        "start": [f"{y}.{m}" for y, m in zip(start_year, start_month, strict=True)],
        "finish": [f"{YEAR + 1}年{m}月" for m in rng.integers(1, 13, n)],
        "total": total, "plan": plan, "q1": quarters[:, 0], "q2": quarters[:, 1],
        "q3": quarters[:, 2], "q4": quarters[:, 3], "ytd": ytd, "june": june,
        "progress": np.asarray(["主体施工", "设备安装", "前期手续办理", "已竣工"], dtype=object)[ids % 4],
        "unit": unit, "leader": leader, "remark": None,
    }).astype(object)
    children = kind == "child"
    data.loc[children, "code"] = None  # sub-projects carry no national code of their own
    data.loc[children, "name"] = data.loc[children, "name"] + "（子项目）"

    grid: list[list] = []
    merged: list[str] = []
    last = _letter(width - 1)

    def add(row):
        grid.append(list(row) + [None] * (width - len(row)))

    add([f"{YEAR}年某县重点项目建设台账"])
    merged.append(f"A1:{last}1")
    add(["填报单位：县发展和改革委员会"] + [None] * (width - 2) + ["单位：万元"])
    top = [*HEADINGS, PLAN, None, None, None, None, DONE, None, *AFTER]
    middle = [None] * len(HEADINGS) + ["全年", "其中", None, None, None, "1-6月累计", "其中：6月份"]
    bottom = [None] * (len(HEADINGS) + 1) + ["一季度", "二季度", "三季度", "四季度"]
    for row in (top, middle, bottom):
        add(row)
    p, d = len(HEADINGS), len(HEADINGS) + 5
    merged += [f"{_letter(j)}3:{_letter(j)}5" for j in range(len(HEADINGS))]
    merged += [f"{_letter(j)}3:{_letter(j)}5" for j in range(d + 2, width)]
    merged += [f"{_letter(p)}3:{_letter(p + 4)}3", f"{_letter(p)}4:{_letter(p)}5",
               f"{_letter(p + 1)}4:{_letter(p + 4)}4", f"{_letter(d)}3:{_letter(d + 1)}3",
               f"{_letter(d)}4:{_letter(d)}5", f"{_letter(d + 1)}4:{_letter(d + 1)}5"]
    singles = ~children
    add([None, "合计", None, None, None, None, None, None, None, None]
        + [round(float(x[singles].sum()), 2) for x in (total, plan, *quarters.T, ytd, june)])
    unit_col, leader_col = width - 3, width - 2
    seq = 0
    for c, name in enumerate(CATEGORIES):
        members = np.flatnonzero(category == c)
        parents_here = int((kind[members] != "child").sum())
        add([f"{NUMERALS[c]}、{name}（{parents_here}个）"])
        merged.append(f"A{len(grid)}:{last}{len(grid)}")
        block = data.iloc[members].copy()
        labels, child = [], 0
        for k in kind[members]:
            if k == "child":
                child += 1
                labels.append(f"{seq}-{child}")
            else:
                seq, child = seq + 1, 0
                labels.append(str(seq))
        block["seq"] = labels
        first = len(grid) + 1
        # vertical merges: the first cell of each run keeps the value, the rest are blank
        for col, key in ((unit_col, "unit"), (leader_col, "leader")):
            values = block[key].to_numpy()
            starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
            ends = np.r_[starts[1:], len(values)] - 1
            blank = np.ones(len(values), dtype=bool)
            blank[starts] = False
            block.loc[block.index[blank], key] = None
            merged += [f"{_letter(col)}{first + a}:{_letter(col)}{first + b}"
                       for a, b in zip(starts, ends, strict=True) if b > a]
        grid.extend(block.to_numpy().tolist())
    add([])
    for note in NOTES:
        add([note])
        merged.append(f"A{len(grid)}:{last}{len(grid)}")
    return pd.DataFrame(grid, dtype=object), merged


def _letter(index: int) -> str:
    from workbench.present.xlsx import column_letter

    return column_letter(index)


def workbook_path(rows: int) -> Path:
    """The benchmark workbook, written once (streaming writer, merged cells as a county has them)."""
    from workbench.present.xlsx import write_xlsx

    path = DATA / f"ledger_layout_{rows}.xlsx"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        grid, merged = layout(rows)
        write_xlsx({f"{YEAR}年重点项目": grid}, path, header=False, merged={f"{YEAR}年重点项目": merged})
        print(f"wrote {path} ({len(grid):,} sheet rows, {len(merged):,} merged ranges) "
              f"in {time.perf_counter() - t:.1f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from workbench.ingest import load_ledger

    path = workbook_path(args.rows)
    pandas_s, ours_s, pandas_cpu, ours_cpu = [], [], [], []
    for _ in range(args.repeat):
        # each call runs with the other's result released: a frame or Ledger of 50,000 rows
        # left alive makes the next call in the pair slower, whichever it is
        ledger = None
        t, c = time.perf_counter(), time.process_time()
        frame = pd.read_excel(path, engine="calamine", sheet_name=0, header=None)
        pandas_s.append(time.perf_counter() - t)
        pandas_cpu.append(time.process_time() - c)
        shape = frame.shape
        frame = None
        t, c = time.perf_counter(), time.process_time()
        ledger = load_ledger(path)
        ours_s.append(time.perf_counter() - t)
        ours_cpu.append(time.process_time() - c)
    p, o = min(pandas_s), min(ours_s)
    s = ledger.summary()
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.1f} MB), {shape[0]:,} rows × "
          f"{shape[1]} columns")
    print(f"loaded: {s['counts']['projects']:,} projects, {len(ledger.rejected):,} rows rejected, "
          f"{s['errors']} errors, {s['warnings']} warnings")
    rules = ledger.findings.groupby(["severity", "rule"]).size()
    print("findings: " + ", ".join(f"{sev} {rule} {n}" for (sev, rule), n in rules.items()))
    empty_unit = int(ledger.projects["responsible_unit"].isna().sum())
    print(f"责任单位 empty for {empty_unit:,} of {len(ledger.projects):,} projects "
          f"(the merged cells cover every project)")
    print(f"pandas.read_excel(engine='calamine'): {p:.2f} s (best of {args.repeat})")
    print(f"workbench load_ledger (load + validate): {o:.2f} s (best of {args.repeat})")
    print(f"ratio {o / p:.2f}× — target ≤ 1.5× [{'ok' if o <= 1.5 * p else 'MISSED'}]; by CPU time "
          f"(not moved by other load on the machine) {min(ours_cpu):.2f} s / {min(pandas_cpu):.2f} s "
          f"= {min(ours_cpu) / min(pandas_cpu):.2f}×")


if __name__ == "__main__":
    main()
