"""The perturbation generator draws the drift the reconciliation must survive, with known truth
(so the merge's benchmark cannot silently become an easy one)."""

from __future__ import annotations

from workbench.model.ledger import is_project_code
from workbench.sample import generate_sample
from workbench.sample.perturb import perturbed_submissions, truth_of


def test_submissions_carry_the_usual_drift_and_their_truth():
    ledger = generate_sample(seed=5, projects=120, year=2022)
    master, subs = perturbed_submissions(ledger, seed=3, units=4, split=2)
    units, province = subs[:-1], subs[-1]
    truth = {p: n for p, n in zip(ledger.projects["project_id"], ledger.projects["name"],
                                  strict=True)}
    rows = [(r, pid) for s in units for r, pid in zip(s.table.to_dict("records"), s.truth,
                                                        strict=True)]
    assert any(not r["项目名称"].startswith("内乡县") and truth[pid].startswith("内乡县")
               for r, pid in rows)                                    # county prefix dropped
    assert any(len(r["项目名称"]) < len(truth[pid]) - 3 for r, pid in rows)  # shortened
    codes = [(r["项目代码"], pid) for r, pid in rows if is_project_code(pid)]
    assert any(c is None or c != c for c, _ in codes)                 # codes missing
    assert any(isinstance(c, str) and c != pid for c, pid in codes)   # codes mistyped
    assert {s.unit for s in units} == {"万元", "亿元"}
    assert any(s.table["计划开工时间"].dropna().str.contains("年").any() for s in units)
    reported = [pid for s in units for pid in s.truth]
    assert sum(reported.count(pid) > 1 for pid in set(reported)) == 2  # split across two units
    missing = set(ledger.projects["project_id"]) - set(master.projects["project_id"])
    assert missing & set(reported)                                    # only in a unit's list
    assert all(is_project_code(c) for c in province.table["项目代码"])
    t = truth_of(subs)
    assert t[0] is None and [len(x) for x in t[1:]] == [len(s.table) for s in subs]
