"""Scale-out on Ray: style many photos with Ray Data and train many looks or voices as Ray tasks.

Ray is an optional extra (`pip install "stylekit[ray]"`); nothing here imports it until a
function that needs it runs, and nothing else in stylekit imports this module eagerly.

Image styling runs the same steps as `stylekit.api.stylize_images` (`plan_images` on the
driver: outputs named, options checked, provenance made; `style_file` on the workers:
read, look and edits, atomic write), so outputs, provenance and error lines are the same.
The look is loaded once per worker (a Ray Data actor pool). The packs it needs travel from
the driver through Ray's object store, checked against their manifest on arrival, so
workers need no shared store. Training jobs (`train_manifest`) are independent Ray tasks
that write into the driver's store (`STYLEKIT_HOME`, shared by path on a multi-node
cluster); a task whose worker dies is retried and resumes from its checkpoint.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from .engines import MODALITIES, ProgressEvent, ProgressFn
from .errors import ConsentWarning, OutputExistsError, StylekitError, TrainingError, UsageError

INSTALL = 'pip install "stylekit[ray]"'
# Working memory of one photo being styled, per pixel (decoded float RGB, the look's
# output, 8-bit copies): the figure stylekit.imageio uses to refuse images that cannot fit.
BATCH_MEMORY_BYTES = 512 * 1024**2  # what one worker's batch of decoded photos may hold
MAX_BATCH = 64
BATCHES_PER_WORKER = 4  # at least this many batches per worker, so that no worker idles at the end


# --- Ray itself ------------------------------------------------------------------------------
def _ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise UsageError(f"The ray executor needs the optional Ray library; install it with: {INSTALL}") from None
    return ray


def connect(address: str | None = None, workers: int | None = None) -> bool:
    """Join the Ray cluster at `address`, or start a local Ray instance with `workers` CPUs
    (default: every core of this machine); a Ray already started in this process is used
    as it is. Returns True when this call started or joined Ray (the caller shuts it down)."""
    ray = _ray()
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if ray.is_initialized():
        return False
    import logging

    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=workers or os.cpu_count() or 1, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        first = (str(exc).splitlines() or [""])[0]
        raise UsageError(f"Cannot start or join {where} ({type(exc).__name__}: {first}); check --address and that `ray status` works") from None
    for handler in logging.getLogger("ray.data").handlers:  # Ray Data's console notes; its log files keep them
        if isinstance(handler, logging.StreamHandler) and "File" not in type(handler).__name__:
            handler.setLevel(logging.ERROR)
    ray.data.DataContext.get_current().enable_progress_bars = False  # stylekit shows its own
    return True


def _cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def batch_size_for(pixels: int, rows: int, workers: int, budget: int = BATCH_MEMORY_BYTES) -> int:
    """Photos per batch: as many as fit in `budget` bytes of working memory at `pixels` per
    photo, but few enough that every worker gets several batches, and at most `MAX_BATCH`."""
    from .imageio import BYTES_PER_PIXEL

    by_memory = max(1, budget // max(1, pixels * BYTES_PER_PIXEL))
    by_balance = max(1, math.ceil(rows / (max(1, workers) * BATCHES_PER_WORKER)))
    return int(min(by_memory, by_balance, MAX_BATCH))


def _typical_pixels(paths: Sequence[Path], sample: int = 8) -> int:
    """The largest width x height among the first few inputs, read from their headers."""
    from PIL import Image

    largest = 0
    for path in list(paths)[:sample]:
        try:
            with Image.open(path) as img:
                largest = max(largest, img.size[0] * img.size[1])
        except Exception:  # unreadable inputs are reported when their turn comes
            continue
    return largest or 1024 * 1024


# --- packs travel with the job ---------------------------------------------------------------
def _ship_packs(influencer: str | None) -> dict[str, dict[str, Any]]:
    """The packs of `influencer` (names with weights) as bytes in Ray's object store, by name."""
    from .api import load_pack, parse_influencers
    from .packs import MANIFEST, pack_files

    ray = _ray()
    shipped = {}
    # The weights as written, so that a worker parses the very numbers the driver parsed.
    written = dict(part.strip().partition(":")[::2] for part in influencer.split(",")) if influencer else {}
    for name, _weight in parse_influencers(influencer) if influencer else []:
        pack = load_pack(name)
        files = {rel: (pack.path / rel).read_bytes() for rel in [MANIFEST, *pack_files(pack.path)]}
        # A list keeps Ray from fetching the files into workers that already hold the pack.
        shipped[name] = {"weight": written.get(name) or "1", "manifest": hashlib.sha256(files[MANIFEST]).hexdigest(), "files": [ray.put(files)]}
    return shipped


