"""The pack store: user packs under `STYLEKIT_HOME/packs`, bundled packs from plugins.

Every change is atomic: a pack is assembled in a hidden folder inside the store and
renamed into place, so a failed train or import leaves nothing half-written behind.
Bundled packs are read-only; a user pack cannot take a bundled pack's name.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from .errors import ImportRefusedError, OutputExistsError, PackError, UnknownInfluencerError
from .imageio import atomic_write
from .packs import ALLOWED_SUFFIXES, MANIFEST, StylePack, check_name, read_manifest, verify_pack, write_manifest

MAX_ARCHIVE_MEMBERS = 2_000
MAX_ARCHIVE_BYTES = 2 * 1024**3  # uncompressed, counted while extracting (declared sizes can lie)


def get_home() -> Path:
    """stylekit's data folder: `STYLEKIT_HOME`, else the platform's user data dir."""
    value = os.environ.get("STYLEKIT_HOME")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("stylekit", appauthor=False))


def get_bundled_packs() -> dict[str, Path]:
    """Pack folders that loaded plugins ship, by name (through the `register_packs` hook)."""
    from .plugins import get_plugin_manager

    found: dict[str, Path] = {}

    def register(path: str | os.PathLike) -> None:
        path = Path(path)
        found[path.name] = path

    get_plugin_manager().hook.register_packs(register=register)
    return found


class PackStore:
    """The packs a user can use: their own (read-write) and the bundled ones (read-only)."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = Path(home) if home else get_home()
        self.root = self.home / "packs"

    # --- reading -------------------------------------------------------------------------
    def _user_dirs(self) -> dict[str, Path]:
        if not self.root.is_dir():
            return {}
        return {p.name: p for p in sorted(self.root.iterdir()) if p.is_dir() and not p.name.startswith(".")}

    def names(self) -> list[str]:
        """Names of every installed pack, bundled and user."""
        return sorted(set(get_bundled_packs()) | set(self._user_dirs()))

    def list(self) -> list[StylePack]:
        """Every readable pack; unreadable user packs are skipped (`get` reports why)."""
        packs = []
        for name in self.names():
            try:
                packs.append(self.get(name, verify=False))
            except PackError:
                continue
        return packs

    def get(self, name: str, verify: bool = True) -> StylePack:
        """The pack called `name`, its checksums verified; `UnknownInfluencerError` lists the installed ones."""
        bundled = get_bundled_packs()
        if name in bundled:
            pack = read_manifest(bundled[name], bundled=True)
        elif name in self._user_dirs():
            pack = read_manifest(self.root / name)
        else:
            installed = ", ".join(self.names()) or "none"
            raise UnknownInfluencerError(
                f"Unknown influencer '{name}'; installed: {installed} (train one with `stylekit train`, or `stylekit styles import`)."
            )
        if pack.name != name:
            raise PackError(f"{pack.path}: manifest names '{pack.name}' but the folder is '{name}'; re-import the pack")
        if verify:
            verify_pack(pack)
        return pack

    # --- writing -------------------------------------------------------------------------
    def _check_writable(self, name: str, overwrite: bool) -> None:
        check_name(name)
        if name in get_bundled_packs():
            raise PackError(f"'{name}' is a bundled, read-only pack; choose another influencer name")
        if (self.root / name).exists() and not overwrite:
            raise OutputExistsError(f"Influencer '{name}' already exists in {self.root}; pass --overwrite to replace it")

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh hidden folder inside the store, removed afterwards unless committed."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".staging-"))
        try:
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def commit(self, staged: Path, name: str, overwrite: bool) -> StylePack:
        """Move a staged, complete pack folder into place as `name` (swapping out an old one)."""
        self._check_writable(name, overwrite)
        final = self.root / name
        old = None
        if final.exists():
            old = self.root / f".old-{name}-{os.getpid()}"
            os.replace(final, old)
        try:
            os.replace(staged, final)
        except OSError:
            if old is not None:
                os.replace(old, final)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return read_manifest(final)

    def save(self, pack: StylePack, overwrite: bool = False) -> StylePack:
        """Write the manifest of a pack assembled in a staging folder and commit it."""
        check_name(pack.name)
        write_manifest(pack)
        return self.commit(pack.path, pack.name, overwrite)

    def remove(self, name: str) -> Path:
        """Delete a user pack; bundled packs are refused."""
        if name in get_bundled_packs():
            raise PackError(f"'{name}' is a bundled, read-only pack and cannot be removed")
        path = self.root / name
        if not path.is_dir():
            self.get(name)  # raises UnknownInfluencerError with the installed list
        shutil.rmtree(path)
        return path

    # --- sharing -------------------------------------------------------------------------
    def export_zip(self, name: str, out: Path, overwrite: bool = False) -> Path:
        """Write pack `name` as a zip holding the folder `name/`, atomically."""
        pack = self.get(name)
        files = [MANIFEST, *sorted(pack.files)]

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for rel in files:
                    zf.write(pack.path / rel, f"{name}/{rel}")

        atomic_write(Path(out), write, overwrite=overwrite)
        return Path(out)

    def import_zip(self, archive: Path, name: str | None = None, overwrite: bool = False) -> StylePack:
        """Install a pack from a zip after checking every member; nothing is written on refusal."""
        archive = Path(archive)

        def refuse(reason: str) -> ImportRefusedError:
            return ImportRefusedError(f"{archive}: refused, {reason}; nothing was imported")

        if not archive.is_file():
            raise refuse("no such file")
        try:
            zf = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, OSError) as exc:
            raise refuse(f"not a valid zip archive ({exc})")
        with zf, self.staging() as staging:
            members = _checked_members(zf, refuse)
            target = staging / "pack"
            target.mkdir()
            written = 0
            for info, rel in members:
                dest = target.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(dest, "xb") as dst:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        written += len(chunk)
                        if written > MAX_ARCHIVE_BYTES:
                            raise refuse(f"it unpacks to more than {MAX_ARCHIVE_BYTES:,} bytes")
                        dst.write(chunk)
            try:
                pack = read_manifest(target)
                verify_pack(pack)
            except PackError as exc:
                raise refuse(str(exc).replace(str(target), "the archive"))
            final_name = name or pack.name
            if final_name != pack.name:  # renaming changes the manifest, so re-record it
                pack.name = check_name(final_name)
                write_manifest(pack)
            return self.commit(target, final_name, overwrite)


