"""Atomic, resumable training checkpoints in safetensors + JSON (nothing pickled).

A checkpoint is a folder with the model weights, the optimiser's moment tensors, the torch
RNG state and a JSON state (step, losses, run fingerprint). It is written to a temporary
folder and swapped in with renames, so an interrupted save leaves the previous one intact.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from stylekit.errors import TrainingError

CHECKPOINT_DIR = "checkpoint"


def save_checkpoint(work_dir: Path, model: Any, optimiser: Any, state: dict) -> None:
    """Write model, optimiser, RNG and `state` (JSON) as the current checkpoint of `work_dir`."""
    import torch
    from safetensors.torch import save_file, save_model

    work_dir.mkdir(parents=True, exist_ok=True)
    final = work_dir / CHECKPOINT_DIR
    tmp = work_dir / (CHECKPOINT_DIR + ".tmp")
    old = work_dir / (CHECKPOINT_DIR + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    save_model(model, str(tmp / "model.safetensors"))  # handles the tied embedding tensors
    opt = optimiser.state_dict()
    tensors = {"rng.torch": torch.get_rng_state()}
    for idx, slots in opt["state"].items():
        for name, value in slots.items():
            tensors[f"opt.{idx}.{name}"] = torch.as_tensor(value).detach().cpu().contiguous()
    save_file(tensors, str(tmp / "optimiser.safetensors"))
    meta = dict(state, param_groups=opt["param_groups"])
    (tmp / "state.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def load_checkpoint(work_dir: Path, model: Any, optimiser: Any, fingerprint: str) -> dict | None:
    """Restore the checkpoint of `work_dir` into model and optimiser; None when there is none.

    Raises `TrainingError` when the checkpoint belongs to a run with other data or settings.
    """
    import torch
    from safetensors.torch import load_file, load_model

    folder = work_dir / CHECKPOINT_DIR
    if not (folder / "state.json").is_file():
        old = work_dir / (CHECKPOINT_DIR + ".old")  # a save interrupted between the renames
        if not (old / "state.json").is_file():
            return None
        folder = old
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    if state.get("fingerprint") != fingerprint:
        raise TrainingError(
            f"The checkpoint in '{work_dir}' is from a run with other data or settings; "
            "drop --resume to start over."
        )
    load_model(model, str(folder / "model.safetensors"))
    tensors = load_file(str(folder / "optimiser.safetensors"))
    slots: dict[int, dict[str, Any]] = {}
    for key, value in tensors.items():
        if key.startswith("opt."):
            _, idx, name = key.split(".", 2)
            slots.setdefault(int(idx), {})[name] = value
    optimiser.load_state_dict({"state": slots, "param_groups": state.pop("param_groups")})
    torch.set_rng_state(tensors["rng.torch"])
    return state


def start_or_resume(work_dir: Path, model: Any, optimiser: Any, fingerprint: str, resume: bool, seed: int) -> tuple[int, list]:
    """(first step, losses so far): restored from the checkpoint when resuming and one exists,
    else (0, []) with torch seeded for a fresh run."""
    if resume:
        state = load_checkpoint(work_dir, model, optimiser, fingerprint)
        if state is not None:
            return state["step"], state["losses"]
        return 0, []
    import torch

    torch.manual_seed(seed)
    return 0, []