def _local_spec(shipped: dict[str, dict[str, Any]]) -> str | None:
    """On a worker: an influencer spec naming packs that are here, byte for byte those the
    driver used (its own store's or bundled, else written from the shipped bytes into
    `STYLEKIT_HOME/cache/ray-packs/`), weights as the driver read them."""
    from .packs import MANIFEST
    from .store import PackStore, get_home

    ray = _ray()
    parts = []
    for name, item in shipped.items():
        where: str | None = None
        try:
            local = PackStore().get(name, verify=False).path
            if hashlib.sha256((local / MANIFEST).read_bytes()).hexdigest() == item["manifest"]:
                where = name
        except (StylekitError, OSError):
            pass
        if where is None:
            folder = get_home() / "cache" / "ray-packs" / item["manifest"][:24] / name
            if not (folder / MANIFEST).is_file():
                staging = folder.parent / f".{name}.{os.getpid()}"
                shutil.rmtree(staging, ignore_errors=True)
                for rel, data in ray.get(item["files"][0]).items():
                    (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                    (staging / rel).write_bytes(data)
                try:
                    staging.rename(folder)  # atomic; another worker may have won the race
                except OSError:
                    shutil.rmtree(staging, ignore_errors=True)
            where = str(folder)
            if "," in where or ":" in where:
                raise UsageError(f"{folder}: a pack cache path may not hold ',' or ':'; set STYLEKIT_HOME to a plain path on the workers")
        parts.append(f"{where}:{item['weight']}")
    return ",".join(parts) or None


class _Styler:
    """A Ray Data actor: loads the look once, then styles batches of files or of arrays."""

    def __init__(self, plan: Any, shipped: dict[str, dict[str, Any]], device: str, inputs: list[Any] | None = None) -> None:
        from .api import load_style

        self.plan = plan
        self.inputs_ref = inputs
        self._inputs: list[Path] | None = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConsentWarning)  # the driver warned once
            spec = _local_spec(shipped)
            self.style = load_style(spec, "image", device=device) if spec else None

    def _all_inputs(self) -> list[Path]:
        if self._inputs is None:
            self._inputs = [Path(p) for p in _ray().get(self.inputs_ref[0])]
        return self._inputs

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        if "src" in batch:
            return self._files(batch)
        return self._arrays(batch)

    def _files(self, batch: dict[str, Any]) -> dict[str, Any]:
        from .api import style_file

        errors = []
        for src, dest in zip(batch["src"], batch["dest"]):
            src, dest = Path(str(src)), Path(str(dest))
            # As style_file does by default, with the inputs' list fetched only when needed.
            inputs = self._all_inputs() if dest.exists() or dest.is_symlink() else [src]
            errors.append(style_file(self.plan, self.style, src, dest, inputs=inputs) or "")
        return {"index": batch["index"], "error": errors}

    def _arrays(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        from .api import personalise
        from .imageio import array_to_float

        column = self.plan["column"]
        out = []
        for image in batch[column]:
            image = np.asarray(image)
            rgba = image.ndim == 3 and image.shape[2] == 4
            rgb, restore = array_to_float(image[..., :3] if rgba else image)
            alpha = array_to_float(np.repeat(image[..., 3:], 3, axis=2))[0][..., 0] if rgba else None
            styled, alpha = personalise(rgb, self.plan["recipe"], self.style, alpha, **self.plan["options"])
            if alpha is not None:  # kept, or made by an edit (a circular avatar)
                styled = np.dstack([styled, alpha])
            out.append(restore(styled))
        result = dict(batch)
        result[column] = out
        return result


# --- styling files -----------------------------------------------------------------------------
def stylize_images(
    inputs: Iterable[str | os.PathLike],
    influencer: str | None = None,
    strength: float | None = None,
    *,
    recipe: Any = None,
    out: str | os.PathLike | None = None,
    out_dir: str | os.PathLike | None = None,
    overwrite: bool = False,
    device: str = "auto",
    progress: ProgressFn | None = None,
    watermark: bool = False,
    address: str | None = None,
    workers: int | None = None,
    **options: Any,
) -> Any:
    """`stylekit.stylize_images` on Ray: the same outputs, provenance and failures (a
    `BatchResult` in input order), computed by a Ray Data pipeline whose workers each load
    the look once. Joins the cluster at `address`, else starts a local Ray instance with
    `workers` CPUs (default: all); `workers` also caps the number of styling workers.
    Input and output paths must be the same on every node (a local folder on one machine,
    a shared mount on a cluster)."""
    from .api import BatchResult, plan_images

    ray = _ray()
    plan, _style = plan_images(inputs, influencer, strength, recipe=recipe, out=out, out_dir=out_dir,
                               overwrite=overwrite, device=device, watermark=watermark, **options)
    del _style  # the driver loaded it to check the look and its options; workers load their own
    started = connect(address, workers)
    try:
        shipped = _ship_packs(plan.recipe.influencer)
        paths, targets = plan.paths, plan.targets
        pool = min(workers or _cluster_cpus(ray), _cluster_cpus(ray), len(paths))
        size = batch_size_for(_typical_pixels(paths), len(paths), pool)
        rows = [{"index": i, "src": str(s), "dest": str(d)} for i, (s, d) in enumerate(zip(paths, targets))]
        travelling = replace(plan, paths=[], targets=[])
        inputs_ref = [ray.put([str(p) for p in paths])]
        ds = ray.data.from_items(rows, override_num_blocks=max(1, math.ceil(len(rows) / size)))
        # On a cluster a lost node's workers restart elsewhere; on this machine a dead
        # worker is reported below (and Ray then has no restart to warn about).
        restarts = {"max_restarts": 0} if address is None else {}
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
            ds = ds.map_batches(
                _Styler, batch_size=size, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=pool), num_cpus=1,
                fn_constructor_kwargs={"plan": travelling, "shipped": shipped, "device": device, "inputs": inputs_ref},
                **restarts,
            )
        errors: dict[int, str] = {}
        lost = "not processed: its Ray worker stopped; run the command again"
        try:
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):  # as the workers return them
                errors.update(zip(batch["index"].tolist(), batch["error"].tolist()))
                if progress:
                    progress(ProgressEvent(len(errors), len(paths), "image", {}))
        except Exception as exc:  # noqa: BLE001 - Ray wraps whatever stopped a worker
            if isinstance(exc, StylekitError):
                raise
            lost = f"not processed: its Ray worker stopped ({type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}); run the command again"
    finally:
        if started:
            ray.shutdown()
    result = BatchResult()
    for index, (src, dest) in enumerate(zip(paths, targets)):
        reason = errors.get(index, f"{src}: {lost}")
        if reason:
            result.failed.append((src, reason))
        else:
            result.written.append((src, dest))
    return result


