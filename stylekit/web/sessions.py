"""Per-browser-session working folders and the checks every upload passes.

Each browser session (one page load) gets its own folder under the server's work root;
uploads are copied into it under safe names, results are written there, and the folder
is removed when the tab closes, when the session has been idle too long, or when the
server stops. The web app never opens a path the browser names: uploads arrive as files
in the UI library's own upload folder, and anything outside that folder is refused.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".mpo"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm"}
POSTS_SUFFIXES = {".txt", ".jsonl", ".csv"}
PACK_SUFFIXES = {".zip"}
KINDS = {"image": IMAGE_SUFFIXES, "video": VIDEO_SUFFIXES, "posts": POSTS_SUFFIXES, "pack": PACK_SUFFIXES}
KIND_WORDS = {"image": "a photo (JPEG, PNG, WebP, TIFF, BMP or GIF)", "video": "a video (MP4, MOV, MKV, WebM, AVI)",
              "posts": "a posts file (.txt, .jsonl or .csv)", "pack": "a style pack (.zip)"}


class UploadError(UsageError):
    """An upload refused by the web app's limits or checks; the message names the file."""


@dataclass(frozen=True)
class Limits:
    """What one upload may be: bytes per file, pixels per image, files per upload."""

    max_bytes: int = 100 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_files: int = 200

    def size_text(self) -> str:
        """The byte limit in words, e.g. '100 MB'."""
        mb = self.max_bytes / (1024 * 1024)
        return f"{mb:.4g} MB" if mb >= 1 else f"{self.max_bytes / 1024:.3g} KB"


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name with only letters, digits, '-', '_' and one suffix; never a path."""
    base = Path(str(name).replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r"[^\w-]+", "_", stem, flags=re.ASCII).strip("_.")[:60] or fallback
    suffix = re.sub(r"[^\w]+", "", suffix.lower(), flags=re.ASCII)[:8]
    return f"{stem}.{suffix}" if suffix else stem


def display_name(path: str | os.PathLike) -> str:
    """The name the user gave the file (the UI library keeps it as the last path part)."""
    return Path(path).name


def image_size(path: Path) -> tuple[int, int]:
    """Width and height from the header only (no pixels decoded); `UploadError` when the
    file is not an image stylekit reads."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    from ..imageio import ALLOWED_FORMATS

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Image.init()
            with Image.open(path, formats=[f for f in ALLOWED_FORMATS if f in Image.OPEN]) as img:
                return img.size
    except Image.DecompressionBombError:  # Pillow's own guard, far above any sensible limit
        return (1 << 15, 1 << 15)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadError(f"{display_name(path)}: not a photo stylekit reads (JPEG, PNG, WebP, TIFF, BMP or GIF); "
                          "is it another kind of file renamed?") from None


