"""What was learned, told to the user: the look in words, a confidence, and warnings.

The words are measured on probe colours passed through the learned grade (a grey ramp
for warmth, tint, exposure, blacks, whites and contrast; the darkest and brightest greys
for split toning; skin, sky and foliage colours for saturation), so they describe what
the look *does*, not its parameters. The confidence compares two numbers measured on
probe colours of ordinary saturation: the size of the look (how far the look prior's
estimate moves them) and the bootstrap spread (the feed resampled with replacement 16
times, each estimate's mean CIE76 difference from the full feed's estimate).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

MIN_FEED = 8  # fewer photos than this: warn that the look is uncertain
SKIN, SKY, FOLIAGE = (0.85, 0.62, 0.5), (0.45, 0.62, 0.85), (0.35, 0.55, 0.25)


def _lab(rgb: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2lab

    return rgb2lab(np.clip(rgb, 0, 1).reshape(-1, 1, 3)).reshape(-1, 3)


def _hue_name(a: float, b: float) -> str:
    angle = np.degrees(np.arctan2(b, a)) % 360
    names = [(20, "magenta"), (70, "orange"), (105, "yellow"), (160, "green"), (215, "teal"), (285, "blue"), (330, "purple"), (361, "magenta")]
    return next(n for limit, n in names if angle < limit)


def colour_fn(gen: Any) -> Any:
    """A numpy function applying the generator's colour grade to (N, 3) colours."""
    import torch

    def f(rgb: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return gen.colour(torch.from_numpy(np.asarray(rgb, dtype=np.float32))).numpy()

    return f


def describe(colour: Any, vignette: Sequence[float] = (0.0, 0.0)) -> list[str]:
    """Phrases for what a colour grade does (`colour`: (N, 3) -> (N, 3) in sRGB)."""
    ramp = np.linspace(0, 1, 11)[:, None].repeat(3, 1)
    before, after = _lab(ramp), _lab(colour(ramp))
    words: list[str] = []
    d = after - before
    mid = d[3:8].mean(0)
    if abs(mid[2]) > 2 or abs(mid[1]) > 2:
        if abs(mid[2]) >= abs(mid[1]):
            words.append("warmer" if mid[2] > 0 else "cooler")
        else:
            words.append("more magenta" if mid[1] > 0 else "greener")
    if abs(d[5, 0]) > 3:
        words.append("brighter" if d[5, 0] > 0 else "darker")
    if after[0, 0] > 4:
        words.append("lifted (faded) blacks")
    if after[-1, 0] < 94:
        words.append("dimmed whites")
    slope_before = before[8, 0] - before[2, 0]
    slope_after = after[8, 0] - after[2, 0]
    if slope_after > 1.08 * slope_before:
        words.append("more contrast")
    elif slope_after < 0.92 * slope_before:
        words.append("softer contrast")
    for name, idx in (("shadows", 1), ("highlights", 9)):
        a, b = after[idx, 1], after[idx, 2]
        if np.hypot(a, b) > 3:
            words.append(f"{_hue_name(a, b)} {name}")
    probes = np.array([SKIN, SKY, FOLIAGE])
    cb, ca = _lab(probes), _lab(colour(probes))
    ratio = float(np.hypot(ca[:, 1], ca[:, 2]).mean() / max(1e-6, np.hypot(cb[:, 1], cb[:, 2]).mean()))
    if ratio < 0.12:
        words.append("black and white")
    elif ratio < 0.85:
        words.append("lower saturation")
    elif ratio > 1.15:
        words.append("higher saturation")
    a2, a4 = max(0.0, float(vignette[0])), max(0.0, float(vignette[1]))
    if np.exp(-(a2 + a4)) < 0.9:
        words.append("vignette")
    return words or ["close to ordinary photos (a subtle look)"]


def size_and_spread(prior: Any, feed: Sequence[np.ndarray], content: Sequence[np.ndarray] = (), rounds: int = 16) -> tuple[float, float]:
    """How far the prior's estimate moves ordinary colours (mean CIE76: the size of the look),
    and how far the estimates from resampled feeds fall from it (the bootstrap spread)."""
    from stylekit.lut import ordinary_colours

    from .model import GradeGenerator

    probes = ordinary_colours(9)
    full = _lab(colour_fn(GradeGenerator(init=prior.estimate(feed, content)))(probes))
    size = float(np.linalg.norm(full - _lab(probes), axis=1).mean())
    outs = [_lab(colour_fn(GradeGenerator(init=t))(probes)) for t in prior.bootstrap(feed, content, rounds=rounds)]
    return size, float(np.mean([np.linalg.norm(o - full, axis=1).mean() for o in outs]))


def look_report(gen: Any, feed: Sequence[np.ndarray], content: Sequence[np.ndarray], prior: Any | None) -> dict[str, Any]:
    """The report stored in `metrics.json` and printed after training.

    Confidence compares the bootstrap spread with the size of the look: below 0.4 of it
    high, below 0.6 medium, else low (thresholds set on the demo feeds, a feed mixing two
    creators' looks and unstyled feeds)."""
    vig = gen.vignette().detach().cpu().numpy().tolist()
    words = describe(colour_fn(gen), vig)
    warnings = []
    if len(feed) < MIN_FEED:
        warnings.append(
            f"Only {len(feed)} influencer photos: the look is uncertain; 15-30 photos of different scenes teach it best."
        )
    report: dict[str, Any] = {"look": words, "feed_photos": len(feed), "warnings": warnings}
    if prior is not None and len(feed) >= 2:
        size, spread = size_and_spread(prior, feed, content)
        ratio = spread / max(size, 1e-6)
        report["look_size_cie76"] = round(size, 2)
        report["bootstrap_spread_cie76"] = round(spread, 2)
        report["confidence"] = "high" if ratio < 0.4 else "medium" if ratio < 0.6 else "low"
        if size < 2.5:
            warnings.append("These photos look much like ordinary photos: the learned look is subtle.")
        elif ratio >= 0.6:
            warnings.append(
                f"The photos disagree about the look (bootstrap spread {spread:.1f} of a look of {size:.1f} CIE76): "
                "are they all edited the same way? Remove photos from other creators or other edits."
            )
    return report
