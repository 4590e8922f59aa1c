"""Training checkpoints: networks, optimisers and random state in one safetensors file.

Written atomically (temporary file, then `os.replace`), so a kill never leaves half a
checkpoint. Nothing is pickled: tensors go in the safetensors body, everything else
(step, loss history, optimiser hyper-parameters, numpy RNG state) in its JSON metadata.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from stylekit.errors import TrainingError

CHECKPOINT_NAME = "checkpoint.safetensors"


@dataclass
class RunState:
    """Everything a run needs to continue exactly where it stopped."""

    step: int
    generator: dict[str, torch.Tensor]
    discriminator: dict[str, torch.Tensor]
    opt_g: dict[str, Any]
    opt_d: dict[str, Any]
    rng: dict[str, Any]
    history: list[dict[str, float]] = field(default_factory=list)
    fingerprint: str = ""


def capture(step, gen, disc, opt_g, opt_d, rng, history, fingerprint) -> RunState:
    """A deep copy of the live training state (cheap: the networks are tiny)."""
    return RunState(
        step=step,
        generator={k: v.detach().clone() for k, v in gen.state_dict().items()},
        discriminator={k: v.detach().clone() for k, v in disc.state_dict().items()},
        opt_g=copy.deepcopy(opt_g.state_dict()),
        opt_d=copy.deepcopy(opt_d.state_dict()),
        rng=copy.deepcopy(rng.bit_generator.state),
        history=[dict(h) for h in history],
        fingerprint=fingerprint,
    )


def restore(state: RunState, gen, disc, opt_g, opt_d, rng) -> None:
    """Put a captured state back into the live objects."""
    gen.load_state_dict(state.generator)
    disc.load_state_dict(state.discriminator)
    opt_g.load_state_dict(copy.deepcopy(state.opt_g))
    opt_d.load_state_dict(copy.deepcopy(state.opt_d))
    rng.bit_generator.state = copy.deepcopy(state.rng)


def is_finite(state: RunState) -> bool:
    """True when every network weight in the state is finite."""
    return all(torch.isfinite(t).all() for t in [*state.generator.values(), *state.discriminator.values()])


def _flatten_opt(prefix: str, sd: dict[str, Any], tensors: dict[str, torch.Tensor]) -> dict[str, Any]:
    meta_state: dict[str, dict[str, Any]] = {}
    for idx, entry in sd["state"].items():
        meta_state[str(idx)] = {}
        for key, value in entry.items():
            if torch.is_tensor(value):
                tensors[f"{prefix}.{idx}.{key}"] = value.detach().reshape(-1).clone().contiguous()
                meta_state[str(idx)][key] = {"tensor": list(value.shape)}
            else:
                meta_state[str(idx)][key] = {"value": value}
    return {"state": meta_state, "param_groups": sd["param_groups"]}


def _unflatten_opt(prefix: str, meta: dict[str, Any], tensors: dict[str, torch.Tensor]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for idx, entry in meta["state"].items():
        state[int(idx)] = {}
        for key, spec in entry.items():
            if "tensor" in spec:
                state[int(idx)][key] = tensors[f"{prefix}.{idx}.{key}"].reshape(spec["tensor"])
            else:
                state[int(idx)][key] = spec["value"]
    return {"state": state, "param_groups": meta["param_groups"]}


def save_checkpoint(work_dir: Path, state: RunState) -> Path:
    """Write the state to `work_dir/checkpoint.safetensors` atomically; refuse non-finite weights."""
    from safetensors.torch import save_file

    if not is_finite(state):
        raise TrainingError("Refusing to save non-finite weights; rerun with --resume from the last checkpoint.")
    tensors: dict[str, torch.Tensor] = {}
    for k, v in state.generator.items():
        tensors[f"G.{k}"] = v.contiguous()
    for k, v in state.discriminator.items():
        tensors[f"D.{k}"] = v.contiguous()
    meta = {
        "step": state.step,
        "opt_g": _flatten_opt("optG", state.opt_g, tensors),
        "opt_d": _flatten_opt("optD", state.opt_d, tensors),
        "rng": state.rng,
        "history": state.history,
        "fingerprint": state.fingerprint,
    }
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / CHECKPOINT_NAME
    fd, tmp = tempfile.mkstemp(dir=work_dir, prefix=".checkpoint.", suffix=".tmp")
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata={"state": json.dumps(meta)})
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def load_checkpoint(work_dir: Path) -> RunState | None:
    """Read `work_dir/checkpoint.safetensors`, or None when there is none."""
    from safetensors import safe_open

    path = work_dir / CHECKPOINT_NAME
    if not path.exists():
        return None
    try:
        with safe_open(str(path), framework="pt") as fh:
            meta = json.loads(fh.metadata()["state"])
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}
    except Exception as exc:  # corrupt file: safetensors raises several types
        raise TrainingError(f"{path} is not a readable checkpoint ({exc}); delete it to start over.")
    return RunState(
        step=int(meta["step"]),
        generator={k[2:]: v for k, v in tensors.items() if k.startswith("G.")},
        discriminator={k[2:]: v for k, v in tensors.items() if k.startswith("D.")},
        opt_g=_unflatten_opt("optG", meta["opt_g"], tensors),
        opt_d=_unflatten_opt("optD", meta["opt_d"], tensors),
        rng=meta["rng"],
        history=meta["history"],
        fingerprint=meta.get("fingerprint", ""),
    )
