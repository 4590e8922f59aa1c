"""stylekit's text engine `seq2seq`: learn an influencer's voice and rewrite text in it.

By default the engine is an encoder edit tagger, not a sentence generator: a transformers
T5 encoder tags the user's own tokens with an edit script (keep, delete,
re-case, replace, insert after), so content is copied structurally and only the voice is
added; pairs come from neutralising the influencer's posts against a background corpus.
With `--base-model DIR` it fine-tunes a full seq2seq generator the user has on disk instead.
Nothing heavy is imported here: torch and transformers load inside `train` and `load`, and
loading a voice never imports the training modules (layers: see `files`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stylekit.engines import LoadedStyle, Option, ProgressFn, StyleTransfer, TrainConfig, TrainData
from stylekit.hookspecs import hookimpl

from .corpus import MIN_POSTS, read_posts

__all__ = ["Seq2SeqEngine", "read_posts", "MIN_POSTS", "register_transfers"]


class Seq2SeqEngine(StyleTransfer):
    """The `seq2seq` text engine: an edit tagger on a T5 encoder by default, a fine-tuned
    full seq2seq generator with `base_model` (see the package docstring)."""

    name = "seq2seq"
    modality = "text"
    description = ("Learns a writing voice from posts (T5-encoder edit tagger); rewrites text in it, "
                   "keeping its content.")
    inputs = frozenset({"posts", "background"})
    default_priority = 100
    min_posts = MIN_POSTS
    train_options = {
        "size": Option(str, "default", "model size; 'tiny' trains in seconds (for tests)", ("default", "tiny")),
        "checkpoint_every": Option(int, 200, "steps between checkpoints"),
    }
    apply_options = {"samples": Option(int, 16, "sampled candidates to re-rank per sentence")}

    def train(self, data: TrainData, out_dir: Path, config: TrainConfig,
              progress: ProgressFn | None = None) -> dict[str, Any]:
        """Learn the voice of `data.posts` (background: `data.background` or the bundled one)."""
        if config.base_model is not None:
            from .finetune import finetune_generator

            return finetune_generator(data, Path(out_dir), config, progress)
        from .train import train_voice

        return train_voice(data, Path(out_dir), config, progress)

    def load(self, style_dir: Path, device: str = "cpu") -> LoadedStyle:
        """Read a voice written by `train` (either mode) from `style_dir`."""
        from .loading import load_style

        return load_style(Path(style_dir), device)


@hookimpl
def register_transfers(register: Any) -> None:
    """Register the `seq2seq` text engine."""
    register(Seq2SeqEngine)
