"""Safe image input and output, used by every engine and command.

Reading: an allowlist of decoders, a decompression-bomb guard that refuses oversized
images from their header alone, EXIF orientation applied, every pixel mode converted
explicitly, animated files read as their first frame, bad files reported by name.
Writing: through `stylekit.outputs` (atomic, never over an input, never over an existing
file unless asked), with provenance metadata.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

from .errors import ImageReadError, UsageError
from .outputs import atomic_write, check_output

ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP", "TIFF", "BMP", "GIF", "MPO"]
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".mpo"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm"}
SAVE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".tif": "TIFF", ".tiff": "TIFF"}
ALPHA_FORMATS = {"PNG", "WEBP", "TIFF"}
DEFAULT_MAX_PIXELS = 128_000_000
# Decoding plus styling holds several float32 copies of a photo (about 5.8 GB for 121 MP
# was measured); an image whose estimate exceeds the free memory is refused from its header.
BYTES_PER_PIXEL = 40
PROVENANCE_KEY = "stylekit"
_EXIF_SOFTWARE, _EXIF_DESCRIPTION = 0x0131, 0x010E

try:  # HEIC/AVIF from phones, when the optional pillow-heif is installed
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    ALLOWED_FORMATS.append("HEIF")
    IMAGE_SUFFIXES |= {".heic", ".heif"}
except ImportError:
    pass


@dataclass
class LoadedImage:
    """An image read for processing: float32 sRGB pixels in [0, 1], plus what saving needs."""

    path: Path | None
    rgb: np.ndarray  # (H, W, 3) float32
    alpha: np.ndarray | None = None  # (H, W) float32, or None when opaque
    format: str | None = None
    mode: str = "RGB"
    icc_profile: bytes | None = None

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.rgb.shape[1], self.rgb.shape[0]


def available_memory() -> int | None:
    """Bytes of memory free for a new image (Linux `MemAvailable`); None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def max_pixels() -> int:
    """The largest image (width x height) stylekit decodes; `STYLEKIT_MAX_PIXELS` overrides it."""
    value = os.environ.get("STYLEKIT_MAX_PIXELS")
    return int(value) if value else DEFAULT_MAX_PIXELS


def _fail(path: Path, reason: str) -> ImageReadError:
    return ImageReadError(f"{path}: {reason}")


def _png_is_16bit_colour(path: Path) -> bool:
    # Pillow reduces 48/64-bit PNGs to 8 bits; the IHDR header tells us to use OpenCV instead.
    with open(path, "rb") as fh:
        head = fh.read(26)
    return len(head) == 26 and head[:8] == b"\x89PNG\r\n\x1a\n" and head[24] == 16 and head[25] in (2, 6)


