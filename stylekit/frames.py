"""Looks on video frames: 8-bit RGB in, 8-bit RGB out, fast, and steady over time.

A frame never goes through PIL or the float image path when the look allows it. What a
look needs is baked once per look, strength and frame size:

- its colour part as a 256^3 table of 8-bit results (`bake_table`: the trilinear LUT
  evaluated at every 8-bit colour, separably, in a fraction of a second), applied to a
  frame with one integer gather per pixel; the fourth byte of each entry carries the
  result's Rec. 709 luma, for looks with a luminance-driven local step;
- a per-pixel gain map (a vignette) per frame size;
- a luminance ratio (local tone) when the engine has one, on the luma plane only.

`LoadedStyle.frame_applier` gives a `FrameApplier` for one frame size; the default one
(`ImageFrameApplier`) runs the engine's own `apply` on each frame and quantises. Engines
whose look is image-adaptive (it depends on the frame's content) expose that state
through `FrameApplier.measure`; `TemporalSmoother` smooths it over time and resets it at
scene cuts (`SceneCutDetector`), so nothing flickers.

`stylize_frames` is the Python API over all of this: numpy frames in, styled frames out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import numpy as np

from .engines import FrameApplier
from .errors import StylekitError

if TYPE_CHECKING:
    from .engines import LoadedStyle

LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)  # Rec. 709, as the looks' local steps use
TABLE_BYTES = (1 << 24) * 4


def _axis_weights(size: int) -> tuple[np.ndarray, np.ndarray]:
    """For each 8-bit level, the lower lattice node and the weight of the upper one."""
    pos = np.arange(256, dtype=np.float64) / 255.0 * (size - 1)
    low = np.minimum(pos.astype(np.int64), size - 2)
    return low, (pos - low)


def _interp_matrix(size: int) -> np.ndarray:
    """(256, size) linear interpolation weights from lattice nodes to 8-bit levels."""
    low, frac = _axis_weights(size)
    m = np.zeros((256, size), np.float64)
    m[np.arange(256), low] = 1.0 - frac
    m[np.arange(256), low + 1] += frac
    return m


def bake_table(lut: np.ndarray) -> np.ndarray:
    """An (N, N, N, 3) [r, g, b] LUT evaluated trilinearly at every 8-bit colour, as a flat
    uint32 table of 2^24 entries indexed r | g << 8 | b << 16 (the bytes of an RGBX pixel
    read as one little-endian number); each entry holds the rounded 8-bit result in its
    first three bytes and the result's Rec. 709 luma in the fourth.

    Trilinear interpolation is separable: the lattice (with luma as a fourth channel; luma
    is linear in RGB) is interpolated to 256 levels along red and green by two small matrix
    products, then along blue one output slice at a time, rounded and saturated to 8 bits
    in the same pass (OpenCV's `addWeighted`): about a tenth of a second.
    """
    import cv2

    size = lut.shape[0]
    if lut.shape != (size, size, size, 3) or size < 2:
        raise ValueError(f"expected an (N, N, N, 3) LUT, got shape {lut.shape}")
    m = _interp_matrix(size).astype(np.float32)
    rgb = np.asarray(lut, np.float32).transpose(2, 1, 0, 3)  # [b, g, r, c]
    lattice = np.concatenate([rgb, (rgb @ LUMA)[..., None]], axis=-1)  # [b, g, r, RGBY]
    along_r = np.matmul(m, lattice)  # (b, g, 256 r, 4)
    fine = np.matmul(m, along_r.reshape(size, size, 256 * 4))  # (b, 256 g, 256 r * 4)
    low, frac = _axis_weights(size)
    table = np.empty((256, 256, 256 * 4), np.uint8)  # [b, g, r * RGBY]
    for b in range(256):
        f = float(frac[b])
        cv2.addWeighted(fine[low[b]], 255.0 * (1.0 - f), fine[low[b] + 1], 255.0 * f, 0.0, dst=table[b], dtype=cv2.CV_8U)
    return table.reshape(-1).view(np.uint32)


def _table_index(frame: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The `bake_table` index of each pixel of an (H, W, 3) or (H, W, 4) uint8 frame."""
    h, w, c = frame.shape
    if c == 4 and frame.flags.c_contiguous:
        idx = np.bitwise_and(frame.view(np.uint32).reshape(h, w), np.uint32(0xFFFFFF), out=out)
        return idx
    idx = out if out is not None else np.empty((h, w), np.uint32)
    np.copyto(idx, frame[..., 2], casting="unsafe")
    idx <<= np.uint32(8)
    idx |= frame[..., 1]
    idx <<= np.uint32(8)
    idx |= frame[..., 0]
    return idx


class TableFrameApplier(FrameApplier):
    """A colour look baked as a 256^3 table, then optionally a luminance ratio (local tone,
    `ratio(luma) -> factor`, luma a float32 plane in [0, 1]) and a per-pixel gain map
    (a vignette) in that order, as the float path does: out = min(x * ratio, 1) * gain.

    Without ratio and gain a frame costs one index and one gather per pixel.
    """

    def __init__(
        self, table: np.ndarray, height: int, width: int,
        ratio: Callable[[np.ndarray], np.ndarray] | None = None, gain: np.ndarray | None = None,
    ) -> None:
        self.table, self.height, self.width = table, height, width
        self.ratio = ratio
        self.gain = None if gain is None else np.ascontiguousarray(gain, np.float32)
        self._gain4 = None
        if gain is not None:
            import cv2

            self._gain4 = cv2.cvtColor(self.gain, cv2.COLOR_GRAY2BGRA)  # the map per channel, made once per size
        self._idx = np.empty((height, width), np.uint32)

    def apply_rgbx(self, frame: np.ndarray, state: np.ndarray | None = None) -> np.ndarray:
        """Style an (H, W, 3 or 4) uint8 frame; returns a new (H, W, 3 or 4) uint8 array
        whose first three channels are the styled RGB (a fourth is scratch)."""
        check_frame(frame, self.height, self.width)
        idx = _table_index(frame, self._idx)
        packed = np.take(self.table, idx, out=np.empty((self.height, self.width), np.uint32))
        rgbx = packed.view(np.uint8).reshape(self.height, self.width, 4)
        if self.ratio is None and self.gain is None:
            return rgbx
        import cv2

        # OpenCV's arithmetic on 4-channel rows: one pass each, rounding to nearest and
        # saturating as `np.rint` + clip would, without float copies of the RGB frame in numpy.
        if self.ratio is not None:
            luma = rgbx[..., 3].astype(np.float32)
            luma *= np.float32(1 / 255)
            ratio = cv2.cvtColor(self.ratio(luma), cv2.COLOR_GRAY2BGRA)
            if self._gain4 is None:
                return cv2.multiply(rgbx, ratio, dtype=cv2.CV_8U)  # saturating: min(x * ratio, 255)
            scaled = cv2.multiply(rgbx, ratio, dtype=cv2.CV_32F)
            cv2.min(scaled, (255.0, 255.0, 255.0, 255.0), dst=scaled)
            return cv2.multiply(scaled, self._gain4, dtype=cv2.CV_8U)
        return cv2.multiply(rgbx, self._gain4, dtype=cv2.CV_8U)

    def apply(self, frame: np.ndarray, state: np.ndarray | None = None) -> np.ndarray:
        """Style an (H, W, 3) uint8 frame; returns a new (H, W, 3) uint8 array."""
        return np.ascontiguousarray(self.apply_rgbx(frame, state)[..., :3])


class ImageFrameApplier(FrameApplier):
    """Any image style on frames through its own `apply` (float32 in [0, 1]), quantised by
    rounding: the default for engines that give no faster path."""

    def __init__(self, style: "LoadedStyle", height: int, width: int, strength: float, options: dict[str, Any]) -> None:
        self.style, self.height, self.width, self.strength, self.options = style, height, width, strength, options

    def apply(self, frame: np.ndarray, state: np.ndarray | None = None) -> np.ndarray:
        """Style an (H, W, 3) uint8 frame through the float path."""
        from .imageio import to_uint8

        check_frame(frame, self.height, self.width)
        rgb = frame[..., :3].astype(np.float32)
        rgb *= np.float32(1 / 255)
        out = self.style.apply(rgb, strength=self.strength, **self.options)
        return to_uint8(np.clip(np.asarray(out, np.float32), 0.0, 1.0))


def check_frame(frame: np.ndarray, height: int, width: int) -> None:
    """Refuse anything but an (height, width, 3 or 4) uint8 array, in one line."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] not in (3, 4):
        what = f"{frame.dtype} array of shape {frame.shape}" if isinstance(frame, np.ndarray) else type(frame).__name__
        raise ValueError(f"frames must be (H, W, 3) uint8 RGB arrays, got a {what}")
    if frame.shape[:2] != (height, width):
        raise ValueError(f"frame is {frame.shape[1]}x{frame.shape[0]}, but this applier was made for {width}x{height}")


def lattice_lut(style: "LoadedStyle", size: int, strength: float, options: dict[str, Any]) -> np.ndarray:
    """The style's own `apply` evaluated on the nodes of a size^3 lattice: its colour
    transform at this strength and these options, as an (N, N, N, 3) LUT."""
    from .lut import identity_lut

    nodes = identity_lut(size).reshape(size * size, size, 3)
    out = style.apply(nodes, strength=strength, **options)
    return np.clip(np.asarray(out, np.float32), 0.0, 1.0).reshape(size, size, size, 3)


_TABLES: dict[bytes, np.ndarray] = {}


def cached_table(lut: np.ndarray) -> np.ndarray:
    """`bake_table(lut)`, kept for the last four LUTs (by content), so switching between a few
    looks or strengths while live, or styling many clips, does not bake again."""
    import hashlib

    lut = np.ascontiguousarray(lut, np.float32)
    key = hashlib.blake2b(lut.tobytes(), digest_size=16, person=str(lut.shape).encode()[:16]).digest()
    if key not in _TABLES:
        if len(_TABLES) >= 4:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[key] = bake_table(lut)
    return _TABLES[key]


def default_frame_applier(style: "LoadedStyle", height: int, width: int, strength: float, options: dict[str, Any]) -> FrameApplier:
    """What `LoadedStyle.frame_applier` gives unless the engine overrides it: a baked table
    when the style's LUT export is the whole style (`to_lut` gives one and
    `lut_leaves_out` is empty), evaluated through the engine's own `apply` at this strength
    and these options; otherwise the engine's `apply` on every frame."""
    lut = style.to_lut()
    if lut is not None and not style.lut_leaves_out():
        table = cached_table(lattice_lut(style, int(lut.shape[0]), strength, options))
        return TableFrameApplier(table, height, width)
    return ImageFrameApplier(style, height, width, strength, options)


