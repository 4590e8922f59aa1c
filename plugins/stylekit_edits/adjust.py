"""Built-in tone, colour and geometry edits.

Every function takes float32 pixels in [0, 1], (H, W, 3) or (H, W, 4), and returns a new
array; alpha passes through untouched by colour edits and is moved along by geometric
ones. Colour formulas work on the sRGB-encoded values unless a docstring says otherwise,
and results are clipped to [0, 1]. With its neutral values each edit returns an exact copy.
"""

from __future__ import annotations

import numpy as np

from stylekit.edits import Edit, Param
from stylekit.errors import UsageError

from ._pixels import join_alpha, linear_to_srgb, luma, split_alpha, srgb_to_linear

# Temperature/tint move channels by this much (on the 0..1 scale) per unit of amount.
TEMPERATURE_STEP = 0.1
TINT_STEP = 0.1


def exposure(image: np.ndarray, ev: float = 0.0) -> np.ndarray:
    """Exposure in stops: decode sRGB to linear light, multiply by 2**ev, re-encode (clipped)."""
    if ev == 0:
        return image.copy()
    rgb, alpha = split_alpha(image)
    return join_alpha(linear_to_srgb(srgb_to_linear(rgb) * np.float32(2.0**ev)), alpha)


def brightness(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Brightness as an offset: out = clip(x + amount) on every colour channel."""
    rgb, alpha = split_alpha(image)
    return join_alpha(np.clip(rgb + np.float32(amount), 0.0, 1.0), alpha)


def contrast(image: np.ndarray, amount: float = 1.0) -> np.ndarray:
    """Contrast around mid-grey: out = clip(0.5 + (x - 0.5) * amount); 0 gives flat grey."""
    if amount == 1:
        return image.copy()
    rgb, alpha = split_alpha(image)
    return join_alpha(np.clip(0.5 + (rgb - 0.5) * np.float32(amount), 0.0, 1.0), alpha)


def saturation(image: np.ndarray, amount: float = 1.0) -> np.ndarray:
    """Chroma scaled around Rec.709 luma Y: out = clip(Y + (x - Y) * amount); 0 gives greyscale."""
    if amount == 1:
        return image.copy()
    rgb, alpha = split_alpha(image)
    y = luma(rgb)
    return join_alpha(np.clip(y + (rgb - y) * np.float32(amount), 0.0, 1.0), alpha)


def vibrance(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Saturation that spares already-saturated colours: per pixel the chroma factor is
    1 + amount * (1 - s), with s = max(R,G,B) - min(R,G,B); out = clip(Y + (x - Y) * factor)."""
    if amount == 0:
        return image.copy()
    rgb, alpha = split_alpha(image)
    y = luma(rgb)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    # Pairwise maximum/minimum: numpy's reductions over a length-3 last axis are ~10x slower.
    s = (np.maximum(np.maximum(r, g), b) - np.minimum(np.minimum(r, g), b))[..., None]
    factor = 1.0 + np.float32(amount) * (1.0 - s)
    return join_alpha(np.clip(y + (rgb - y) * factor, 0.0, 1.0), alpha)


def temperature(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Warm (amount > 0) or cool: R += 0.1 * amount, B -= 0.1 * amount, G unchanged (clipped)."""
    rgb, alpha = split_alpha(image)
    shift = np.array([TEMPERATURE_STEP, 0.0, -TEMPERATURE_STEP], dtype=np.float32) * np.float32(amount)
    return join_alpha(np.clip(rgb + shift, 0.0, 1.0), alpha)


def tint(image: np.ndarray, amount: float = 0.0) -> np.ndarray:
    """Magenta (amount > 0) or green: G -= 0.1 * amount, R and B unchanged (clipped)."""
    rgb, alpha = split_alpha(image)
    shift = np.array([0.0, -TINT_STEP, 0.0], dtype=np.float32) * np.float32(amount)
    return join_alpha(np.clip(rgb + shift, 0.0, 1.0), alpha)


def hue_shift(image: np.ndarray, degrees: float = 0.0) -> np.ndarray:
    """Rotate hue by `degrees` in HSV space (OpenCV, hue in degrees), keeping saturation and value."""
    if degrees % 360 == 0:
        return image.copy()
    import cv2

    rgb, alpha = split_alpha(image)
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb, dtype=np.float32), cv2.COLOR_RGB2HSV)
    hsv[..., 0] = (hsv[..., 0] + np.float32(degrees)) % np.float32(360.0)
    return join_alpha(np.clip(cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB), 0.0, 1.0), alpha)


def gamma(image: np.ndarray, value: float = 1.0) -> np.ndarray:
    """Gamma: out = x ** (1 / value); values above 1 lift the mid-tones, black and white stay."""
    rgb, alpha = split_alpha(image)
    return join_alpha(np.power(rgb, np.float32(1.0 / value)), alpha)


def sharpness(image: np.ndarray, amount: float = 0.0, radius: float = 1.0) -> np.ndarray:
    """Unsharp mask: out = clip(x + amount * (x - gaussian(x, radius))), blur by OpenCV."""
    if amount == 0:
        return image.copy()
    import cv2

    rgb, alpha = split_alpha(image)
    rgb = np.ascontiguousarray(rgb, dtype=np.float32)
    # scikit-image 0.26's unsharp_mask gave wrong pixels (NaN for float32) in our tests; OpenCV blurs instead.
    soft = cv2.GaussianBlur(rgb, (0, 0), sigmaX=radius, borderType=cv2.BORDER_REFLECT_101)
    return join_alpha(np.clip(rgb + np.float32(amount) * (rgb - soft), 0.0, 1.0), alpha)


def blur(image: np.ndarray, sigma: float = 0.0) -> np.ndarray:
    """Gaussian blur with standard deviation `sigma` pixels (OpenCV, edges reflected)."""
    if sigma == 0:
        return image.copy()
    import cv2

    out = cv2.GaussianBlur(np.ascontiguousarray(image, dtype=np.float32), (0, 0), sigmaX=sigma,
                           borderType=cv2.BORDER_REFLECT_101)
    return out.reshape(image.shape)


def vignette(image: np.ndarray, amount: float = 0.0, radius: float = 0.5, softness: float = 0.5) -> np.ndarray:
    """Darken (amount > 0) or lighten the edges: out = clip(x * (1 - amount * f)) where
    f = smoothstep((d - radius) / softness), d = distance from the centre divided by the
    centre-to-corner distance (0 at the centre, 1 in the corners)."""
    if amount == 0:
        return image.copy()
    rgb, alpha = split_alpha(image)
    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.hypot((xx + 0.5) / w - 0.5, (yy + 0.5) / h - 0.5) / np.float32(np.hypot(0.5, 0.5))
    t = np.clip((d - radius) / max(softness, 1e-6), 0.0, 1.0)
    falloff = (t * t * (3.0 - 2.0 * t))[..., None]
    return join_alpha(np.clip(rgb * (1.0 - np.float32(amount) * falloff), 0.0, 1.0), alpha)


def grain(image: np.ndarray, amount: float = 0.0, size: float = 1.0, seed: int = 0) -> np.ndarray:
    """Film grain: monochrome Gaussian noise of standard deviation `amount` added to every
    channel (clipped); `size` > 1 makes coarser grain by drawing the noise at 1/size
    resolution and upscaling it. The same seed and image size give the same grain."""
    if amount == 0:
        return image.copy()
    rgb, alpha = split_alpha(image)
    h, w = rgb.shape[:2]
    rng = np.random.default_rng(seed)
    small = (max(1, round(h / size)), max(1, round(w / size)))
    noise = rng.standard_normal(small, dtype=np.float32)
    if small != (h, w):
        import cv2

        noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)
        noise /= max(float(noise.std()), 1e-6)  # keep `amount` the standard deviation after smoothing
    return join_alpha(np.clip(rgb + np.float32(amount) * noise[..., None], 0.0, 1.0), alpha)


def crop(image: np.ndarray, left: float = 0.0, top: float = 0.0, right: float = 0.0, bottom: float = 0.0,
         aspect: str = "free") -> np.ndarray:
    """Cut `left`/`top`/`right`/`bottom` (fractions of the width or height) off the edges,
    then, for an `aspect` such as "1:1" or "9:16", the largest centred box of that shape."""
    if left + right > 0.95 or top + bottom > 0.95:
        raise UsageError(
            f"crop would leave nothing (left+right={left + right:g}, top+bottom={top + bottom:g}); keep each sum at most 0.95."
        )
    h, w = image.shape[:2]
    x0, x1 = round(left * w), w - round(right * w)
    y0, y1 = round(top * h), h - round(bottom * h)
    if aspect != "free":
        aw, ah = (int(v) for v in aspect.split(":"))
        cw, ch = x1 - x0, y1 - y0
        if cw * ah > ch * aw:  # too wide: trim the sides
            new_w = max(1, round(ch * aw / ah))
            x0 += (cw - new_w) // 2
            x1 = x0 + new_w
        else:
            new_h = max(1, round(cw * ah / aw))
            y0 += (ch - new_h) // 2
            y1 = y0 + new_h
    return image[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)].copy()


def resize(image: np.ndarray, scale: float = 1.0, width: int = 0, height: int = 0) -> np.ndarray:
    """Resample (OpenCV: area averaging to shrink, bicubic to enlarge, clipped). `width`
    and/or `height` in pixels win over `scale`; with one of them 0 the aspect is kept."""
    h, w = image.shape[:2]
    if width or height:
        new_w = width or max(1, round(w * height / h))
        new_h = height or max(1, round(h * width / w))
    else:
        new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    if (new_w, new_h) == (w, h):
        return image.copy()
    import cv2

    shrink = new_w * new_h < w * h
    out = cv2.resize(np.ascontiguousarray(image, dtype=np.float32), (new_w, new_h),
                     interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)
    return np.clip(out, 0.0, 1.0).reshape(new_h, new_w, image.shape[2])


def rotate(image: np.ndarray, degrees: float = 0.0, expand: bool = True) -> np.ndarray:
    """Rotate counter-clockwise. Multiples of 90 degrees are exact; other angles use
    bicubic resampling (OpenCV, on premultiplied colour so edges get no dark fringe)
    and gain an alpha channel, transparent where no photo is; `expand` grows the canvas
    to fit the whole rotated photo, otherwise the size is kept and corners are cut."""
    turns = degrees / 90.0
    if turns == int(turns):
        return np.rot90(image, k=int(turns) % 4).copy()
    return warp_rotate(image, degrees, expand)


def warp_rotate(image: np.ndarray, degrees: float, expand: bool = True) -> np.ndarray:
    """Any-angle rotation of an RGB or RGBA image to RGBA (see `rotate`)."""
    import cv2

    rgb, alpha = split_alpha(image)
    h, w = rgb.shape[:2]
    pre = np.empty((h, w, 4), np.float32)
    pre[..., 3] = 1.0 if alpha is None else alpha
    np.multiply(rgb, pre[..., 3:4], out=pre[..., :3])
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), degrees, 1.0)
    out_w, out_h = w, h
    if expand:
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        out_w, out_h = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
        matrix[0, 2] += (out_w - w) / 2
        matrix[1, 2] += (out_h - h) / 2
    out = cv2.warpAffine(pre, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
    np.clip(out, 0.0, 1.0, out=out)
    a = out[..., 3:4]
    # Back to straight alpha in place (big images: avoid temporaries); fully transparent stays 0.
    np.divide(out[..., :3], a, out=out[..., :3], where=a > 1e-6)
    np.minimum(out, 1.0, out=out)
    return out


def flip(image: np.ndarray, horizontal: bool = False, vertical: bool = False) -> np.ndarray:
    """Mirror left-right (`horizontal`) and/or top-bottom (`vertical`)."""
    out = image
    if horizontal:
        out = out[:, ::-1]
    if vertical:
        out = out[::-1]
    return out.copy()


def _amount(neutral: float, low: float, high: float, text: str) -> Param:
    return Param("amount", "float", neutral, text, low, high)


EDITS = [
    Edit("exposure", exposure, (Param("ev", "float", 0.0, "stops; +1 doubles the light", -5.0, 5.0),),
         "Exposure in stops, applied in linear light."),
    Edit("brightness", brightness, (_amount(0.0, -1.0, 1.0, "offset added to R, G and B"),),
         "Brighter or darker by a constant offset."),
    Edit("contrast", contrast, (_amount(1.0, 0.0, 3.0, "factor around mid-grey 0.5"),),
         "Contrast scaled around mid-grey."),
    Edit("saturation", saturation, (_amount(1.0, 0.0, 3.0, "chroma factor; 0 is greyscale"),),
         "Colour intensity scaled around Rec.709 luma."),
    Edit("vibrance", vibrance, (_amount(0.0, -1.0, 1.0, "boost for muted colours"),),
         "Saturation that spares colours already saturated."),
    Edit("temperature", temperature, (_amount(0.0, -1.0, 1.0, "+ warm, - cool; 0.1 of R/B per unit"),),
         "Warmer (more red, less blue) or cooler."),
    Edit("tint", tint, (_amount(0.0, -1.0, 1.0, "+ magenta, - green; 0.1 of G per unit"),),
         "Magenta or green tint."),
    Edit("hue_shift", hue_shift, (Param("degrees", "float", 0.0, "hue rotation", -180.0, 180.0),),
         "Rotate every hue around the colour wheel."),
    Edit("gamma", gamma, (Param("value", "float", 1.0, "out = x ** (1/value)", 0.1, 10.0),),
         "Gamma curve; above 1 lifts mid-tones."),
    Edit("sharpness", sharpness, (_amount(0.0, 0.0, 5.0, "unsharp-mask strength"),
                                  Param("radius", "float", 1.0, "blur radius in pixels", 0.1, 20.0)),
         "Sharpen with an unsharp mask."),
    Edit("blur", blur, (Param("sigma", "float", 0.0, "Gaussian sigma in pixels", 0.0, 100.0),),
         "Gaussian blur."),
    Edit("vignette", vignette, (_amount(0.0, -1.0, 1.0, "+ darkens, - lightens the edges"),
                                Param("radius", "float", 0.5, "where falloff starts (0 centre, 1 corner)", 0.0, 1.0),
                                Param("softness", "float", 0.5, "width of the falloff", 0.01, 1.0)),
         "Darken or lighten towards the corners."),
    Edit("grain", grain, (_amount(0.0, 0.0, 0.5, "noise standard deviation"),
                          Param("size", "float", 1.0, "grain size in pixels", 1.0, 16.0),
                          Param("seed", "int", 0, "random seed; same seed, same grain", 0, 2**31 - 1)),
         "Film grain, reproducible with a seed."),
    Edit("crop", crop, (Param("left", "float", 0.0, "fraction cut from the left", 0.0, 0.9),
                        Param("top", "float", 0.0, "fraction cut from the top", 0.0, 0.9),
                        Param("right", "float", 0.0, "fraction cut from the right", 0.0, 0.9),
                        Param("bottom", "float", 0.0, "fraction cut from the bottom", 0.0, 0.9),
                        Param("aspect", "choice", "free", "then a centred box of this shape",
                              choices=("free", "1:1", "4:5", "5:4", "3:2", "2:3", "16:9", "9:16"))),
         "Trim the edges and/or cut to an aspect ratio."),
    Edit("resize", resize, (Param("scale", "float", 1.0, "size factor", 0.01, 8.0),
                            Param("width", "int", 0, "pixels; 0 keeps the aspect", 0, 16384),
                            Param("height", "int", 0, "pixels; 0 keeps the aspect", 0, 16384)),
         "Resample to a new size."),
    Edit("rotate", rotate, (Param("degrees", "float", 0.0, "counter-clockwise", -360.0, 360.0),
                            Param("expand", "bool", True, "grow the canvas to fit")),
         "Rotate; multiples of 90 degrees are lossless."),
    Edit("flip", flip, (Param("horizontal", "bool", False, "mirror left-right"),
                        Param("vertical", "bool", False, "mirror top-bottom")),
         "Mirror the image."),
]
