"""The pack store: user packs under `STYLEKIT_HOME/packs`, bundled packs from plugins.

Invariants (see SECURITY.md):
- every operation takes an influencer *name*, checks it (`check_name`: one path
  component, no `..`, never absolute) and resolves it inside the store, never relative to
  the current folder; nothing outside the store is ever deleted;
- every change is atomic: a pack is assembled in a hidden `.staging-*` folder inside the
  store and swapped into place; a removed or replaced pack is first renamed into a hidden
  `.trash-*` folder, then deleted, so a kill never leaves a half-written or half-deleted
  pack under its name;
- writers of one influencer serialise on a lock file in `.locks/`: commits wait their
  turn and merge into the pack as it is *then* (a retrain of the image style never
  reverts a text style committed meanwhile); a second training of the same influencer
  and modality is refused in one line;
- leftovers of killed processes (stale staging and trash folders, a pack swapped out but
  not back) are cleaned or restored the first time the store is opened in a process;
- a damaged user pack is listed as damaged and never breaks commands about other packs.
Bundled packs are read-only; a user pack cannot take a bundled pack's name.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import sys
import tempfile
import time
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from .errors import BusyError, ImportRefusedError, OutputError, OutputExistsError, PackError, UnknownInfluencerError
from .outputs import atomic_write, check_output
from .packs import (
    ALLOWED_SUFFIXES,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    StylePack,
    check_member,
    check_name,
    now_iso,
    read_manifest,
    verify_pack,
    write_manifest,
)

MAX_ARCHIVE_MEMBERS = 2_000
MAX_ARCHIVE_BYTES = 2 * 1024**3  # uncompressed, counted while extracting (declared sizes can lie)
LOCK_WAIT_S = 600.0  # how long a commit waits for another process's commit of the same pack
STALE_S = 600.0  # leftovers younger than this are never touched (their process may be starting)
_HOUSEKEPT: set[str] = set()

try:  # POSIX advisory locks; Windows uses msvcrt's byte-range locks
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt  # type: ignore[import-not-found]


def get_home() -> Path:
    """stylekit's data folder: `STYLEKIT_HOME`, else the platform's user data dir."""
    value = os.environ.get("STYLEKIT_HOME")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("stylekit", appauthor=False))


def get_bundled_packs() -> dict[str, Path]:
    """Pack folders that loaded plugins ship, by name (through the `register_packs` hook,
    which runs once per process)."""
    from .plugins import hook_results

    return {Path(path).name: Path(path) for path in hook_results("register_packs")}


def _try_lock(fh: Any) -> bool:
    """Take an exclusive lock on an open file without waiting; False when another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise


@contextmanager
def _locked(path: Path, wait: float, busy: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing), waiting up to `wait` seconds;
    `BusyError(busy)` when it stays taken. The kernel releases it if the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fh):
            if time.monotonic() >= deadline:
                raise BusyError(busy)
            time.sleep(0.05)
        yield
    finally:
        fh.close()  # closing releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


