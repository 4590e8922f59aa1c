"""Training says early how long it will take: the shared loop times its first steps and
reports an estimate once (`ProgressEvent.note`), for both engines, and the CLI prints it."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from stylekit.engines import ProgressEvent  # noqa: E402
from stylekit.training import (  # noqa: E402
    ESTIMATE_AFTER_STEPS,
    TrainingLoop,
    estimate_note,
    format_duration,
    run_fingerprint,
)


class FakeClock:
    """Seconds that advance only when a step says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _loop(total: int, clock: FakeClock, events: list, durations) -> TrainingLoop:
    model = torch.nn.Linear(2, 1)
    loop = TrainingLoop(total=total, fingerprint=run_fingerprint("estimate", total), modules={"m": model},
                        optimisers={}, checkpoint_every=1000, progress=events.append, clock=clock)

    def step(i: int):
        clock.now += durations(i)
        return {"loss": 1.0 / (i + 1)}

    loop.run(step)
    return loop


def test_estimate_after_the_first_steps_leaves_out_the_warm_up_step():
    clock, events = FakeClock(), []
    # the first step warms up (4 s), then 1 s a step
    loop = _loop(100, clock, events, lambda i: 4.0 if i == 0 else 1.0)
    notes = [e for e in events if e.note]
    assert len(notes) == 1
    note = notes[0]
    assert note.done == ESTIMATE_AFTER_STEPS and note.total == 100
    assert note.values == {"seconds_per_step": 1.0, "seconds_left": 100.0 - ESTIMATE_AFTER_STEPS}
    assert note.note == "estimate: 100 steps at 1.0 s/step (measured on steps 2-5); about 1 min 35 s left"
    assert loop.seconds_per_step == 1.0
    # the ordinary reports go on, one per step, with the loss
    assert [e.done for e in events if not e.note] == list(range(1, 101))


def test_slow_steps_give_the_estimate_after_ten_seconds():
    clock, events = FakeClock(), []
    _loop(100, clock, events, lambda i: 6.0)  # 10 s pass during the second step
    notes = [e for e in events if e.note]
    assert [e.done for e in notes] == [2]
    assert notes[0].note == "estimate: 100 steps at 6.0 s/step (measured on step 2); about 9 min 48 s left"


def test_a_slow_first_step_gives_the_estimate_at_once():
    clock, events = FakeClock(), []
    _loop(10, clock, events, lambda i: 30.0)
    notes = [e for e in events if e.note]
    assert [e.done for e in notes] == [1]
    assert notes[0].note == "estimate: 10 steps at 30 s/step (measured on step 1); about 4 min 30 s left"


def test_no_estimate_for_a_run_about_to_end():
    clock, events = FakeClock(), []
    _loop(30, clock, events, lambda i: 0.01)
    assert not any(e.note for e in events)


def test_durations_read_as_people_say_them():
    assert [format_duration(s) for s in (0.42, 9.96, 45.2, 125, 3 * 3600 + 7 * 60 + 5)] == [
        "0.4 s", "10.0 s", "45 s", "2 min 05 s", "3 h 07 min"]
    assert estimate_note(400, 5, 0.42, (2, 5)) == (
        "estimate: 400 steps at 0.4 s/step (measured on steps 2-5); about 2 min 46 s left")


def test_cli_prints_the_estimate_once_above_the_progress_bar(capsys):
    from stylekit_cli.common import progress_bar

    with progress_bar("training") as update:
        update(ProgressEvent(1, 50, "train", {"loss": 0.5}))
        update(ProgressEvent(5, 50, "train", {"seconds_per_step": 1.0, "seconds_left": 45.0},
                             note="estimate: 50 steps at 1.0 s/step (measured on steps 2-5); about 45 s left"))
        update(ProgressEvent(50, 50, "train", {"loss": 0.1}))
    err = capsys.readouterr().err
    assert err.count("estimate: 50 steps at 1.0 s/step (measured on steps 2-5); about 45 s left") == 1