def stylize_dataset(
    dataset: Any,
    influencer: str | None = None,
    strength: float | None = None,
    *,
    recipe: Any = None,
    column: str = "image",
    device: str = "auto",
    workers: int | None = None,
    batch_size: int | None = None,
    **options: Any,
) -> Any:
    """A Ray Dataset whose `column` of images (H x W x 3 arrays, or x 4 with alpha; uint8,
    uint16 or float in [0, 1], as `ray.data.read_images` gives) holds them in the
    influencer's look, personalised by `recipe`, each in its input's dtype; other columns
    pass through. Lazy, like every Ray Dataset: nothing runs until it is consumed. The
    look is loaded once per worker; at most `workers` workers (default: the cluster's
    CPUs); `batch_size` defaults to what fits in `BATCH_MEMORY_BYTES` per worker."""
    from .api import _apply_options, _recipe, load_style

    ray = _ray()
    if not ray.is_initialized():
        connect(None, workers)
    plan = _recipe(recipe, influencer, strength)
    style = load_style(plan.influencer, "image", device=device) if plan.influencer else None
    if style is not None:
        options = _apply_options(style, options)  # refused here, before the pipeline runs
    elif options:
        raise UsageError(f"Engine options ({', '.join(options)}) need a look; give influencer=NAME")
    pool = min(workers or _cluster_cpus(ray), _cluster_cpus(ray))
    size = batch_size or batch_size_for(4096 * 3072, MAX_BATCH * pool * BATCHES_PER_WORKER, pool)
    # An autoscaling pool: a pool that held every CPU from the start would starve the
    # dataset's own read tasks upstream.
    return dataset.map_batches(
        _Styler, batch_size=size, batch_format="numpy", compute=ray.data.ActorPoolStrategy(min_size=1, max_size=pool), num_cpus=1,
        fn_constructor_kwargs={"plan": {"recipe": plan, "options": options, "column": column},
                               "shipped": _ship_packs(plan.influencer), "device": device},
    )


