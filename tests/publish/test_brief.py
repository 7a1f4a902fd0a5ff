"""The unit brief of the analyst's guide: Chinese by default, English when asked, fully offline."""

from __future__ import annotations

import html
import re

import pytest

from workbench.core.words import word
from workbench.exceptions import ParameterError
from workbench.publish import unit_brief
from workbench.publish.brief import brief_name
from workbench.publish.offline_html import remote_references

UNIT = "县卫健委"
#: Latin words a Chinese brief may show: the SPI acronym, and where the live panel is.
ALLOWED_LATIN = {"SPI", "make", "lab", "notebooks", "explore", "ipynb"}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|title)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def latin_words(text: str, ledger) -> set[str]:
    """Latin words of `text` that are not data: project codes and the ledger's path are left out."""
    text = text.replace(str(ledger), " ").replace(ledger.name, " ")
    text = re.sub(r"\b(?:WB-[0-9A-F]+|\d{4}-\d{6}-\d{2}-\d{2}-\d{6})\b", " ", text)
    return set(re.findall(r"[A-Za-z][A-Za-z_]+", text)) - ALLOWED_LATIN


@pytest.fixture(scope="module")
def briefs(tmp_path_factory, sample_path):
    out = tmp_path_factory.mktemp("briefs")
    zh = unit_brief(UNIT, sample_path, out=out / "zh", log=lambda m: None)
    en = unit_brief(UNIT, sample_path, out=out / "en", lang="en", log=lambda m: None)
    return zh.read_text(encoding="utf-8"), en.read_text(encoding="utf-8"), zh


@pytest.mark.slow
def test_the_brief_is_chinese_by_default(briefs, sample_path):
    page, _, path = briefs
    assert path.name == f"{UNIT}.html"
    text = visible_text(page)
    for key in ("brief_overview", "brief_lagging", "brief_card", "brief_panel"):
        assert word(key) in text
    assert word("brief_title", who=UNIT) in text
    assert latin_words(text, sample_path) == set()
    assert "Exploring" not in page and "Interactive panel" not in page
    assert 'lang="zh-CN"' in page


@pytest.mark.slow
def test_the_brief_is_english_when_asked(briefs):
    _, page, _ = briefs
    text = visible_text(page)
    for key in ("brief_overview", "brief_lagging", "brief_card", "brief_panel"):
        assert word(key, "en") in text
    assert word("brief_title", "en", who=UNIT) in text
    assert word("brief_overview") not in text


@pytest.mark.slow
def test_the_brief_loads_nothing_from_elsewhere(briefs):
    for page in briefs[:2]:
        assert remote_references(page) == []
        outside = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S | re.I)
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", outside, re.I)
        assert not re.search(r"(?:cdn|unpkg|jsdelivr|cloudflare)\.", outside, re.I)
        assert "VBox(" not in page  # the panel's widgets are a line saying where they work
        assert word("print_live_widget") in visible_text(page) or \
            word("print_live_widget", "en") in visible_text(page)


def test_a_brief_needs_a_file_name():
    assert brief_name(UNIT) == UNIT
    assert brief_name() == word("brief_county")
    assert brief_name(office="工业发展") == "工业发展"
    with pytest.raises(ParameterError):
        brief_name("../县卫健委")


def test_an_unknown_unit_is_refused_before_any_kernel_with_the_valid_ones(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import workbench.publish.brief as brief
    from workbench.cli import app

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for a unit the ledger does not hold")

    monkeypatch.setattr(brief, "run_notebook", no_kernel)
    result = CliRunner().invoke(app, ["brief", "--unit", "不存在局", "--out", str(tmp_path),
                                      "--lang", "zh"])
    assert result.exit_code == 2
    assert "不存在局" in result.output and "可选" in result.output and UNIT in result.output
    assert not list(tmp_path.iterdir())
