"""Post corpora and the bundled background corpus.

Corpus files (.txt, .jsonl, .csv) are read by the core's `stylekit.corpus.read_posts`,
re-exported here; its minimum (50 posts) is also where this engine's salience statistics
and edit vocabulary stop being noise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stylekit.corpus import MIN_POSTS, read_posts
from stylekit.errors import TrainingError

if TYPE_CHECKING:
    from stylekit.engines import TrainData

__all__ = ["MIN_POSTS", "MIN_BACKGROUND", "read_posts", "check_posts", "load_background", "load_demo_posts",
           "training_corpora"]

DATA_DIR = Path(__file__).resolve().parent / "data"
MIN_BACKGROUND = 200


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_posts(posts: list[str], minimum: int = MIN_POSTS) -> list[str]:
    """The non-empty posts of `posts`, or `TrainingError` when fewer than `minimum` remain."""
    posts = [p.strip() for p in posts if p and p.strip()]
    if len(posts) < minimum:
        raise TrainingError(
            f"Only {len(posts)} posts were given; at least {minimum} are needed to learn a voice."
        )
    return posts


def load_background() -> list[str]:
    """The bundled neutral background corpus (~12k everyday sentences, CC0)."""
    return _lines((DATA_DIR / "background.txt").read_text(encoding="utf-8"))


def training_corpora(data: "TrainData") -> tuple[list[str], list[str]]:
    """The posts and background sentences a training run learns from, both checked:
    the background defaults to the bundled corpus and needs at least MIN_BACKGROUND lines."""
    posts = check_posts(list(data.posts))
    background = [b.strip() for b in (data.background or load_background()) if b.strip()]
    if len(background) < MIN_BACKGROUND:
        raise TrainingError(f"The background corpus has {len(background)} sentences; give at least {MIN_BACKGROUND}.")
    return posts, background


def load_demo_posts(name: str) -> list[str]:
    """The bundled posts of a demo influencer ("aurora" or "noir")."""
    return _lines((DATA_DIR / f"{name}_posts.txt").read_text(encoding="utf-8"))
