"""Shared ipywidgets controls: labelled filters bound to a render, errors shown not raised."""

from __future__ import annotations

import pytest

from tests.small_ledger import HOSPITAL, ROAD, SEWAGE, fake_scores, ids_of
from workbench.core.words import column_label
from workbench.exceptions import ParameterError
from workbench.present import widgets as w


def test_filter_controls_drive_a_bound_render(book):
    controls = w.filter_controls(book)
    assert list(controls) == ["office", "unit", "level", "stage", "band", "rag", "name_contains"]
    assert controls["office"].description == column_label("office")
    assert ("县住建局", "县住建局") in controls["unit"].options
    seen = []
    w.bind(controls, lambda **f: seen.append(book.filter(**f, scores=fake_scores())))
    assert ids_of(seen[-1]) == ids_of(book)
    controls["office"].value = "城镇建设"
    assert ids_of(seen[-1]) == {SEWAGE, ROAD}
    controls["name_contains"].value = "污水"
    assert ids_of(seen[-1]) == {SEWAGE}
    controls["office"].value = None
    controls["name_contains"].value = ""
    controls["rag"].value = "red"
    assert ids_of(seen[-1]) == {HOSPITAL, ROAD}


def test_bind_shows_a_workbench_error_instead_of_raising(book):
    box = w.search_box()
    calls = []

    def render(name_contains):
        calls.append(name_contains)
        raise ParameterError("bad")

    w.bind({"name_contains": box}, render)
    box.value = "x"
    assert calls == [None, "x"]


def test_an_unknown_filter_field_is_a_parameter_error(book):
    with pytest.raises(ParameterError, match="没有筛选字段 'colour'") as info:
        w.filter_controls(book, fields=["office", "colour"])
    assert info.value.field == "colour"
    with pytest.raises(ParameterError, match="需要给出项目表") as info:
        w.field_values("unit")
    assert info.value.field == "unit"
    assert w.field_values("rag") == ("green", "amber", "red")