class PackStore:
    """The packs a user can use: their own (read-write) and the bundled ones (read-only)."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = Path(home) if home else get_home()
        self.root = self.home / "packs"
        key = str(self.root.absolute())
        if key not in _HOUSEKEPT:
            _HOUSEKEPT.add(key)
            self.clean_leftovers()

    # --- names and locks -----------------------------------------------------------------
    def pack_dir(self, name: str) -> Path:
        """The folder of user pack `name` inside the store (whether or not it exists).

        `name` must be an influencer name, never a path: `PackError` otherwise.
        """
        if not isinstance(name, str):
            raise TypeError(f"influencer name must be a string, got {type(name).__name__}")
        if "/" in name or "\\" in name or name in (".", ".."):
            raise PackError(
                f"'{name}' is a path, not an influencer name; packs are named as `stylekit styles list` shows them"
            )
        path = self.root / check_name(name)
        if path.parent != self.root:  # check_name forbids this; a second guard costs nothing
            raise PackError(f"'{name}' does not name a pack inside the store")
        return path

    def lock(self, name: str, wait: float = LOCK_WAIT_S) -> Any:
        """A context manager holding the write lock of pack `name` (waits for other writers)."""
        self.pack_dir(name)
        return _locked(
            self.root / ".locks" / f"{name}.lock", wait,
            f"Influencer '{name}' is being changed by another stylekit process; try again when it has finished",
        )

    def training_lock(self, name: str, modality: str) -> Any:
        """A context manager held for a whole training of `name`'s `modality`; a second
        training of the same style fails at once with `BusyError` (one line)."""
        self.pack_dir(name)
        return _locked(
            self.root / ".locks" / f"{name}.{modality}.train.lock", 0.0,
            f"Influencer '{name}' is already training its {modality} style in another stylekit process; "
            "wait for it to finish (or stop it), then try again",
        )

    def clean_leftovers(self) -> list[Path]:
        """Remove what killed processes left in the store; restore a pack swapped out but not back.

        Staging folders whose owner still holds their lock, and anything younger than
        `STALE_S` seconds, are left alone. Returns the paths removed or restored.
        """
        if not self.root.is_dir():
            return []
        done: list[Path] = []
        try:
            entries = sorted(self.root.iterdir())
        except OSError:
            return done
        for entry in entries:
            name = entry.name
            if not name.startswith((".staging-", ".trash-", ".old-")) or _age(entry) < STALE_S:
                continue
            try:
                if self._clean_one(entry):
                    done.append(entry)
            except OSError:  # e.g. a read-only store: leave it, never fail the command
                continue
        return done

    def _clean_one(self, entry: Path) -> bool:
        """Remove or restore one leftover; False when it belongs to a live process."""
        name = entry.name
        if name.startswith(".staging-"):
            lock = entry / ".lock"
            if lock.exists():
                with open(lock, "a+") as fh:
                    if not _try_lock(fh):
                        return False  # its process is alive
                    shutil.rmtree(entry, ignore_errors=True)
            else:
                shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(".old-"):  # .old-NAME-PID: a swap killed between its two renames
            pack = name[len(".old-"):].rsplit("-", 1)[0]
            try:
                final = self.pack_dir(pack)
                with self.lock(pack, wait=0.0):
                    if final.exists():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        os.replace(entry, final)
            except (PackError, BusyError):
                return False
        else:
            shutil.rmtree(entry, ignore_errors=True)
        return True

    # --- reading -------------------------------------------------------------------------
    def _user_dirs(self) -> dict[str, Path]:
        if not self.root.is_dir():
            return {}
        return {
            p.name: p for p in sorted(self.root.iterdir())
            if not p.name.startswith(".") and p.is_dir() and not p.is_symlink()
        }

    def names(self) -> list[str]:
        """Names of every installed pack, bundled and user."""
        return sorted(set(get_bundled_packs()) | set(self._user_dirs()))

    def list(self) -> list[StylePack]:
        """Every pack; a user pack that cannot be read is listed with its `problem` set
        (and no modalities), so one damaged pack never hides or breaks the others."""
        packs = []
        for name in self.names():
            try:
                packs.append(self.get(name, verify=False))
            except PackError as exc:
                packs.append(StylePack(path=self.root / name, name=name, problem=str(exc)))
        return packs

    def get(self, name: str, verify: bool = True) -> StylePack:
        """The pack called `name`, its checksums verified; `UnknownInfluencerError` lists the installed ones."""
        bundled = get_bundled_packs()
        if name in bundled:
            pack = read_manifest(bundled[name], bundled=True)
        elif isinstance(name, str) and name in self._user_dirs():
            pack = read_manifest(self.root / name)
        else:
            installed = ", ".join(self.names()) or "none"
            raise UnknownInfluencerError(
                f"Unknown influencer '{name}'; installed: {installed} (train one with `stylekit train`, or `stylekit styles import`)."
            )
        if pack.name != name:
            raise PackError(f"{pack.path}: manifest names '{pack.name}' but the folder is '{name}'; re-import the pack")
        if verify:
            try:
                verify_pack(pack)
            except OSError as exc:  # removed or replaced by another process while we read it
                raise PackError(f"{pack.path}: changed while reading ({exc.strerror or exc}); try again")
        return pack

    # --- writing -------------------------------------------------------------------------
    def _check_writable(self, name: str, overwrite: bool) -> Path:
        final = self.pack_dir(name)
        if name in get_bundled_packs():
            raise PackError(f"'{name}' is a bundled, read-only pack; choose another influencer name")
        if final.exists() and not overwrite:
            raise OutputExistsError(f"Influencer '{name}' already exists in {self.root}; pass overwrite=True to replace it")
        return final

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh hidden folder inside the store, removed afterwards unless committed.

        It holds a lock while in use, so `clean_leftovers` in another process never takes it
        for a killed process's leftover, however long a training runs.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".staging-"))
        try:
            with _locked(tmp / ".lock", 0.0, f"{tmp}: staging folder in use"):
                yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _trash(self, path: Path) -> None:
        """Rename `path` out of the way (atomic), then delete it."""
        trash = self.root / f".trash-{path.name}-{uuid.uuid4().hex[:8]}"
        os.replace(path, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def _swap_in(self, staged: Path, final: Path) -> None:
        """Put the folder `staged` at `final`, replacing an old one without a moment where
        `final` is missing (an atomic exchange where the system has one)."""
        if not final.exists():
            os.replace(staged, final)
            return
        if _exchange(staged, final):
            self._trash(staged)  # `staged` now holds the old pack
            return
        old = self.root / f".old-{final.name}-{os.getpid()}"
        os.replace(final, old)
        try:
            os.replace(staged, final)
        except OSError:
            os.replace(old, final)
            raise
        self._trash(old)

    def commit(self, staged: Path, name: str, overwrite: bool) -> StylePack:
        """Move a staged, complete pack folder into place as `name` (swapping out an old one)."""
        with self.lock(name):
            final = self._check_writable(name, overwrite)
            self._swap_in(staged, final)
            return read_manifest(final)

    def save(self, pack: StylePack, overwrite: bool = False) -> StylePack:
        """Write the manifest of a pack assembled in a staging folder and commit it."""
        check_name(pack.name)
        write_manifest(pack)
        return self.commit(pack.path, pack.name, overwrite)

    def commit_modality(
        self, name: str, modality: str, mod_dir: Path, *, engine: str, summary: dict[str, Any],
        overwrite: bool = False, version: str = "", display_name: str | None = None,
        description: str | None = None, licence: str | None = None, consent: dict[str, str] | None = None,
    ) -> StylePack:
        """Install a freshly trained `modality` folder into pack `name` (created if new).

        Runs under the pack's lock against the pack as it is *now*, so a style of another
        modality committed while this one trained is kept. An existing style of the same
        modality is replaced only with `overwrite`. `mod_dir` is moved (it must be inside
        the store). Metadata not given is kept from the current pack.
        """
        with self.lock(name):
            final = self.pack_dir(name)
            if name in get_bundled_packs():
                raise PackError(f"'{name}' is a bundled, read-only pack; choose another influencer name")
            existing = read_manifest(final) if final.exists() else None
            if existing is not None and modality in existing.modalities and not overwrite:
                raise OutputExistsError(
                    f"Influencer '{name}' already has {'an' if modality == 'image' else 'a'} {modality} style; pass overwrite=True to retrain it"
                )
            with self.staging() as staging:
                pack_dir = staging / "pack"
                if existing is not None:
                    shutil.copytree(
                        existing.path, pack_dir,
                        ignore=lambda folder, names: [modality] if Path(folder) == existing.path else [],
                    )
                else:
                    pack_dir.mkdir()
                os.replace(mod_dir, pack_dir / modality)
                modalities = dict(existing.modalities) if existing else {}
                modalities[modality] = {"engine": engine, "trained": now_iso()}
                training_data = dict(existing.training_data) if existing else {}
                training_data[modality] = summary
                pack = StylePack(
                    path=pack_dir,
                    name=name,
                    display_name=display_name or (existing.display_name if existing else name.title()),
                    description=description or (existing.description if existing else ""),
                    created=existing.created if existing else now_iso(),
                    stylekit_version=version,
                    licence=licence or (existing.licence if existing else ""),
                    consent=consent or (existing.consent if existing else None),
                    training_data=training_data,
                    modalities=modalities,
                )
                write_manifest(pack)
                self._swap_in(pack_dir, final)
            return read_manifest(final)

    def remove(self, name: str) -> Path:
        """Delete the user pack `name` from the store; bundled packs, paths and names that
        are not store packs are refused. A damaged or half-deleted pack can be removed."""
        final = self.pack_dir(name)
        if name in get_bundled_packs():
            raise PackError(f"'{name}' is a bundled, read-only pack and cannot be removed")
        with self.lock(name):
            if final.is_symlink() or not final.is_dir():
                installed = ", ".join(self._user_dirs()) or "none"
                raise UnknownInfluencerError(f"No user pack '{name}' in {self.root}; your packs: {installed}")
            self._trash(final)
        return final

    # --- sharing -------------------------------------------------------------------------
    def export_zip(self, name: str, out: Path, overwrite: bool = False) -> Path:
        """Write pack `name` as a zip holding the folder `name/`, atomically."""
        out = check_output(out, overwrite, kind="zip")
        if out.resolve().is_relative_to(self.root.resolve()):  # it would become an unlisted file of a pack
            raise OutputError(f"{out} is inside the pack store ({self.root}); write the archive somewhere else")
        pack = self.get(name)
        files = [MANIFEST, *sorted(check_member(rel) for rel in pack.files)]

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for rel in files:
                    zf.write(pack.path / rel, f"{name}/{rel}")

        return atomic_write(Path(out), write, overwrite=overwrite)

    def import_zip(self, archive: Path, name: str | None = None, overwrite: bool = False) -> StylePack:
        """Install a pack from a zip after checking every member; nothing is written on refusal.

        The manifest is read first; a member it does not list is refused before anything
        is extracted, and every byte is counted while extracting (declared sizes can lie).
        """
        archive = Path(archive)

        def refuse(reason: str) -> ImportRefusedError:
            return ImportRefusedError(f"{archive}: refused, {reason}; nothing was imported")

        if not archive.is_file():
            raise refuse("no such file")
        if name is not None:
            self.pack_dir(name)
        try:
            zf = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, OSError) as exc:
            raise refuse(f"not a valid zip archive ({exc})")
        try:
            with zf, self.staging() as staging:
                members = _checked_members(zf, refuse)
                target = staging / "pack"
                target.mkdir()
                by_rel = {rel.as_posix(): info for info, rel in members}
                budget = [MAX_ARCHIVE_BYTES]
                _extract(zf, by_rel[MANIFEST], target / MANIFEST, min(MAX_MANIFEST_BYTES, budget[0]), refuse, budget)
                try:
                    pack = read_manifest(target)
                except PackError as exc:
                    raise refuse(str(exc).replace(str(target), "the archive"))
                unlisted = sorted(set(by_rel) - set(pack.files) - {MANIFEST})
                if unlisted:
                    raise refuse(f"member '{unlisted[0]}' is not listed in its {MANIFEST}")
                for rel in sorted(pack.files):
                    if rel not in by_rel:
                        raise refuse(f"'{rel}' listed in {MANIFEST} is missing from the archive")
                    dest = target.joinpath(*rel.split("/"))
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    _extract(zf, by_rel[rel], dest, budget[0], refuse, budget)
                try:
                    verify_pack(pack)
                except PackError as exc:
                    raise refuse(str(exc).replace(str(target), "the archive"))
                final_name = name or pack.name
                if final_name != pack.name:  # renaming changes the manifest, so re-record it
                    pack.name = check_name(final_name)
                    write_manifest(pack)
                return self.commit(target, final_name, overwrite)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
            raise refuse(f"the archive is damaged ({exc})")
        except OSError as exc:
            raise PackError(f"{archive}: import failed ({exc.strerror or exc}); nothing was imported")


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limit: int, refuse, budget: list[int]) -> None:
    """Copy one member to `dest`, refusing once more than `limit` bytes come out."""
    written = 0
    with zf.open(info) as src, open(dest, "xb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            written += len(chunk)
            if written > limit:
                raise refuse(f"'{info.filename}' unpacks to more than {limit:,} bytes")
            dst.write(chunk)
    budget[0] -= written


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