# --- over time ---------------------------------------------------------------------------------
class SceneCutDetector:
    """A scene cut is a frame whose 32x18 thumbnail differs from the previous one by more
    than `threshold` (mean absolute difference in 8-bit levels, luma): camera motion and
    moving subjects stay well below it, a cut to another shot goes far above."""

    def __init__(self, threshold: float = 30.0) -> None:
        self.threshold = threshold
        self._last: np.ndarray | None = None

    def __call__(self, frame: np.ndarray) -> bool:
        """True when `frame` starts a new scene (the first frame does)."""
        import cv2

        thumb = cv2.resize(np.ascontiguousarray(frame[..., :3]), (32, 18), interpolation=cv2.INTER_AREA).astype(np.float32) @ LUMA
        last, self._last = self._last, thumb
        return last is None or float(np.abs(thumb - last).mean()) > self.threshold


class TemporalSmoother:
    """Exponential smoothing of per-frame state (any float array): each frame moves the
    state `1 - keep` of the way toward its own measurement; a scene cut resets it."""

    def __init__(self, keep: float = 0.85) -> None:
        if not 0.0 <= keep < 1.0:
            raise ValueError("keep must be in [0, 1)")
        self.keep = keep
        self.state: np.ndarray | None = None

    def update(self, measured: np.ndarray | None, cut: bool) -> np.ndarray | None:
        """The smoothed state after this frame's measurement."""
        if measured is None:
            return None
        measured = np.asarray(measured, np.float32)
        if cut or self.state is None or self.state.shape != measured.shape:
            self.state = measured.copy()
        else:
            self.state *= np.float32(self.keep)
            self.state += np.float32(1.0 - self.keep) * measured
        return self.state


