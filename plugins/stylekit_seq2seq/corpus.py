"""Post corpora and the bundled background corpus.

Corpus files (.txt, .jsonl, .csv) are read by the core's `stylekit.corpus.read_posts`,
here with this engine's minimum of 50 posts, where its salience statistics and edit
vocabulary stop being noise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stylekit.corpus import read_posts as read_corpus
from stylekit.errors import TrainingError

from .textops import language

if TYPE_CHECKING:
    from stylekit.engines import TrainData

__all__ = ["MIN_POSTS", "MIN_BACKGROUND", "read_posts", "check_posts", "load_background", "load_demo_posts",
           "training_corpora"]

DATA_DIR = Path(__file__).resolve().parent / "data"
MIN_POSTS = 50  # this engine's minimum (declared as Seq2SeqEngine.min_posts)
MIN_BACKGROUND = 200


def read_posts(path: str | Path, minimum: int = MIN_POSTS) -> list[str]:
    """The core's corpus reader with this engine's minimum."""
    return read_corpus(path, minimum)


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


BACKGROUND_FILES = {"en": "background.txt", "zh": "background_zh.txt"}


def load_background(lang: str = "en") -> list[str]:
    """The bundled neutral background corpus of `lang`: "en" (~12k everyday English
    sentences), "zh" (~6k everyday Chinese sentences) or "mixed" (both); CC0."""
    langs = sorted(BACKGROUND_FILES) if lang == "mixed" else [lang]
    return [line for lg in langs for line in _lines((DATA_DIR / BACKGROUND_FILES[lg]).read_text(encoding="utf-8"))]


def posts_language(posts: list[str]) -> str:
    """"zh" when at least 80 % of the posts are Chinese, "en" when at most 20 % are, else "mixed"."""
    share = sum(language(p) == "zh" for p in posts) / max(len(posts), 1)
    return "zh" if share >= 0.8 else "en" if share <= 0.2 else "mixed"


def training_corpora(data: "TrainData") -> tuple[list[str], list[str]]:
    """The posts and background sentences a training run learns from, both checked:
    the background defaults to the bundled corpus of the posts' language and needs at least
    MIN_BACKGROUND lines."""
    posts = check_posts(list(data.posts))
    background = [b.strip() for b in (data.background or load_background(posts_language(posts))) if b.strip()]
    if len(background) < MIN_BACKGROUND:
        raise TrainingError(f"The background corpus has {len(background)} sentences; give at least {MIN_BACKGROUND}.")
    return posts, background


def load_demo_posts(name: str) -> list[str]:
    """The bundled posts of a demo influencer ("aurora", "noir" or "xiaoman")."""
    return _lines((DATA_DIR / f"{name}_posts.txt").read_text(encoding="utf-8"))
