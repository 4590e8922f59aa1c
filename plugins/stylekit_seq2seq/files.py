"""The files of a text style folder: names shared by training (which writes them) and by
loading (which reads them), so applying a voice never imports the training code.

Layers of this engine, each importing only those above it:
  files, textops                     names and plain-text helpers (no torch)
  edits, neutralise, scoring,        edit scripts, the neutraliser, the style scorer
  spm_tokenizer, model               the tokenizer and the tagger network (torch lazily)
  numpy_model, sampling              the tagger and torch's random draws in numpy (applying
                                     a voice on the CPU imports no torch)
  generate, generator, loading       applying a voice (tagger or full-sentence mode)
  train, finetune, corpus            learning a voice
"""

from __future__ import annotations

# {"engine": "seq2seq", "format_version": N, "mode": "tagger" | "generator"}, written and read
# through stylekit.packfiles; its own name, because config.json is the transformers model's.
ENGINE_FILE = "engine.json"
FORMAT_VERSION = 1
EDITS_FILE = "edits.json"
NEUTRALISER_FILE = "neutraliser.json"
SCORER_FILE = "style_scorer.safetensors"
HEADS_FILE = "heads.safetensors"
SPM_FILE = "spiece.model"
METRICS_FILE = "metrics.json"
