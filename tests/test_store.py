"""The pack store's invariants: names stay inside the store, changes are atomic and
serialised per influencer, leftovers of killed processes are cleaned, damaged packs are
listed instead of breaking commands."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stylekit
from stylekit import store as store_module
from stylekit.errors import BusyError, ImportRefusedError, OutputError, OutputExistsError, PackError, UnknownInfluencerError
from stylekit.packs import MANIFEST, StylePack, read_manifest, sha256_file, write_manifest
from stylekit.store import PackStore
from stylekit_cli.app import build_app


def run(*args, input: str | None = None):
    return CliRunner().invoke(build_app(), [str(a) for a in args], input=input)


def make_pack(folder: Path, name: str, modalities: dict[str, str] | None = None) -> StylePack:
    """A minimal valid pack folder (plain JSON files, no engine needed)."""
    modalities = modalities or {"image": "classic"}
    folder.mkdir(parents=True, exist_ok=True)
    for modality in modalities:
        (folder / modality).mkdir(exist_ok=True)
        (folder / modality / "config.json").write_text(json.dumps({"who": name, "modality": modality}))
    pack = StylePack(path=folder, name=name, modalities={m: {"engine": e} for m, e in modalities.items()},
                     consent={"granted_by": "test", "date": "2026-01-01", "statement": "ok"})
    write_manifest(pack)
    return pack


def user_pack(name: str = "tester", modalities: dict[str, str] | None = None) -> Path:
    folder = PackStore().root / name
    make_pack(folder, name, modalities)
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1 and "Traceback" not in text


# --- remove stays inside the store -----------------------------------------------------------
def test_remove_dotdot_from_inside_a_pack_folder_is_refused(isolated_home, monkeypatch):
    folder = user_pack()
    (isolated_home / "runs").mkdir()
    (isolated_home / "runs" / "keep.txt").write_text("keep")
    before = snapshot(isolated_home)
    monkeypatch.chdir(folder / "image")  # `..` here is the pack; from its parent, the store
    result = run("styles", "remove", "..", "--yes")
    assert result.exit_code != 0
    assert one_line(result.output) and "not an influencer name" in result.output
    monkeypatch.chdir(folder)
    assert run("styles", "remove", "..", "--yes").exit_code != 0
    assert snapshot(isolated_home) == before


def test_remove_of_a_folder_path_outside_the_store_is_refused(tmp_path):
    copy = tmp_path / "copy_of_a_pack"
    make_pack(copy, "tester")
    user_pack("tester")
    before = snapshot(copy)
    result = run("styles", "remove", copy, "--yes")
    assert result.exit_code != 0 and one_line(result.output)
    assert snapshot(copy) == before
    assert (PackStore().root / "tester").is_dir()


@pytest.mark.parametrize("name", ["../../x", "../x", "..", ".", "/etc", "a/../../x", "tester/..", "", "A", ".locks"])
def test_api_remove_pack_refuses_paths_and_bad_names(isolated_home, name):
    outside = isolated_home.parent / "x"
    outside.mkdir(exist_ok=True)
    (outside / "precious.txt").write_text("precious")
    user_pack()
    try:
        with pytest.raises(PackError):
            stylekit.remove_pack(name)
        assert (outside / "precious.txt").read_text() == "precious"
        assert (PackStore().root / "tester" / MANIFEST).is_file()
    finally:
        shutil.rmtree(outside)


def test_remove_unknown_and_bundled_names():
    with pytest.raises(UnknownInfluencerError):
        stylekit.remove_pack("nobody")
    with pytest.raises(PackError, match="bundled"):
        stylekit.remove_pack("sunset")
    result = run("styles", "remove", "nobody", "--yes")
    assert result.exit_code == 1 and one_line(result.output)


def test_remove_works_on_a_damaged_or_half_deleted_pack():
    folder = user_pack()
    (folder / MANIFEST).unlink()  # half-deleted: the manifest went first
    result = run("styles", "remove", "tester", "--yes")
    assert result.exit_code == 0, result.output
    assert not folder.exists()


def test_remove_is_a_rename_then_delete(monkeypatch):
    folder = user_pack()
    real_rmtree = shutil.rmtree

    def killed(path, *args, **kwargs):
        raise KeyboardInterrupt  # a kill right after the rename

    monkeypatch.setattr(store_module.shutil, "rmtree", killed)
    with pytest.raises(KeyboardInterrupt):
        stylekit.remove_pack("tester")
    monkeypatch.setattr(store_module.shutil, "rmtree", real_rmtree)
    assert not folder.exists()  # gone from its name at once: never half there
    assert [p.name for p in PackStore().list() if not p.bundled] == []
    trash = [p for p in folder.parent.iterdir() if p.name.startswith(".trash-")]
    assert len(trash) == 1
    monkeypatch.setattr(store_module, "STALE_S", 0.0)
    PackStore().clean_leftovers()
    assert not trash[0].exists()


# --- leftovers ------------------------------------------------------------------------------
def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_stale_staging_is_cleaned_but_live_and_young_ones_are_kept():
    root = PackStore().root
    stale = root / ".staging-dead"
    (stale / "pack").mkdir(parents=True)
    (stale / "pack" / "big.bin").write_bytes(b"x" * 1000)
    (stale / ".lock").write_text("")
    _age(stale, 3600)
    young = root / ".staging-young"
    young.mkdir()
    with PackStore().staging() as live:
        _age(live, 3600)  # a long training: old, but its lock is held
        store_module._HOUSEKEPT.clear()
        PackStore()  # the first store of a process cleans up
        assert not stale.exists()
        assert live.exists() and young.exists()
    assert not live.exists()


def test_a_pack_swapped_out_by_a_killed_process_is_restored():
    root = PackStore().root
    user_pack()
    old = root / ".old-tester-4242"
    os.replace(root / "tester", old)  # killed between the two renames of a swap
    _age(old, 3600)
    store_module._HOUSEKEPT.clear()
    assert stylekit.load_pack("tester").name == "tester"
    assert not old.exists()


def test_staging_is_removed_on_failure():
    store = PackStore()
    with pytest.raises(RuntimeError):
        with store.staging() as tmp:
            (tmp / "pack").mkdir()
            raise RuntimeError("boom")
    assert not [p for p in store.root.iterdir() if p.name.startswith(".staging-")]


# --- damaged packs never break other commands ---------------------------------------------
@pytest.mark.parametrize("manifest", [
    'format_version = 1\nname = 123\nmodalities = {}\nfiles = {}\n',
    'format_version = 1\nname = "tester"\ntraining_data = "x"\nfiles = {}\n[modalities.image]\nengine = "classic"\n',
    'format_version = 1\nname = "tester"\ndescription = ["x"]\nfiles = {}\n[modalities.image]\nengine = "classic"\n',
    'format_version = 1\nname = "tester"\nfiles = {"image/a.json" = 5}\n[modalities.image]\nengine = "classic"\n',
    'format_version = 1\nname = "tester"\nfiles = {}\nconsent = {granted_by = 1}\n[modalities.image]\nengine = "classic"\n',
    "x = " + "[" * 5000 + "]" * 5000 + "\n",
    b"\xff\xfe not text",
])
def test_hostile_manifests_are_one_line_errors_and_listed_as_damaged(manifest):
    folder = PackStore().root / "tester"
    folder.mkdir(parents=True)
    (folder / MANIFEST).write_bytes(manifest.encode() if isinstance(manifest, str) else manifest)
    with pytest.raises(PackError) as info:
        read_manifest(folder)
    assert "\n" not in str(info.value)
    listed = {p.name: p for p in stylekit.list_packs()}
    assert listed["tester"].problem and listed["sunset"].modalities  # the others still list
    result = run("styles", "list")
    assert result.exit_code == 0 and "damaged" in result.output and "sunset" in result.output
    as_json = json.loads(run("styles", "list", "--json").output)
    assert any(p["name"] == "tester" and p.get("problem") for p in as_json)


def test_recommend_survives_a_damaged_pack(photo_dir):
    folder = PackStore().root / "broken"
    folder.mkdir(parents=True)
    (folder / MANIFEST).write_text("format_version = 1\nname = 123\n")
    result = stylekit.recommend(photos=photo_dir)
    assert all(m.name != "broken" for m in result.matches)


@pytest.mark.parametrize("rel", ["../../etc/hostname", "/etc/hostname", "image/../../x.json", "C:/x.json", "a\\..\\b.json"])
def test_manifest_files_must_stay_inside_the_pack(tmp_path, rel):
    folder = tmp_path / "tester"
    make_pack(folder, "tester")
    text = (folder / MANIFEST).read_text()
    digest = sha256_file(Path("/etc/hostname")) if Path("/etc/hostname").is_file() else "0" * 64
    text = text.replace("[files]", f'[files]\n"{rel.replace(chr(92), chr(92) * 2)}" = "{digest}"')
    (folder / MANIFEST).write_text(text)
    with pytest.raises(PackError, match="outside the pack|absolute or non-portable"):
        read_manifest(folder)


def test_traversal_manifest_is_refused_on_import_and_never_exported(tmp_path):
    host = Path("/etc/hostname")
    if not host.is_file():
        pytest.skip("needs /etc/hostname")
    folder = tmp_path / "tester"
    make_pack(folder, "tester")
    text = (folder / MANIFEST).read_text().replace("[files]", f'[files]\n"../../etc/hostname" = "{sha256_file(host)}"')
    (folder / MANIFEST).write_text(text)
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in folder.rglob("*"):
            if p.is_file():
                zf.write(p, f"tester/{p.relative_to(folder).as_posix()}")
    with pytest.raises(ImportRefusedError, match="outside the pack"):
        stylekit.import_pack(archive)
    # Planted straight into the store, it can be neither loaded nor exported.
    shutil.copytree(folder, PackStore().root / "tester")
    with pytest.raises(PackError):
        stylekit.export_pack("tester", tmp_path / "out.zip")
    assert not (tmp_path / "out.zip").exists()


def test_links_inside_a_pack_are_refused(tmp_path):
    folder = user_pack()
    (folder / "image" / "extra.json").symlink_to("/etc/hostname")
    with pytest.raises(PackError, match="link or special file"):
        stylekit.load_pack("tester")


# --- import ---------------------------------------------------------------------------------
def _zip_pack(folder: Path, archive: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, f"{folder.name}/{p.relative_to(folder).as_posix()}")
        for name, data in (extra or {}).items():
            zf.writestr(f"{folder.name}/{name}", data)
    return archive


def test_unlisted_member_is_refused_before_it_is_extracted(tmp_path, monkeypatch):
    folder = tmp_path / "tester"
    make_pack(folder, "tester")
    archive = _zip_pack(folder, tmp_path / "p.zip", {"image/huge.json": b"0" * 5_000_000})
    extracted = []
    real = store_module._extract
    monkeypatch.setattr(store_module, "_extract", lambda zf, info, *a: (extracted.append(info.filename), real(zf, info, *a)))
    with pytest.raises(ImportRefusedError, match="not listed"):
        stylekit.import_pack(archive)
    assert extracted == ["tester/stylepack.toml"]
    assert not (PackStore().root / "tester").exists()


def test_archive_with_a_bad_crc_is_refused_in_one_line(tmp_path):
    folder = tmp_path / "tester"
    make_pack(folder, "tester")
    archive = _zip_pack(folder, tmp_path / "p.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("tester/image/config.json")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 2] ^= 0xFF  # corrupt the deflated bytes: CRC or inflate error on read
    archive.write_bytes(bytes(data))
    with pytest.raises(ImportRefusedError) as refused:
        stylekit.import_pack(archive)
    assert "\n" not in str(refused.value)
    result = run("styles", "import", archive)
    assert result.exit_code == 1 and one_line(result.output)
    assert not (PackStore().root / "tester").exists()


def test_import_overwrite_swaps_atomically(tmp_path, monkeypatch):
    user_pack("tester")
    folder = tmp_path / "tester"
    make_pack(folder, "tester", {"image": "classic", "text": "seq2seq"})
    archive = _zip_pack(folder, tmp_path / "p.zip")
    with pytest.raises(OutputExistsError):
        stylekit.import_pack(archive)
    calls = []
    real_exchange = store_module._exchange
    monkeypatch.setattr(store_module, "_exchange", lambda a, b: calls.append(b) or real_exchange(a, b))
    pack = stylekit.import_pack(archive, overwrite=True)
    assert set(pack.modalities) == {"image", "text"} and calls
    leftovers = [p.name for p in PackStore().root.iterdir() if p.name.startswith(".") and p.name != ".locks"]
    assert leftovers == []


def test_swap_without_exchange_recovers_from_a_kill_between_renames(tmp_path, monkeypatch):
    user_pack("tester")
    folder = tmp_path / "tester"
    make_pack(folder, "tester", {"image": "classic", "text": "seq2seq"})
    archive = _zip_pack(folder, tmp_path / "p.zip")
    monkeypatch.setattr(store_module, "_exchange", lambda a, b: False)
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name.startswith(".old-"):
            real_replace(src, dst)
            raise KeyboardInterrupt  # killed after moving the old pack away
        return real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        stylekit.import_pack(archive, overwrite=True)
    monkeypatch.setattr(store_module.os, "replace", real_replace)
    monkeypatch.setattr(store_module, "STALE_S", 0.0)
    store_module._HOUSEKEPT.clear()
    assert set(stylekit.load_pack("tester").modalities) == {"image"}  # the old pack is back


# --- locks and merged commits -----------------------------------------------------------------
def test_commits_merge_into_the_current_pack_not_a_stale_copy():
    store = PackStore()
    user_pack("tester", {"image": "classic"})
    with store.staging() as a, store.staging() as b:
        image_dir, text_dir = a / "tester" / "image", b / "tester" / "text"
        image_dir.mkdir(parents=True)
        (image_dir / "config.json").write_text('{"retrained": true}')
        text_dir.mkdir(parents=True)
        (text_dir / "config.json").write_text('{"voice": true}')
        # The text training finishes while the image retrain is still running...
        store.commit_modality("tester", "text", text_dir, engine="seq2seq", summary={"posts": 3})
        # ...and the image retrain's commit must keep it.
        pack = store.commit_modality("tester", "image", image_dir, engine="classic", summary={"photos": 4}, overwrite=True)
    assert set(pack.modalities) == {"image", "text"}
    assert json.loads((pack.path / "image" / "config.json").read_text()) == {"retrained": True}
    assert json.loads((pack.path / "text" / "config.json").read_text()) == {"voice": True}
    assert pack.training_data == {"image": {"photos": 4}, "text": {"posts": 3}}
    stylekit.load_pack("tester")  # checksums of the merged pack hold


def test_commit_refuses_a_style_that_appeared_meanwhile_without_overwrite():
    store = PackStore()
    user_pack("tester", {"image": "classic"})
    with store.staging() as a:
        (a / "text").mkdir()
        (a / "text" / "config.json").write_text("{}")
        with pytest.raises(OutputExistsError, match="already has an image style"):
            store.commit_modality("tester", "image", a / "text", engine="classic", summary={})


def test_a_second_training_of_the_same_style_fails_in_one_line(photo_dir):
    with PackStore().training_lock("tester", "image"):
        with pytest.raises(BusyError, match="already training its image style"):
            stylekit.train("image", "tester", engine="classic", photos=photo_dir)
        result = run("train", "image", "-i", "tester", "--engine", "classic", "--photos", photo_dir)
        assert result.exit_code == 1 and one_line(result.output), result.output
    pack = stylekit.train("image", "tester", engine="classic", photos=photo_dir)  # free again
    assert "image" in pack.modalities


def test_concurrent_trainings_of_one_influencer_lose_no_update(photo_dir, monkeypatch):
    """`train text` finishing while `train image --overwrite` runs: both styles survive."""
    from stylekit_classic.engine import ClassicEngine

    stylekit.train("image", "tester", engine="classic", photos=photo_dir)
    started, release = threading.Event(), threading.Event()
    real_train = ClassicEngine.train

    def slow_train(self, *args, **kwargs):
        started.set()
        assert release.wait(30)
        return real_train(self, *args, **kwargs)

    monkeypatch.setattr(ClassicEngine, "train", slow_train)
    errors: list[BaseException] = []

    def retrain() -> None:
        try:
            stylekit.train("image", "tester", engine="classic", photos=photo_dir, overwrite=True, description="retrained")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    worker = threading.Thread(target=retrain)
    worker.start()
    assert started.wait(30)
    store = PackStore()
    with store.staging() as staging:  # the text training commits meanwhile
        text_dir = staging / "tester" / "text"
        text_dir.mkdir(parents=True)
        (text_dir / "config.json").write_text('{"voice": true}')
        store.commit_modality("tester", "text", text_dir, engine="seq2seq", summary={"posts": 60})
    release.set()
    worker.join(60)
    assert not errors, errors
    pack = stylekit.load_pack("tester")
    assert set(pack.modalities) == {"image", "text"} and pack.description == "retrained"


def test_lock_waits_for_another_writer_then_proceeds():
    store = PackStore()
    user_pack()
    order = []

    def writer():
        with store.lock("tester"):
            order.append("second")

    with store.lock("tester"):
        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.2)
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"]
    with store.lock("tester"):
        with pytest.raises(BusyError, match="another stylekit process"):
            with store.lock("tester", wait=0.1):
                pass


def test_export_into_the_store_is_refused():
    folder = user_pack()
    with pytest.raises(OutputError, match="inside the pack store"):
        stylekit.export_pack("tester", folder / "image" / "copy.zip")
    stylekit.load_pack("tester")  # still verifies: nothing was added to it
