"""Tests of the shared training toolkit (`stylekit.training`) on a tiny real model:
checkpoints, resume identity, Ctrl-C saves, NaN skip and rollback, devices, schedule."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from stylekit.engines import ProgressEvent  # noqa: E402
from stylekit.errors import TrainingError  # noqa: E402
from stylekit.training import (  # noqa: E402
    CHECKPOINT_NAME,
    RunState,
    TrainingInterrupted,
    TrainingLoop,
    capture,
    finite,
    load_checkpoint,
    resolve_device,
    run_fingerprint,
    save_checkpoint,
    set_learning_rate,
    warmup_cosine,
)


class Toy:
    """A tiny regression run that uses every kind of state a checkpoint must carry: weights,
    Adam moments, a learning-rate schedule, dropout (torch RNG) and numpy-drawn batches."""

    def __init__(self, work_dir: Path | None, total: int = 8, every: int = 2, seed: int = 0, progress=None,
                 hook=None, report_every: int = 1, max_bad_steps: int = 3, max_rollbacks: int = 5,
                 rollback_from_disk: bool = False) -> None:
        torch.manual_seed(seed)
        self.model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
        self.opt = torch.optim.Adam(self.model.parameters(), lr=0.05)
        self.rng = np.random.default_rng(seed)
        data = np.random.default_rng(99)
        self.x = torch.from_numpy(data.normal(size=(64, 3)).astype(np.float32))
        self.y = self.x @ torch.tensor([[1.0], [-2.0], [0.5]])
        self.total, self.hook, self.attempts = total, hook, 0
        self.loop = TrainingLoop(
            total=total, fingerprint=run_fingerprint("toy", total, seed), modules={"model": self.model},
            optimisers={"opt": self.opt}, work_dir=work_dir, rng=self.rng, checkpoint_every=every,
            progress=progress, report_every=report_every, max_bad_steps=max_bad_steps, max_rollbacks=max_rollbacks,
            rollback_from_disk=rollback_from_disk,
        )

    def step(self, i: int):
        self.attempts += 1
        idx = torch.from_numpy(self.rng.integers(0, len(self.x), 16))
        set_learning_rate(self.opt, warmup_cosine(i, self.total, 0.05))
        loss = (self.model(self.x[idx]) - self.y[idx]).pow(2).mean()
        if self.hook is not None:
            loss = self.hook(self, loss)
        if not finite(loss):
            return None
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return {"loss": loss.item()}

    def train(self, resume: bool = False) -> "Toy":
        self.loop.start(resume)
        self.loop.run(self.step)
        return self

    def weights(self) -> dict[str, np.ndarray]:
        return {k: v.detach().numpy().copy() for k, v in self.model.state_dict().items()}


def assert_same_weights(a: Toy, b: Toy) -> None:
    wa, wb = a.weights(), b.weights()
    assert wa.keys() == wb.keys()
    for key in wa:
        assert np.array_equal(wa[key], wb[key]), key


def nan_on(*attempts: int):
    """A step hook that makes the loss NaN on the given 1-based step attempts."""
    return lambda toy, loss: loss * float("nan") if toy.attempts in attempts else loss


# --- checkpoints ------------------------------------------------------------------------


def test_checkpoint_round_trip_keeps_every_piece_of_state(tmp_path):
    toy = Toy(None, total=3)
    toy.train()
    state = capture(3, {"model": toy.model}, {"opt": toy.opt}, toy.rng, toy.loop.history, "abc", {"skipped": 2})
    path = save_checkpoint(tmp_path, state)
    assert path == tmp_path / CHECKPOINT_NAME
    assert [p.name for p in tmp_path.iterdir()] == [CHECKPOINT_NAME]  # no temporary file left behind
    back = load_checkpoint(tmp_path)
    assert back.step == 3 and back.fingerprint == "abc" and back.counters == {"skipped": 2}
    assert back.history == toy.loop.history
    assert back.rng["numpy"] == toy.rng.bit_generator.state
    assert torch.equal(back.rng["torch"], torch.get_rng_state())
    for key, value in state.modules["model"].items():
        assert torch.equal(back.modules["model"][key], value), key
    sd = toy.opt.state_dict()
    assert back.optimisers["opt"]["param_groups"] == sd["param_groups"]
    for idx, slots in sd["state"].items():
        for name, value in slots.items():
            assert torch.equal(back.optimisers["opt"]["state"][idx][name], value), (idx, name)


def test_checkpoint_is_plain_safetensors_with_json_metadata(tmp_path):
    import json

    from safetensors import safe_open

    toy = Toy(tmp_path, total=2).train()
    with safe_open(str(tmp_path / CHECKPOINT_NAME), framework="pt") as fh:
        meta = json.loads(fh.metadata()["state"])
        keys = set(fh.keys())
    assert meta["step"] == 2 and meta["fingerprint"] == toy.loop.fingerprint
    assert {"module.model.0.weight", "rng.torch"} <= keys and any(k.startswith("optim.opt.") for k in keys)


def test_checkpoint_refuses_non_finite_weights(tmp_path):
    state = RunState(step=1, modules={"g": {"w": torch.tensor([float("nan")])}}, optimisers={}, rng={"torch": torch.get_rng_state()})
    with pytest.raises(TrainingError, match="non-finite"):
        save_checkpoint(tmp_path, state)
    assert not (tmp_path / CHECKPOINT_NAME).exists()


def test_unreadable_checkpoint_is_a_one_line_error(tmp_path):
    (tmp_path / CHECKPOINT_NAME).write_bytes(b"not a checkpoint")
    with pytest.raises(TrainingError, match="not a readable checkpoint") as info:
        load_checkpoint(tmp_path)
    assert "\n" not in str(info.value) and str(tmp_path) in str(info.value)
    assert load_checkpoint(tmp_path / "missing") is None


# --- resume -----------------------------------------------------------------------------


def test_resume_after_an_interrupt_between_steps_gives_identical_weights(tmp_path):
    straight = Toy(tmp_path / "a").train()

    def stop_at_5(event: ProgressEvent) -> None:
        if event.done == 5:
            raise KeyboardInterrupt

    with pytest.raises(TrainingInterrupted, match="resume=True") as info:
        Toy(tmp_path / "b", progress=stop_at_5).train()
    assert "step 5 of 8" in str(info.value)
    assert load_checkpoint(tmp_path / "b").step == 5  # saved at the interrupt, not at step 4
    resumed = Toy(tmp_path / "b").train(resume=True)
    assert resumed.loop.resumed_from == 5
    assert_same_weights(straight, resumed)
    assert resumed.loop.history == straight.loop.history


def test_ctrl_c_during_a_step_finishes_the_step_then_saves(tmp_path):
    straight = Toy(tmp_path / "a", every=100).train()

    def press_ctrl_c(toy: Toy, loss):
        if toy.attempts == 3:
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, in the middle of step 3
        return loss

    with pytest.raises(TrainingInterrupted, match="resume=True"):
        Toy(tmp_path / "b", every=100, hook=press_ctrl_c).train()
    assert load_checkpoint(tmp_path / "b").step == 3  # before the first periodic checkpoint
    resumed = Toy(tmp_path / "b", every=100).train(resume=True)
    assert_same_weights(straight, resumed)


def test_interrupt_raised_inside_a_step_keeps_the_last_whole_step_state(tmp_path):
    straight = Toy(tmp_path / "a", every=100).train()

    def raise_in_step_4(toy: Toy, loss):
        if toy.attempts == 4:
            raise KeyboardInterrupt
        return loss

    with pytest.raises(TrainingInterrupted):
        Toy(tmp_path / "b", every=100, hook=raise_in_step_4).train()
    assert load_checkpoint(tmp_path / "b").step == 0  # all it had that is whole: the start
    resumed = Toy(tmp_path / "b", every=100).train(resume=True)
    assert_same_weights(straight, resumed)


def test_interrupt_without_a_run_folder_says_nothing_was_saved():
    def stop(event: ProgressEvent) -> None:
        raise KeyboardInterrupt

    with pytest.raises(TrainingInterrupted, match="nothing saved"):
        Toy(None, progress=stop).train()


def test_resume_without_a_checkpoint_is_an_error(tmp_path):
    with pytest.raises(TrainingError, match="No checkpoint to resume in .*; drop resume=True to start"):
        Toy(tmp_path / "empty").train(resume=True)


def test_resume_refuses_a_checkpoint_of_another_run(tmp_path):
    Toy(tmp_path, total=2).train()
    with pytest.raises(TrainingError, match="other data or settings"):
        Toy(tmp_path, total=2, seed=1).train(resume=True)


# --- NaN guard --------------------------------------------------------------------------


def test_a_non_finite_loss_skips_the_step(tmp_path):
    toy = Toy(tmp_path, hook=nan_on(3)).train()
    assert toy.loop.skipped == 1 and toy.loop.rollbacks == 0
    assert toy.loop.step == 8 and [h["step"] for h in toy.loop.history] == list(range(1, 9))
    assert all(np.isfinite(w).all() for w in toy.weights().values())


def test_several_non_finite_losses_in_a_row_roll_back_to_the_last_good_state(tmp_path):
    toy = Toy(tmp_path, hook=nan_on(3, 4, 5)).train()
    assert toy.loop.skipped == 3 and toy.loop.rollbacks == 1
    assert toy.attempts == 8 + 3 and toy.loop.step == 8
    assert all(np.isfinite(w).all() for w in toy.weights().values())


def test_weights_that_turn_non_finite_are_rolled_back_at_the_checkpoint(tmp_path):
    def poison(toy: Toy, loss):
        if toy.attempts == 3:  # a finite loss, but the weights blow up in this step
            with torch.no_grad():
                toy.model[0].weight.fill_(float("inf"))
        return loss

    toy = Toy(tmp_path, hook=poison).train()
    assert toy.loop.rollbacks == 1 and toy.loop.step == 8
    assert all(np.isfinite(w).all() for w in toy.weights().values())
    assert load_checkpoint(tmp_path).is_finite()


def test_rollback_from_disk_matches_rollback_from_memory(tmp_path):
    in_memory = Toy(tmp_path / "m", hook=nan_on(3, 4, 5)).train()
    on_disk = Toy(tmp_path / "d", hook=nan_on(3, 4, 5), rollback_from_disk=True)
    on_disk.loop.start()
    assert on_disk.loop._good is None and load_checkpoint(tmp_path / "d").step == 0  # saved at the start
    on_disk.loop.run(on_disk.step)
    assert on_disk.loop.rollbacks == 1
    assert_same_weights(in_memory, on_disk)


def test_interrupt_inside_a_step_with_rollback_from_disk_keeps_the_checkpoint(tmp_path):
    def raise_in_step_4(toy: Toy, loss):
        if toy.attempts == 4:
            raise KeyboardInterrupt
        return loss

    with pytest.raises(TrainingInterrupted, match="step 2 of 8"):
        Toy(tmp_path, hook=raise_in_step_4, rollback_from_disk=True).train()
    assert load_checkpoint(tmp_path).step == 2


def test_a_run_that_keeps_blowing_up_stops_with_a_training_error(tmp_path):
    always = lambda toy, loss: loss * float("nan") if toy.attempts >= 3 else loss  # noqa: E731
    with pytest.raises(TrainingError, match="lower learning rate"):
        Toy(tmp_path, hook=always, max_rollbacks=2).train()
    assert load_checkpoint(tmp_path).is_finite()


# --- progress, devices, schedule, fingerprint -----------------------------------------------


def test_progress_events_average_over_the_reporting_interval(tmp_path):
    events: list[ProgressEvent] = []
    toy = Toy(tmp_path, total=5, report_every=2, progress=events.append).train()
    assert [e.done for e in events] == [2, 4, 5] and all(e.total == 5 and e.stage == "train" for e in events)
    losses = [h["loss"] for h in toy.loop.history]
    assert events[0].values["loss"] == pytest.approx((losses[0] + losses[1]) / 2)
    assert events[-1].values["loss"] == pytest.approx((losses[3] + losses[4]) / 2)


def test_resolve_device(monkeypatch):
    assert resolve_device("cpu") == "cpu"
    with pytest.raises(TrainingError, match="Unknown device 'gpu'; use auto, cpu or cuda"):
        resolve_device("gpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    with pytest.raises(TrainingError, match="no GPU is available"):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("CUDA") == "cuda"


def test_warmup_cosine_schedule():
    lrs = [warmup_cosine(s, 100, 1.0) for s in range(100)]
    assert lrs[0] == pytest.approx(0.2) and lrs[4] == pytest.approx(1.0)  # 5 warm-up steps
    assert all(a >= b for a, b in zip(lrs[4:], lrs[5:]))
    assert lrs[-1] == pytest.approx(0.1, abs=1e-3)


def test_run_fingerprint_changes_with_any_part():
    base = run_fingerprint(["a.jpg", Path("b.jpg")], {"steps": 10}, 0)
    assert base == run_fingerprint(["a.jpg", Path("b.jpg")], {"steps": 10}, 0) and len(base) == 16
    assert base != run_fingerprint(["a.jpg", Path("c.jpg")], {"steps": 10}, 0)
    assert base != run_fingerprint(["a.jpg", Path("b.jpg")], {"steps": 11}, 0)
    assert base != run_fingerprint(["a.jpg", Path("b.jpg")], {"steps": 10}, 1)
    assert run_fingerprint(["ab"], "c") != run_fingerprint(["a"], "bc")


def test_importing_the_toolkit_does_not_import_torch():
    code = "import sys, stylekit.training as t; t.resolve_device('cpu'); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_training_on_the_cpu_runs_torch_on_one_thread_and_restores_it():
    import torch

    from stylekit.training import one_thread_on_cpu

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with one_thread_on_cpu("cpu"):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
