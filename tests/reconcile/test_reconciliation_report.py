"""The reconciliation section: its figures from a merge, and the page published like the other
reports (offline HTML, Chinese by default, every value escaped)."""

from __future__ import annotations

import pytest

from tests.minimal_sheet import minimal_sheet
from workbench.reconcile import merge_ledgers, reconciliation_figures
from workbench.reconcile import view as reconciliation_view


@pytest.fixture()
def inputs(tmp_path):
    master = minimal_sheet(tmp_path / "主台账.xlsx", [
        (None, "内乡县赤眉镇中小河流治理项目", "内乡县水利局", 50000),
        (None, "内乡县城关镇卫生院改扩建项目", "内乡县人民医院", 12000),
        (None, "<script>alert(1)</script>仓储项目", "某公司", 800)])
    unit = minimal_sheet(tmp_path / "水利局报送.xlsx", [
        (None, "赤眉镇中小河流治理", "内乡县水利局", 40000),
        (None, "城关镇卫生院改扩建", "内乡县中医院", 3000),
        (None, "马山口镇农村饮水安全巩固提升工程", "内乡县水利局", 900)])
    return [master, unit]


def test_figures_count_sources_conflicts_amounts_review_and_unique(inputs):
    merged = merge_ledgers(inputs, year=2022)
    f = reconciliation_figures(merged)
    assert f["sources"]["rc_role"].tolist() == ["主台账", "单位报送"]
    assert f["sources"]["rc_rows"].tolist() == [3, 3]
    assert "总投资" in set(f["fields"]["rc_field"])
    top = f["amounts"].iloc[0]
    assert top["rc_gap"] == pytest.approx(10000.0) and "4.00" in top["rc_values"]
    assert len(f["review"]) == 1 and "城关镇卫生院" in f["review"]["rc_left"].iat[0]
    assert set(f["unique"]["rc_source"]) == {"主台账.xlsx", "水利局报送.xlsx"}
    html = "".join(reconciliation_view.section_html(merged, k) for k in
                   ("sources", "fields", "amounts", "review", "unique"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "五、仅一方有的项目（按来源）" in html and "亿元" in html


@pytest.mark.slow
def test_the_reconciliation_is_published_offline_in_chinese(inputs, tmp_path):
    from workbench.publish import publish_reconciliation

    page = publish_reconciliation(inputs, year=2022, out=tmp_path / "reports", pdf=False,
                                  log=lambda m: None)
    html = page.html.read_text("utf-8")
    assert "重点项目多源台账核对" in html and "一、各份台账" in html
    assert "http://" not in html and "https://" not in html.replace("https://www.w3.org", "")
    assert not list(page.folder.glob(".merge.pickle"))  # the handoff is never published
    assert (tmp_path / "reports" / "index.html").is_file()
