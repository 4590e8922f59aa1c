"""Which installed influencer is most like me? Compare the user's own photos and posts
with every installed pack.

Photos: the look the photos carry is estimated by an image engine that can tell
(`StyleTransfer.estimate_look`; the gan engine's learned look prior) and compared with
each installed look as colour transforms: the mean CIE76 difference of the two
transforms over probe colours of ordinary saturation (the 17^3 lattice less its most
saturated corners). Packs without a colour transform, or installs without such an
engine, fall back to the look descriptors stored in every pack at training time
(`stylekit.descriptors`), each feature divided by its typical spread.
Posts: Cosine Delta (Smith & Aldridge 2011): z-scored relative frequencies of the most
frequent words and character 3-grams, compared by cosine similarity.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .descriptors import LOOK_FILE, LOOK_SCALES, VOICE_FILE, look_descriptor, voice_profile
from .errors import UsageError
from .packs import StylePack

MIN_PHOTOS = 5
MIN_POSTS = 20
MIN_TOKENS = 300
DELTA_FEATURES = 200


@dataclass
class Match:
    """One influencer's closeness to the user: 0..1 per modality and combined."""

    name: str
    score: float
    look: float | None = None
    voice: float | None = None


@dataclass
class Recommendation:
    """Influencers ranked best first, the margin of the winner, and warnings."""

    matches: list[Match] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def margin(self) -> float | None:
        """How far the best match leads the runner-up (None with fewer than two)."""
        if len(self.matches) < 2:
            return None
        return self.matches[0].score - self.matches[1].score


def _read(pack: StylePack, modality: str, name: str) -> dict | None:
    path = pack.modality_dir(modality) / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def look_similarities(user: dict, packs: Sequence[StylePack]) -> dict[str, float]:
    """exp(-distance) between the user's look descriptor and each pack's."""
    out = {}
    u = np.asarray(user["mean"], np.float32)
    for pack in packs:
        desc = _read(pack, "image", LOOK_FILE)
        if desc is None:
            continue
        d = np.linalg.norm((u - np.asarray(desc["mean"], np.float32)) / LOOK_SCALES) / np.sqrt(len(LOOK_SCALES))
        out[pack.name] = float(np.exp(-d))
    return out


LOOK_DE_SCALE = 8.0  # CIE76 difference at which the look similarity falls to 1/e


def estimate_user_look(rgbs: Sequence[np.ndarray]) -> "np.ndarray | None":
    """The colour transform (17^3 LUT) the photos carry, from the highest-priority image
    engine that can estimate one; None where none can."""
    from .engines import get_engines

    for cls in sorted(get_engines("image").values(), key=lambda e: -e.default_priority):
        style = cls().estimate_look(list(rgbs))
        if style is not None:
            lut = style.to_lut(17)
            if lut is not None:
                return np.asarray(lut, np.float32)
    return None