# --- many trainings --------------------------------------------------------------------------
COMMON_COLUMNS = {"influencer", "engine", "steps", "seed", "options", "overwrite", "licence", "consent_by", "consent"}
MANIFEST_COLUMNS = {
    "image": COMMON_COLUMNS | {"photos", "lut", "content", "size", "quick"},
    "text": COMMON_COLUMNS | {"posts", "background", "base_model"},
}
_PATHS = {"photos", "lut", "content", "posts", "background", "base_model"}
_INTS = {"steps", "seed", "size"}
_BOOLS = {"overwrite", "quick"}
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


@dataclass
class TrainJob:
    """One row of a training manifest: the arguments of one `stylekit.train` call."""

    row: int
    influencer: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class JobResult:
    """What one job did: `trained` (with its pack's path), `skipped` (the pack already has
    that style and the row does not say overwrite) or `failed` (with the one-line reason)."""

    row: int
    influencer: str
    status: str
    detail: str
    resumed: bool = False


def _parse_options(text: str, where: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{where}: invalid option '{pair}'; write options as KEY=VALUE;KEY=VALUE")
        try:
            options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            options[key.strip()] = value.strip()
    return options


def read_manifest(path: str | os.PathLike, modality: str) -> list[TrainJob]:
    """The jobs of a training manifest (CSV with a header row; see docs/cluster.md for the
    columns). Relative paths are read from the manifest's folder. Any problem with the file
    itself is one `UsageError` naming the file, the row and what to do."""
    if modality not in MODALITIES:
        raise UsageError(f"Unknown modality '{modality}'; use {' or '.join(MODALITIES)}")
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such manifest file; give a CSV with a header row (influencer,{'photos' if modality == 'image' else 'posts'},...)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save the manifest as UTF-8") from None
    reader = csv.DictReader(text.splitlines())
    known = MANIFEST_COLUMNS[modality]
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in known]
    if unknown:
        raise UsageError(f"{path}: unknown column '{unknown[0]}' for {modality} training; known: {', '.join(sorted(known))}")
    if "influencer" not in header:
        raise UsageError(f"{path}: no 'influencer' column; the first line names the columns, e.g. influencer,{'photos' if modality == 'image' else 'posts'},steps")
    jobs: list[TrainJob] = []
    seen: dict[str, int] = {}
    for raw in reader:
        number = reader.line_num  # of the row's last line (blank lines are skipped, quoted values may span lines)
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            raise UsageError(f"{path} line {number}: more values than columns; quote values that hold commas")
        if not any(row.values()):
            continue
        where = f"{path} line {number}"
        name = row.get("influencer", "")
        if not name:
            raise UsageError(f"{where}: no influencer name; every row names the pack it trains")
        if name in seen:
            raise UsageError(f"{where}: influencer '{name}' is also on line {seen[name]}; one job per influencer")
        seen[name] = number
        kwargs: dict[str, Any] = {}
        for key, value in row.items():
            if key == "influencer" or value == "":
                continue
            if key in _PATHS:
                kwargs[key] = str(path.parent / Path(value).expanduser())
            elif key in _INTS:
                try:
                    kwargs[key] = int(value)
                except ValueError:
                    raise UsageError(f"{where}: {key} must be a whole number, got '{value}'") from None
            elif key in _BOOLS:
                if value.lower() not in _TRUE | _FALSE:
                    raise UsageError(f"{where}: {key} must be true or false, got '{value}'")
                kwargs[key] = value.lower() in _TRUE
            elif key == "options":
                kwargs["options"] = _parse_options(value, where)
            else:
                kwargs[key] = value
        if kwargs.pop("quick", False):
            kwargs.setdefault("options", {})["quick"] = True
        by, statement = kwargs.pop("consent_by", None), kwargs.pop("consent", None)
        if by or statement:
            from .packs import now_iso

            kwargs["consent"] = {"granted_by": by or "", "statement": statement or "", "date": now_iso()}
        jobs.append(TrainJob(number, name, kwargs))
    if not jobs:
        raise UsageError(f"{path}: no jobs; add one row per influencer under the header")
    return jobs