def _checked_members(zf: zipfile.ZipFile, refuse) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Validate every archive member; return the files to extract relative to the pack root."""
    infos = zf.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise refuse(f"it has {len(infos):,} members (limit {MAX_ARCHIVE_MEMBERS:,})")
    if sum(i.file_size for i in infos) > MAX_ARCHIVE_BYTES:
        raise refuse(f"it would unpack to more than {MAX_ARCHIVE_BYTES:,} bytes")
    paths = []
    for info in infos:
        raw = info.filename
        if "\\" in raw or "\x00" in raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
            raise refuse(f"member '{raw}' has an absolute or non-portable path")
        path = PurePosixPath(raw)
        if any(part in ("..", "") for part in path.parts) or path.is_absolute():
            raise refuse(f"member '{raw}' points outside the pack")
        file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver stored no type
        if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise refuse(f"member '{raw}' is a link or special file")
        if info.is_dir():
            continue
        paths.append((info, path))
    if not paths:
        raise refuse("the archive is empty")
    roots = {p.parts[0] for _, p in paths}
    strip = len(roots) == 1 and all(len(p.parts) > 1 for _, p in paths)  # zipped as NAME/...
    members = [(i, PurePosixPath(*p.parts[1:]) if strip else p) for i, p in paths]
    rels = [m.as_posix() for _, m in members]
    if MANIFEST not in rels:
        raise refuse(f"no {MANIFEST} at the top of the archive")
    if len(set(rels)) != len(rels):
        raise refuse("it holds the same file twice")
    for rel in rels:
        if PurePosixPath(rel).suffix.lower() not in ALLOWED_SUFFIXES:
            raise refuse(f"member '{rel}' is not an allowed pack file (weights must be .safetensors)")
    return members
