"""Who is who from one snapshot to the next: a project keeps its key through its id, or through
a name and owner close enough to exactly one project that vanished (a rename, reported).

Thresholds live in ``config/history.yaml`` (``identity``); similarities come from rapidfuzz's
normalised Indel similarity on names with the county prefix, 项目/工程 suffixes and punctuation
dropped. A pair that is only fairly similar is never linked: it is listed for a person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from workbench.core.words import config_error
from workbench.core.yamlfile import packaged_yaml

_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,5}?(?:省|自治区|市|自治州|州|盟|县|自治县|旗|区)(?=.{4})")
_SUFFIX = re.compile(r"(?:建设)?(?:项目|工程)+$")
_NOISE = re.compile(r"[\s\-—_·、，,。.;；:：()（）\[\]【】<>《》\"'“”‘’/\\]+")

LINK_COLUMNS = ["project_id", "name", "project_key", "candidate_id", "candidate_name",
                "similarity", "decision"]


@dataclass(frozen=True)
class Thresholds:
    """Similarity thresholds (0–1) of ``config/history.yaml``'s ``identity`` section."""

    link: float
    review: float
    owner_floor: float


@cache
def identity_thresholds() -> Thresholds:
    """The packaged thresholds, checked (0 ≤ review ≤ link ≤ 1)."""
    section = packaged_yaml("history.yaml").get("identity") or {}
    values = {}
    for name in ("link", "review", "owner_floor"):
        value = section.get(name)
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise config_error("history.yaml", f"identity.{name}", "expect_share", value)
        values[name] = float(value)
    if values["review"] > values["link"]:
        raise config_error("history.yaml", "identity.review", "expect_not_above", values["review"],
                           other="identity.link", limit=values["link"])
    return Thresholds(**values)


def name_key(name) -> str:
    """A project name reduced to what identifies it: width and case folded, punctuation and the
    leading place name dropped, a trailing 项目/工程 dropped."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", str(name))).casefold()
    text = _PREFIX.sub("", text, count=1)
    return _SUFFIX.sub("", text) or text


def project_keys(new: pd.DataFrame, known: dict[str, str], vanished: pd.DataFrame,
                 thresholds: Thresholds | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """(the key of each project of `new`, the link decisions made on the way).

    `known` maps every project id seen before to its key; `vanished` holds the projects
    (``project_id``, ``project_key``, ``name``, ``owner``) of the previous snapshot that `new`
    does not hold by id. A project of `new` with an unseen id is linked to a vanished one when
    their similarity reaches ``link`` and each is the other's best match; between ``review`` and
    ``link`` the pair is listed as ``decision="review"`` and the project gets a key of its own.
    """
    thresholds = thresholds or identity_thresholds()
    ids = new["project_id"].astype("str")
    keys = ids.map(known)
    fresh = keys.isna().to_numpy()
    links = pd.DataFrame(columns=LINK_COLUMNS)
    if fresh.any() and len(vanished):
        candidates = new[fresh]
        scores = similarity(candidates, vanished, thresholds.owner_floor)
        links = _decide(candidates, vanished, scores, thresholds)
        linked = links[links["decision"] == "link"].set_index("project_id")["project_key"]
        keys = keys.where(keys.notna(), ids.map(linked))
    keys = keys.where(keys.notna(), ids)
    return keys.astype("str"), links


def similarity(a: pd.DataFrame, b: pd.DataFrame, owner_floor: float) -> np.ndarray:
    """Name similarity (0–1) of every project of `a` against every project of `b`; 0 where both
    owners are known and less similar than `owner_floor`."""
    from rapidfuzz import distance, process

    names_a = [name_key(v) for v in a["name"]]
    names_b = [name_key(v) for v in b["name"]]
    scores = process.cdist(names_a, names_b, scorer=distance.Indel.normalized_similarity,
                           dtype=np.float32)
    owners_a = [name_key(v) for v in a.get("owner", pd.Series("", index=a.index))]
    owners_b = [name_key(v) for v in b.get("owner", pd.Series("", index=b.index))]
    owner = process.cdist(owners_a, owners_b, scorer=distance.Indel.normalized_similarity,
                          dtype=np.float32)
    known = np.outer([bool(o) for o in owners_a], [bool(o) for o in owners_b])
    return np.where(known & (owner < owner_floor), 0.0, scores)


def _decide(candidates: pd.DataFrame, vanished: pd.DataFrame, scores: np.ndarray,
            thresholds: Thresholds) -> pd.DataFrame:
    rows = []
    best_for_old = scores.argmax(axis=0)
    for i in range(len(candidates)):
        j = int(scores[i].argmax())
        score = float(scores[i, j])
        if score < thresholds.review:
            continue
        mutual = int(best_for_old[j]) == i and int((scores[i] >= score).sum()) == 1
        decision = "link" if score >= thresholds.link and mutual else "review"
        rows.append({"project_id": str(candidates["project_id"].iat[i]),
                     "name": str(candidates["name"].iat[i]),
                     "project_key": str(vanished["project_key"].iat[j]),
                     "candidate_id": str(vanished["project_id"].iat[j]),
                     "candidate_name": str(vanished["name"].iat[j]),
                     "similarity": round(score, 3), "decision": decision})
    frame = pd.DataFrame(rows, columns=LINK_COLUMNS)
    # one vanished project links once: a second claimant goes to review
    taken = frame["decision"].eq("link") & frame.duplicated("project_key", keep=False)
    return frame.assign(decision=frame["decision"].where(~taken, "review"))
