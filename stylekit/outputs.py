"""Where outputs go: one place that every command that writes a file goes through.

The rules, for images, post cards, recipes, pack archives and LUTs alike:

- an output never replaces an input of the same command (by path, symlink or hard link),
  not even with `overwrite`;
- two outputs of one batch never share a name: later ones get `-1`, `-2`, ... before the
  suffix (`photo_sunset.png`, `photo_sunset-1.png`, ...), in input order;
- an output path that cannot work (a folder, a path under a file, an existing file
  without `overwrite`) is refused before any work, in one line;
- every file is written to a hidden temporary file beside it and moved into place in one
  step, so a crash or a kill never leaves a half-written output; a failed write (read-only
  folder, disk full) raises `OutputError` in one line and removes the temporary file.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .errors import OutputError, OutputExistsError

STALE_TEMP_S = 3600  # temporary files of a killed write older than this are removed on the next write


def _same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` are one file: equal resolved paths, or the same inode (hard link)."""
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _blocking_ancestor(path: Path) -> Path | None:
    """The nearest existing ancestor of `path` when it is not a folder (so nothing can be created under it)."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def exists_message(path: Path) -> str:
    """The one line for an output that exists and `overwrite` was not given."""
    return f"{path} already exists; pass overwrite=True to replace it, or choose another name"


def check_output(
    path: str | os.PathLike, overwrite: bool = False, *, inputs: Iterable[str | os.PathLike] = (),
    kind: str = "file",
) -> Path:
    """Refuse, before any work, an output path that cannot be written as asked; return it.

    Refused: a folder; a path under a file; an input of the same command (`inputs`: by
    path, symlink or hard link, even with `overwrite`); an existing file without `overwrite`.
    `kind` names what is written ("image", "recipe", ...) in the messages.
    """
    path = Path(path)
    if path.is_dir():
        hint = " (or pass out_dir=FOLDER for a folder of outputs)" if kind == "image" else ""
        raise OutputError(f"{path} is a folder; name the {kind} file to write{hint}")
    blocker = _blocking_ancestor(path)
    if blocker is not None:
        raise OutputError(f"{path}: {blocker} is a file, not a folder; choose another output path")
    for source in inputs:
        if _same_file(path, Path(source)):
            raise OutputError(
                f"{path} is also an input of this command ({source}); stylekit never writes over its inputs, choose another name"
            )
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise OutputExistsError(exists_message(path))
    return path


def check_folder(folder: str | os.PathLike) -> Path:
    """Refuse an output folder that is a file or lies under one; it is created when missing."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder; name a folder for the outputs")
    blocker = _blocking_ancestor(folder)
    if blocker is not None:
        raise OutputError(f"{folder}: {blocker} is a file, not a folder; choose another output folder")
    return folder


def distinct_names(targets: Sequence[Path], inputs: Sequence[Path] = ()) -> list[Path]:
    """The planned outputs of one batch with collisions removed, in order.

    A target that repeats an earlier one, or names one of the batch's `inputs`, becomes
    `<stem>-1<suffix>`, `<stem>-2<suffix>`, ... (the first free name), so every input gets
    its own output and none is written over.
    """
    def key(p: Path) -> str:
        try:
            return os.path.normcase(str(p.resolve()))
        except (OSError, RuntimeError):
            return os.path.normcase(os.path.abspath(p))

    taken = {key(Path(p)) for p in inputs}
    planned: list[Path] = []
    for target in targets:
        target = Path(target)
        candidate, n = target, 0
        while key(candidate) in taken:
            n += 1
            candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        taken.add(key(candidate))
        planned.append(candidate)
    return planned


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _clean_stale_temps(path: Path, suffix: str) -> None:
    """Remove temporary files a killed write of this very output left behind (older than an hour)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}{re.escape(suffix)}$")
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    cutoff = time.time() - STALE_TEMP_S
    for entry in entries:
        try:
            if pattern.match(entry.name) and entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:
            continue


def write_failed(path: Path, exc: OSError) -> OutputError:
    """The one-line error for an `OSError` while writing `path`, saying what to do."""
    reasons = {
        errno.ENOSPC: "the disk is full; free some space",
        errno.EDQUOT: "the disk quota is exceeded; free some space",
        errno.EACCES: "permission denied; choose a folder you can write to",
        errno.EPERM: "permission denied; choose a folder you can write to",
        errno.EROFS: "the folder is read-only; choose a folder you can write to",
        errno.EISDIR: "it is a folder; name a file",
        errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
        errno.EEXIST: "a part of the path is a file, not a folder; choose another path",
        errno.ENAMETOOLONG: "the name is too long; choose a shorter one",
    }
    reason = reasons.get(exc.errno or 0, f"{exc.strerror or exc}")
    return OutputError(f"{path}: cannot write ({reason})")


def atomic_write(path: str | os.PathLike, write: Callable[[Path], Any], overwrite: bool = False, suffix: str = "") -> Path:
    """Call `write(tmp_path)`, then move the finished file to `path` in one step.

    Never replaces an existing file unless `overwrite`; never leaves a partial file at
    `path`. Refusals and write failures raise one-line `OutputError`s (`OutputExistsError`
    for an existing file).
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; name a file to write")
    blocker = _blocking_ancestor(path)
    if blocker is not None:
        raise OutputError(f"{path}: {blocker} is a file, not a folder; choose another output path")
    suffix = suffix or path.suffix
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale_temps(path, suffix)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise write_failed(path, exc) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the user's usual mode
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
            return path
        try:
            os.link(tmp, path)  # atomic and refuses an existing file, unlike rename
        except FileExistsError:
            raise OutputExistsError(exists_message(path)) from None
        except OSError:  # no hard links on this filesystem
            if path.exists():
                raise OutputExistsError(exists_message(path)) from None
            os.replace(tmp, path)
        return path
    except OSError as exc:
        raise write_failed(path, exc) from None
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
