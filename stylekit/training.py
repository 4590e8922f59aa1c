"""The training toolkit engines share: checkpoints, resume, run fingerprints, devices,
learning-rate schedule, NaN skip/rollback and the step loop.

An engine builds its networks and optimisers, describes one optimisation step as a
function, and hands both to `TrainingLoop`, which does the rest the same way for every
engine:

    loop = TrainingLoop(total=steps, fingerprint=run_fingerprint(data, settings, seed),
                        modules={"model": model}, optimisers={"opt": opt}, work_dir=run_dir,
                        checkpoint_every=50, progress=progress)
    loop.start(resume=config.resume)        # restores the checkpoint, or refuses in one line
    loop.run(step)                          # step(i) -> {"loss": ...}, or None to skip it

Checkpoints are one safetensors file per run folder (`checkpoint.safetensors`): network
weights, optimiser moments and the torch random state as tensors; step, loss history,
optimiser hyper-parameters, the numpy random state and the run fingerprint as JSON in its
metadata. Nothing is pickled, and the file is replaced atomically, so a kill never leaves
half a checkpoint. A resumed run ends with the same weights, bit for bit, as one that was
never interrupted (as long as each step draws its randomness from the saved streams).

torch is imported inside the functions that need it: importing this module is cheap.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from .engines import ProgressEvent, ProgressFn
from .errors import TrainingError

if TYPE_CHECKING:
    import numpy as np
    import torch

CHECKPOINT_NAME = "checkpoint.safetensors"
CHECKPOINT_FORMAT = 1
DEVICES = ("auto", "cpu", "cuda")

StepFn = Callable[[int], "Mapping[str, float] | None"]


# When the training loop estimates the time left: after this many steps, or this long.
ESTIMATE_AFTER_STEPS = 5
ESTIMATE_AFTER_SECONDS = 10.0
ESTIMATE_MIN_LEFT = 20.0  # seconds; a run about to end needs no estimate


def format_duration(seconds: float) -> str:
    """A duration as people say it: '0.4 s', '45 s', '2 min 05 s', '1 h 03 min'."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def estimate_note(total: int, done: int, seconds_per_step: float, measured: tuple[int, int]) -> str:
    """The line training prints once it has timed its first steps."""
    first, last = measured
    steps = f"step {first}" if first == last else f"steps {first}-{last}"
    return (f"estimate: {total} steps at {format_duration(seconds_per_step)}/step (measured on {steps}); "
            f"about {format_duration((total - done) * seconds_per_step)} left")


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during training, raised after the run's state was saved; its message says
    at which step it stopped, where the checkpoint is and how to resume."""


# --- devices, fingerprints, learning rates --------------------------------------------


def resolve_device(name: str) -> str:
    """'auto' -> 'cuda' when a GPU is available, else 'cpu'; 'cpu' and 'cuda' as given.

    Raises a one-line `TrainingError` for an unknown name or for CUDA without a GPU.
    """
    device = str(name).strip().lower()
    if device not in DEVICES:
        raise TrainingError(f"Unknown device '{name}'; use auto, cpu or cuda.")
    if device == "cpu":
        return device  # no torch import needed
    import torch

    available = torch.cuda.is_available()
    if device == "auto":
        return "cuda" if available else "cpu"
    if not available:
        raise TrainingError("CUDA was requested but no GPU is available; use --device cpu or auto.")
    return device


@contextmanager
def one_thread_on_cpu(device: str) -> Iterator[None]:
    """Torch on one thread while training on the CPU, restored after.

    The tensors of stylekit's trainings are small: one thread is as fast as two on a quiet
    machine and over ten times faster when another process is busy, because torch's worker
    threads then wait for each other at every operation.
    """
    import torch

    threads = torch.get_num_threads()
    if resolve_device(device) == "cpu":
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _canonical(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return _canonical(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def run_fingerprint(*parts: Any) -> str:
    """A short hash of everything that defines a run (data, settings, seed).

    Parts may be strings, numbers, paths, dataclasses and lists or dicts of them; a
    checkpoint resumes only a run with the same fingerprint.
    """
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(_canonical(part), sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def warmup_cosine(step: int, total: int, peak: float, warmup: float = 0.05, floor: float = 0.1) -> float:
    """Learning rate at 0-based `step` of `total`: linear warm-up over the first `warmup`
    share of the steps, then cosine decay from `peak` to `floor * peak`."""
    warm = max(1, math.floor(total * warmup + 1e-9))
    if step < warm:
        return peak * (step + 1) / warm
    progress = (step - warm) / max(1, total - warm)
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def set_learning_rate(optimiser: Any, lr: float) -> None:
    """Set the learning rate of every parameter group of `optimiser`."""
    for group in optimiser.param_groups:
        group["lr"] = lr


def finite(*values: Any) -> bool:
    """True when every given loss (tensor or number) is finite."""
    for value in values:
        if hasattr(value, "detach"):
            import torch

            if not bool(torch.isfinite(value.detach()).all()):
                return False
        elif not math.isfinite(float(value)):
            return False
    return True


# --- run state and checkpoints ----------------------------------------------------------


@dataclass
class RunState:
    """Everything a run needs to continue exactly where it stopped (tensors are copies)."""

    step: int
    modules: dict[str, dict[str, "torch.Tensor"]]
    optimisers: dict[str, dict[str, Any]]
    rng: dict[str, Any]
    history: list[dict[str, float]] = field(default_factory=list)
    fingerprint: str = ""
    counters: dict[str, int] = field(default_factory=dict)

    def is_finite(self) -> bool:
        """True when every network weight in the state is finite."""
        import torch

        return all(
            bool(torch.isfinite(t).all()) for sd in self.modules.values() for t in sd.values() if t.is_floating_point()
        )


def capture(
    step: int,
    modules: Mapping[str, Any],
    optimisers: Mapping[str, Any],
    rng: "np.random.Generator | None" = None,
    history: list[dict[str, float]] | None = None,
    fingerprint: str = "",
    counters: Mapping[str, int] | None = None,
) -> RunState:
    """A deep copy of the live training state: weights, optimisers, torch (and numpy) RNG."""
    import torch

    rngs: dict[str, Any] = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        rngs["cuda"] = torch.cuda.get_rng_state_all()
    if rng is not None:
        rngs["numpy"] = copy.deepcopy(rng.bit_generator.state)
    return RunState(
        step=step,
        modules={name: {k: v.detach().clone() for k, v in m.state_dict().items()} for name, m in modules.items()},
        optimisers={name: copy.deepcopy(o.state_dict()) for name, o in optimisers.items()},
        rng=rngs,
        history=[dict(h) for h in history or []],
        fingerprint=fingerprint,
        counters=dict(counters or {}),
    )


def restore(state: RunState, modules: Mapping[str, Any], optimisers: Mapping[str, Any], rng: "np.random.Generator | None" = None) -> None:
    """Put a captured state back into the live networks, optimisers and random streams."""
    import torch

    for name, module in modules.items():
        module.load_state_dict(state.modules[name])
    for name, opt in optimisers.items():
        opt.load_state_dict(copy.deepcopy(state.optimisers[name]))  # the optimiser may alias what it loads
    torch.set_rng_state(state.rng["torch"])
    if "cuda" in state.rng and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state.rng["cuda"])
    if rng is not None and "numpy" in state.rng:
        rng.bit_generator.state = copy.deepcopy(state.rng["numpy"])


def _flatten_optimiser(prefix: str, sd: dict[str, Any], tensors: dict[str, Any]) -> dict[str, Any]:
    import torch

    meta: dict[str, dict[str, Any]] = {}
    for idx, slots in sd["state"].items():
        meta[str(idx)] = {}
        for key, value in slots.items():
            if torch.is_tensor(value):
                tensors[f"{prefix}.{idx}.{key}"] = value.detach().cpu().reshape(-1).clone().contiguous()
                meta[str(idx)][key] = {"tensor": list(value.shape)}
            else:
                meta[str(idx)][key] = {"value": value}
    return {"state": meta, "param_groups": sd["param_groups"]}


def _unflatten_optimiser(prefix: str, meta: dict[str, Any], tensors: dict[str, Any]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for idx, slots in meta["state"].items():
        state[int(idx)] = {}
        for key, spec in slots.items():
            if "tensor" in spec:
                state[int(idx)][key] = tensors[f"{prefix}.{idx}.{key}"].reshape(spec["tensor"])
            else:
                state[int(idx)][key] = spec["value"]
    # JSON turned tuples (Adam's betas) into lists; give them back as torch writes them.
    groups = [{k: tuple(v) if isinstance(v, list) and k != "params" else v for k, v in g.items()} for g in meta["param_groups"]]
    return {"state": state, "param_groups": groups}


def save_checkpoint(work_dir: Path, state: RunState) -> Path:
    """Write `state` to `work_dir/checkpoint.safetensors` atomically; refuse non-finite weights."""
    from safetensors.torch import save_file

    from .outputs import atomic_write

    if not state.is_finite():
        raise TrainingError("Refusing to save non-finite weights; rerun with resume=True from the last checkpoint.")
    tensors: dict[str, Any] = {}
    for name, sd in state.modules.items():
        for key, value in sd.items():
            tensors[f"module.{name}.{key}"] = value.detach().cpu().contiguous()
    optimisers = {name: _flatten_optimiser(f"optim.{name}", sd, tensors) for name, sd in state.optimisers.items()}
    tensors["rng.torch"] = state.rng["torch"]
    for i, cuda_state in enumerate(state.rng.get("cuda", [])):
        tensors[f"rng.cuda.{i}"] = cuda_state
    meta = {
        "format": CHECKPOINT_FORMAT,
        "step": state.step,
        "modules": sorted(state.modules),
        "optimisers": optimisers,
        "numpy_rng": state.rng.get("numpy"),
        "history": state.history,
        "fingerprint": state.fingerprint,
        "counters": state.counters,
    }
    path = Path(work_dir) / CHECKPOINT_NAME
    atomic_write(path, lambda tmp: save_file(tensors, str(tmp), metadata={"state": json.dumps(meta)}), overwrite=True)
    return path


def load_checkpoint(work_dir: Path) -> RunState | None:
    """Read `work_dir/checkpoint.safetensors`, or None when there is none."""
    from safetensors import safe_open

    path = Path(work_dir) / CHECKPOINT_NAME
    if not path.is_file():
        return None
    try:
        with safe_open(str(path), framework="pt") as fh:
            meta = json.loads((fh.metadata() or {})["state"])
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}
        if meta.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"checkpoint format {meta.get('format')!r}, expected {CHECKPOINT_FORMAT}")
        modules: dict[str, dict[str, Any]] = {name: {} for name in meta["modules"]}
        for key, value in tensors.items():
            if key.startswith("module."):
                name, _, param = key[len("module."):].partition(".")
                modules[name][param] = value
        rng: dict[str, Any] = {"torch": tensors["rng.torch"]}
        cuda = [tensors[k] for k in sorted((k for k in tensors if k.startswith("rng.cuda.")), key=lambda k: int(k.rsplit(".", 1)[1]))]
        if cuda:
            rng["cuda"] = cuda
        if meta.get("numpy_rng") is not None:
            rng["numpy"] = meta["numpy_rng"]
        optimisers = {name: _unflatten_optimiser(f"optim.{name}", m, tensors) for name, m in meta["optimisers"].items()}
    except Exception as exc:  # corrupt or foreign file: safetensors and json raise several types
        raise TrainingError(f"{path} is not a readable checkpoint ({exc}); drop resume=True to start over.") from None
    return RunState(
        step=int(meta["step"]),
        modules=modules,
        optimisers=optimisers,
        rng=rng,
        history=list(meta.get("history", [])),
        fingerprint=str(meta.get("fingerprint", "")),
        counters={k: int(v) for k, v in meta.get("counters", {}).items()},
    )


def check_resume(work_dir: Path | None, resume: bool) -> None:
    """With `resume`, a one-line `TrainingError` unless `work_dir` holds a checkpoint.

    `TrainingLoop.start` checks this too; engines call it before long preparation so the
    user hears at once that there is nothing to resume.
    """
    if resume and (work_dir is None or not (Path(work_dir) / CHECKPOINT_NAME).is_file()):
        where = f"'{work_dir}'" if work_dir is not None else "this run (it has no run folder)"
        raise TrainingError(f"No checkpoint to resume in {where}; drop resume=True to start.")


# --- the loop ---------------------------------------------------------------------------


@contextmanager
def _deferred_sigint() -> Iterator[dict[str, int]]:
    """While active, a first Ctrl-C is recorded (and acted on between steps) instead of
    raised mid-step, so the weights saved are those of a whole step; a second one raises
    at once. Only in the main thread, and only when nobody else handles SIGINT."""
    pressed = {"count": 0}
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield pressed
        return

    def handler(signum: int, frame: Any) -> None:
        pressed["count"] += 1
        if pressed["count"] > 1:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


class TrainingLoop:
    """Runs an engine's optimisation steps with everything around them that engines share.

    - resume (`start`): restores the run folder's checkpoint after checking its fingerprint;
      `--resume` without a checkpoint is a one-line error.
    - checkpoints every `checkpoint_every` steps and at the end, atomically; `on_save(state)`
      runs after each save (an engine writes sample grids or loss plots there).
    - NaN guard: a step function returns None when its losses are not finite (and then must
      not have updated anything); `max_bad_steps` such steps in a row roll back to the last
      good state, more than `max_rollbacks` rollbacks stop the run with a `TrainingError`.
      Weights that turn non-finite are caught at the next checkpoint and rolled back too.
    - progress: a `ProgressEvent(step, total, stage, values)` every `report_every` steps and
      at the last, values averaged over the last `report_every` steps; once, after
      ESTIMATE_AFTER_STEPS steps (or ESTIMATE_AFTER_SECONDS, whichever comes first), an
      event whose `note` estimates the time left from the steps measured so far (the first
      step, which warms up, left out) and whose values are `seconds_per_step` and
      `seconds_left`, when at least ESTIMATE_MIN_LEFT seconds are left; `seconds_per_step`
      stays on the loop.
    - Ctrl-C: the step in progress finishes, its state is saved and `TrainingInterrupted`
      (a `KeyboardInterrupt`) says how to resume. An interrupt raised inside a step keeps
      the last whole-step state instead.
    - the last good state is kept in memory; with `rollback_from_disk` (for large models,
      and only with a `work_dir`) it is kept only as the run folder's checkpoint, which is
      then also written at the start.

    After `run`, `step`, `history` (one dict of values per step), `skipped`, `rollbacks` and
    `resumed_from` describe the run.
    """

    def __init__(
        self,
        *,
        total: int,
        fingerprint: str,
        modules: Mapping[str, Any],
        optimisers: Mapping[str, Any],
        work_dir: Path | None = None,
        rng: "np.random.Generator | None" = None,
        checkpoint_every: int = 50,
        report_every: int = 1,
        progress: ProgressFn | None = None,
        max_bad_steps: int = 3,
        max_rollbacks: int = 5,
        on_save: Callable[[RunState], None] | None = None,
        stage: str = "train",
        rollback_from_disk: bool = False,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if total < 0 or checkpoint_every < 1 or report_every < 1 or max_bad_steps < 1:
            raise TrainingError("Use at least 1 for steps, checkpoint_every, report_every and max_bad_steps.")
        self.total = int(total)
        self.fingerprint = fingerprint
        self.modules = dict(modules)
        self.optimisers = dict(optimisers)
        self.work_dir = Path(work_dir) if work_dir is not None else None
        self.rng = rng
        self.checkpoint_every = int(checkpoint_every)
        self.report_every = int(report_every)
        self.progress = progress
        self.max_bad_steps = int(max_bad_steps)
        self.max_rollbacks = int(max_rollbacks)
        self.on_save = on_save
        self.stage = stage
        self.step = 0
        self.history: list[dict[str, float]] = []
        self.skipped = 0
        self.rollbacks = 0
        self.resumed_from = 0
        self._bad_streak = 0
        self._good: RunState | None = None  # the last good state, when kept in memory
        self._disk = rollback_from_disk and self.work_dir is not None
        self._saved_step: int | None = None
        self._started = False
        self._in_step = False
        self.seconds_per_step: float | None = None
        self._clock = clock
        self._timing: list[tuple[int, float]] = []  # (step, clock) at the run's start and after its first step

    # state ---------------------------------------------------------------------------

    def capture(self) -> RunState:
        """The live state of this run, copied."""
        return capture(self.step, self.modules, self.optimisers, self.rng, self.history, self.fingerprint,
                       {"skipped": self.skipped, "rollbacks": self.rollbacks})

    def _restore(self, state: RunState) -> None:
        restore(state, self.modules, self.optimisers, self.rng)
        self.step = state.step
        self.history = [dict(h) for h in state.history]

    def _save(self, state: RunState) -> None:
        if self.work_dir is None:
            return
        save_checkpoint(self.work_dir, state)
        self._saved_step = state.step
        if self.on_save is not None:
            self.on_save(state)

    def start(self, resume: bool = False) -> int:
        """Begin the run: fresh, or from the run folder's checkpoint; returns the first step."""
        if resume:
            check_resume(self.work_dir, resume)
            saved = load_checkpoint(self.work_dir)
            assert saved is not None
            if saved.fingerprint != self.fingerprint:
                raise TrainingError(
                    f"The checkpoint in '{self.work_dir}' belongs to a run with other data or settings; "
                    "drop resume=True to start over."
                )
            self._restore(saved)
            self.skipped = saved.counters.get("skipped", 0)
            self.rollbacks = saved.counters.get("rollbacks", 0)
            self.resumed_from = saved.step
            self._saved_step = saved.step
        self._started = True
        if not self._disk:
            self._good = self.capture()
        elif self._saved_step != self.step:
            self._save(self.capture())  # something to roll back to from the first step
        return self.step

    def _last_good(self) -> RunState:
        if self._good is not None:
            return self._good
        saved = load_checkpoint(self.work_dir) if self.work_dir is not None else None
        if saved is None:
            raise TrainingError(f"The checkpoint in '{self.work_dir}' disappeared during training; start again.")
        return saved

    # the loop ------------------------------------------------------------------------

    def run(self, step_fn: StepFn) -> list[dict[str, float]]:
        """Call `step_fn(step)` (0-based index of the step to take) until `total` steps are
        done; return the history. Calls `start()` first when it was not called."""
        if not self._started:
            self.start()
        self._timing = [(self.step, self._clock())]
        with _deferred_sigint() as pressed:
            try:
                while self.step < self.total:
                    if pressed["count"]:
                        self._stop(whole_step=True)
                    self._in_step = True
                    values = step_fn(self.step)
                    self._in_step = False
                    if values is None or not all(math.isfinite(float(v)) for v in values.values()):
                        self._bad_step()
                        continue
                    self._bad_streak = 0
                    self.step += 1
                    self.history.append({"step": self.step, **{k: float(v) for k, v in values.items()}})
                    if self.step % self.checkpoint_every == 0 or self.step == self.total:
                        state = self.capture()
                        if not state.is_finite():  # finite losses, yet the update blew up
                            self._rollback()
                            continue
                        if not self._disk:
                            self._good = state
                        self._save(state)
                    self._report()
                    self._estimate()
                if pressed["count"]:
                    self._stop(whole_step=True)
            except TrainingInterrupted:
                raise
            except KeyboardInterrupt:
                # Between steps (a progress callback, a save hook) the live state is a whole
                # step; inside a step it may be half-updated, so the last good state is kept.
                self._stop(whole_step=not self._in_step)
        return self.history

    def _bad_step(self) -> None:
        self.skipped += 1
        self._bad_streak += 1
        if self._bad_streak >= self.max_bad_steps:
            self._rollback()

    def _rollback(self) -> None:
        self.rollbacks += 1
        if self.rollbacks > self.max_rollbacks:
            raise TrainingError("Training keeps producing non-finite losses or weights; try a lower learning rate or other data.")
        self._restore(self._last_good())
        self._bad_streak = 0

    def _report(self) -> None:
        if self.progress is None or not (self.step % self.report_every == 0 or self.step == self.total):
            return
        recent = self.history[-self.report_every:]
        keys = [k for k in recent[-1] if k != "step"]
        values = {k: sum(h[k] for h in recent if k in h) / sum(1 for h in recent if k in h) for k in keys}
        self.progress(ProgressEvent(self.step, self.total, self.stage, values))

    def _estimate(self) -> None:
        """Say once, early, how long the run will take (see the class docstring)."""
        if self.seconds_per_step is not None or not self._timing:
            return
        now = self._clock()
        if len(self._timing) == 1:
            self._timing.append((self.step, now))  # the first step: warm-up, not measured
        (start_step, start), (first_step, first) = self._timing[0], self._timing[-1]
        done = self.step - start_step
        if done < min(ESTIMATE_AFTER_STEPS, self.total - start_step) and now - start < ESTIMATE_AFTER_SECONDS:
            return
        if self.step > first_step:
            self.seconds_per_step, measured = (now - first) / (self.step - first_step), (first_step + 1, self.step)
        else:
            self.seconds_per_step, measured = (now - start) / done, (start_step + 1, self.step)
        left = (self.total - self.step) * self.seconds_per_step
        if self.progress is not None and left >= ESTIMATE_MIN_LEFT:
            self.progress(ProgressEvent(
                self.step, self.total, self.stage, {"seconds_per_step": self.seconds_per_step, "seconds_left": left},
                note=estimate_note(self.total, self.step, self.seconds_per_step, measured)))

    def _stop(self, whole_step: bool) -> None:
        """Save what the run has and raise `TrainingInterrupted` with how to resume."""
        state = self.capture() if whole_step else None
        if state is None or not state.is_finite():
            state = self._good  # None when the last good state is the run folder's checkpoint
        if self.work_dir is None:
            assert state is not None
            raise TrainingInterrupted(f"Interrupted at step {state.step} of {self.total}; nothing saved (no run folder).")
        if state is not None and self._saved_step != state.step:
            self._save(state)
        step = state.step if state is not None else self._saved_step
        raise TrainingInterrupted(
            f"Interrupted at step {step} of {self.total}; checkpoint saved in '{self.work_dir}'. "
            "Rerun with resume=True to continue."
        )