def _read_16bit_colour(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    import cv2

    data = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if data is None or data.dtype != np.uint16:
        raise _fail(path, "corrupt 16-bit PNG; re-export it")
    pixels = data.astype(np.float32) / 65535.0
    rgb = np.ascontiguousarray(pixels[..., 2::-1])  # OpenCV keeps BGR(A)
    alpha = pixels[..., 3].copy() if pixels.shape[2] == 4 else None
    return rgb, alpha


def _orient(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """Apply an EXIF orientation (1-8) to an array, as `ImageOps.exif_transpose` does to images."""
    ops = {2: lambda a: a[:, ::-1], 3: lambda a: a[::-1, ::-1], 4: lambda a: a[::-1],
           5: lambda a: a.swapaxes(0, 1), 6: lambda a: np.rot90(a, -1), 7: lambda a: np.rot90(a, 1)[::-1],
           8: lambda a: np.rot90(a, 1)}
    return np.ascontiguousarray(ops[orientation](pixels)) if orientation in ops else pixels


def _to_arrays(img: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any Pillow mode to float32 RGB in [0, 1] plus optional alpha, explicitly."""
    mode = img.mode
    if mode.startswith("I;16") or mode == "I":
        grey = np.asarray(img, dtype=np.float32) / 65535.0  # 16-bit greyscale at full precision
        return np.repeat(np.clip(grey, 0, 1)[..., None], 3, axis=2), None
    if mode == "F":
        grey = np.asarray(img, dtype=np.float32)
        grey = grey / 255.0 if grey.max(initial=0) > 1.0 else grey
        return np.repeat(np.clip(grey, 0, 1)[..., None], 3, axis=2), None
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    if has_alpha:
        rgba = np.asarray(img.convert("RGBA"), dtype=np.float32) / 255.0
        return np.ascontiguousarray(rgba[..., :3]), np.ascontiguousarray(rgba[..., 3])
    if mode == "CMYK":
        img = _cmyk_to_srgb(img)
    pixels = np.asarray(img if mode == "RGB" else img.convert("RGB"))  # 1, L, P, RGB, YCbCr, LAB, HSV
    return np.divide(pixels, np.float32(255.0), dtype=np.float32), None  # one pass: no float64 or temporary copy


def _cmyk_to_srgb(img: Image.Image) -> Image.Image:
    icc = img.info.get("icc_profile")
    if icc:
        from io import BytesIO

        from PIL import ImageCms

        try:
            return ImageCms.profileToProfile(
                img, ImageCms.ImageCmsProfile(BytesIO(icc)), ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken embedded profile: fall back to Pillow's naive conversion
    return img.convert("RGB")


def _looks_like_video(path: Path) -> bool:
    """A video by its first bytes (MP4/MOV `ftyp`, Matroska/WebM, AVI), whatever its name."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    brand = head[8:12]
    is_heif = brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc", b"avif", b"avis")
    return (head[4:8] == b"ftyp" and not is_heif) or head[:4] == b"\x1a\x45\xdf\xa3" or (
        head[:4] == b"RIFF" and head[8:12] == b"AVI ")


def _register_allowed() -> None:
    """Register the decoders of the allowlist (not all of Pillow's ~40: faster start-up)."""
    from PIL import (  # noqa: F401  (importing a plugin registers it)
        BmpImagePlugin, GifImagePlugin, JpegImagePlugin, MpoImagePlugin, PngImagePlugin, TiffImagePlugin, WebPImagePlugin,
    )


def load_image(path: str | os.PathLike) -> LoadedImage:
    """Read an image file safely; raise `ImageReadError` naming the file and what to do."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, "no such file; check the path")
    if path.is_dir():
        raise _fail(path, "is a folder; pass image files, or a folder where a folder is accepted")
    if not path.is_file():  # a FIFO or device would block or never end
        raise _fail(path, "not a regular file; pass an image file")
    if _looks_like_video(path):
        raise _fail(path, "is a video; videos are read as training photos with `stylekit train image --photos clip.mp4` "
                          "(video styling arrives later)")
    limit = max_pixels()
    _register_allowed()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path, formats=[f for f in ALLOWED_FORMATS if f in Image.OPEN])
    except Image.DecompressionBombError:  # Pillow's own guard fires first for the largest images
        raise _fail(path, f"image is over the {limit:,} pixel limit; downscale it first or set STYLEKIT_MAX_PIXELS")
    except UnidentifiedImageError:
        raise _fail(path, f"not an image stylekit reads (allowed: {', '.join(ALLOWED_FORMATS)}); is it another kind of file renamed?")
    except OSError as exc:
        raise _fail(path, f"cannot open ({exc})")
    with img:
        width, height = img.size
        if width * height > limit:
            raise _fail(
                path,
                f"image is {width}x{height} ({width * height:,} pixels), over the {limit:,} limit; "
                "downscale it first or set STYLEKIT_MAX_PIXELS",
            )
        need, free = width * height * BYTES_PER_PIXEL, available_memory()
        if free is not None and need > free:
            raise _fail(
                path,
                f"image is {width}x{height}; styling it needs about {need / 1024**3:.1f} GB of memory and "
                f"{free / 1024**3:.1f} GB is free; downscale it first or free memory",
            )
        fmt, icc = img.format, img.info.get("icc_profile")
        try:
            img.seek(0)  # animated GIF/WebP/APNG: the first frame
            if fmt == "PNG" and _png_is_16bit_colour(path):
                rgb, alpha = _read_16bit_colour(path)
                orientation = img.getexif().get(0x0112, 1)
                rgb = _orient(rgb, orientation)
                alpha = None if alpha is None else _orient(alpha, orientation)
                mode = "RGB;16"
            else:
                img.load()
                mode = img.mode
                turned = img.getexif().get(0x0112, 1) not in (None, 1)
                upright = ImageOps.exif_transpose(img) if turned else img  # exif_transpose copies even upright
                rgb, alpha = _to_arrays(upright)
        except ImageReadError:
            raise
        except (OSError, SyntaxError, ValueError) as exc:
            raise _fail(path, f"truncated or corrupt image ({exc}); re-export or re-download it")
    if mode == "CMYK":
        icc = None  # pixels are sRGB now
    return LoadedImage(path=path, rgb=rgb, alpha=alpha, format=fmt, mode=mode, icc_profile=icc)


def array_to_float(array: np.ndarray) -> tuple[np.ndarray, Any]:
    """An (H, W, 3) numpy image as float32 RGB in [0, 1], and a function that turns a
    result back into the input's dtype.

    Unsigned integers are scaled by their dtype's range (uint8 by 255, uint16 by 65535...);
    floats must be finite and within [0, 1]. Signed integers, booleans and other dtypes
    raise `TypeError`; other shapes, NaN/inf and out-of-range floats raise `ValueError`.
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"image must be a numpy array, PIL image or file path, got {type(array).__name__}")
    if array.ndim != 3 or array.shape[2] != 3 or 0 in array.shape:
        raise ValueError(f"Expected an (H, W, 3) RGB array, got shape {array.shape}")
    dtype = array.dtype
    if dtype.kind == "u":
        top = float(np.iinfo(dtype).max)
        rgb = (array.astype(np.float64) / top).astype(np.float32)
        return rgb, lambda out: np.rint(np.clip(out, 0.0, 1.0).astype(np.float64) * top).astype(dtype)
    if dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise ValueError("image array holds NaN or inf values; pass finite floats in [0, 1]")
        low, high = float(array.min()), float(array.max())
        if low < 0.0 or high > 1.0:
            raise ValueError(f"float image values must be in [0, 1], got {low:g}..{high:g}; divide 8-bit values by 255")
        return array.astype(np.float32), lambda out: np.asarray(out).astype(dtype)
    if dtype.kind == "i":
        raise TypeError(f"{dtype} image arrays are ambiguous; pass uint8 (0-255), uint16 (0-65535) or float in [0, 1]")
    raise TypeError(f"{dtype} arrays are not images; pass uint8, uint16 or float in [0, 1]")


def pil_to_float(img: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """A PIL image as float32 RGB in [0, 1] plus alpha (or None), every mode converted
    explicitly (16-bit and float greyscale keep their scale)."""
    if not isinstance(img, Image.Image):
        raise TypeError(f"expected a PIL image, got {type(img).__name__}")
    rgb, alpha = _to_arrays(img)
    if not np.all(np.isfinite(rgb)):
        raise ValueError("PIL image holds NaN or inf values")
    return rgb, alpha


def expand_image_paths(inputs: Iterable[str | os.PathLike]) -> list[Path]:
    """Files as given, folders replaced by the image files directly inside them (sorted)."""
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            paths.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES))
        else:
            paths.append(p)
    return paths


def to_uint8(x: np.ndarray, band: int = 1 << 20) -> np.ndarray:
    """Float pixels in [0, 1] to 8-bit, rounding to nearest (exact inverse of /255 for 8-bit input).

    Works through bands of about `band` values with one scratch buffer, so a 4K frame
    costs no full-size float temporaries."""
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty(flat.shape, np.uint8)
    scratch = np.empty(min(band, flat.size), np.float32)
    for start in range(0, flat.size, band):
        chunk = flat[start : start + band]
        buf = scratch[: chunk.size]
        np.multiply(chunk, np.float32(255.0), out=buf)
        np.clip(buf, 0.0, 255.0, out=buf)
        np.rint(buf, out=buf)
        out[start : start + band] = buf
    return out.reshape(x.shape)


def to_pil(rgb: np.ndarray, alpha: np.ndarray | None = None) -> Image.Image:
    """A Pillow image from float RGB (and optional alpha) in [0, 1]."""
    if alpha is None:
        return Image.fromarray(to_uint8(rgb), "RGB")
    return Image.fromarray(to_uint8(np.concatenate([rgb, alpha[..., None]], axis=2)), "RGBA")


def save_format(path: Path) -> str:
    """The Pillow format written for this output name; `UsageError` for unknown suffixes."""
    fmt = SAVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        if not path.suffix:
            raise UsageError(f"{path}: an image name needs a suffix to choose its format; use one of {', '.join(sorted(SAVE_FORMATS))}")
        raise UsageError(f"{path}: cannot write '{path.suffix}' images; use one of {', '.join(sorted(SAVE_FORMATS))}")
    return fmt


def check_writable(path: Path, overwrite: bool, inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Refuse early, before any work, an image output that cannot be written as asked (see
    `stylekit.outputs.check_output`) or has no image suffix."""
    check_output(path, overwrite, inputs=inputs, kind="image")
    save_format(path)


def save_image(
    path: str | os.PathLike,
    rgb: np.ndarray,
    alpha: np.ndarray | None = None,
    *,
    provenance: dict[str, Any] | None = None,
    overwrite: bool = False,
    icc_profile: bytes | None = None,
    quality: int = 95,
) -> Path:
    """Write float RGB (and alpha where the format holds it) atomically, with provenance metadata."""
    path = Path(path)
    fmt = save_format(path)
    if alpha is not None and fmt not in ALPHA_FORMATS:
        rgb = rgb * alpha[..., None] + (1.0 - alpha[..., None])  # composite over white for JPEG
        alpha = None
    img = to_pil(rgb, alpha)
    kwargs: dict[str, Any] = {}
    if icc_profile:
        kwargs["icc_profile"] = icc_profile
    if provenance is not None:
        text = json.dumps(provenance, sort_keys=True)  # ASCII: EXIF text fields are ASCII
        software = f"stylekit {provenance.get('version', '')}".strip()
        if fmt == "PNG":
            info = PngImagePlugin.PngInfo()
            info.add_itxt(PROVENANCE_KEY, text)
            info.add_text("Software", software)
            kwargs["pnginfo"] = info
        else:
            exif = Image.Exif()
            exif[_EXIF_SOFTWARE] = software
            exif[_EXIF_DESCRIPTION] = f"{PROVENANCE_KEY}:{text}"
            kwargs["exif"] = exif.tobytes()
    if fmt in ("JPEG", "WEBP"):
        kwargs["quality"] = quality
    if fmt == "WEBP" and quality >= 100:
        kwargs["lossless"] = True
    atomic_write(path, lambda tmp: img.save(tmp, format=fmt, **kwargs), overwrite=overwrite)
    return path


def read_provenance(path: str | os.PathLike) -> dict[str, Any] | None:
    """The provenance stylekit wrote into an image, or None if it carries none."""
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "no such file" if not path.exists() else "not a regular file; pass an image file")
    _register_allowed()
    try:
        with Image.open(path, formats=[f for f in ALLOWED_FORMATS if f in Image.OPEN]) as img:
            text = getattr(img, "text", {}).get(PROVENANCE_KEY) if img.format == "PNG" else None
            if text is None:
                description = img.getexif().get(_EXIF_DESCRIPTION)
                if isinstance(description, bytes):
                    description = description.decode("utf-8", "replace")
                if isinstance(description, str) and description.startswith(PROVENANCE_KEY + ":"):
                    text = description[len(PROVENANCE_KEY) + 1 :]
    except UnidentifiedImageError:
        raise _fail(path, f"not an image stylekit reads (allowed: {', '.join(ALLOWED_FORMATS)})")
    except (OSError, SyntaxError, ValueError) as exc:
        raise _fail(path, f"cannot read metadata ({exc})")
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise _fail(path, "carries damaged stylekit metadata")