def flicker(inputs: Iterable[np.ndarray], outputs: Iterable[np.ndarray]) -> float:
    """Mean frame-to-frame change of the outputs minus that of the inputs, in 8-bit levels
    (on a static-camera clip, what a look adds in flicker; 0 for none)."""
    def mean_change(frames: Iterable[np.ndarray]) -> float:
        last, total, count = None, 0.0, 0
        for f in frames:
            f = np.asarray(f[..., :3], np.int16)
            if last is not None:
                total += float(np.abs(f - last).mean())
                count += 1
            last = f
        return total / max(count, 1)

    return mean_change(outputs) - mean_change(inputs)


# --- the Python API ----------------------------------------------------------------------------
REGION_SIDE = 320  # region masks are found on frames this large (long side), then scaled up
REGION_EVERY = 10  # frames between two searches for a region (and at every scene cut)


def _small_region(region: Any, frame: np.ndarray) -> np.ndarray:
    """A region mask found on the frame scaled to `REGION_SIDE` and scaled back: soft masks
    lose nothing, and face detection plus GrabCut cost a fraction of full size."""
    import cv2

    h, w = frame.shape[:2]
    scale = REGION_SIDE / max(h, w)
    small = frame[..., :3]
    if scale < 1:
        small = cv2.resize(np.ascontiguousarray(small), (max(1, round(w * scale)), max(1, round(h * scale))),
                           interpolation=cv2.INTER_AREA)
    mask = np.asarray(region(small.astype(np.float32) * np.float32(1 / 255)), np.float32)
    if mask.shape != (h, w):
        mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.clip(mask, 0.0, 1.0)


