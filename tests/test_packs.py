"""Pack manifests, checksums, the store, and safe import/export."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

import stylekit
from stylekit.errors import ImportRefusedError, OutputExistsError, PackError, UnknownInfluencerError
from stylekit.store import PackStore


@pytest.fixture
def pack(photo_dir):
    """A user pack trained with the classic engine from tiny photos."""
    return stylekit.train("image", "tester", engine="classic", photos=photo_dir)


def _zip(path: Path, members: dict[str, bytes], modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if modes and name in modes:
                info.external_attr = modes[name] << 16
            zf.writestr(info, data)
    return path


def _store_snapshot(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*")}


def test_train_writes_valid_manifest(pack):
    assert pack.modalities["image"]["engine"] == "classic"
    assert set(pack.files) >= {"image/model.safetensors", "image/config.json", "image/metrics.json", "image/preview.png"}
    assert pack.training_data["image"]["photos"] == 4
    assert stylekit.load_pack("tester").name == "tester"


def test_checksum_mismatch_detected(pack):
    weights = pack.path / "image" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\x00")
    with pytest.raises(PackError, match="checksum mismatch for 'image/model.safetensors'"):
        stylekit.load_pack("tester")


def test_unlisted_file_detected(pack):
    (pack.path / "image" / "extra.json").write_text("{}")
    with pytest.raises(PackError, match="'image/extra.json' is not listed"):
        stylekit.load_pack("tester")


def test_unknown_influencer_lists_installed(pack):
    with pytest.raises(UnknownInfluencerError, match="Unknown influencer 'nobody'; installed: .*tester"):
        stylekit.load_pack("nobody")


def test_retrain_needs_overwrite(pack, photo_dir):
    with pytest.raises(OutputExistsError, match="overwrite=True"):
        stylekit.train("image", "tester", engine="classic", photos=photo_dir)
    again = stylekit.train("image", "tester", engine="classic", photos=photo_dir, overwrite=True)
    assert again.name == "tester"


def test_bundled_pack_is_read_only():
    assert stylekit.load_pack("sunset").bundled
    with pytest.raises(PackError, match="read-only"):
        stylekit.remove_pack("sunset")
    with pytest.raises(PackError, match="read-only"):
        stylekit.train("image", "sunset", engine="classic", lut=Path("examples/presets/sunset.cube"))


def test_export_import_roundtrip(pack, tmp_path):
    archive = stylekit.export_pack("tester", tmp_path / "tester.zip")
    with pytest.raises(OutputExistsError):
        stylekit.export_pack("tester", archive)
    imported = stylekit.import_pack(archive, name="copy")
    assert imported.name == "copy" and stylekit.load_pack("copy").files["image/model.safetensors"] == pack.files["image/model.safetensors"]
    with pytest.raises(OutputExistsError):
        stylekit.import_pack(archive)  # 'tester' exists
    stylekit.import_pack(archive, overwrite=True)


def test_remove(pack):
    stylekit.remove_pack("tester")
    assert "tester" not in PackStore().names()


@pytest.mark.parametrize(
    "members, modes, reason",
    [
        ({"../outside.txt": b"x", "stylepack.toml": b""}, None, "points outside the pack"),
        ({"/etc/evil.txt": b"x", "stylepack.toml": b""}, None, "absolute or non-portable"),
        ({"a\\..\\evil.txt": b"x"}, None, "absolute or non-portable"),
        ({"stylepack.toml": b"", "link.txt": b"/etc/passwd"}, {"link.txt": stat.S_IFLNK | 0o777}, "link or special file"),
        ({"stylepack.toml": b"", "dev.txt": b""}, {"dev.txt": stat.S_IFCHR | 0o666}, "link or special file"),
        ({"image/model.safetensors": b""}, None, "no stylepack.toml"),
        ({"stylepack.toml": b"", "image/model.pt": b""}, None, "not an allowed pack file"),
        ({"stylepack.toml": b"not = [valid"}, None, "invalid TOML"),
        ({"stylepack.toml": b"format_version = 1\nname = 'x'\n"}, None, "missing required field 'modalities'"),
    ],
)
def test_unsafe_archives_refused(tmp_path, isolated_home, members, modes, reason):
    before = _store_snapshot(isolated_home)
    archive = _zip(tmp_path / "evil.zip", members, modes)
    with pytest.raises(ImportRefusedError, match=reason):
        stylekit.import_pack(archive)
    assert not (tmp_path / "outside.txt").exists()
    assert {p for p in _store_snapshot(isolated_home) if ".staging" not in p} - before <= {"packs"}
    assert not any(".staging" in p for p in _store_snapshot(isolated_home))


def test_tampered_archive_refused(pack, tmp_path, isolated_home):
    archive = stylekit.export_pack("tester", tmp_path / "t.zip")
    stylekit.remove_pack("tester")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data + b" " if info.filename.endswith("config.json") else data)
    with pytest.raises(ImportRefusedError, match="checksum mismatch"):
        stylekit.import_pack(tampered)
    assert "tester" not in PackStore().names()


def test_member_cap(tmp_path, monkeypatch):
    import stylekit.store as store

    monkeypatch.setattr(store, "MAX_ARCHIVE_MEMBERS", 3)
    archive = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(5)})
    with pytest.raises(ImportRefusedError, match="5 members"):
        stylekit.import_pack(archive)


def test_size_cap_counts_real_bytes(tmp_path, monkeypatch, pack):
    import stylekit.store as store

    archive = stylekit.export_pack("tester", tmp_path / "t.zip")
    monkeypatch.setattr(store, "MAX_ARCHIVE_BYTES", 1000)
    with pytest.raises(ImportRefusedError, match="more than 1,000 bytes"):
        stylekit.import_pack(archive, name="big")


def test_not_a_zip(tmp_path):
    (tmp_path / "x.zip").write_text("hello")
    with pytest.raises(ImportRefusedError, match="not a valid zip"):
        stylekit.import_pack(tmp_path / "x.zip")
