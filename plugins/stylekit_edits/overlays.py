"""Built-in overlays drawn on top of a photo: caption, sticker, frame.

Sizes are fractions of the image (so a recipe looks the same at any resolution): the
caption's text size and the frame width are fractions of the shorter side, positions
and the sticker's width fractions of the width/height. Overlays are rendered by Pillow
as 8-bit RGBA layers and composited over the float pixels, so pixels they do not
cover keep their exact values.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageColor, ImageFilter

from stylekit.edits import Edit, Param

from ._pixels import composite_over, rgba_to_float, split_alpha
from .adjust import warp_rotate
from .text import TextStyle, font_chain, render_lines, tile_height, wrap

POSITIONS = ("top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right")
MIN_TEXT_PX = 6


def _place(position: str, box: tuple[int, int], canvas: tuple[int, int], margin: int) -> tuple[int, int]:
    """Top-left corner for a (w, h) box at a named position inside a (W, H) canvas."""
    (w, h), (cw, ch) = box, canvas
    vertical = "top" if position.startswith("top") else "bottom" if position.startswith("bottom") else "middle"
    horizontal = "left" if position.endswith("left") else "right" if position.endswith("right") else "center"
    x = {"left": margin, "center": (cw - w) // 2, "right": cw - margin - w}[horizontal]
    y = {"top": margin, "middle": (ch - h) // 2, "bottom": ch - margin - h}[vertical]
    return x, y


def caption(image: np.ndarray, text: str = "", font: str = "", size: float = 0.06, color: str = "white",
            outline: float = 0.08, outline_color: str = "black", shadow: float = 0.0,
            shadow_color: str = "#000000aa", position: str = "bottom", margin: float = 0.04,
            width: float = 0.9) -> np.ndarray:
    """Draw `text` (any Unicode: emoji and CJK use the bundled fallback fonts) wrapped to
    `width` of the image, at a named position. Text size is `size` x the shorter side;
    `outline` and `shadow` (offset) are fractions of the text size. If the wrapped text
    is taller than the image it is made smaller until it fits."""
    if not text.strip():
        return image.copy()
    h, w = image.shape[:2]
    chain = font_chain(font)
    margin_px = round(margin * min(h, w))
    max_w = max(1.0, min(width * w, w - 2 * margin_px))
    px = max(MIN_TEXT_PX, round(size * min(h, w)))
    while True:  # lay out (cheap) until the text fits; render once
        style = TextStyle(color=color, outline=round(outline * px), outline_color=outline_color)
        lines = wrap(text, px, max_w - 2 * style.outline, chain)
        if tile_height(len(lines), px, style) <= h - 2 * margin_px or px <= MIN_TEXT_PX:
            break
        px = max(MIN_TEXT_PX, int(px * 0.85))
    align = "left" if position.endswith("left") else "right" if position.endswith("right") else "center"
    tile = render_lines(lines, px, chain, style, align)
    x, y = _place(position, tile.size, (w, h), margin_px)
    out = image
    if shadow > 0:
        offset = max(1, round(shadow * px))
        alpha = tile.getchannel("A").filter(ImageFilter.GaussianBlur(offset / 2))
        rgba = ImageColor.getrgb(shadow_color)
        shade = Image.new("RGBA", tile.size, rgba[:3] + (255,))
        shade.putalpha(alpha.point(lambda a: a * (rgba[3] if len(rgba) == 4 else 255) // 255))
        out = composite_over(out, rgba_to_float(shade), x + offset, y + offset)
    return composite_over(out, rgba_to_float(tile), x, y)


def sticker(image: np.ndarray, path: str = "", x: float = 0.85, y: float = 0.15, scale: float = 0.25,
            rotation: float = 0.0, opacity: float = 1.0) -> np.ndarray:
    """Paste a picture (PNG with alpha, or any image stylekit reads) centred at (x, y)
    (fractions of width, height), `scale` x the image width wide, rotated `rotation`
    degrees counter-clockwise, its alpha multiplied by `opacity`."""
    if not path or opacity == 0:
        return image.copy()
    import cv2

    from stylekit.imageio import load_image

    loaded = load_image(path)
    alpha = np.ones(loaded.rgb.shape[:2], np.float32) if loaded.alpha is None else loaded.alpha
    # Resample premultiplied colour so transparent pixels do not bleed dark fringes.
    pre = np.concatenate([loaded.rgb * alpha[..., None], alpha[..., None]], axis=2).astype(np.float32)
    h, w = image.shape[:2]
    new_w = max(1, round(scale * w))
    new_h = max(1, round(pre.shape[0] * new_w / pre.shape[1]))
    shrink = new_w < pre.shape[1]
    pre = np.clip(cv2.resize(pre, (new_w, new_h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC), 0, 1)
    a = pre[..., 3:4]
    layer = np.concatenate([np.clip(np.where(a > 1e-6, pre[..., :3] / np.maximum(a, 1e-6), 0.0), 0, 1), a], axis=2)
    if rotation % 360:
        layer = warp_rotate(layer, rotation, expand=True)
    layer[..., 3] *= np.float32(opacity)
    left = round(x * w - layer.shape[1] / 2)
    top = round(y * h - layer.shape[0] / 2)
    return composite_over(image, layer, left, top)


def frame(image: np.ndarray, width: float = 0.0, color: str = "white", radius: float = 0.0) -> np.ndarray:
    """Add a border `width` x the shorter side thick around the image, in `color`; with
    `radius` > 0 (a fraction of the framed image's shorter side, 0.5 = fully round ends)
    the corners are rounded and the result gains a transparent alpha channel outside them.
    The frame is a mount behind the photo: transparent parts of an RGBA input (a circular
    avatar, a rotated image) show the frame colour, so a round frame rings a round avatar."""
    if width == 0 and radius == 0:
        return image.copy()
    h, w = image.shape[:2]
    border = round(width * min(h, w))
    rgba = ImageColor.getrgb(color)
    fill = np.array(rgba[:3], np.float32) / 255.0
    fill_alpha = (rgba[3] / 255.0) if len(rgba) == 4 else 1.0
    rgb, alpha = split_alpha(image)
    wants_alpha = radius > 0 or fill_alpha < 1.0
    out = np.empty((h + 2 * border, w + 2 * border, 4 if wants_alpha else 3), np.float32)
    out[..., :3] = fill
    if wants_alpha:
        out[..., 3] = fill_alpha
    inner = out[border:border + h, border:border + w]
    if alpha is None:
        inner[..., :3] = rgb
        if wants_alpha:
            inner[..., 3] = 1.0
    else:  # the frame is a mount behind the photo: transparent parts show the frame colour
        layer = np.concatenate([rgb, alpha[..., None]], axis=2)
        inner[...] = composite_over(inner, layer, 0, 0)
    if radius > 0:
        out[..., 3] *= _rounded_mask(out.shape[1], out.shape[0], radius * min(out.shape[:2]))
    return out


def _rounded_mask(w: int, h: int, r: float) -> np.ndarray:
    """Anti-aliased rounded-rectangle coverage in [0, 1]: 1 inside, falling from 1 to 0
    over one pixel across each corner arc (only the corner squares are computed)."""
    mask = np.ones((h, w), np.float32)
    r = min(r, w / 2, h / 2)
    n = int(np.ceil(r))
    if n == 0:
        return mask
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32) + 0.5  # pixel centres in the top-left corner square
    corner = np.clip(r - np.hypot(r - xx, r - yy) + 0.5, 0.0, 1.0)
    corner = np.where((xx > r) | (yy > r), 1.0, corner).astype(np.float32)
    mask[:n, :n] = np.minimum(mask[:n, :n], corner)
    mask[:n, w - n:] = np.minimum(mask[:n, w - n:], corner[:, ::-1])
    mask[h - n:, :n] = np.minimum(mask[h - n:, :n], corner[::-1])
    mask[h - n:, w - n:] = np.minimum(mask[h - n:, w - n:], corner[::-1, ::-1])
    return mask


EDITS = [
    Edit("caption", caption, (
        Param("text", "text", "", "the caption; emoji and CJK welcome; '' for none"),
        Param("font", "path", "", "a .ttf/.otf to try first; '' for the bundled fonts"),
        Param("size", "float", 0.06, "text height x the shorter side", 0.01, 0.5),
        Param("color", "color", "white", "text colour"),
        Param("outline", "float", 0.08, "outline width x text size; 0 for none", 0.0, 0.5),
        Param("outline_color", "color", "black", "outline colour"),
        Param("shadow", "float", 0.0, "drop-shadow offset x text size; 0 for none", 0.0, 0.5),
        Param("shadow_color", "color", "#000000aa", "shadow colour (with alpha)"),
        Param("position", "choice", "bottom", "where the text block sits", choices=POSITIONS),
        Param("margin", "float", 0.04, "gap to the edges x the shorter side", 0.0, 0.3),
        Param("width", "float", 0.9, "widest line x the image width", 0.1, 1.0),
    ), "Text on the photo, wrapped to fit.", kind="overlay"),
    Edit("sticker", sticker, (
        Param("path", "path", "", "PNG with alpha (or any image); '' for none"),
        Param("x", "float", 0.85, "centre, fraction of the width", 0.0, 1.0),
        Param("y", "float", 0.15, "centre, fraction of the height", 0.0, 1.0),
        Param("scale", "float", 0.25, "sticker width x image width", 0.01, 2.0),
        Param("rotation", "float", 0.0, "degrees counter-clockwise", -360.0, 360.0),
        Param("opacity", "float", 1.0, "0 transparent .. 1 opaque", 0.0, 1.0),
    ), "A picture pasted on top.", kind="overlay"),
    Edit("frame", frame, (
        Param("width", "float", 0.0, "border x the shorter side", 0.0, 0.25),
        Param("color", "color", "white", "border colour"),
        Param("radius", "float", 0.0, "corner radius x shorter side; 0 square", 0.0, 0.5),
    ), "A border, optionally with rounded corners.", kind="overlay"),
]