class FramePipeline:
    """One look on a stream of frames: appliers per frame size, adaptive state smoothed over
    time and reset at scene cuts, an optional region mask (smoothed the same way) and the
    recipe's edits and overlays on every frame."""

    def __init__(self, style: "LoadedStyle | None", strength: float = 1.0, *, recipe: Any = None,
                 options: dict[str, Any] | None = None, smooth: float = 0.85, mask_every: int = 1) -> None:
        self.style, self.strength, self.recipe = style, strength, recipe
        self.options = options or {}
        self.smooth, self.mask_every = smooth, max(1, int(mask_every))
        self.cuts = SceneCutDetector()
        self.state = TemporalSmoother(smooth)
        self.mask_state = TemporalSmoother(smooth)
        self._applier: FrameApplier | None = None
        self._static_mask: np.ndarray | None = None
        self._frame_index = 0
        self._mask: np.ndarray | None = None

    def set_look(self, style: "LoadedStyle | None", strength: float) -> None:
        """Switch the look or strength between frames (live)."""
        if style is not self.style or strength != self.strength:
            self.style, self.strength, self._applier = style, strength, None

    def applier(self, height: int, width: int) -> FrameApplier | None:
        """The look's applier for this frame size (made once per size, look and strength)."""
        if self.style is None or self.strength == 0:
            return None
        a = self._applier
        if a is None or (getattr(a, "height", height), getattr(a, "width", width)) != (height, width):
            self._applier = self.style.frame_applier(height, width, self.strength, **self.options)
        return self._applier

    def _region_mask(self, frame: np.ndarray, cut: bool) -> np.ndarray | None:
        recipe = self.recipe
        if recipe is None or not (recipe.region or recipe.mask):
            return None
        h, w = frame.shape[:2]
        if recipe.mask:
            if self._static_mask is None or self._static_mask.shape != (h, w):
                from .masks import load_mask

                self._static_mask = load_mask(recipe.mask, (h, w))
            return self._static_mask
        if cut or self._mask is None or self._frame_index % self.mask_every == 0:
            from .edits import get_regions

            regions = get_regions()
            if recipe.region not in regions:
                from .errors import UsageError

                raise UsageError(f"Unknown region '{recipe.region}'; use one of {', '.join(sorted(regions)) or 'none'}.")
            try:
                measured = _small_region(regions[recipe.region], frame)
            except StylekitError:  # not found in this frame (a face turned away): keep the last mask
                if self._mask is not None and not cut:
                    return self._mask
                measured = np.zeros((h, w), np.float32)  # nothing found yet in this scene: no look
            self._mask = self.mask_state.update(measured, cut) if self.smooth else np.asarray(measured, np.float32)
        return self._mask

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        """One (H, W, 3) uint8 frame styled; (H', W', 3) uint8 (edits may crop)."""
        h, w = frame.shape[:2]
        check_frame(frame, h, w)
        cut = self.cuts(frame)
        applier = self.applier(h, w)
        if applier is None:
            out = np.ascontiguousarray(frame[..., :3])
        else:
            state = applier.measure(frame)
            if state is not None and self.smooth:
                state = self.state.update(state, cut)
            out = applier.apply(frame, state)
        mask = self._region_mask(frame, cut) if applier is not None else None
        if mask is not None:
            base = frame[..., :3].astype(np.float32)
            out = base + (out.astype(np.float32) - base) * mask[..., None]
            out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
        self._frame_index += 1
        recipe = self.recipe
        if recipe is not None and (recipe.edits or recipe.overlays):
            from .imageio import to_uint8
            from .recipes import apply_recipe_edits

            image = apply_recipe_edits(out.astype(np.float32) * np.float32(1 / 255), recipe)
            if image.ndim == 3 and image.shape[2] == 4:  # rounded frames: composite over black
                image = image[..., :3] * image[..., 3:]
            out = to_uint8(np.clip(image, 0.0, 1.0))
        return out


