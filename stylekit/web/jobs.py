"""Trainings that run in the background of the web app, one at a time, with progress.

A job is known by a random token that the browser keeps (so a page reload finds it
again); nobody who does not hold the token can see it. Its uploads are copied into its
own folder, which is removed when the training ends.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import StylekitError

KEEP_FINISHED_S = 24 * 3600


@dataclass
class Stage:
    """One training of a job: the modality and the API arguments for `stylekit.train`."""

    modality: str
    kwargs: dict[str, Any]


@dataclass
class Job:
    """A background training: what it trains, how far it is, and what it said."""

    token: str
    influencer: str
    stages: list[Stage]
    folder: Path
    state: str = "queued"  # queued | running | done | failed
    stage: int = 0
    done: int = 0
    total: int = 0
    values: dict[str, float] = field(default_factory=dict)
    started: float = 0.0
    first: tuple[float, int] | None = None  # (time, step) of the stage's first report: the pace excludes set-up
    finished: float = 0.0
    messages: list[str] = field(default_factory=list)

    def seconds_left(self) -> float | None:
        """Time left in the current training, from its pace so far (None before the first step)."""
        if self.state != "running" or self.first is None or self.total <= 0 or self.done <= self.first[1]:
            return None
        pace = (time.monotonic() - self.first[0]) / (self.done - self.first[1])
        return max(0.0, pace * (self.total - self.done))

    def fraction(self) -> float:
        """How much of the whole job is done, 0..1 (each training counts equally)."""
        if self.state == "done":
            return 1.0
        if not self.stages:
            return 0.0
        within = self.done / self.total if self.total > 0 else 0.0
        return min(1.0, (self.stage + within) / len(self.stages))


def describe(job: Job) -> str:
    """One line for the progress display: what runs, the step, and the time left."""
    if job.state == "queued":
        return f"'{job.influencer}': waiting for another training to finish"
    if job.state == "failed":
        return f"'{job.influencer}': training failed: {job.messages[-1] if job.messages else 'unknown error'}"
    if job.state == "done":
        took = job.finished - job.started
        return f"'{job.influencer}': trained in {took:.0f} s"
    what = job.stages[job.stage].modality if job.stage < len(job.stages) else ""
    label = {"image": "look", "text": "voice"}.get(what, what)
    step = f"step {job.done} of {job.total}" if job.total else "preparing"
    left = job.seconds_left()
    eta = f", about {format_seconds(left)} left" if left is not None else ""
    return f"'{job.influencer}': learning the {label} ({job.stage + 1} of {len(job.stages)}), {step}{eta}"


def format_seconds(seconds: float) -> str:
    """'42 s' or '3 min 5 s'."""
    seconds = int(round(seconds))
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60} s"


class Jobs:
    """The background trainings of one server; one runs at a time, the others wait."""

    def __init__(self, root: Path, train: Callable[..., Any]):
        self.root = Path(root)
        self._train = train
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Lock()

    def folder(self) -> tuple[str, Path]:
        """A new token and the job folder to copy its uploads into."""
        token = secrets.token_urlsafe(18)
        folder = self.root / token
        folder.mkdir(parents=True)
        return token, folder

    def start(self, token: str, folder: Path, influencer: str, stages: list[Stage],
              on_done: Callable[[Job], None] | None = None) -> Job:
        """Run the stages in a background thread; returns the job at once."""
        job = Job(token=token, influencer=influencer, stages=stages, folder=folder, started=time.monotonic())
        with self._lock:
            self._forget_old()
            self._jobs[token] = job
        thread = threading.Thread(target=self._run, args=(job, on_done), name=f"stylekit-train-{influencer}", daemon=True)
        thread.start()
        return job

    def get(self, token: str | None) -> Job | None:
        """The job of this token, or None (unknown, expired or no token)."""
        if not token or not isinstance(token, str):
            return None
        with self._lock:
            return self._jobs.get(token)

    def running(self) -> bool:
        """True while any job is queued or training."""
        with self._lock:
            return any(job.state in ("queued", "running") for job in self._jobs.values())

    def _forget_old(self) -> None:
        now = time.monotonic()
        for token in [t for t, j in self._jobs.items() if j.finished and now - j.finished > KEEP_FINISHED_S]:
            del self._jobs[token]

    def _run(self, job: Job, on_done: Callable[[Job], None] | None) -> None:
        try:
            with self._one_at_a_time:
                job.state = "running"
                for index, stage in enumerate(job.stages):
                    job.stage, job.done, job.total, job.values, job.first = index, 0, 0, {}, None

                    def progress(event: Any) -> None:
                        if job.first is None or event.done < job.first[1]:
                            job.first = (time.monotonic(), event.done)
                        job.done, job.total, job.values = event.done, event.total, dict(event.values)

                    pack = self._train(stage.modality, job.influencer, progress=progress, **stage.kwargs)
                    job.messages += pack.report_lines(stage.modality)
                job.state = "done"
        except StylekitError as exc:
            job.messages.append(str(exc))
            job.state = "failed"
        except Exception as exc:  # shown to the user as one line; the traceback goes to the server log
            traceback.print_exc()
            job.messages.append(f"{type(exc).__name__}: {exc}")
            job.state = "failed"
        finally:
            job.finished = time.monotonic()
            shutil.rmtree(job.folder, ignore_errors=True)
            if on_done is not None:
                on_done(job)

    def close_all(self) -> None:
        """Remove the job folders (the server is stopping)."""
        shutil.rmtree(self.root, ignore_errors=True)