_OTHER_RUN = "belongs to a run with other data or settings"


def run_job(job: TrainJob, modality: str, home: str | None = None, device: str = "auto") -> JobResult:
    """Train one manifest job into the store at `home` (default: this process's); resume
    from the run folder's checkpoint when it holds one of this very job (an interrupted
    earlier attempt), else start fresh. Never raises for the job's own failures."""
    from .api import train
    from .store import PackStore
    from .training import CHECKPOINT_NAME

    previous = os.environ.get("STYLEKIT_HOME")
    if home is not None:
        os.environ["STYLEKIT_HOME"] = home
    try:
        store = PackStore()
        run_dir = store.home / "runs" / job.influencer / modality
        resume = (run_dir / CHECKPOINT_NAME).is_file()
        kwargs = {"device": device, **job.kwargs}
        try:
            try:
                pack = train(modality, job.influencer, resume=resume, **kwargs)
            except TrainingError as exc:
                if not (resume and _OTHER_RUN in str(exc)):
                    raise
                resume = False  # a checkpoint of another job of this name: start over
                pack = train(modality, job.influencer, resume=False, **kwargs)
        except OutputExistsError as exc:
            return JobResult(job.row, job.influencer, "skipped", str(exc).replace("pass overwrite=True", "set overwrite to true in its row"))
        except StylekitError as exc:
            return JobResult(job.row, job.influencer, "failed", str(exc))
        except MemoryError:
            return JobResult(job.row, job.influencer, "failed", "out of memory; give the job fewer or smaller photos, or a bigger worker")
        return JobResult(job.row, job.influencer, "trained", str(pack.path), resumed=resume)
    finally:
        if home is not None:
            if previous is None:
                os.environ.pop("STYLEKIT_HOME", None)
            else:
                os.environ["STYLEKIT_HOME"] = previous


def train_manifest(
    manifest: str | os.PathLike,
    modality: str,
    *,
    executor: str = "local",
    address: str | None = None,
    workers: int | None = None,
    device: str = "auto",
    progress: ProgressFn | None = None,
) -> list[JobResult]:
    """Train every job of a manifest, one result per job in manifest order; a failed job
    never stops the others. `executor="local"` trains them one after another here;
    `"ray"` runs each as a Ray task (one CPU, or one GPU with `device="cuda"`) that a
    dying worker retries from its checkpoint. Packs go into this process's store
    (`STYLEKIT_HOME`), which on a multi-node cluster must be a path every node shares."""
    from .store import get_home

    if executor not in ("local", "ray"):
        raise UsageError(f"Unknown executor '{executor}'; use local or ray")
    jobs = read_manifest(manifest, modality)
    home = str(get_home().absolute())
    results: list[JobResult] = []
    if executor == "local":
        for done, job in enumerate(jobs, start=1):
            results.append(run_job(job, modality, None, device))
            if progress:
                progress(ProgressEvent(done, len(jobs)))
        return results
    ray = _ray()
    started = connect(address, workers)
    try:
        resources = {"num_gpus": 1} if device == "cuda" else {"num_cpus": 1}
        task = ray.remote(max_retries=3, retry_exceptions=False, **resources)(run_job)
        pending = {task.remote(job, modality, home, device): job for job in jobs}
        finished: dict[int, JobResult] = {}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ready[0])
            try:
                finished[job.row] = ray.get(ready[0])
            except Exception as exc:  # the task died more often than it was retried
                first = (str(exc).splitlines() or [""])[0]
                finished[job.row] = JobResult(job.row, job.influencer, "failed",
                                              f"its Ray task failed ({type(exc).__name__}: {first}); run the manifest again to resume it")
            if progress:
                progress(ProgressEvent(len(finished), len(jobs)))
    finally:
        if started:
            ray.shutdown()
    for job in jobs:
        result = finished[job.row]
        if result.status == "trained" and not (Path(result.detail) / "stylepack.toml").is_file():
            result = JobResult(job.row, job.influencer, "failed",
                               f"trained on a Ray worker into {result.detail}, which this machine does not see; "
                               "give every node the same shared STYLEKIT_HOME")
        results.append(result)
    return results
