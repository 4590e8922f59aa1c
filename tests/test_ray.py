"""Scale-out on Ray (stylekit.distributed): one local Ray instance with 2 CPUs for the module.

Styling a folder through `--executor ray` must give the local path's pixels, provenance and
error lines; a manifest of training jobs trains the good ones and reports the bad one.
The manifest reader and batch sizing are tested without Ray.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from stylekit import distributed
from stylekit.errors import UnknownInfluencerError, UsageError
from stylekit_cli.app import build_app

from .conftest import scene


def run(*args):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


@pytest.fixture(scope="module")
def ray_instance(tmp_path_factory):
    """A local Ray (2 CPUs) whose workers keep their own store in a temporary folder."""
    ray = pytest.importorskip("ray")
    before = os.environ.get("STYLEKIT_HOME")
    os.environ["STYLEKIT_HOME"] = str(tmp_path_factory.mktemp("ray_worker_home"))  # the workers inherit it
    try:
        assert distributed.connect(workers=2)
    finally:
        if before is None:
            os.environ.pop("STYLEKIT_HOME")
        else:
            os.environ["STYLEKIT_HOME"] = before
    yield ray
    ray.shutdown()


def _feed(folder: Path, seeds, size=(48, 64)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        rgb = scene(seed, size).astype(np.float32)
        warm = np.clip(rgb * [1.15, 1.0, 0.8] + 12, 0, 255).astype(np.uint8)  # a visible look to learn
        Image.fromarray(warm).save(folder / f"f{seed}.jpg", quality=95)
    return folder


def _provenance(path: Path) -> dict:
    from stylekit.imageio import read_provenance

    meta = read_provenance(path)
    meta.pop("created")
    return meta


def test_cli_ray_folder_matches_the_local_path_and_reports_a_corrupt_file(ray_instance, photo_dir, tmp_path):
    trained = run("train", "image", "-i", "mine", "--photos", _feed(tmp_path / "feed", range(6)), "--quick")
    assert trained.exit_code == 0, trained.output
    Image.fromarray(scene(7)).save(photo_dir / "q.png")  # a lossless one too
    (photo_dir / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 200)
    spec = "mine:0.7,aurora:0.3"  # a pack of this store (shipped to the workers) mixed with a bundled one
    args = ["image", photo_dir, "-i", spec, "--contrast", "1.1", "-e", "grain:amount=0.03,seed=3"]
    local = run(*args, "--out-dir", tmp_path / "local")
    on_ray = run(*args, "--out-dir", tmp_path / "ray", "--executor", "ray")
    assert local.exit_code == on_ray.exit_code == 1, on_ray.output
    failed = [line for line in local.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "broken.jpg" in failed[0]
    assert [line for line in on_ray.stderr.splitlines() if line.startswith("failed:")] == failed
    assert "5 written, 1 failed." in on_ray.stderr
    names = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert len(names) == 5 and names == sorted(p.name for p in (tmp_path / "ray").iterdir())
    assert sorted(on_ray.stdout.splitlines()) == sorted(local.stdout.replace(str(tmp_path / "local"), str(tmp_path / "ray")).splitlines())
    for name in names:
        a, b = tmp_path / "local" / name, tmp_path / "ray" / name
        assert np.array_equal(np.asarray(Image.open(a)), np.asarray(Image.open(b))), name
        assert _provenance(a) == _provenance(b)
    original = np.asarray(Image.open(photo_dir / "q.png")).astype(int)
    assert np.abs(np.asarray(Image.open(tmp_path / "ray" / names[-1])).astype(int) - original).mean() > 2  # styled


def test_stylize_dataset_gives_stylize_image_pixels(ray_instance, photo_dir):
    import ray

    import stylekit

    images = [scene(1), scene(2, (40, 30)), (scene(3) / np.float32(255)).astype(np.float32)]
    rgba = np.dstack([scene(4), np.full((48, 64), 128, np.uint8)])
    ds = ray.data.from_items([{"image": im, "id": i} for i, im in enumerate([*images, rgba])])
    out = sorted(stylekit.stylize_dataset(ds, "aurora", 0.8).take_all(), key=lambda r: r["id"])
    for row, image in zip(out, images):
        assert row["image"].dtype == image.dtype and row["image"].shape == image.shape
        assert np.array_equal(row["image"], stylekit.stylize_image(image, "aurora", 0.8))
    styled = out[3]["image"]
    assert styled.shape == (48, 64, 4) and np.all(styled[..., 3] == 128)
    assert np.array_equal(styled[..., :3], stylekit.stylize_image(scene(4), "aurora", 0.8))
    read = stylekit.stylize_dataset(ray.data.read_images(str(photo_dir), mode="RGB", include_paths=True), "aurora")
    for row in read.take_all():  # a read stage upstream is not starved by the pool
        assert np.array_equal(row["image"], stylekit.stylize_image(np.asarray(Image.open(row["path"]).convert("RGB")), "aurora"))
    with pytest.raises(UnknownInfluencerError, match="nobody"):
        stylekit.stylize_dataset(ds, "nobody")


def test_manifest_of_three_jobs_trains_two_and_reports_the_bad_one(ray_instance, tmp_path, isolated_home):
    jobs = tmp_path / "jobs"
    _feed(jobs / "a", range(6))
    _feed(jobs / "b", range(10, 16))
    (jobs / "empty").mkdir()
    (jobs / "empty" / "notes.txt").write_text("no photos here")
    (jobs / "jobs.csv").write_text(
        "influencer,photos,quick,seed\n"
        "look-a,a,true,0\n"
        "look-b,b,true,1\n"
        "look-c,empty,true,0\n",
        encoding="utf-8",
    )
    result = run("train", "image", "--manifest", jobs / "jobs.csv", "--executor", "ray")
    assert result.exit_code == 1, result.output
    assert f"trained: look-a: {isolated_home / 'packs' / 'look-a'}" in result.stdout
    assert f"trained: look-b: {isolated_home / 'packs' / 'look-b'}" in result.stdout
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and failed[0].startswith("failed: look-c: No images found for --photos")
    assert "2 trained, 0 skipped, 1 failed." in result.stderr
    import stylekit

    assert {"look-a", "look-b"} <= {p.name for p in stylekit.list_packs()} and "look-c" not in {p.name for p in stylekit.list_packs()}
    assert stylekit.load_pack("look-b").modalities["image"]["engine"] == "gan"
    again = run("train", "image", "--manifest", jobs / "jobs.csv")  # locally: done jobs are skipped, not retrained
    assert "skipped: look-a:" in again.stdout and "set overwrite to true in its row" in again.stdout


# --- without Ray -----------------------------------------------------------------------------
def test_manifest_reader(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("influencer,photos,steps,quick,options,consent_by\nx,feeds/x,40,yes,beta=2;size=96,X\n\ny,/abs/y,,,,\n", encoding="utf-8")
    x, y = distributed.read_manifest(m, "image")
    assert (x.row, x.influencer, y.row) == (2, "x", 4)
    assert x.kwargs["photos"] == str(tmp_path / "feeds" / "x") and y.kwargs == {"photos": "/abs/y"}
    assert x.kwargs["steps"] == 40 and x.kwargs["options"] == {"beta": 2, "size": 96, "quick": True}
    assert x.kwargs["consent"]["granted_by"] == "X"
    for text, message in [
        ("influencer,posts\nx,p.txt\n", "unknown column 'posts' for image training; known: "),
        ("photos\nfeed\n", "no 'influencer' column"),
        ("influencer,photos\nx,a\nx,b\n", "line 3: influencer 'x' is also on line 2"),
        ("influencer,steps\nx,many\n", "line 2: steps must be a whole number, got 'many'"),
        ("influencer,quick\nx,maybe\n", "quick must be true or false"),
        ("influencer,photos\n", "no jobs"),
        ("influencer,photos\nx,a,b\n", "more values than columns"),
    ]:
        m.write_text(text, encoding="utf-8")
        with pytest.raises(UsageError, match=message):
            distributed.read_manifest(m, "image")
    m.write_bytes(b"influencer\n\xff\xfe\n")
    with pytest.raises(UsageError, match="not valid UTF-8"):
        distributed.read_manifest(m, "text")
    with pytest.raises(UsageError, match="no such manifest"):
        distributed.read_manifest(tmp_path / "none.csv", "text")


def test_manifest_locally_and_flags_that_belong_in_it(tmp_path, isolated_home):
    (tmp_path / "posts.txt").write_text("short\n", encoding="utf-8")
    (tmp_path / "j.csv").write_text("influencer,posts\nv1,posts.txt\n", encoding="utf-8")
    result = run("train", "text", "--manifest", tmp_path / "j.csv")  # too few posts: reported, exit 1
    assert result.exit_code == 1 and "failed: v1: " in result.stderr and "0 trained, 0 skipped, 1 failed." in result.stderr
    refused = run("train", "text", "--manifest", tmp_path / "j.csv", "--steps", "5")
    assert refused.exit_code == 2 and "--steps goes in the manifest's columns" in refused.stderr
    single = run("train", "image", "--photos", tmp_path, "--executor", "ray")
    assert single.exit_code == 2 and "run a --manifest of many jobs" in single.stderr
    assert "Give --influencer NAME" in run("train", "image", "--photos", tmp_path).stderr
    assert "belong to --executor ray" in run("image", tmp_path / "posts.txt", "-i", "aurora", "--workers", "2").stderr


def test_batch_size_by_memory_and_balance():
    assert distributed.batch_size_for(1024 * 1024, 1000, 2) == 12  # 512 MB / 40 MB per photo
    assert distributed.batch_size_for(3840 * 2160, 1000, 2) == 1
    assert distributed.batch_size_for(64 * 64, 16, 2) == 2  # four batches per worker
    assert distributed.batch_size_for(64 * 64, 10**6, 2) == distributed.MAX_BATCH


def test_help_and_the_local_path_import_no_ray(tmp_path, png_photo):
    code = (
        "import sys\nfrom stylekit_cli import main\n"
        f"for argv in (['stylekit', '--help'], ['stylekit', 'image', {str(png_photo)!r}, '-i', 'sunset', '--out-dir', {str(tmp_path / 'o')!r}],"
        " ['stylekit', 'train', 'image', '--help']):\n"
        "    sys.argv = argv\n    try:\n        main()\n    except SystemExit as exc:\n        assert not exc.code, exc.code\n"
        "assert not [m for m in sys.modules if m == 'ray' or m.startswith('ray.')], 'ray was imported'\n"
    )
    env = {**os.environ, "STYLEKIT_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "o" / "me_sunset.png").is_file()


def test_ray_missing_is_one_line(monkeypatch, png_photo, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import fails as if not installed
    result = run("image", png_photo, "-i", "sunset", "--out-dir", tmp_path / "o", "--executor", "ray")
    assert result.exit_code == 2 and 'pip install "stylekit[ray]"' in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.slow  # two short gan trainings, each interrupted and resumed (about 9 s)
def test_a_job_resumes_from_the_checkpoint_of_its_interrupted_run(tmp_path, isolated_home):
    """What a retried Ray task does: an interrupted run of the same job continues from its
    checkpoint; a checkpoint of other settings under the same name is started over."""
    import stylekit

    feed = _feed(tmp_path / "feed", range(6))
    settings = {"steps": 5, "size": 32, "options": {"batch": 4, "feed_augs": 2, "checkpoint_every": 2}}

    def interrupt(event):
        if event.stage == "train" and event.done >= 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        stylekit.train("image", "r", engine="gan", photos=feed, seed=1, progress=interrupt, **settings)
    job = distributed.TrainJob(2, "r", {"engine": "gan", "photos": str(feed), "seed": 1, **settings})
    done = distributed.run_job(job, "image")
    assert (done.status, done.resumed) == ("trained", True), done
    other = distributed.TrainJob(2, "s", {**job.kwargs, "seed": 2})
    with pytest.raises(KeyboardInterrupt):
        stylekit.train("image", "s", engine="gan", photos=feed, seed=1, progress=interrupt, **settings)
    fresh = distributed.run_job(other, "image")
    assert (fresh.status, fresh.resumed) == ("trained", False), fresh


def test_an_existing_output_that_is_a_hard_link_of_another_input_is_refused(tmp_path):
    """Outputs are compared with every input only when they exist (what both executors do)."""
    import stylekit

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        Image.fromarray(scene(ord(name))).save(folder / f"{name}.png")
    (folder / "a_sunset.png").hardlink_to(folder / "b.png")
    before = (folder / "b.png").read_bytes()
    result = stylekit.stylize_images([folder / "a.png", folder / "b.png"], "sunset", overwrite=True)
    assert [src.name for src, _ in result.written] == ["b.png"]
    assert "never writes over its inputs" in result.failed[0][1] and (folder / "b.png").read_bytes() == before