def transform_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Mean CIE76 difference between two colour transforms (LUTs) over the probe colours."""
    from skimage.color import rgb2lab

    from .lut import ordinary_colours, sample_lut

    probes = ordinary_colours()
    la = rgb2lab(np.clip(sample_lut(a, probes), 0, 1).reshape(-1, 1, 3)).reshape(-1, 3)
    lb = rgb2lab(np.clip(sample_lut(b, probes), 0, 1).reshape(-1, 1, 3)).reshape(-1, 3)
    return float(np.linalg.norm(la - lb, axis=1).mean())


def transform_similarities(user_lut: np.ndarray, packs: Sequence[StylePack]) -> dict[str, float]:
    """exp(-distance / LOOK_DE_SCALE) between the user's estimated look and each pack's look."""
    from .api import load_style

    out = {}
    for pack in packs:
        if "image" not in pack.modalities:
            continue
        try:
            lut = load_style(pack.name, "image", device="cpu").to_lut(17)
        except Exception:  # a pack that cannot be loaded is skipped here; `styles show` explains it
            continue
        if lut is not None:
            out[pack.name] = float(np.exp(-transform_distance(user_lut, np.asarray(lut, np.float32)) / LOOK_DE_SCALE))
    return out


def voice_similarities(user: dict, packs: Sequence[StylePack]) -> dict[str, float]:
    """Cosine Delta similarity (mapped to 0..1) between the user's posts and each pack's."""
    profiles = {p.name: prof for p in packs if (prof := _read(p, "text", VOICE_FILE)) is not None}
    if not profiles:
        return {}
    rows = {}
    for kind in ("words", "ngrams"):
        totals: dict[str, float] = {}
        for prof in profiles.values():
            for feat, freq in prof[kind].items():
                totals[feat] = totals.get(feat, 0.0) + freq
        feats = sorted(totals, key=totals.get, reverse=True)[:DELTA_FEATURES]
        for name, prof in [*profiles.items(), ("__user__", user)]:
            rows.setdefault(name, []).extend(prof[kind].get(f, 0.0) for f in feats)
    names = list(profiles)
    matrix = np.array([rows[n] for n in names], np.float64)
    mean = matrix.mean(0)
    std = np.maximum(matrix.std(0), 1e-6) if len(names) > 1 else np.maximum(mean, 1e-6)
    z_user = (np.array(rows["__user__"]) - mean) / std
    out = {}
    for name, row in zip(names, matrix):
        z = (row - mean) / std
        denom = np.linalg.norm(z) * np.linalg.norm(z_user)
        out[name] = float((1 + (z @ z_user) / denom) / 2) if denom > 0 else 0.5
    return out


def recommend(
    photos: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    posts: str | os.PathLike | Sequence[str] | None = None,
) -> Recommendation:
    """Rank installed influencers by closeness to the user's photos and/or posts."""
    from .api import list_packs
    from .corpus import read_posts
    from .imageio import expand_image_paths, load_image

    if photos is None and posts is None:
        raise UsageError("Give photos=PATH (your photos) and/or posts=PATH (a file of your posts) to compare")
    result = Recommendation()
    packs = list_packs()
    scores: dict[str, dict[str, float]] = {}
    if photos is not None:
        items = [photos] if isinstance(photos, (str, os.PathLike)) else list(photos)
        paths = expand_image_paths(items)
        if not paths:
            raise UsageError(f"No photos found in {', '.join(map(str, items))}")
        if len(paths) < MIN_PHOTOS:
            result.warnings.append(f"only {len(paths)} photo(s): rankings from fewer than {MIN_PHOTOS} are not reliable")
        rgbs = [load_image(p).rgb for p in paths]
        user_lut = estimate_user_look(rgbs)
        looks = transform_similarities(user_lut, packs) if user_lut is not None else {}
        rest = [p for p in packs if p.name not in looks]
        if rest:
            looks.update(look_similarities(look_descriptor(rgbs), rest))
        for name, sim in looks.items():
            scores.setdefault(name, {})["look"] = sim
    if posts is not None:
        texts = read_posts(posts, minimum=1) if isinstance(posts, (str, os.PathLike)) else [str(t) for t in posts]
        profile = voice_profile(texts)
        if len(texts) < MIN_POSTS or profile["tokens"] < MIN_TOKENS:
            result.warnings.append(
                f"only {len(texts)} post(s), {profile['tokens']} words: rankings from fewer than "
                f"{MIN_POSTS} posts or {MIN_TOKENS} words are not reliable"
            )
        for name, sim in voice_similarities(profile, packs).items():
            scores.setdefault(name, {})["voice"] = sim
    for name, parts in scores.items():
        result.matches.append(Match(name, float(np.mean(list(parts.values()))), parts.get("look"), parts.get("voice")))
    result.matches.sort(key=lambda m: m.score, reverse=True)
    if not result.matches:
        result.warnings.append("no installed influencer has a descriptor for this material; retrain packs to add one")
    tied = [m.name for m in result.matches if result.matches[0].score - m.score < TIE_MARGIN]
    if len(tied) > 1:
        result.warnings.append(
            f"{len(tied)} influencers tie for first ({', '.join(tied[:5])}{', ...' if len(tied) > 5 else ''}: "
            f"within {TIE_MARGIN} of the best score); this material does not tell them apart"
        )
    return result


# Scores closer than this to the best one count as a tie (the ranking among them says nothing).
TIE_MARGIN = 0.005