def stylize_frames(
    frames: Iterable[np.ndarray], influencer: str | None, strength: float = 1.0, *, recipe: Any = None,
    smooth: float = 0.85, region_every: int = REGION_EVERY, device: str = "auto", **options: Any,
) -> Iterator[np.ndarray]:
    """Yield each (H, W, 3) uint8 RGB frame in the influencer's look, in order.

    The look is baked once (per frame size) and applied without PIL or float copies where
    the engine allows; state that depends on the frame's content (an image-adaptive look,
    a `region` mask from `recipe`) is smoothed over time (`smooth`: share of the previous
    state kept each frame; 0 turns smoothing off) and reset at scene cuts. `recipe`
    (a `stylekit.recipes.Recipe`) adds a region or mask limit, edits and overlays to every
    frame; a `region` is found again every `region_every` frames and at scene cuts (finding
    one costs a face detection and GrabCut, about a second). For OBS scripts, virtual cameras
    and the like: frames in, frames out.
    """
    pipeline = make_pipeline(influencer, strength, recipe=recipe, smooth=smooth, region_every=region_every,
                             device=device, **options)
    for frame in frames:
        yield pipeline(frame)


def make_pipeline(influencer: str | None, strength: float | None = 1.0, *, recipe: Any = None, smooth: float = 0.85,
                  region_every: int = REGION_EVERY, device: str = "auto", **options: Any) -> FramePipeline:
    """A `FramePipeline` with the look loaded and strength, options and recipe checked."""
    from .api import _apply_options, load_style
    from .engines import check_strength
    from .errors import UsageError

    if recipe is not None:
        if recipe.avatar is not None:
            raise UsageError("An avatar crop follows a face from photo to photo; it is not available on video frames")
        influencer = influencer if influencer is not None else recipe.influencer
        strength = strength if strength is not None else recipe.strength
    strength = check_strength(1.0 if strength is None else strength)
    if isinstance(region_every, bool) or not isinstance(region_every, int) or region_every < 1:
        raise UsageError(f"region_every={region_every!r} must be a whole number of frames, at least 1")
    if not 0.0 <= smooth < 1.0:
        raise UsageError(f"smooth={smooth:g} is out of range; allowed: 0 (off) to below 1")
    if not influencer and (recipe is None or not (recipe.edits or recipe.overlays)):
        raise UsageError("Nothing to do: give influencer=NAME and/or edits (see `stylekit edits`)")
    style = load_style(influencer, "image", device=device) if influencer else None
    if style is not None:
        options = _apply_options(style, options)
    if recipe is not None:
        recipe.influencer, recipe.strength = influencer or "", strength
    return FramePipeline(style, strength, recipe=recipe, options=options, smooth=smooth, mask_every=region_every)
