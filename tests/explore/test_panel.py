"""The interactive explorer panel (ipywidgets, driven here without a kernel)."""

from __future__ import annotations

from tests.small_ledger import ROAD, SEWAGE, fake_scores
from workbench.explore import explorer


def test_explorer_panel_opens_a_card_when_a_project_is_chosen(book):
    panel = explorer(book, scores=fake_scores())
    grid, picker, card_out, listing = panel.children
    office = grid.children[0]
    office.value = "城镇建设"
    assert {v for _, v in picker.options} == {None, SEWAGE, ROAD}
    picker.value = SEWAGE  # opens the card (shown only inside a kernel); must not raise
    picker.value = None


def test_explorer_leaves_out_band_and_rag_filters_when_the_ledger_cannot_be_scored(book, monkeypatch):
    from workbench.exceptions import WorkbenchError
    from workbench.explore import project_list

    def unscorable(*_args, **_kwargs):
        raise WorkbenchError("cannot score")

    monkeypatch.setattr(project_list, "scores_of", unscorable)
    grid = explorer(book).children[0]
    described = [c.description for c in grid.children]
    assert len(described) == 5, described
