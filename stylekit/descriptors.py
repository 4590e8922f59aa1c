"""Compact, engine-independent descriptions of a style, stored in every pack at training
time and used to compare a user's own material with the installed influencers.

- Look descriptor: per-photo statistics that depend on the grade more than on the scene
  (luminance percentiles, the colour cast of shadows and highlights, a shades-of-grey
  illuminant estimate, chroma, corner falloff), averaged over the photos.
- Voice profile: relative frequencies of the most frequent words and character 3-grams.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

LOOK_FILE = "descriptor.json"
VOICE_FILE = "profile.json"
THUMB_SIDE = 256
TOP_WORDS = 300
TOP_NGRAMS = 300
LOOK_FEATURES = [
    "L_p01", "L_p05", "L_p25", "L_p50", "L_p75", "L_p95", "L_p99",
    "shadow_a", "shadow_b", "highlight_a", "highlight_b",
    "grey_a", "grey_b", "chroma_p50", "chroma_p90", "falloff",
]
# Typical spread of each feature across looks, so that every feature counts alike.
LOOK_SCALES = np.array([4, 4, 6, 6, 6, 4, 4, 3, 3, 3, 3, 3, 3, 4, 6, 0.05], np.float32)
WORD_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def look_features(rgb: np.ndarray) -> np.ndarray:
    """The look descriptor of one float RGB photo (see LOOK_FEATURES)."""
    from skimage.color import rgb2lab

    step = max(1, int(np.ceil(max(rgb.shape[:2]) / THUMB_SIDE)))
    thumb = rgb[::step, ::step]
    lab = rgb2lab(thumb)
    L, a, b = lab[..., 0].ravel(), lab[..., 1].ravel(), lab[..., 2].ravel()
    order = np.argsort(L)
    tenth = max(1, L.size // 10)
    shadows, highlights = order[:tenth], order[-tenth:]
    grey = np.power(np.mean(np.power(np.clip(thumb.reshape(-1, 3), 1e-4, 1), 6), axis=0), 1 / 6)
    grey_lab = rgb2lab((grey / grey.max() * 0.8).reshape(1, 1, 3)).ravel()
    chroma = np.hypot(a, b)
    h, w = thumb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    radius = np.hypot((yy - h / 2) / (h / 2), (xx - w / 2) / (w / 2))
    lum = lab[..., 0]
    falloff = (lum[radius > 1.0].mean() - lum[radius < 0.5].mean()) / 100 if (radius > 1.0).any() else 0.0
    return np.array(
        [*np.percentile(L, [1, 5, 25, 50, 75, 95, 99]),
         a[shadows].mean(), b[shadows].mean(), a[highlights].mean(), b[highlights].mean(),
         grey_lab[1], grey_lab[2], np.median(chroma), np.percentile(chroma, 90), falloff],
        np.float32,
    )


def look_descriptor(images: Iterable[np.ndarray], source: str = "photos") -> dict:
    """Mean and spread of the look features over float RGB images, as a JSON-ready dict."""
    feats = np.stack([look_features(rgb) for rgb in images])
    return {"features": LOOK_FEATURES, "mean": feats.mean(0).round(4).tolist(),
            "std": feats.std(0).round(4).tolist(), "count": len(feats), "source": source}


def reference_photos() -> list[np.ndarray]:
    """Ordinary photos that ship inside scikit-image (CC0 / public domain), as float RGB."""
    from skimage import data

    return [getattr(data, name)().astype(np.float32) / 255.0 for name in ("coffee", "chelsea", "astronaut", "rocket")]


def tokens(text: str) -> list[str]:
    """Words and punctuation marks (emoji count as marks), lowercased."""
    return WORD_RE.findall(text.lower())


def voice_profile(texts: Iterable[str]) -> dict:
    """Relative frequencies of the most frequent words and character 3-grams."""
    texts = list(texts)
    words = Counter(t for text in texts for t in tokens(text))
    grams = Counter(text[i : i + 3].lower() for text in texts for i in range(max(0, len(text) - 2)))
    n_words, n_grams = max(1, sum(words.values())), max(1, sum(grams.values()))
    return {
        "words": {w: round(c / n_words, 6) for w, c in words.most_common(TOP_WORDS)},
        "ngrams": {g: round(c / n_grams, 6) for g, c in grams.most_common(TOP_NGRAMS)},
        "count": len(texts),
        "tokens": sum(words.values()),
    }


def write_descriptor(modality: str, out_dir: Path, photos: Sequence[Path] = (), posts: Sequence[str] = (),
                     style=None) -> Path | None:
    """Store the descriptor of the training material beside the engine's files.

    A look learned without photos (a .cube preset) is described by applying it to
    reference photos instead.
    """
    from .imageio import load_image

    if modality == "image" and photos:
        path, data = out_dir / LOOK_FILE, look_descriptor(load_image(p).rgb for p in photos)
    elif modality == "image" and style is not None:
        refs = (np.clip(style.apply(rgb, strength=1.0), 0, 1) for rgb in reference_photos())
        path, data = out_dir / LOOK_FILE, look_descriptor(refs, source="reference photos in this look")
    elif modality == "text" and posts:
        path, data = out_dir / VOICE_FILE, voice_profile(posts)
    else:
        return None
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
