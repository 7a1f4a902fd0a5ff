"""One vocabulary for states and groups: every layer that shows or computes them agrees with it.

These would have caught the drift of the old copies (RAG states with and without "none", the
what-if's reserve with 前期, band lists in three modules).
"""

from __future__ import annotations

from workbench.core import vocabulary as v
from workbench.core.words import rag_word, value_label
from workbench.present.display import BAND_CELLS, RAG_CELLS
from workbench.present.theme import BAND_COLOURS, RAG_COLOURS, TEXT_ON
from workbench.scoring import load_rubric


def test_rag_states_are_the_rated_ones_plus_none():
    assert v.RAG_STATES == (*v.RAGS, v.RAG_NONE)
    assert set(RAG_COLOURS) == set(v.RAG_STATES) and set(RAG_CELLS) == set(v.RAGS)
    assert set(TEXT_ON) >= set(v.BANDS) | set(v.RAG_STATES)


def test_bands_are_the_rubrics_bands_with_colours_and_labels():
    assert [band for band, _, _ in load_rubric().bands()] == list(v.BANDS)
    assert list(BAND_COLOURS) == list(v.BANDS) and list(BAND_CELLS) == list(v.BANDS)
    for lang in ("zh", "en"):
        labels = [value_label(b, lang) for b in v.BANDS]
        assert len(set(labels)) == len(labels) and not set(labels) & set(v.BANDS)
        assert all(rag_word(r, lang) != r for r in v.RAG_STATES)


def test_stage_groups_partition_what_they_should():
    assert set(v.RESERVE_STAGES) | set(v.OPERATING_STAGES) < set(v.STAGES)
    assert set(v.UNSTARTED_STAGES) == set(v.RESERVE_STAGES) | {"前期"}
    assert not set(v.RESERVE_STAGES) & set(v.OPERATING_STAGES)