class Sessions:
    """The working folders of one server's browser sessions, under `root`:

    root/ui/        the UI library's own uploads and cache (what it may serve)
    root/ui/results/<secret>/<token>/NAME   results handed to one session for download
    root/sessions/<session>/                a session's private folder (never served)
    """

    def __init__(self, root: Path, limits: Limits = Limits(), max_idle_s: float = 6 * 3600):
        self.root = Path(root).resolve()
        self.ui_dir = self.root / "ui"
        self.private = self.root / "sessions"
        self.results = self.ui_dir / "results"
        for folder in (self.ui_dir, self.private, self.results):
            folder.mkdir(parents=True, exist_ok=True)
        self.limits = limits
        self.max_idle_s = max_idle_s
        self._info: dict[str, dict] = {}
        self._lock = threading.Lock()

    def _touch(self, session: str) -> tuple[str, dict]:
        key = safe_name(session or "local", "local")
        with self._lock:
            info = self._info.setdefault(key, {"secret": secrets.token_urlsafe(16), "uploads": set()})
            info["used"] = time.monotonic()
        return key, info

    def folder(self, session: str, sub: str = "") -> Path:
        """The session's private folder, or its subfolder `sub` (created on first use);
        sessions idle too long are removed meanwhile."""
        self.sweep()
        key, _ = self._touch(session)
        path = self.private / key / sub if sub else self.private / key
        path.mkdir(parents=True, exist_ok=True)
        return path

    def publish(self, session: str, path: Path, name: str | None = None) -> Path:
        """A copy of `path` where the UI library serves it to this session alone (an
        unguessable folder that goes when the session does)."""
        _, info = self._touch(session)
        folder = self.results / info["secret"] / secrets.token_urlsafe(12)
        folder.mkdir(parents=True)
        target = folder / safe_name(name or path.name)
        shutil.copyfile(path, target)
        return target

    def close(self, session: str) -> None:
        """Remove the session's folders, its published results and the uploads it sent."""
        key = safe_name(session or "local", "local")
        with self._lock:
            info = self._info.pop(key, None)
        shutil.rmtree(self.private / key, ignore_errors=True)
        if info:
            shutil.rmtree(self.results / info["secret"], ignore_errors=True)
            for upload in info["uploads"]:
                shutil.rmtree(upload, ignore_errors=True)

    def sweep(self) -> None:
        """Close the sessions idle for longer than `max_idle_s`."""
        now = time.monotonic()
        with self._lock:
            stale = [key for key, info in self._info.items() if now - info["used"] > self.max_idle_s]
        for key in stale:
            self.close(key)

    def close_all(self) -> None:
        """Remove everything under the work root (the server is stopping)."""
        with self._lock:
            self._info.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def check_upload(self, path: str | os.PathLike, kind: str) -> Path:
        """`path` if it is a file the UI library received as an upload, of `kind`, within the
        size limit (and the pixel limit for photos); `UploadError` otherwise."""
        resolved = Path(path).resolve()
        name = display_name(path)
        if not resolved.is_relative_to(self.ui_dir) or resolved.is_relative_to(self.results) or not resolved.is_file():
            raise UploadError(f"{name}: not an uploaded file; upload it again")
        allowed = set().union(*(KINDS[k] for k in kind.split("|")))
        if resolved.suffix.lower() not in allowed:
            wanted = " or ".join(KIND_WORDS[k] for k in kind.split("|"))
            raise UploadError(f"{name}: not {wanted}; upload one of those")
        size = resolved.stat().st_size
        if size > self.limits.max_bytes:
            raise UploadError(f"{name} is {size / (1024 * 1024):.1f} MB, over this server's limit of "
                              f"{self.limits.size_text()} per file; downscale or trim it first")
        if resolved.suffix.lower() in IMAGE_SUFFIXES:
            width, height = image_size(resolved)
            if width * height > self.limits.max_pixels:
                raise UploadError(f"{name} is {width}x{height} ({width * height:,} pixels), over this server's limit "
                                  f"of {self.limits.max_pixels:,}; downscale it first")
        return resolved

    def take(self, session: str, paths: list[str | os.PathLike] | None, kind: str, into: Path) -> tuple[list[Path], list[str]]:
        """Check uploads and copy the good ones into folder `into` under safe, distinct names
        (in upload order). Returns the copies and one message per refused upload."""
        _, info = self._touch(session)
        paths = [p for p in (paths or []) if p]
        for path in paths:  # the upload's own folder goes when the session does
            parent = Path(path).resolve().parent
            if parent.is_relative_to(self.ui_dir) and parent != self.ui_dir and not parent.is_relative_to(self.results):
                info["uploads"].add(parent)
        if len(paths) > self.limits.max_files:
            return [], [f"{len(paths)} files uploaded at once; this server takes up to {self.limits.max_files}"]
        into.mkdir(parents=True, exist_ok=True)
        taken = {p.name.lower() for p in into.iterdir()}
        copies, refused = [], []
        for path in paths:
            try:
                source = self.check_upload(path, kind)
            except UploadError as exc:
                refused.append(str(exc))
                continue
            name = safe_name(display_name(path), kind.split("|")[0])
            target, number = into / name, 1
            while target.name.lower() in taken:
                target = into / f"{Path(name).stem}-{number}{Path(name).suffix}"
                number += 1
            taken.add(target.name.lower())
            shutil.copyfile(source, target)
            copies.append(target)
        return copies, refused


def strip_folders(message: str, *folders: Path) -> str:
    """`message` without the server's working folders in it (the user knows their files by name)."""
    for folder in folders:
        for form in {str(folder), str(Path(folder).resolve())}:
            message = message.replace(form + os.sep, "").replace(form, "")
    return message
